#!/usr/bin/env bash
# schemec against Chez Scheme (and Gambit, CHICKEN and Guile when they are
# installed) on the public r7rs-benchmarks suite (github ecraven/r7rs-benchmarks).
#
#   bench/r7rs/run.sh [SUITE_DIR]          full run: 3 rounds, median
#   QUICK=1 bench/r7rs/run.sh [SUITE_DIR]  one short round (counts / 10,
#                                          10 s limit, no Gambit or CHICKEN)
#   CALIBRATE=1 bench/r7rs/run.sh [DIR]    time Chez at the .input counts and
#                                          suggest factors for factors.txt
#
# SUITE_DIR (or R7RS_BENCHMARKS) is a checkout or exported tree of the suite:
# it needs src/common.scm, src/NAME.scm and inputs/NAME.input.
#
# Environment: PROGRAMS="fib tak ..." (default: the suite's own list from its
# bench script), RUNS (3; QUICK 1), TIMEOUT seconds per run (120; QUICK 10),
# IMPLS (default "schemec chez-script chez-o3 gambit chicken guile"; absent
# ones are skipped), SCHEMEC (default target/release/schemec), R7RS_WORK (a
# directory to keep the generated programs, builds and logs in; by default a
# temporary one, removed at the end).
#
# Each program is assembled the way the suite's bench script does it:
# prelude + src/NAME.scm + src/common.scm + postlude + (run-benchmark), and
# reads inputs/NAME.input on standard input, with its first datum (the
# iteration count) multiplied by the program's factor from factors.txt.  The
# time is the one the program prints itself ("Elapsed time: ... seconds",
# from current-jiffy around the iterations: start-up, reading the program and
# compiling it are not included).  A run is correct when it exits with 0 and
# prints that line and not the suite's "ERROR: returned incorrect result"
# (every program checks its result against the one in its .input file).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
schemec=${SCHEMEC:-$root/target/release/schemec}
suite=${1:-${R7RS_BENCHMARKS:-}}

skip() {
    echo "bench/r7rs: the r7rs benchmarks are skipped: $1"
    exit 0
}
how_to_get="Get the suite with 'git clone https://github.com/ecraven/r7rs-benchmarks DIR' and run 'bench/r7rs/run.sh DIR' (or set R7RS_BENCHMARKS=DIR)."
[ -x "$schemec" ] || skip "$schemec is missing; run 'cargo build --release' first."
[ -n "$suite" ] || skip "no suite directory given. $how_to_get"
[ -f "$suite/src/common.scm" ] && [ -d "$suite/inputs" ] ||
    skip "$suite does not hold the suite (no src/common.scm or inputs/). $how_to_get"
suite=$(cd "$suite" && pwd)

quick=${QUICK:-0}; [ "$quick" = 0 ] && quick=""
calibrate=${CALIBRATE:-0}; [ "$calibrate" = 0 ] && calibrate=""
if [ -n "$quick" ]; then runs=${RUNS:-1}; limit=${TIMEOUT:-10}; divisor=10
else runs=${RUNS:-3}; limit=${TIMEOUT:-120}; divisor=1; fi
[ -n "$calibrate" ] && { runs=1; divisor=1; }

# The programs: the suite's own list (its bench script's *_BENCHMARKS lines),
# else every src/NAME.scm that has an inputs/NAME.input.
if [ -n "${PROGRAMS:-}" ]; then
    programs=$PROGRAMS
elif [ -f "$suite/bench" ] && grep -q '^[A-Z]*_BENCHMARKS="[A-Za-z0-9 ]*"$' "$suite/bench"; then
    programs=$(grep '^[A-Z]*_BENCHMARKS="[A-Za-z0-9 ]*"$' "$suite/bench" | sed 's/^[^"]*"//; s/"$//' | tr ' ' '\n' | grep -v '^$')
else
    programs=$(cd "$suite/src" && for f in *.scm; do n=${f%.scm}; [ -f "../inputs/$n.input" ] && echo "$n"; done)
fi
programs=$(echo $programs)
nprograms=$(echo $programs | wc -w)

# Implementations: name, and whether it is here.
chicken_csc=""
for c in chicken-csc csc; do
    if command -v "$c" > /dev/null && "$c" -version 2>&1 | grep -qi chicken; then chicken_csc=$c; break; fi
done
have() {
    case $1 in
        schemec) return 0 ;;
        chez-script|chez-o3) command -v scheme > /dev/null ;;
        gambit) command -v gsc > /dev/null ;;
        chicken) [ -n "$chicken_csc" ] ;;
        guile) command -v guile > /dev/null ;;
        *) return 1 ;;
    esac
}
impls=()
all_impls="schemec chez-script chez-o3 gambit chicken guile"
if [ -n "$quick" ] && [ -z "${IMPLS:-}" ]; then
    # Gambit and CHICKEN compile through gcc, up to a minute a program.
    echo "bench/r7rs: QUICK: gambit and chicken left out (their C compiles take minutes; set IMPLS to choose)" >&2
    all_impls="schemec chez-script chez-o3 guile"
