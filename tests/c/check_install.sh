#!/usr/bin/env bash
# The installed library, as a C programmer outside this repository gets it: `make install
# PREFIX=$tmp` lays out lib/libnps.so.VERSION (SONAME libnps.so.ABI, read with readelf -d),
# the links libnps.so.ABI -> it and libnps.so -> libnps.so.ABI, libnps.a, nps.h and nps.pc;
# then examples/c/callbacks.c built with `cc $(pkg-config --cflags --libs nps)` and with a plain
# `cc -I$tmp/include callbacks.c -L$tmp/lib -lnps` (both NEED libnps.so.ABI, not libnps.so),
# run (LD_LIBRARY_PATH) under valgrind on the bundled CSV export and alert policy, its output
# checked: the touchpoint table shows claim.app_upload with a negative NPS, the call-back queue
# is not empty and calls back the app-upload failures, both builds print the same, and so does
# a run with the runtime files only (libnps.so.VERSION and libnps.so.ABI). Then the CSV reader
# on a harder export (BOM, CRLF, reordered and extra columns, a quoted comment with a comma,
# doubled quotes and a line break) and on a broken one.
#
# Usage: tests/c/check_install.sh      (run by tests/c/run.sh; runs `make install`, which builds
#                                       the library with cargo when it is not up to date)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for tool in cc pkg-config valgrind make readelf; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
valgrind_flags=(--quiet --error-exitcode=1 --leak-check=full
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

# readelf_d FILE TAG: the names of FILE's dynamic entries of type TAG (SONAME, NEEDED), one a
# line.
readelf_d() {
    readelf -d "$1" | sed -n 's/.*('"$2"').*\[\(.*\)\]$/\1/p'
}

version=$(grep -m1 '^version' "$root/Cargo.toml" | cut -d'"' -f2)
# The ABI version of the SONAME: MAJOR, or 0.MINOR before 1.0 (nps-ffi/build.rs).
IFS=. read -r v_major v_minor _ <<<"$version"
if [[ $v_major == 0 ]]; then abi="0.$v_minor"; else abi=$v_major; fi
make -C "$root" --no-print-directory install PREFIX="$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; fail "make install PREFIX=$prefix"; }
for f in "lib/libnps.so.$version" lib/libnps.a include/nps.h lib/pkgconfig/nps.pc; do
    [[ -f $prefix/$f && ! -L $prefix/$f ]] || fail "make install did not install the file $f"
done
# The ldconfig layout: the real file, its SONAME link, the linker's link.
lib="$prefix/lib"
[[ -L $lib/libnps.so.$abi && $(readlink "$lib/libnps.so.$abi") == "libnps.so.$version" ]] ||
    fail "lib/libnps.so.$abi is not a link to libnps.so.$version"
[[ -L $lib/libnps.so && $(readlink "$lib/libnps.so") == "libnps.so.$abi" ]] ||
    fail "lib/libnps.so is not a link to libnps.so.$abi"
soname=$(readelf_d "$lib/libnps.so.$version" SONAME)
[[ $soname == "libnps.so.$abi" ]] ||
    fail "libnps.so.$version has SONAME '$soname', not libnps.so.$abi"

# Out of the repository: only the installed files are visible.
cp "$root/examples/c/callbacks.c" "$tmp/"
cd "$tmp"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists nps || fail "pkg-config does not find nps in $PKG_CONFIG_PATH"
[[ $(pkg-config --modversion nps) == "$version" ]] ||
    fail "nps.pc has version $(pkg-config --modversion nps), not the workspace's $version"
# shellcheck disable=SC2046 # the flags are words
cc callbacks.c $(pkg-config --cflags --libs nps) -o callbacks_pc || fail "cc with pkg-config"
cc -I"$prefix/include" callbacks.c -L"$prefix/lib" -lnps -o callbacks_plain || fail "plain cc"
for bin in callbacks_pc callbacks_plain; do
    needed=$(readelf_d "$bin" NEEDED | grep '^libnps' || true)
    [[ $needed == "libnps.so.$abi" ]] || fail "$bin NEEDS '$needed', not libnps.so.$abi"
done

export LD_LIBRARY_PATH="$prefix/lib"
data="$root/examples/data"
for bin in callbacks_pc callbacks_plain; do
    valgrind "${valgrind_flags[@]}" "./$bin" "$data/tnps_yesterday.csv" "$data/alert_policy.json" \
        >"$bin.out" || fail "$bin under valgrind (exit $?)"
done
cmp -s callbacks_pc.out callbacks_plain.out || fail "the two builds print different output"
# With the runtime files only (what a runtime package ships: no libnps.so, no headers), the
# same output.
mkdir runtime
cp -P "$lib/libnps.so.$version" "$lib/libnps.so.$abi" runtime/
LD_LIBRARY_PATH="$tmp/runtime" ./callbacks_plain "$data/tnps_yesterday.csv" \
    "$data/alert_policy.json" >runtime.out || fail "callbacks_plain with the runtime files only"
cmp -s runtime.out callbacks_plain.out || fail "the runtime files alone print different output"
out=callbacks_pc.out

# The touchpoint table: 14 touchpoints and the total; claim.app_upload with a negative NPS.
grep -q "^Yesterday's tNPS by touchpoint (400 responses" "$out" || fail "no table of 400 responses"
nps=$(awk '$1 == "claim.app_upload" && NF >= 5 { print $3; exit }' "$out")
[[ -n $nps ]] || fail "claim.app_upload is not in the touchpoint table"
awk -v x="$nps" 'BEGIN { exit !(x < 0) }' || fail "claim.app_upload has NPS $nps, not a low one"
[[ $(awk '$1 ~ /^[a-z]+\.[a-z_]+$/ && $2 ~ /^[0-9]+$/' "$out" | wc -l) -eq 14 ]] ||
    fail "the table does not list the 14 touchpoints"

# The queue: not empty, most urgent first, the app-upload failures called back by the digital
# channel team within 4 hours, every line with an ISO UTC due time.
alerts=$(sed -n 's/^Call-back queue (回访): \([0-9]*\) alerts.*/\1/p' "$out")
[[ -n $alerts && $alerts -gt 0 ]] || fail "the call-back queue is empty"
lines=$(grep -cE '^  P[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ' "$out")
[[ $lines -eq $alerts ]] || fail "$alerts alerts announced, $lines queue lines printed"
grep -E '^  P' "$out" | awk '{ p = substr($1, 2) + 0; if (p < last) exit 1; last = p }' ||
    fail "the queue is not sorted by priority"
upload=$(grep -E '^  P2 .*数字渠道部 .*claim\.app_upload .*upload_failure' "$out" | wc -l)
[[ $upload -ge 1 ]] || fail "no priority-2 upload_failure call-back on claim.app_upload"

# A harder export of the same kind: BOM, CRLF, columns reordered plus one the reader ignores,
# a quoted comment with a comma, doubled quotes and a line break.
printf '\xEF\xBB\xBFcustomer,at,score,touchpoint,previous,value,comment,agent\r\n' >hard.csv
printf 'C900,1740816041,2,claim.app_upload,,9000,"App上传失败, 客服说""请稍后\r\n再试""",A7\r\n' >>hard.csv
printf 'C901,1740816100,10,service.chat,,,,A8\r\n' >>hard.csv
printf '"C902",1740816200,5,"renewal.letter",10,1200,"",A9\r\n' >>hard.csv
valgrind "${valgrind_flags[@]}" ./callbacks_plain hard.csv "$data/alert_policy.json" >hard.out ||
    fail "callbacks on hard.csv (exit $?)"
grep -q '^Call-back queue (回访): 2 alerts' hard.out || fail "hard.csv: not 2 alerts"
grep -qE '^  P2 .*数字渠道部 +C900 +claim\.app_upload +2  upload_failure,app_error,high_value_detractor,claim_detractor 「App上传失败, 客服说"请稍后' hard.out ||
    fail "hard.csv: C900's call-back is wrong"
grep -qE '^  P2 .*续保部 +C902 +renewal\.letter +5  score_drop,renewal_detractor$' hard.out ||
    fail "hard.csv: C902's call-back is wrong"

# A broken export: refused with the line at fault, no leak on the way out.
printf 'at,customer,touchpoint,score,previous,value,comment\n1,C1,app,3,,,"never closed\n' >broken.csv
status=0
valgrind "${valgrind_flags[@]}" --error-exitcode=99 ./callbacks_plain broken.csv \
    "$data/alert_policy.json" >broken.out 2>broken.err || status=$?
[[ $status -eq 1 ]] || fail "broken.csv: exit $status, not 1"
grep -q 'broken.csv:2: a quoted field is not closed' broken.err || fail "broken.csv: $(cat broken.err)"

echo "installed under $prefix: pkg-config and plain builds agree; $alerts call-backs; claim.app_upload NPS $nps"
