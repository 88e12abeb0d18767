#!/bin/sh
# Short libFuzzer runs (clang -fsanitize=fuzzer) of the Y4M and PNM readers,
# from a small seed corpus made here. FUZZ_SECONDS (default 10) per reader.
. "$top_srcdir/tests/lib.sh"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang"
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n' > "$T/t.c"
"$CLANG" -fsanitize=fuzzer "$T/t.c" -o "$T/t" 2>/dev/null || skip_all "clang has no libFuzzer"
secs=${FUZZ_SECONDS:-10}
src="$top_srcdir/src"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $SRC_INCLUDES $(pkg-config --cflags stb libv4l2 2>/dev/null)"
libs="$(pkg-config --libs stb libv4l2 2>/dev/null) -lm"
caps="$src/capture/cap.c $src/capture/cap_file.c $src/capture/cap_v4l2.c $src/capture/cap_test.c $src/detect/img.c $src/base/regfile.c $src/base/why.c"

# seeds
mkdir -p "$T/y4m" "$T/pnm"
printf 'YUV4MPEG2 W4 H2 F30:1 C420jpeg\nFRAME\n01234567abcd' > "$T/y4m/a.y4m"
printf 'YUV4MPEG2 W3 H3 F25:1 Ip A1:1 Cmono\nFRAME\n012345678FRAME\n0123' > "$T/y4m/b.y4m"
printf 'YUV4MPEG2 W2 H2 C444 XYSCSS=444\nFRAME Ixx\n0123456789ab' > "$T/y4m/c.y4m"
printf 'YUV4MPEG2 W2 H2 F25:1 C420p10 XYSCSS=420P10\nFRAME\n01234567abcdFRAME\n0123' > "$T/y4m/d.y4m"
printf 'YUV4MPEG2 W2 H1 Cmono16\nFRAME\n\377\377\001\002FRAME\n01' > "$T/y4m/e.y4m"
printf 'P5\n4 2\n255\n01234567' > "$T/pnm/a.pgm"
printf 'P6\n2 1\n255\nabcdef' > "$T/pnm/b.ppm"
printf 'P5 3 1 65535 aabbcc' > "$T/pnm/c.pgm"
printf 'P2\n2 2\n15\n1 2 3 4\n' > "$T/pnm/d.pgm"

for h in y4m pnm; do
	if ! "$CLANG" $flags "$top_srcdir/tests/fuzz/fuzz_$h.c" $caps $libs -o "$T/fuzz_$h" > "$T/cc.$h" 2>&1; then
		skip "fuzz $h reader" "cannot build the harness: $(head -1 "$T/cc.$h")"
		continue
	fi
	ok "fuzz the $h reader for ${secs}s: no crash, leak or UB" \
		"$T/fuzz_$h" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$T/" "$T/$h"
done
done_testing
