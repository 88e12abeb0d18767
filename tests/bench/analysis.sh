#!/bin/sh
# Analysis speed on full-length tracks (doc/BENCHMARKS.md, "Full-length
# tracks", issue 18):
#  1. CPU seconds per 4-minute 44.1 kHz stereo track, FLAC (flac), MP3
#     (lame) and M4A/AAC (ffmpeg), made by concatenating eight music4q dev
#     clips (else tools/synth pieces); `scan --jobs 1` of 1 and of N copies,
#     the difference / (N - 1) is the cost of one track (start-up excluded);
#     best of 3 runs, CPU = user+sys (GNU time).
#     EMOTUNE_REF=/path/to/an/older/emotune runs the same with it (ratio).
#  2. time to the first track on an unscanned 1,000-track library (hard
#     links to the FLAC in 100 folders): `emotune --headless --audio null`,
#     seconds from the start to the first track_start event.
#  3. a 10,000-track library's analysis time per core, from 1.
#  4. `--jobs J` scaling (J = EMOTUNE_BENCH_JOBS, else the cores): wall
#     time and CPU per track of `scan --jobs 1` and `--jobs J` of the N
#     copies, FLAC and MP3, best of 2 by wall time.
# Run by `make bench`.
set -eu
: "${EMOTUNE:?run through make bench}"
B="$top_builddir/bench-analysis"
N=${EMOTUNE_BENCH_COPIES:-8}
mkdir -p "$B"
command -v ffmpeg >/dev/null 2>&1 || { echo "analysis bench: ffmpeg not installed, skipped"; exit 0; }
TAR="${EMOTUNE_SHARED:-}/datasets/music4q/clips.tar"
if [ ! -f "$B/full.wav" ]; then
	if [ -f "$TAR" ]; then
		mkdir -p "$B/clips"
		tar -xf "$TAR" -C "$B/clips" Q1
		ls "$B/clips/Q1" | sort | head -8 | sed "s|^|file '$B/clips/Q1/|; s|\$|'|" > "$B/list"
		ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$B/list" -ar 44100 -ac 2 -sample_fmt s16 "$B/full.wav"
	else
		mkdir -p "$B/synth"
		"$top_builddir/tools/synth" "$B/synth" 240
		ffmpeg -nostdin -v error -y -i "$B/synth/q1-sunny-run.flac" -ar 44100 -ac 2 -sample_fmt s16 "$B/full.wav"
	fi
fi
for f in flac mp3 m4a; do
	[ -f "$B/full.$f" ] && continue
	case $f in
	flac) if command -v flac >/dev/null 2>&1; then flac -s -f "$B/full.wav" -o "$B/full.flac"
	      else ffmpeg -nostdin -v error -y -i "$B/full.wav" "$B/full.flac"; fi ;;
	mp3) if command -v lame >/dev/null 2>&1; then lame --quiet -b 192 "$B/full.wav" "$B/full.mp3"
	     else ffmpeg -nostdin -v error -y -i "$B/full.wav" -b:a 192k "$B/full.mp3"; fi ;;
	m4a) ffmpeg -nostdin -v error -y -i "$B/full.wav" -c:a aac -b:a 192k "$B/full.m4a" ;;
	esac
done
# cpu BIN DIR: best CPU seconds (user+sys) of 3 `scan --jobs 1` of DIR
cpu() {
	best=
	for i in 1 2 3; do
		rm -f "$B/t.db" "$B/t.db-wal" "$B/t.db-shm"
		/usr/bin/time -f "%U %S" -o "$B/cpu" "$1" scan --jobs 1 --db "$B/t.db" "$2" 2>/dev/null
		c=$(awk '{ printf "%.3f", $1 + $2 }' "$B/cpu")
		best=$(awk -v a="$best" -v b="$c" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	echo "$best"
}
[ -x /usr/bin/time ] || { echo "analysis bench: GNU time (/usr/bin/time) not installed, skipped"; exit 0; }
echo "analysis of one 4-minute 44.1 kHz stereo track, one job (CPU = user+sys, best of 3; $N copies minus 1 copy):"
for f in flac mp3 m4a; do
	rm -rf "$B/one.$f" "$B/n.$f"
	mkdir -p "$B/one.$f" "$B/n.$f"
	cp "$B/full.$f" "$B/one.$f/t.$f"
	i=0
	while [ $i -lt "$N" ]; do ln "$B/full.$f" "$B/n.$f/t$i.$f"; i=$((i + 1)); done
	for bin in "$EMOTUNE" ${EMOTUNE_REF:-}; do
		c1=$(cpu "$bin" "$B/one.$f")
		cn=$(cpu "$bin" "$B/n.$f")
		got=$("$bin" tracks --db "$B/t.db" 2>/dev/null | tail -n +2 | wc -l | tr -d ' ')
		if [ "$got" != "$N" ]; then
			echo "  $f $bin: $got of $N tracks indexed (format not analysed)"
			continue
		fi
		awk -v f="$f" -v b="$bin" -v c1="$c1" -v cn="$cn" -v n="$N" 'BEGIN {
			t = (cn - c1) / (n - 1)
			printf "  %-4s %s: %.3f s a track, %.2f tracks/s per core (start-up %.2f s); 10,000 tracks: %.0f min per core\n",
				f, b, t, 1 / t, c1 - t, 10000 * t / 60 }'
	done
