#!/usr/bin/env bash
# Compile speed: `schemec build` of a generated 1,000-line program (many
# small procedures), compile and link together; median of 5.
#
#   bench/compile/run.sh            (after `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
schemec=target/release/schemec
[ -x "$schemec" ] || { echo "run \`cargo build --release\` first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
    for i in $(seq 1 200); do
        echo "(define (f$i x y)"
        echo "  (let loop ((i 0) (acc (list x y)))"
        echo "    (if (< i 3) (loop (+ i 1) (cons (* i x) acc))"
        echo "        (string-append \"f$i:\" (number->string (length acc)) (if (> y 0) \"+\" \"-\")))))"
        echo "(display (f$i $i (- $i 100))) (newline)"
    done
} > "$work/big.scm"
echo "program: $(wc -l < "$work/big.scm") lines, $(grep -c define "$work/big.scm") procedures"
times=()
for _ in 1 2 3 4 5; do
    t0=$(date +%s%N); "$schemec" build "$work/big.scm" -o "$work/big"; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
done
"$work/big" | tail -1
echo "schemec build: median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms (runs: ${times[*]})"
