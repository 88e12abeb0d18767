#!/bin/sh
# Fuzzes the request parser (app_cmd_parse) with clang's libFuzzer for a
# short run (EMOTUNE_FUZZ_RUNS, default 20000 inputs; EMOTUNE_FUZZ_SECONDS
# bounds it). Skipped where clang cannot build a libFuzzer binary.
. "$top_srcdir/tests/lib.sh"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang for libFuzzer"
plan 3
bin="$T/fuzz_app_cmd"
if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$top_srcdir/src" "$top_srcdir/src/app_cmd.c" "$top_srcdir/src/esc.c" \
	"$top_srcdir/tests/fuzz/fuzz_app_cmd.c" \
	-lm -o "$bin" >"$T/cc.log" 2>&1; then
	sed 's/^/# /' "$T/cc.log" | head -20
	echo "ok 1 - build the fuzzer # SKIP clang cannot link -fsanitize=fuzzer"
	echo "ok 2 - # SKIP"; echo "ok 3 - # SKIP"; exit 0
fi
ok "build the fuzzer" test -x "$bin"
mkdir -p "$T/corpus"
cp "$top_srcdir"/tests/fuzz/corpus-app-cmd/* "$T/corpus/"
runs=${EMOTUNE_FUZZ_RUNS:-20000}
secs=${EMOTUNE_FUZZ_SECONDS:-60}
# The harness is libFuzzer's; the main ASan settings of the suite would
# only get in its way.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
	"$bin" -runs="$runs" -max_total_time="$secs" -max_len=2100 -seed=1 \
	-artifact_prefix="$T/" "$T/corpus" >"$T/fuzz.log" 2>&1
rc=$?
is "fuzzer finds no crash or broken promise in $runs runs" "$rc" 0
[ $rc = 0 ] || { grep -E 'ERROR|SUMMARY|crash-|abort' "$T/fuzz.log" | head -20 | sed 's/^/# /'; }
ok "fuzzer ran" grep -q "Done [0-9]* runs" "$T/fuzz.log"
done_testing