done

# 4. --jobs J against --jobs 1 on the N copies (wall and CPU, best of 2)
J=${EMOTUNE_BENCH_JOBS:-$(nproc 2>/dev/null || echo 2)}
# wall BIN DIR JOBS: "wall cpu" of the faster of 2 scans
wall() {
	bw=
	for i in 1 2; do
		rm -f "$B/t.db" "$B/t.db-wal" "$B/t.db-shm"
		/usr/bin/time -f "%e %U %S" -o "$B/cpu" "$1" scan --jobs "$3" --db "$B/t.db" "$2" 2>/dev/null
		w=$(awk '{ print $1 }' "$B/cpu")
		c=$(awk '{ printf "%.3f", $2 + $3 }' "$B/cpu")
		if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$w; bc=$c; fi
	done
	echo "$bw $bc"
}
if [ "$J" -gt 1 ]; then
	echo "scan of $N copies, --jobs 1 against --jobs $J ($(nproc 2>/dev/null || echo ?) cores; wall and CPU = user+sys, best of 2 by wall):"
	for f in flac mp3; do
		set -- $(wall "$EMOTUNE" "$B/n.$f" 1) $(wall "$EMOTUNE" "$B/n.$f" "$J")
		awk -v f="$f" -v j="$J" -v n="$N" -v w1="$1" -v c1="$2" -v wj="$3" -v cj="$4" 'BEGIN {
			printf "  %-4s --jobs 1: %.2f s wall, %.3f s CPU a track; --jobs %d: %.2f s wall, %.3f s CPU a track; wall ratio %.2f (ideal %d)\n",
				f, w1, c1 / n, j, wj, cj / n, (wj > 0 ? w1 / wj : 0), j }'
	done
fi

# 2. time to the first track on an unscanned 1,000-track library
L="$B/lib1000"
if [ ! -d "$L/d99" ]; then
	rm -rf "$L"
	d=0
	while [ $d -lt 100 ]; do
		mkdir -p "$L/d$d"
		i=0
		while [ $i -lt 10 ]; do ln "$B/full.flac" "$L/d$d/t$i.flac"; i=$((i + 1)); done
		d=$((d + 1))
	done
fi
H="$B/hl"
rm -rf "$H"
mkdir -p "$H/rt"
chmod 700 "$H/rt"
t0=$(date +%s.%N)
XDG_RUNTIME_DIR="$H/rt" XDG_STATE_HOME="$H/state" XDG_DATA_HOME="$H/data" \
	"$EMOTUNE" --headless --no-camera --audio null --music "$L" --db "$H/lib.db" > "$H/out" 2> "$H/err" &
pid=$!
i=0
while ! grep -q '"event":"track_start"' "$H/out" 2>/dev/null && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
t1=$(date +%s.%N)
XDG_RUNTIME_DIR="$H/rt" "$EMOTUNE" remote status > "$H/status" 2>/dev/null || true
XDG_RUNTIME_DIR="$H/rt" "$EMOTUNE" remote quit > /dev/null 2>&1 || kill $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
awk -v a="$t0" -v b="$t1" -v ok="$(grep -c track_start "$H/out" 2>/dev/null || echo 0)" \
	-v done="$(sed -n 's/^scan_done=//p' "$H/status")" -v tot="$(sed -n 's/^scan_total=//p' "$H/status")" 'BEGIN {
	if (ok > 0) printf "first track on an unscanned 1,000-track library (headless, all cores): %.1f s (scan then at %s/%s)\n", b - a, done, tot
	else printf "first track on an unscanned 1,000-track library: none within 60 s\n" }'
