#!/bin/sh
# Fuzzes the settings file reader (config_load, config_check) with clang's
# libFuzzer: EMOTUNE_FUZZ_RUNS inputs (default 20000), at most
# EMOTUNE_FUZZ_SECONDS (default 60). The harness checks the reader's
# promises too (tests/fuzz/fuzz_config.c). Skipped where clang cannot build
# a libFuzzer binary.
. "$top_srcdir/tests/lib.sh"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang for libFuzzer"
src="$top_srcdir/src"
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $SRC_INCLUDES \
	"$src/base/config.c" "$src/base/esc.c" "$src/base/regfile.c" "$src/base/vec.c" "$top_srcdir/tests/fuzz/fuzz_config.c" -lm \
	-o "$T/fuzz_config" >"$T/cc.log" 2>&1 ||
	skip_all "clang cannot build a libFuzzer binary: $(head -1 "$T/cc.log")"
plan 2
mkdir -p "$T/seeds"
cp "$top_srcdir"/tests/fuzz/corpus-config/* "$T/seeds/"
# Unknown keys are warned about on stderr: that output goes to the log.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
	"$T/fuzz_config" -runs="${EMOTUNE_FUZZ_RUNS:-20000}" -max_total_time="${EMOTUNE_FUZZ_SECONDS:-60}" \
	-max_len=6000 -seed=1 -artifact_prefix="$T/" "$T/seeds" >"$T/fuzz.log" 2>&1
rc=$?
is "no crash, leak, UB or broken promise" "$rc" 0
[ $rc = 0 ] || grep -E 'ERROR|SUMMARY|crash-|abort|Test unit written' "$T/fuzz.log" | head -20 | sed 's/^/# /'
ok "the fuzzer ran" grep -q "Done [0-9]* runs" "$T/fuzz.log"
