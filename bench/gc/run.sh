#!/usr/bin/env bash
# Cost of the garbage collector: an allocation-heavy program run with the
# collector, and with it disabled (SCHEME_GC=off: the heap only grows),
# median of 5 runs each, interleaved. Also prints the collector's own
# statistics (SCHEME_GC_STATS=1) and the inline allocation fast path.
#
#   bench/gc/run.sh            (after `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
schemec=target/release/schemec
[ -x "$schemec" ] || { echo "run \`cargo build --release\` first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$schemec" build bench/gc/alloc-heavy.scm -o "$work/prog"
on=(); off=()
for _ in 1 2 3 4 5; do
    t0=$(date +%s%N); "$work/prog" > /dev/null; t1=$(date +%s%N)
    SCHEME_GC=off "$work/prog" > /dev/null; t2=$(date +%s%N)
    on+=($(( (t1 - t0) / 1000000 ))); off+=($(( (t2 - t1) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
m_on=$(median "${on[@]}"); m_off=$(median "${off[@]}")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "with the collector:    ${m_on} ms (runs: ${on[*]})"
echo "collector disabled:    ${m_off} ms (runs: ${off[*]})"
echo "ratio (with / without): $(echo "scale=2; $m_on / $m_off" | bc)"
echo
echo "with:    $(SCHEME_GC_STATS=1 "$work/prog" 2>&1 >/dev/null)"
echo "without: $(SCHEME_GC=off SCHEME_GC_STATS=1 "$work/prog" 2>&1 >/dev/null)"
echo
echo "the inline fast path of (cons ...) in \`schemec asm\`:"
"$schemec" asm bench/gc/alloc-heavy.scm | grep -m1 -A5 'allocate 16 bytes'