fi
for i in ${IMPLS:-$all_impls}; do
    [ -n "$calibrate" ] && [ "$i" != chez-script ] && [ "$i" != chez-o3 ] && continue
    if have "$i"; then impls+=("$i"); else echo "bench/r7rs: $i is not installed; skipped" >&2; fi
done

work=${R7RS_WORK:-}
if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/r7rs-bench.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"/{src,bin,in,log,outputs,chezobj}
work=$(cd "$work" && pwd)
ln -sfn "$suite/inputs" "$work/inputs"      # programs open inputs/... and outputs/...
chezlib=$here/chez-lib

factor_of() {
    local f
    f=$(awk -v p="$1" '$1 == p { print $2; exit }' "$here/factors.txt" 2> /dev/null)
    echo "${f:-1}"
}

# The scaled input: the first datum that is not in a comment is the count.
scale_input() {   # NAME FACTOR -> $work/in/NAME.input ; prints the count
    awk -v f="$2" -v d="$divisor" '
        !done && $0 !~ /^[ \t]*(;|$)/ && match($0, /^[ \t]*[0-9]+/) {
            n = substr($0, RSTART, RLENGTH) + 0
            c = int(n * f / d + 0.5); if (c < 1) c = 1
            $0 = sprintf("%.0f", c) substr($0, RSTART + RLENGTH); done = 1; count = sprintf("%.0f", c)
        }
        { print }
        END { print count > "/dev/stderr" }' "$suite/inputs/$1.input" 2>&1 > "$work/in/$1.input"
}

# --- building ---------------------------------------------------------------

assemble() {   # NAME PRELUDE-FILE POSTLUDE-TEXT [strip-import]
    local name=$1 prelude=$2 post=$3 strip=${4:-}
    {
        [ -n "$prelude" ] && cat "$prelude"
        if [ -n "$strip" ]; then sed -e 's/^(import (scheme.*)$//' "$suite/src/$name.scm"
        else cat "$suite/src/$name.scm"; fi
        cat "$suite/src/common.scm"
        echo "$post"
        echo "(run-benchmark)"
    }
}

build() {   # IMPL NAME -> 0 when it built; the reason in $work/log/IMPL-NAME.build
    local impl=$1 name=$2 src=$work/src/$impl-$name.scm log=$work/log/$impl-$name.build
    case $impl in
        schemec)
            assemble "$name" "" '(define (this-scheme-implementation-name) "schemec")' > "$src"
            timeout 600 "$schemec" build "$src" -o "$work/bin/$impl-$name" > "$log" 2>&1 ;;
        chez-script)
            assemble "$name" "" '(define (this-scheme-implementation-name) "chez-script")' > "$src" ;;
        chez-o3)
            assemble "$name" "" '(define (this-scheme-implementation-name) "chez-o3")' > "$src"
            echo "(parameterize ([optimize-level 3] [compile-imported-libraries #t]
                                 [generate-inspector-information #f]
                                 [library-directories '((\"$chezlib\" . \"$work/chezobj\"))])
                    (compile-program \"$src\" \"$work/bin/$impl-$name.so\"))" |
                timeout 600 scheme -q > "$log" 2>&1 &&
                ! grep -q '^Exception' "$log" && [ -f "$work/bin/$impl-$name.so" ] ;;
        gambit)
            local prelude=$suite/src/GambitC-prelude.scm
            [ -f "$prelude" ] || prelude=""
            assemble "$name" "$prelude" '' strip > "$src"
            [ -z "$prelude" ] && sed -i '1i (define (this-scheme-implementation-name) "gambit")' "$src"
            timeout 600 gsc -o "$work/bin/$impl-$name" -exe "$src" > "$log" 2>&1 ;;
        chicken)
            local prelude=$suite/src/Chicken-prelude.scm
            [ -f "$prelude" ] || prelude=""
            assemble "$name" "$prelude" '' > "$src"
            [ -z "$prelude" ] && echo '(define (this-scheme-implementation-name) "chicken")' | cat - "$src" > "$src.tmp" && mv "$src.tmp" "$src"
            timeout 600 "$chicken_csc" -R r7rs -X r7rs -block -O3 -C -O3 -d0 "$src" -o "$work/bin/$impl-$name" > "$log" 2>&1 ;;
        guile)
            local prelude=$suite/src/Guile3-prelude.scm
            [ -f "$prelude" ] || prelude=$suite/src/Guile-prelude.scm
            assemble "$name" "$prelude" '' > "$src"
            timeout 600 guile --no-auto-compile -c "(use-modules (system base compile))
                (compile-file \"$src\" #:output-file \"$work/bin/$impl-$name.go\" #:optimization-level 3)" \
                > "$log" 2>&1 && [ -f "$work/bin/$impl-$name.go" ] ;;
    esac
}

