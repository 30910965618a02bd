#!/usr/bin/env bash
# Speed against Chez Scheme: builds every program in a directory (default
# ../shared/bench) with `schemec build`, runs it and Chez (`scheme --script`)
# interleaved, N times each (default 5), checks both outputs against the
# program's .out file, and prints the median times, each ratio and the
# geometric mean of the ratios. Without Chez it says so and times schemec
# alone.
#
#   bench/speed/run.sh [DIR] [RUNS]        (after `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-../shared/bench}
runs=${2:-5}
compgen -G "$dir/*.scm" > /dev/null || { echo "bench/speed/run.sh: no .scm programs in $dir (the default is ../shared/bench; give a directory, e.g. bench/float)" >&2; exit 2; }
schemec=target/release/schemec
[ -x "$schemec" ] || { echo "run \`cargo build --release\` first" >&2; exit 2; }
chez=$(command -v scheme || true)
[ -n "$chez" ] || echo "Chez Scheme not installed (apt-get install chezscheme): its column is skipped"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $runs runs each, interleaved"
printf '%-16s %12s %12s %8s\n' program schemec chez ratio
logsum=0; count=0; failed=0
for prog in "$dir"/*.scm; do
    name=$(basename "$prog" .scm)
    expected="$dir/$name.out"
    "$schemec" build "$prog" -o "$work/$name"
    ours=(); theirs=(); status=ok
    for ((i = 0; i < runs; i++)); do
        t0=$(now); "$work/$name" > "$work/out" 2> /dev/null || status="exit $?"; t1=$(now)
        cmp -s "$work/out" "$expected" || status="wrong output"
        ours+=($(( (t1 - t0) / 1000 )))
        if [ -n "$chez" ]; then
            t0=$(now); "$chez" --script "$prog" > "$work/out" 2> /dev/null || status="chez exit $?"; t1=$(now)
            cmp -s "$work/out" "$expected" || status="chez wrong output"
            theirs+=($(( (t1 - t0) / 1000 )))
        fi
    done
    if [ "$status" != ok ]; then
        printf '%-16s FAIL (%s)\n' "$name" "$status"; failed=$((failed + 1)); continue
    fi
    m_ours=$(median "${ours[@]}")
    if [ -n "$chez" ]; then
        m_theirs=$(median "${theirs[@]}")
        ratio=$(echo "scale=3; $m_ours / $m_theirs" | bc)
        logsum=$(echo "scale=6; $logsum + l($ratio)" | bc -l); count=$((count + 1))
        printf '%-16s %10.3f s %10.3f s %8s\n' "$name" "$(echo "$m_ours / 1000000" | bc -l)" "$(echo "$m_theirs / 1000000" | bc -l)" "$ratio"
    else
        printf '%-16s %10.3f s %12s %8s\n' "$name" "$(echo "$m_ours / 1000000" | bc -l)" - -
    fi
done
if [ "$count" -gt 0 ]; then
    printf 'geometric mean of the ratios (schemec / chez): %.3f\n' "$(echo "e($logsum / $count)" | bc -l)"
fi
[ "$failed" -eq 0 ]
