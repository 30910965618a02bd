#!/usr/bin/env bash
# Run time of every program in a directory compiled by two schemec builds
# (e.g. before and after an optimisation): median of RUNS runs each,
# interleaved; flags programs more than 10% slower with the second.
#
#   bench/compare.sh OLD_SCHEMEC NEW_SCHEMEC [DIR] [RUNS]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/compare.sh OLD_SCHEMEC NEW_SCHEMEC [DIR] [RUNS]" >&2; exit 2; }
old=$1; new=$2; dir=${3:-../shared/conformance}; runs=${4:-3}
compgen -G "$dir/*.scm" > /dev/null || { echo "bench/compare.sh: no .scm programs in $dir (the default is ../shared/conformance)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
slower=0
printf '%-34s %9s %9s %7s\n' program old_ms new_ms ratio
for prog in "$dir"/*.scm; do
    name=$(basename "$prog" .scm)
    "$old" build "$prog" -o "$work/old" 2> /dev/null || continue
    "$new" build "$prog" -o "$work/new"
    a=(); b=()
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N); "$work/old" > /dev/null 2>&1 < /dev/null || true; t1=$(date +%s%N)
        "$work/new" > /dev/null 2>&1 < /dev/null || true; t2=$(date +%s%N)
        a+=($(( (t1 - t0) / 1000 ))); b+=($(( (t2 - t1) / 1000 )))
    done
    ma=$(median "${a[@]}"); mb=$(median "${b[@]}")
    ratio=$(echo "scale=2; $mb / $ma" | bc)
    flag=""
    if [ "$ma" -gt 20000 ] && [ "$(echo "$ratio > 1.10" | bc)" = 1 ]; then flag="  SLOWER"; slower=$((slower + 1)); fi
    printf '%-34s %9.1f %9.1f %7s%s\n' "$name" "$(echo "$ma / 1000" | bc -l)" "$(echo "$mb / 1000" | bc -l)" "$ratio" "$flag"
done
echo "$slower programs slower by more than 10% (among those running over 20 ms)"