# --- running ----------------------------------------------------------------

run_one() {   # IMPL NAME -> output in $work/log/IMPL-NAME.out; exit status of the run
    local impl=$1 name=$2 bin=$work/bin/$1-$2 input=$work/in/$2.input
    (
        cd "$work" || exit 1
        case $impl in
            schemec|gambit|chicken) timeout -k 5 "$limit" "$bin" ;;
            chez-script) timeout -k 5 "$limit" scheme -q --libdirs "$chezlib" --script "$work/src/$impl-$name.scm" ;;
            chez-o3) timeout -k 5 "$limit" scheme -q --libdirs "$chezlib::$work/chezobj" --program "$bin.so" ;;
            guile) GC_INITIAL_HEAP_SIZE=100000000 timeout -k 5 "$limit" guile --no-auto-compile -c "(load-compiled \"$bin.go\")" ;;
        esac
    ) < "$input" > "$work/log/$impl-$name.out" 2>&1
}

# Checks one run; prints the time, or the failure as "wrong", "crash" or
# "timeout" and then the reason.
judge() {   # IMPL NAME STATUS
    local out=$work/log/$1-$2.out status=$3 t
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then echo "timeout over ${limit}s"; return; fi
    if grep -q 'ERROR: returned incorrect result' "$out"; then
        echo "wrong $(grep -m1 'ERROR: returned incorrect result' "$out" | cut -c1-150)"; return
    fi
    t=$(sed -n 's/^Elapsed time: \([0-9.e+-]*\) seconds.*/\1/p' "$out" | head -1)
    if [ "$status" != 0 ] || [ -z "$t" ]; then
        local why
        why=$(grep -m1 -i -e 'exception' -e 'error' "$out")
        [ -n "$why" ] || why=$(grep -v -e '^Running ' -e '^$' "$out" | head -1)
        echo "crash (exit $status) $(echo "$why" | cut -c1-150)"; return
    fi
    t=$(awk -v t="$t" 'BEGIN { printf "%.6f", t }')     # Gambit prints .5 for 0.5
    # cat and tail accept any result; check the file they wrote.
    case $2 in
        cat) cmp -s "$work/outputs/cat.output" "$suite/inputs/bib" || { echo "wrong outputs/cat.output is not a copy of inputs/bib"; return; } ;;
        tail) awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' "$suite/inputs/bib" |
                  cmp -s - "$work/outputs/tail.output" || { echo "wrong outputs/tail.output is not inputs/bib reversed"; return; } ;;
    esac
    echo "$t"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# --- the benchmark loop -------------------------------------------------------

declare -A result reason
echo "bench/r7rs: $nprograms programs from $suite; implementations: ${impls[*]}; $runs round(s)${quick:+ (QUICK: counts / $divisor)}; work in $work" >&2
for name in $programs; do
    if [ ! -f "$suite/src/$name.scm" ] || [ ! -f "$suite/inputs/$name.input" ]; then
        for impl in "${impls[@]}"; do result[$impl,$name]=missing; reason[$impl,$name]="src/$name.scm or inputs/$name.input is not in the suite"; done
        continue
    fi
    count=$(scale_input "$name" "$(factor_of "$name")")
    # Data files the program reads (quoted inputs/... paths in its .input).
    nodata=""
    for f in $(grep -o '"inputs/[^"]*"' "$suite/inputs/$name.input" | tr -d '"'); do
        ls "$suite/$f"* > /dev/null 2>&1 || nodata="$nodata $f"
    done
    live=()
    for impl in "${impls[@]}"; do
        if ! build "$impl" "$name"; then
            result[$impl,$name]=compile
            reason[$impl,$name]=$(grep -v '^compiling ' "$work/log/$impl-$name.build" | grep -v '^\s*$' | head -1 | cut -c1-200)
            [ -n "${reason[$impl,$name]}" ] || reason[$impl,$name]="build failed (no message)"
        elif [ -n "$nodata" ]; then
            result[$impl,$name]=nodata; reason[$impl,$name]="data file${nodata} missing from the suite copy"
        else
            live+=("$impl")
        fi
    done
    declare -A times=()
    for ((r = 0; r < runs; r++)); do
        n=${#live[@]}
        for ((k = 0; k < n; k++)); do
            impl=${live[$(( (k + r) % n ))]}      # interleaved, rotating who goes first
            [ -n "${result[$impl,$name]:-}" ] && continue
            run_one "$impl" "$name"; st=$?
            v=$(judge "$impl" "$name" "$st")
            case $v in
                [0-9]*) times[$impl]="${times[$impl]:-} $v" ;;
                *) result[$impl,$name]=${v%% *}; reason[$impl,$name]=${v#* } ;;
            esac
        done
    done
    line="$name (count $count):"
    for impl in "${impls[@]}"; do
        if [ -z "${result[$impl,$name]:-}" ] && [ -n "${times[$impl]:-}" ]; then
            result[$impl,$name]=$(median ${times[$impl]})
        fi
        line="$line $impl ${result[$impl,$name]}"
    done
    echo "$line" >&2
    unset times
done

# --- calibration --------------------------------------------------------------

if [ -n "$calibrate" ]; then
    echo "# Suggested factors: about 1.5 s of Chez --script (chez-o3 where --script fails)."
    for name in $programs; do
        t=${result[chez-script,$name]:-}; case $t in [0-9]*) ;; *) t=${result[chez-o3,$name]:-} ;; esac
        case $t in [0-9]*) ;; *) echo "$name 1   # no Chez time"; continue ;; esac
        c=$(scale_input "$name" "$(factor_of "$name")")
        awk -v n="$name" -v t="$t" -v c="$c" -v f0="$(factor_of "$name")" 'BEGIN {
            f = f0 * 1.5 / t
            if (f >= 1) f = int(f + 0.5); else if (f >= 0.1) f = int(f * 10 + 0.5) / 10; else f = int(f * 100 + 0.5) / 100
            if (f < 0.01) f = 0.01
            if (c * f / f0 < 1) f = 1    # the count cannot go under 1
            printf "%-12s %s   # %.2f s at factor %s\n", n, f, t, f0 }'
    done
    exit 0
