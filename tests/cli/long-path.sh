#!/bin/sh
# Long paths (issue 18, "Real files"): a track about 3,000 bytes deep (30
# nested folders, each name under 255 bytes) is indexed and listed whole by
# `tracks`, picked by mood and played by the headless kiosk (remote status
# and the track_start event name it whole), queued by hand through the
# remote socket (a request over 1,024 bytes), saved in and loaded from a
# playlist, named by mood-history rows, comes back after a restart through the resume file, and plays
# with `emotune play`; a path of PATH_MAX bytes or more is refused by name.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
R="$T/state/emotune/resume"
PL="$T/data/emotune/playlists"
d="$T/music"
for i in $(seq 10 39); do d="$d/$(printf 'd%.0s' $(seq 98))$i"; done
P="$d/deep.flac"
mkdir -p "$d" && cp "$top_srcdir/music/q4-still-lake.flac" "$P"
n=$(printf '%s' "$P" | wc -c)
ok "the path is over 3,000 bytes ($n)" test "$n" -gt 3000

ok "scan indexes it" exits 0 "$EMOTUNE" scan --db "$T/lib.db" "$T/music"
is "tracks lists it whole" "$("$EMOTUNE" tracks --db "$T/lib.db" | tail -n +2 | cut -f1)" "$P"

ok "headless starts" start_hl
ok "mood neutral" "$EMOTUNE" remote mood neutral
ok "play: picked by mood" exits 0 "$EMOTUNE" remote play
is "remote status names it whole" "$(st_until track "$P")" "$P"
ok "the track_start event names it whole" wait_for "$T/hl.out" '"track_start"'
is "... (the JSON's path)" "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("event") == "track_start":
        print(e["path"]); break' "$T/hl.out")" "$P"

ok "enqueue of it (a request over 1,024 bytes) is accepted" exits 0 "$EMOTUNE" remote enqueue "$P"
ok "playlist-save" exits 0 "$EMOTUNE" remote playlist-save long
is "... the saved playlist holds it whole" "$(grep -v '^#' "$PL/long.m3u8" | sort -u)" "$P"
saved=$(grep -vc '^#' "$PL/long.m3u8")
ok "playlist-load" exits 0 "$EMOTUNE" remote playlist-load long
is "... loads every entry ($saved)" "$(sed -n 's/^tracks=//p' "$T/out")" "$saved"
is "... no entry missing" "$(sed -n 's/^missing=//p' "$T/out")" 0
ok "next plays the queued entry" exits 0 "$EMOTUNE" remote next
is "... still whole" "$(st_until track "$P")" "$P"
ok "a mood change while it plays" exits 0 "$EMOTUNE" remote mood happy
is "the mood-history row names it whole" "$("$EMOTUNE" remote history 1 | tail -1 | cut -f8)" "$P"

ok "a long path that is not there: refused" exits 1 "$EMOTUNE" remote play-path "$d/gone.flac"
ok "... naming it whole" grep -qF "$d/gone.flac" "$T/err"
big="$T/$(printf 'x%.0s' $(seq 5000))"
ok "a path over PATH_MAX: refused" exits 1 "$EMOTUNE" remote enqueue "$big"
ok "... as too long" grep -q "path too long (5.* bytes; at most 4095)" "$T/err"
ok "the instance still answers" exits 0 "$EMOTUNE" remote status

ok "pause" "$EMOTUNE" remote pause
stop_hl; rc=$?
is "clean stop" "$rc" 0
ok "the resume file holds it whole" grep -qxF "current=$P" "$R"
ok "restarts" start_hl
is "it comes back after the restart" "$(st track)" "$P"
stop_hl

ok "emotune play plays it" exits 0 timeout 120 "$EMOTUNE" play --audio null "$P"
done_testing
