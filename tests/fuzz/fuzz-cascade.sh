#!/bin/sh
# Fuzzes the cascade XML loader and evaluator with libFuzzer for a short
# while (FUZZ_SECONDS, default 25), seeded from tests/fuzz/corpus and the
# cascades of opencv-data. Skips where clang's libFuzzer is missing.
. "$top_srcdir/tests/lib.sh"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang"
command -v pkg-config >/dev/null 2>&1 || skip_all "no pkg-config"
XML_FLAGS=$(pkg-config --cflags --libs libxml-2.0) || skip_all "no libxml2 development files"
STB_FLAGS=$(pkg-config --cflags --libs stb 2>/dev/null || echo "-I/usr/include/stb -lstb")
plan 2
# shellcheck disable=SC2086
if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$SRC_INCLUDES "$top_srcdir/tests/fuzz/fuzz_cascade.c" "$top_srcdir/src/detect/haar.c" "$top_srcdir/src/detect/haar_load.c" \
	"$top_srcdir/src/detect/img.c" "$top_srcdir/src/base/regfile.c" "$top_srcdir/src/base/vec.c" "$top_srcdir/src/base/why.c" $XML_FLAGS $STB_FLAGS -lm -o "$T/fuzz" 2>"$T/cc.err"; then
	if grep -q -i -e 'fuzzer' -e 'libclang_rt' "$T/cc.err"; then
		skip "build the fuzzer" "no libFuzzer runtime (libclang-rt-14-dev)"
		skip "fuzz run"
		exit 0
	fi
	is "build the fuzzer" "$(cat "$T/cc.err")" ""
	exit 0
fi
is "build the fuzzer" ok ok
mkdir -p "$T/corpus"
cp "$top_srcdir"/tests/fuzz/corpus/*.xml "$T/corpus/"
for f in /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml \
	 /usr/share/opencv4/haarcascades/haarcascade_eye_tree_eyeglasses.xml \
	 /usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml; do
	[ -f "$f" ] && cp "$f" "$T/corpus/"
done
ASAN_OPTIONS=detect_leaks=1 "$T/fuzz" -max_total_time="${FUZZ_SECONDS:-25}" -max_len=16384 \
	-timeout=10 -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$T/" \
	"$T/corpus" >"$T/fuzz.log" 2>&1
rc=$?
grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$T/fuzz.log" | while read -r l; do diag "$l"; done
if [ $rc -ne 0 ]; then
	tail -40 "$T/fuzz.log" | sed 's/^/# /'
	for a in "$T"/crash-* "$T"/leak-* "$T"/timeout-*; do [ -f "$a" ] && diag "reproducer: $(od -c "$a" | head -5)"; done
fi
is "fuzz run without crash, leak or timeout" "$rc" 0