fi

# --- the table ----------------------------------------------------------------

is_time() { case $1 in [0-9]*) return 0 ;; *) return 1 ;; esac; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
have_impl() { local i; for i in "${impls[@]}"; do [ "$i" = "$1" ] && return 0; done; return 1; }

echo
echo "r7rs-benchmarks: seconds per program (median of $runs run(s), the suite's own timing), $(date -u +%Y-%m-%d)"
echo
header="| program |"; rule="|---|"
for impl in "${impls[@]}"; do header="$header $impl |"; rule="$rule---:|"; done
have_impl chez-script && { header="$header schemec/chez-script |"; rule="$rule---:|"; }
have_impl chez-o3 && { header="$header schemec/chez-o3 |"; rule="$rule---:|"; }
echo "$header"; echo "$rule"
log_s=0; log_o=0; nboth=0; ok=0; compiled=0
for name in $programs; do
    row="| $name |"
    for impl in "${impls[@]}"; do
        v=${result[$impl,$name]:-}
        if is_time "$v"; then row="$row $(printf '%.3f' "$v") |"; else row="$row ${v:--} |"; fi
    done
    s=${result[schemec,$name]:-}; cs=${result[chez-script,$name]:-}; co=${result[chez-o3,$name]:-}
    [ "$s" != compile ] && [ "$s" != missing ] && compiled=$((compiled + 1))
    is_time "$s" && ok=$((ok + 1))
    if have_impl chez-script; then
        if is_time "$s" && is_time "$cs"; then row="$row $(ratio "$s" "$cs") |"; else row="$row - |"; fi
    fi
    if have_impl chez-o3; then
        if is_time "$s" && is_time "$co"; then row="$row $(ratio "$s" "$co") |"; else row="$row - |"; fi
    fi
    if is_time "$s" && is_time "$cs" && is_time "$co"; then
        log_s=$(awk -v a="$log_s" -v s="$s" -v c="$cs" 'BEGIN { print a + log(s / c) }')
        log_o=$(awk -v a="$log_o" -v s="$s" -v c="$co" 'BEGIN { print a + log(s / c) }')
        nboth=$((nboth + 1))
    fi
    echo "$row"
done
echo
if [ "$nboth" -gt 0 ]; then
    echo "Geometric mean over the $nboth programs that ran correctly under schemec, chez-script and chez-o3:"
    echo "  schemec/chez-script $(awk -v l="$log_s" -v n="$nboth" 'BEGIN { printf "%.2f", exp(l / n) }')"
    echo "  schemec/chez-o3     $(awk -v l="$log_o" -v n="$nboth" 'BEGIN { printf "%.2f", exp(l / n) }')"
fi
echo "schemec: $compiled of $nprograms programs compile, $ok run correctly."
echo
echo "Failures (compile: does not compile; wrong: incorrect result; crash: error exit; timeout; nodata: the suite copy lacks a data file):"
for impl in "${impls[@]}"; do
    for name in $programs; do
        v=${result[$impl,$name]:-}
        is_time "$v" || echo "  $impl $name: $v: ${reason[$impl,$name]:-}"
    done
done
