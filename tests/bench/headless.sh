#!/bin/sh
# Headless kiosk CPU (doc/BENCHMARKS.md, "Headless kiosk"): `emotune
# --headless` watching a still 640x480 face image (a frame of
# ../shared/datasets/video/single_face.mp4, taken by ffmpeg) with null
# audio and an empty library, OPENBLAS_NUM_THREADS unset (as users run it).
# CPU use = the process's user+system time (/proc/PID/stat) over
# HEADLESS_BENCH_SECONDS (10) of wall time, after 3 s of start-up, and per
# frame processed (`frames` of `emotune remote status`): on a loaded box the
# share of a core is capped by what the scheduler gives, CPU per frame not.
# EMOTUNE_REF=BINARY: the same measure for another build, in the same run.
set -u
: "${EMOTUNE:?run through make bench}"
secs=${HEADLESS_BENCH_SECONDS:-10}
clip="${EMOTUNE_SHARED:-}/datasets/video/single_face.mp4"
command -v ffmpeg >/dev/null 2>&1 || { echo "headless: no ffmpeg: skipped"; exit 0; }
[ -f "$clip" ] || { echo "headless: no $clip: skipped"; exit 0; }
T=$(mktemp -d); trap 'kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
pid=
ffmpeg -v error -y -i "$clip" -vf "scale=640:-2,pad=640:480:(ow-iw)/2:(oh-ih)/2,select=eq(n\,60)" \
	-frames:v 1 -pix_fmt gray "$T/face.pgm" || exit 1
tick=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
frames() { XDG_RUNTIME_DIR="$T/rt" "$1" remote status | sed -n 's/^frames=//p'; }
# measure BINARY: prints CPU % of one core over the window.
measure() {
	rm -rf "$T/rt" "$T/st" "$T/m"; mkdir -p "$T/rt" "$T/st" "$T/m"; chmod 700 "$T/rt"
	env -u OPENBLAS_NUM_THREADS XDG_RUNTIME_DIR="$T/rt" XDG_STATE_HOME="$T/st" \
		"$1" --headless --source "file:$T/face.pgm" --audio null --music "$T/m" \
		--db "$T/lib.db" > "$T/events" 2>&1 &
	pid=$!
	sleep 3
	f0=$(frames "$1"); c0=$(cpu $pid); t0=$(date +%s.%N)
	sleep "$secs"
	f1=$(frames "$1"); c1=$(cpu $pid); t1=$(date +%s.%N)
	threads=$(ls /proc/$pid/task | wc -l)
	kill $pid; wait $pid 2>/dev/null
	awk -v c="$((c1 - c0))" -v k="$tick" -v a="$t0" -v b="$t1" -v n="$threads" -v f="$((f1 - f0))" \
		'BEGIN { printf "%.1f %% of a core (%.2f s CPU in %.2f s), %d frames, %.2f ms CPU per frame, %d threads\n",
			 100 * c / k / (b - a), c / k, b - a, f, f ? 1000 * c / k / f : 0, n }'
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${EMOTUNE_REF:-}" ] && echo "reference ($EMOTUNE_REF): $(measure "$EMOTUNE_REF")"
echo "emotune --headless, still face, null audio: $(measure "$EMOTUNE")"
