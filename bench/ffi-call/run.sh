#!/usr/bin/env bash
# Cost of one call of the `#[scheme_fn] fn add(a: i64, b: i64) -> i64`
# primitive (tests/plugins/testlib) from a compiled Scheme loop, beside a C
# loop calling the same kind of function through a function pointer, the
# C function `long add(long, long)` called through `foreign-procedure`
# (issue 16), and, when Chez Scheme is installed, Chez's `foreign-procedure`
# of the same C function.
#
#   bench/ffi-call/run.sh            (after `cargo build --release`)
#
# Instructions come from valgrind's callgrind, by the difference of two
# loop lengths (so start-up cancels out); the "call" rows subtract the same
# loop doing the addition inline. Times are the median of 5 runs of a
# 10^8-iteration loop. valgrind is optional: without it only times print.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
schemec=$root/target/release/schemec
lib=$root/target/release/libschemetest.so
[ -x "$schemec" ] && [ -f "$lib" ] || { echo "run \`cargo build --release\` first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# prog NAME BODY: a Scheme program looping N times (N from the command line
# would need `command-line`; the loop length is baked in per build).
scheme_prog() { # $1 = out, $2 = n, $3 = with call (1/0)
    local op='(+ acc i)' load="(load-library \"$lib\")"
    [ "$3" != 0 ] && op='(add acc i)'
    [ "$3" = 2 ] && load="(load-shared-object \"$work/libadd.so\")
(define add (foreign-procedure \"add\" (long long) long))"
    cat > "$work/p.scm" <<SCM
$load
(define (loop i acc) (if (= i 0) acc (loop (- i 1) $op)))
(display (loop $2 0))
(newline)
SCM
    "$schemec" build "$work/p.scm" -o "$1"
}

cc -O2 -o "$work/c" bench/ffi-call/add.c
cc -O2 -shared -fPIC -o "$work/libadd.so" bench/ffi-call/add.c

chez_prog() { # $1 = n, $2 = with call (1/0): a Chez program file
    local op='(+ acc i)'
    [ "$2" = 1 ] && op='(add acc i)'
    cat > "$work/chez-$1-$2.ss" <<SS
(load-shared-object "$work/libadd.so")
(define add (foreign-procedure "add" (long long) long))
(define (loop i acc) (if (= i 0) acc (loop (- i 1) $op)))
(display (loop $1 0))
(newline)
SS
    echo "$work/chez-$1-$2.ss"
}

instructions() { # command... -> total instructions (Ir)
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" > /dev/null 2> "$work/vg.log"
    grep -E '^summary:' "$work/cg.out" | awk '{print $2}'
}

per_iteration() { # $1 = builder kind (scheme/c), $2 = with call
    local n1=1000000 n2=2000000 i1 i2
    if [ "$1" = scheme ]; then
        scheme_prog "$work/s1" $n1 "$2"; scheme_prog "$work/s2" $n2 "$2"
        i1=$(instructions "$work/s1"); i2=$(instructions "$work/s2")
    elif [ "$1" = chez ]; then
        i1=$(instructions scheme --script "$(chez_prog $n1 "$2")")
        i2=$(instructions scheme --script "$(chez_prog $n2 "$2")")
    else
        i1=$(instructions "$work/c" $n1 "$2"); i2=$(instructions "$work/c" $n2 "$2")
    fi
    echo "scale=2; ($i2 - $i1) / ($n2 - $n1)" | bc
}

median_ns() { # command... -> median ns per iteration over 5 runs of 10^8
    local n=100000000 times=()
    for _ in 1 2 3 4 5; do
        local t0 t1
        t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N)
        times+=($(( t1 - t0 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk -v n=$n '{printf "%.2f", $1 / n}'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if command -v valgrind > /dev/null; then
    s_call=$(per_iteration scheme 1); s_loop=$(per_iteration scheme 0)
    f_call=$(per_iteration scheme 2)
    c_call=$(per_iteration c 1); c_loop=$(per_iteration c 0)
    s_cost=$(echo "$s_call - $s_loop" | bc); c_cost=$(echo "$c_call - $c_loop" | bc)
    f_cost=$(echo "$f_call - $s_loop" | bc)
    echo
    echo "instructions (callgrind)         per iteration   loop alone   per call"
    printf "Scheme -> #[scheme_fn] add       %13s %12s %10s\n" "$s_call" "$s_loop" "$s_cost"
    printf "Scheme -> foreign-procedure add  %13s %12s %10s\n" "$f_call" "$s_loop" "$f_cost"
    if command -v scheme > /dev/null; then
        z_call=$(per_iteration chez 1); z_loop=$(per_iteration chez 0)
        printf "Chez -> foreign-procedure add    %13s %12s %10s\n" "$z_call" "$z_loop" "$(echo "$z_call - $z_loop" | bc)"
    else
        echo "Chez Scheme not installed: its row skipped (apt-get install chezscheme)"
    fi
    printf "C -> add via fn pointer          %13s %12s %10s\n" "$c_call" "$c_loop" "$c_cost"
    echo "ratio per call (#[scheme_fn] / C):         $(echo "scale=2; $s_cost / $c_cost" | bc)"
    echo "ratio per call (foreign-procedure / C):    $(echo "scale=2; $f_cost / $c_cost" | bc)"
    echo "ratio per iteration:          $(echo "scale=2; $s_call / $c_call" | bc)"
else
    echo "valgrind not installed: instruction counts skipped (apt-get install valgrind)"
fi
scheme_prog "$work/t1" 100000000 1; scheme_prog "$work/t0" 100000000 0
scheme_prog "$work/t2" 100000000 2
echo
echo "time per iteration (median of 5 x 10^8)"
echo "Scheme with call: $(median_ns "$work/t1") ns   loop alone: $(median_ns "$work/t0") ns"
echo "Scheme with foreign-procedure call: $(median_ns "$work/t2") ns"
echo "C with call:      $(median_ns "$work/c" 100000000 1) ns   loop alone: $(median_ns "$work/c" 100000000 0) ns"
