#!/bin/sh
# Music library benchmarks (doc/BENCHMARKS.md, "Music library"):
#  1. analysis speed on the 700 music4q dev clips, one job (tracks/s, x real time per core)
#  2. the same on full-length tracks (synthesised 3-minute pieces + extremetuxracer's music)
#  3. rescan of a 100,000-track index with nothing changed
#  4. nearest-mood query over those 100,000 tracks
#  5. the mood model's CPU time per track (the shipped weights)
# Run by `make bench`; heavy parts under nice. EMOTUNE_BENCH_SKIP_CLIPS=1 skips 1,
# EMOTUNE_BENCH_SKIP_FULL=1 skips 2.
set -eu
: "${EMOTUNE:?run through make bench}"
B="$top_builddir/bench-library"
mkdir -p "$B"
PY=${SYS_PYTHON:-python3}
audio_s() { "$EMOTUNE" tracks --db "$1" | awk -F'\t' 'NR > 1 { s += $2 } END { printf "%.0f", s }'; }
speed() { # LABEL DB "WALL CPU"
	n=$("$EMOTUNE" tracks --db "$2" | tail -n +2 | wc -l | tr -d ' ')
	a=$(audio_s "$2")
	set -- "$1" "$2" $3
	awk -v l="$1" -v n="$n" -v a="$a" -v t="$3" -v c="${4:-}" 'BEGIN {
		printf "%s: %d tracks, %.0f s of audio in %.1f s wall with 1 job: %.2f tracks/s, %.0fx real time\n", l, n, a, t, n / t, a / t
		if (c != "") printf "  CPU time %.1f s (user+sys): %.3f s a track, %.2f tracks/s and %.0fx real time per core\n", c, c / n, n / c, a / c }'
}
# Prints "WALL CPU" seconds of "$@" (CPU: user+sys of the command, from GNU
# time where installed: it does not depend on the machine's load as wall does).
timed() {
	t0=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then /usr/bin/time -f "%U %S" -o "$B/cpu" "$@"; else "$@"; : > "$B/cpu"; fi
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" '{ c = $1 + $2 } END { printf "%.2f %s", b - a, (c == "" ? "" : sprintf("%.2f", c)) }' "$B/cpu"
}

# 1. dev clips
TAR="${EMOTUNE_SHARED:-}/datasets/music4q/clips.tar"
if [ "${EMOTUNE_BENCH_SKIP_CLIPS:-0}" != 1 ] && [ -f "$TAR" ]; then
	[ -d "$B/music4q/Q4" ] || { mkdir -p "$B/music4q" && tar -xf "$TAR" -C "$B/music4q"; }
	rm -f "$B/clips.db"*
	t=$(timed nice -n 10 "$EMOTUNE" scan --jobs 1 --db "$B/clips.db" "$B/music4q" 2>/dev/null)
	speed "dev clips (Ogg Opus, 30 s)" "$B/clips.db" "$t"
else
	echo "dev clips: skipped (EMOTUNE_BENCH_SKIP_CLIPS=1 or no $TAR)"
fi

# 2. full-length tracks
if [ "${EMOTUNE_BENCH_SKIP_FULL:-0}" != 1 ]; then
rm -rf "$B/full" "$B/full.db"*
mkdir -p "$B/full"
"$top_builddir/tools/synth" "$B/full" 180
[ -d /usr/share/games/etr/music ] && cp /usr/share/games/etr/music/*.ogg "$B/full/"
t=$(timed nice -n 10 "$EMOTUNE" scan --jobs 1 --db "$B/full.db" "$B/full" 2>/dev/null)
speed "full-length tracks (FLAC 3 min + Ogg Vorbis)" "$B/full.db" "$t"
fi

# 3. a synthetic 100k-track index (tests/bench/big-index.sh)
. "$top_srcdir/tests/bench/big-index.sh"
"$EMOTUNE" scan --db "$B/big.db" "$B/big" 2>/dev/null   # warm the page cache
t=$(timed "$EMOTUNE" scan --db "$B/big.db" "$B/big" 2> "$B/big.err")
echo "rescan of a 100,000-track index, nothing changed: wall and CPU $t s ($(tail -1 "$B/big.err"))"

# 4. nearest-mood query
"$top_builddir/tests/bench/bench_nearest" "$B/big.db" 200 50
# 5. the mood model per track
"$top_builddir/tests/bench/bench_musicmood" "$top_srcdir/weights/music_mood.weights" \
	"$top_srcdir/weights/music_mood.norm" 2000
