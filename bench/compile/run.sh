#!/usr/bin/env bash
# Compile speed: `schemec build` (compile, assemble, link) of generated
# programs of 1,000, 10,000 and 100,000 lines (many small procedures);
# median of 3 runs for the first two, one run for the largest. Also the
# time of `schemec asm` alone, to separate the compiler from `cc`.
#
#   bench/compile/run.sh            (after `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
schemec=target/release/schemec
[ -x "$schemec" ] || { echo "run \`cargo build --release\` first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# A program of $1 procedures, 5 lines each.
generate() {
    for i in $(seq 1 "$1"); do
        echo "(define (f$i x y)"
        echo "  (let loop ((i 0) (acc (list x y)))"
        echo "    (if (< i 3) (loop (+ i 1) (cons (* i x) acc))"
        echo "        (string-append \"f$i:\" (number->string (length acc)) (if (> y 0) \"+\" \"-\")))))"
        echo "(display (f$i $i (- $i 100))) (newline)"
    done
}
printf '%-8s %12s %12s\n' lines asm build
for procs in ${COMPILE_SIZES:-200 2000 20000}; do
    src="$work/p$procs.scm"
    generate "$procs" > "$src"
    runs=3
    [ "$procs" -ge 20000 ] && runs=1
    asm=(); build=()
    for _ in $(seq 1 $runs); do
        t0=$(now); "$schemec" asm "$src" > "$work/p.s"; t1=$(now)
        "$schemec" build "$src" -o "$work/p"; t2=$(now)
        asm+=($(( (t1 - t0) / 1000000 ))); build+=($(( (t2 - t1) / 1000000 )))
    done
    [ "$("$work/p" | tail -1)" = "f$procs:5+" ] || { echo "wrong output for $procs procedures" >&2; exit 1; }
    printf '%-8s %9s ms %9s ms\n' "$(wc -l < "$src")" "$(median "${asm[@]}")" "$(median "${build[@]}")"
done

# A program of 10 files (9 libraries of 200 procedures each and a main
# program that imports them all), about 10,000 lines in all.
mkdir -p "$work/multi/libs"
for l in $(seq 1 9); do
    {
        echo "(define-library (libs m$l)"
        echo "  (export $(for i in $(seq 1 200); do printf 'm%s-f%s ' "$l" "$i"; done))"
        echo "  (import (scheme base))"
        echo "  (begin"
        for i in $(seq 1 200); do
            echo "    (define (m$l-f$i x y)"
            echo "      (let loop ((i 0) (acc (list x y)))"
            echo "        (if (< i 3) (loop (+ i 1) (cons (* i x) acc))"
            echo "            (+ (length acc) $i))))"
            echo "    ;; procedure $i of library $l"
        done
        echo "  ))"
    } > "$work/multi/libs/m$l.sld"
done
{
    echo "(import (scheme base) (scheme write)$(for l in $(seq 1 9); do printf ' (libs m%s)' "$l"; done))"
    for l in $(seq 1 9); do
        for i in $(seq 1 100); do echo "(define (use-$l-$i) (m$l-f$i $i $l))"; done
    done
    echo "(display (+ (use-1-1) (use-9-100))) (newline)"
} > "$work/multi/main.scm"
lines=$(cat "$work"/multi/libs/*.sld "$work/multi/main.scm" | wc -l)
build=()
for _ in 1 2 3; do
    t0=$(now); "$schemec" build "$work/multi/main.scm" -o "$work/multi/p"; t1=$(now)
    build+=($(( (t1 - t0) / 1000000 )))
done
[ "$("$work/multi/p")" = "111" ] || { echo "wrong output for the 10-file program" >&2; exit 1; }
printf '10 files, %s lines: build %s ms (median of 3)\n' "$lines" "$(median "${build[@]}")"
