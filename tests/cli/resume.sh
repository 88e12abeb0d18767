#!/bin/sh
# Resume: queue, current track and position, volume and strategy come back
# after a clean stop and after kill -9; a damaged resume file is ignored.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
make_wavs 4 30
R="$T/state/emotune/resume"

ok "headless starts" start_hl
ok "enqueue" "$EMOTUNE" remote enqueue "$T/music/t001.wav"
ok "enqueue" "$EMOTUNE" remote enqueue "$T/music/t002.wav"
ok "play-path" "$EMOTUNE" remote play-path "$T/music/t003.wav"
ok "pause" "$EMOTUNE" remote pause
ok "seek 1.5" "$EMOTUNE" remote seek 1.5
ok "volume 30" "$EMOTUNE" remote volume 30
ok "strategy calm" "$EMOTUNE" remote strategy calm
"$EMOTUNE" remote status > "$T/before"
stop_hl; rc=$?
is "clean stop (exit 0, no leak under ASan)" "$rc" 0
ok "resume file written" test -s "$R"
ok "no temporary file left" sh -c "! ls '$T/state/emotune/' | grep -q tmp"

ok "restarts" start_hl
"$EMOTUNE" remote status > "$T/after"
is "track comes back" "$(sed -n 's/^track=//p' "$T/after")" "$T/music/t003.wav"
is "position comes back" "$(sed -n 's/^position=//p' "$T/after")" "1.5"
is "volume comes back" "$(sed -n 's/^volume=//p' "$T/after")" 30
is "strategy comes back" "$(sed -n 's/^strategy=//p' "$T/after")" calm
is "queue length comes back" "$(sed -n 's/^queue=//p' "$T/after")" "$(sed -n 's/^queue=//p' "$T/before")"
ok "next plays the first queued track" "$EMOTUNE" remote next
is "... t001" "$(st track)" "$T/music/t001.wav"

# kill -9: the autosave has the latest state (queue, track, position,
# volume, strategy) and the index and the feedback history lose nothing.
rows() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$T/lib.db" "$1"; }
ok "like" "$EMOTUNE" remote like
ok "dislike" "$EMOTUNE" remote dislike
ok "enqueue" "$EMOTUNE" remote enqueue "$T/music/t004.wav"
ok "pause" "$EMOTUNE" remote pause
ok "seek 2.5" "$EMOTUNE" remote seek 2.5
ok "strategy uplift" "$EMOTUNE" remote strategy uplift
ok "volume 31" "$EMOTUNE" remote volume 31
ok "autosave within seconds" wait_for "$R" "^volume=31$"
"$EMOTUNE" remote status > "$T/before"
tracks=$(rows "SELECT count(*) FROM tracks")
events=$(rows "SELECT count(*) FROM feedback_events")
likes=$(rows "SELECT count(*) FROM feedback_events WHERE kind IN ('like', 'dislike')")
is "the index holds the 4 tracks" "$tracks" 4
is "the like and the dislike are stored" "$likes" 2
kill -9 $HL_PID; wait_hl 2>/dev/null
is "after kill -9: every track row is there" "$(rows "SELECT count(*) FROM tracks")" "$tracks"
is "... every feedback event ($events)" "$(rows "SELECT count(*) FROM feedback_events")" "$events"
ok "restarts after kill -9 (stale socket replaced)" start_hl
"$EMOTUNE" remote status > "$T/after"
for k in track position volume strategy queue; do
	is "$k after kill -9" "$(sed -n "s/^$k=//p" "$T/after")" "$(sed -n "s/^$k=//p" "$T/before")"
done
is "... volume 31" "$(st volume)" 31
is "... strategy uplift" "$(st strategy)" uplift
is "... position 2.5" "$(st position)" 2.5
stop_hl

# A damaged resume file: a warning, defaults, still runs.
printf 'emotune-resume 1\nvolume=999\n' > "$R"
ok "starts with a damaged resume file" start_hl
is "volume is the default" "$(st volume)" 100
ok "the damage is logged" wait_for "$T/hl.out" '"event":"warning".*resume'
stop_hl; rc=$?
is "clean stop" "$rc" 0
done_testing
