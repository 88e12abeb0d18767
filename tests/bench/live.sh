#!/bin/sh
# Live pipeline benchmark (doc/BENCHMARKS.md, "Live pipeline"):
#  1. end-to-end frames/s at 640x480 with one face (the synthetic `test`
#     face, found by the Haar cascade, classified by the network), one core;
#  2. frame-to-mood latency (the same run);
#  3. CPU use at a live 30 frames/s with one face and with no face.
# Run by `make bench`; needs weights/emotion.weights.
set -u
: "${EMOTUNE:?run through make bench}"
if [ ! -f "${EMOTUNE_DATADIR:-.}/weights/emotion.weights" ]; then
	echo "live: no weights/emotion.weights: skipped"; exit 0
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
one() { if command -v taskset >/dev/null 2>&1; then taskset -c "${BENCH_CPU:-0}" "$@"; else "$@"; fi; }
stats() { tail -1 "$T/err"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
one nice -n 10 "$EMOTUNE" mood --source test:640x480 --frames 300 --stats > /dev/null 2> "$T/err"
echo "one face, 640x480, as fast as possible, 300 frames, one core: $(stats)"
awk 'BEGIN { printf "P5\n640 480\n255\n"; for (i = 0; i < 640 * 480; i++) printf "%c", 60 + (i % 640) / 8 }' > "$T/empty.pgm"
one nice -n 10 "$EMOTUNE" mood --source "file:$T/empty.pgm" --frames 300 --stats > /dev/null 2> "$T/err"
echo "no face, 640x480, as fast as possible, 300 frames, one core: $(stats)"
one nice -n 10 "$EMOTUNE" mood --source test:640x480 --seconds 10 --realtime --stats > /dev/null 2> "$T/err"
echo "one face, live 30 fps, 10 s: $(stats)"
one nice -n 10 "$EMOTUNE" mood --source "file:$T/empty.pgm" --seconds 10 --realtime --stats > /dev/null 2> "$T/err"
echo "no face, live 30 fps, 10 s: $(stats)"
