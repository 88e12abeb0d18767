#!/bin/sh
# `emotune recommend` and the running program pick alike (issue 15): the
# same library (the 8 demo pieces and 12 tones), the same mood (sad, set
# with the `mood` remote command in a headless instance) and the same plays
# (the track the instance was playing, recorded as played when it stops):
# the instance's 5 auto picks and the command's first 5 are the same tracks
# in the same order, for every strategy.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
cp "$top_srcdir"/music/*.flac "$T/music/"
make_wavs 12 30
ok "the library scanned" "$EMOTUNE" scan --db "$T/clean.db" "$T/music"
PL="$T/data/emotune/playlists"

# ready: the index holds the 20 tracks, the queue is planned, a track is current.
ready() {
	end=$(($(date +%s) + 60))
	while [ "$(date +%s)" -lt $end ]; do
		"$EMOTUNE" remote status > "$T/status" 2>/dev/null
		grep -qx "tracks=20" "$T/status" && grep -qx "queue=[5-9]" "$T/status" &&
			grep -q "^track=." "$T/status" && return 0
		sleep 0.2
	done
	return 1
}

for s in match uplift calm; do
	rm -f "$T/state/emotune/resume" "$T/lib.db"*
	cp "$T/clean.db" "$T/lib.db"   # scanned, no plays or feedback from the last round
	printf 'strategy = %s\n' "$s" > "$T/conf"
	ok "$s: headless starts" start_hl --config "$T/conf"
	ok "$s: library indexed, queue planned, playing" ready
	ok "$s: paused (no track ends during the test)" "$EMOTUNE" remote pause
	ok "$s: mood sad" "$EMOTUNE" remote mood sad
	ok "$s: the queue saved" "$EMOTUNE" remote playlist-save "app-$s"
	ok "$s: stopped (the current track recorded as played)" "$EMOTUNE" remote stop
	ok "$s: quits" stop_hl
	grep -v '^#' "$PL/app-$s.m3u8" | sed 1d > "$T/app"
	"$EMOTUNE" recommend --db "$T/lib.db" --config "$T/conf" --emotion sad -n 5 2>"$T/err" |
		sed 1d | cut -f2 > "$T/cli"
	is "$s: 5 auto picks in the running program" "$(wc -l < "$T/app" | tr -d ' ')" 5
	is "$s: the same picks, in the same order" "$(tr '\n' ' ' < "$T/cli")" "$(tr '\n' ' ' < "$T/app")"
done
done_testing
