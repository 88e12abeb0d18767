#!/bin/sh
# Live pipeline benchmark (doc/BENCHMARKS.md, "Live pipeline"): `emotune mood
# --stats` on 640x480 frames, pinned to one core (taskset), nice 10,
# OPENBLAS_NUM_THREADS=1; CPU time per frame (process user+system time / frames).
#  1. the synthetic `test` source (a drawn face, redrawn every frame);
#  2. a 640x480 still image without a face; the same at live 30 fps;
#  3. the four real clips of ../shared/datasets/video/ (converted to 640x480
#     Y4M by ffmpeg: scaled to 640 wide, padded), as fast as possible:
#     CPU per frame, network runs, faces found per frame and the mood
#     switches (frame: mood).
# EMOTUNE_REF=BINARY (e.g. a build of the main branch, which searches the
# whole frame and classifies every face on every frame): each run is made
# with it too, in the same command, with the ratio of CPU per frame and its
# faces per frame and switches beside ours.
set -u
: "${EMOTUNE:?run through make bench}"
if [ ! -f "${EMOTUNE_DATADIR:-.}/weights/emotion.weights" ]; then
	echo "live: no weights/emotion.weights: skipped"; exit 0
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
PY=${SYS_PYTHON:-python3}
one() { if command -v taskset >/dev/null 2>&1; then taskset -c "${BENCH_CPU:-0}" "$@"; else "$@"; fi; }
# run NAME ARGS...: one mood run per binary; prints a line each.
run() {
	name=$1; shift
	for b in ${EMOTUNE_REF:+"$EMOTUNE_REF"} "$EMOTUNE"; do
		one nice -n 10 "$b" mood "$@" --stats > "$T/out.json" 2> "$T/err"
		"$PY" - "$T/out.json" "$(tail -1 "$T/err")" "$name" "${ref_cpu:-}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
st = dict(kv.split("=") for kv in sys.argv[2].split())
cpu = float(st["cpu_ms_per_frame"])
faces = sum(len(r["faces"]) for r in rows) / max(1, len(rows))
sw = " ".join("%d:%s" % (r["frame"], r["mood"]) for r in rows if r["changed"])
ratio = " (%.2f of the reference)" % (cpu / float(sys.argv[4])) if sys.argv[4] else ""
runs = " network runs %s," % st["classified"] if "classified" in st else ""
print("%-28s %6.2f ms CPU/frame%s, %d frames,%s faces/frame %.3f, switches [%s]"
      % (sys.argv[3], cpu, ratio, len(rows), runs, faces, sw))
open(sys.argv[1] + ".cpu", "w").write("%f" % cpu)
PY
		[ -n "${EMOTUNE_REF:-}" ] && [ "$b" = "$EMOTUNE_REF" ] && ref_cpu=$(cat "$T/out.json.cpu") || ref_cpu=
	done
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${EMOTUNE_REF:-}" ] && echo "reference: $EMOTUNE_REF (first line of each pair)"
run "synthetic face, 300 frames" --source test:640x480 --frames 300
awk 'BEGIN { printf "P5\n640 480\n255\n"; for (i = 0; i < 640 * 480; i++) printf "%c", 60 + (i % 640) / 8 }' > "$T/empty.pgm"
run "no face, 300 frames" --source "file:$T/empty.pgm" --frames 300
run "no face, live 30 fps, 12 s" --source "file:$T/empty.pgm" --seconds 12 --realtime
V="${EMOTUNE_SHARED:-}/datasets/video"
if ! command -v ffmpeg >/dev/null 2>&1; then
	echo "live: no ffmpeg: real clips skipped (apt-get install ffmpeg)"
elif [ ! -d "$V" ]; then
	echo "live: no $V: real clips skipped"
else
	for c in single_face no_face noface_face face_noface; do
		f=$(ls "$V/$c".* 2>/dev/null | head -1)
		[ -n "$f" ] || continue
		ffmpeg -v error -y -i "$f" -vf "scale=640:-2,pad=640:480:(ow-iw)/2:(oh-ih)/2,fps=30" \
			-pix_fmt yuv420p -f yuv4mpegpipe "$T/$c.y4m" || continue
		run "$c (real, 640x480)" --source "file:$T/$c.y4m"
		rm -f "$T/$c.y4m"
	done
fi
