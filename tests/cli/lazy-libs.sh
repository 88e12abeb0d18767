#!/bin/sh
# Commands that run no network and analyse no audio never map libdarknet
# (OpenCV), OpenBLAS or libaubio (FFmpeg): src/emotion/dn.c and src/library/analysis.c open
# them with dlopen when first needed. A command that runs the network maps
# them and libdarknet's gemm/im2col_cpu/col2im_cpu still bind to ours.
. "$top_srcdir/tests/lib.sh"

# libs CMD...: the files the dynamic loader opened for CMD (LD_DEBUG=files).
libs() { LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" "$@" >/dev/null 2>&1; cat "$T"/ld.* 2>/dev/null; rm -f "$T"/ld.*; }
heavy='libdarknet\|libopenblas\|libaubio\|libopencv\|libavcodec'
export XDG_RUNTIME_DIR="$T/rt"; mkdir -p "$T/rt"; chmod 700 "$T/rt"

libs "$EMOTUNE" --version > "$T/v"
ok "--version: the loader ran" grep -q "file=" "$T/v"
ok "--version maps none of libdarknet, OpenBLAS, aubio, OpenCV, FFmpeg" sh -c "! grep -q '$heavy' '$T/v'"
libs "$EMOTUNE" remote status > "$T/r"
ok "remote status maps none of them" sh -c "! grep -q '$heavy' '$T/r'"
libs "$EMOTUNE" tracks --db "$T/lib.db" > "$T/t"
ok "tracks maps none of them" sh -c "! grep -q '$heavy' '$T/t'"
libs "$EMOTUNE" --help > "$T/h"
ok "--help maps none of them" sh -c "! grep -q '$heavy' '$T/h'"

# The network still runs, through our kernels.
awk 'BEGIN { printf "P5\n48 48\n255\n"; for (i = 0; i < 48 * 48; i++) printf "%c", 40 + (i * 7) % 180 }' > "$T/face.pgm"
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$T/ld" "$EMOTUNE" classify --no-detect "$T/face.pgm" > "$T/out" 2>/dev/null
ok "classify runs" grep -q "face.pgm" "$T/out"
cat "$T"/ld.* > "$T/b" 2>/dev/null; rm -f "$T"/ld.*
for k in gemm im2col_cpu col2im_cpu; do
	ok "classify: libdarknet's $k binds to the program's" \
		grep -q "libdarknet.so .* to .*/emotune .*symbol \`$k'" "$T/b"
done
done_testing
