#!/usr/bin/env bash
# Builds the C tests (tests/c/test_*.c) and the C examples (examples/c/*.c) against
# LIBDIR/libnps.so with strict warnings, runs each under valgrind (any memory error or definite/
# indirect leak fails; Rust's "still reachable" thread-local blocks do not), and links the
# basic example once against LIBDIR/libnps.a with the Libs.private flags of nps-ffi/nps.pc.in.
# The programs record libnps.so's SONAME (libnps.so.ABI) as NEEDED, so LIBDIR must also hold
# that name (`make lib` links it to libnps.so). Then tests/c/check_install.sh: `make install`
# into a temporary prefix, the SONAME and the versioned files checked, the callbacks example
# built against the installed library (pkg-config and plain cc) and run under valgrind.
# Prints one line per program and exits non-zero when any fails.
#
# Usage: tests/c/run.sh LIBDIR      (e.g. target/release, after make lib)
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 LIBDIR" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
libdir=$(cd "$1" && pwd)
for lib in libnps.so libnps.a; do
    if [[ ! -f $libdir/$lib ]]; then
        echo "no $lib in $libdir; run make lib" >&2
        exit 2
    fi
done
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
command -v readelf >/dev/null || { echo "readelf (binutils) is not installed" >&2; exit 2; }
soname=$(readelf -d "$libdir/libnps.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')
if [[ ! $soname =~ ^libnps\.so\.[0-9]+(\.[0-9]+)?$ ]]; then
    echo "$libdir/libnps.so has SONAME '$soname', not libnps.so.ABI" >&2
    exit 2
fi
if [[ ! -e $libdir/$soname ]]; then
    echo "no $soname (the SONAME of libnps.so) in $libdir; run make lib" >&2
    exit 2
fi

cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -I "$root/include" -I "$root/tests/c")
libs_private=$(sed -n 's/^Libs.private: *//p' "$root/nps-ffi/nps.pc.in")
valgrind_flags=(--quiet --error-exitcode=1 --leak-check=full
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
# report NAME STATUS LOG: one summary line; the log of a failure follows it.
report() {
    if [[ $2 -eq 0 ]]; then
        printf 'PASS  %s\n' "$1"
    else
        printf 'FAIL  %s\n' "$1"
        sed 's/^/      /' "$3"
        failed=$((failed + 1))
    fi
}

# check NAME COMMAND...: runs COMMAND with its output in a log, then reports.
check() {
    local name=$1 log="$work/$1.log" status=0
    shift
    "$@" >"$log" 2>&1 || status=$?
    report "$name" "$status" "$log"
}

# build_and_run NAME SOURCE [ARG...]: compile against the shared library, run under valgrind
# with the arguments.
build_and_run() {
    local bin="$work/$1" src=$2
    shift 2
    gcc "${cflags[@]}" "$src" -o "$bin" -L "$libdir" -Wl,-rpath,"$libdir" -lnps -lm &&
        valgrind "${valgrind_flags[@]}" "$bin" "$@"
}

# build_static NAME SOURCE: compile against the static library as pkg-config --static would.
build_static() {
    local bin="$work/$1"
    # shellcheck disable=SC2086 # the flags are words
    gcc "${cflags[@]}" "$2" -o "$bin" "$libdir/libnps.a" $libs_private && "$bin"
}

for src in "$root"/tests/c/test_*.c "$root"/examples/c/*.c; do
    name=$(basename "$src" .c)
    args=()
    # The examples that read files get the bundled ones.
    case $name in
    callbacks) args=("$root/examples/data/tnps_yesterday.csv" "$root/examples/data/alert_policy.json") ;;
    esac
    check "$name" build_and_run "$name" "$src" "${args[@]}"
done
check basic_static build_static basic_static "$root/examples/c/basic.c"
check install_callbacks "$root/tests/c/check_install.sh"

if [[ $failed -ne 0 ]]; then
    echo "$failed C check(s) failed"
    exit 1
fi
echo "all C checks passed"
