#!/usr/bin/env bash
# Start-up: `schemec run` of a hello-world program (compile, assemble into
# a shared object or take it from the run cache, start it with the cached
# launcher) beside Chez Scheme (`scheme --script`), Guile and CHICKEN's
# `csi` running the same program; median of 11 runs each, interleaved.
# Schemes that are not installed are skipped (said so).
#
#   bench/startup/run.sh            (after `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
schemec=target/release/schemec
[ -x "$schemec" ] || { echo "bench/startup/run.sh: run \`cargo build --release\` first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '(display "hello") (newline)' > "$work/hello.scm"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# schemec: the program comes from the run cache after the first run;
# "new program": a program not run before (compiled and assembled, the
# launcher from the cache); "no cache": compiled, assembled and linked
# with the runtime archive every time.
names=(schemec "schemec new program" "schemec no cache")
cmds=("$schemec run $work/hello.scm" "$schemec run $work/new.scm" "env SCHEMEC_NO_CACHE=1 $schemec run $work/hello.scm")
add() { if command -v "$1" > /dev/null; then names+=("$2"); cmds+=("$3"); else echo "($2: \`$1\` not installed, skipped)"; fi; }
add scheme "chez --script" "scheme --script $work/hello.scm"
add guile "guile" "guile --no-auto-compile $work/hello.scm"
add csi "csi -s" "csi -s $work/hello.scm"
declare -A times
$schemec run "$work/hello.scm" > /dev/null # fills the cache (the launcher too)
for n in $(seq 1 11); do
    echo "(define run-$n-$$ $n) (display \"hello\") (newline)" > "$work/new.scm"
    for i in "${!cmds[@]}"; do
        t0=$(date +%s%N)
        out=$(${cmds[$i]})
        t1=$(date +%s%N)
        [ "$out" = hello ] || { echo "${names[$i]} printed \`$out\`" >&2; exit 1; }
        times[$i]+="$(( (t1 - t0) / 100000 )) "
    done
done
median() { printf '%s\n' $1 | sort -n | sed -n 6p; }
for i in "${!cmds[@]}"; do
    m=$(median "${times[$i]}")
    printf '%-20s %4d.%d ms\n' "${names[$i]}" $((m / 10)) $((m % 10))
done
