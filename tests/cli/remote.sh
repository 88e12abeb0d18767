#!/bin/sh
# emotune --headless and emotune remote: every command of the protocol over
# the socket, JSON events, status as key=value and --json, errors, SIGHUP,
# SIGTERM, several clients at once.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
make_wavs 3 30

ok "remote without a running emotune fails" exits 1 "$EMOTUNE" remote status
ok "... saying so" grep -q "no emotune is running" "$T/err"
ok "remote without a command is a usage error" exits 2 "$EMOTUNE" remote

printf 'volume = 70\n' > "$T/conf"
ok "headless starts and opens its socket" start_hl --config "$T/conf"
is "socket is mode 0600" "$(stat -c %a "$SOCK")" 600
is "socket dir is mode 0700" "$(stat -c %a "$T/rt/emotune")" 700
ok "a second instance refuses to start" exits 1 "$EMOTUNE" --headless --no-camera --audio null --music "$T/music" --db "$T/lib2.db"
ok "... naming the reason" grep -q "already running" "$T/err"
ok "start event is JSON" wait_for "$T/hl.out" '"event":"start"'
ok "camera off is logged" wait_for "$T/hl.out" '"event":"camera","state":"off"'

ok "status works" exits 0 "$EMOTUNE" remote status
for k in state mood strategy track position volume; do
	ok "status has $k=" grep -q "^$k=" "$T/out"
done
is "settings file volume applies" "$(st volume)" 70
ok "status --json is one JSON object" sh -c '"$EMOTUNE" remote --json status | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"volume\"]==70 and d[\"strategy\"]==\"match\""'

# Every command of the protocol.
# (once the kiosk plays by itself, so that play below resumes its track and
# the tracks queued by hand stay queued)
is "the kiosk plays its library by itself" "$(st_until state playing)" playing
ok "enqueue a track" exits 0 "$EMOTUNE" remote enqueue "$T/music/t001.wav"
ok "enqueue a second" exits 0 "$EMOTUNE" remote enqueue "$T/music/t002.wav"
ok "play" exits 0 "$EMOTUNE" remote play
ok "... a track is current" sh -c '"$EMOTUNE" remote status | grep -q "^track=.*/music/t00[123].wav$"'
ok "play-path" exits 0 "$EMOTUNE" remote play-path "$T/music/t003.wav"
is "... that track is current" "$(st_until track "$T/music/t003.wav")" "$T/music/t003.wav"
ok "pause" exits 0 "$EMOTUNE" remote pause
is "... paused" "$(st_until state paused)" paused
ok "play again" exits 0 "$EMOTUNE" remote play
ok "seek 0.5" exits 0 "$EMOTUNE" remote seek 0.5
ok "volume -5 (relative)" exits 0 "$EMOTUNE" remote volume -5
ok "seek -1 (relative)" exits 0 "$EMOTUNE" remote seek -1
ok "seek x is an error" exits 1 "$EMOTUNE" remote seek x
ok "next" exits 0 "$EMOTUNE" remote next
is "... moves to the first track queued by hand" "$(st_until track "$T/music/t001.wav")" "$T/music/t001.wav"
ok "prev" exits 0 "$EMOTUNE" remote prev
ok "volume 35" exits 0 "$EMOTUNE" remote volume 35
is "... volume is 35" "$(st volume)" 35
ok "volume 150 is refused" exits 1 "$EMOTUNE" remote volume 150
is "... and changes nothing" "$(st volume)" 35
ok "like" exits 0 "$EMOTUNE" remote like
ok "dislike" exits 0 "$EMOTUNE" remote dislike
ok "mood happy" exits 0 "$EMOTUNE" remote mood happy
is "... mood is happy" "$(st mood)" happy
is "... set by hand" "$(st mood_source)" manual
ok "mood event logged" wait_for "$T/hl.out" '"event":"mood","mood":"happy"'
ok "mood glad is refused" exits 1 "$EMOTUNE" remote mood glad
ok "... with the emotions listed" grep -q "angry disgust fear happy neutral sad surprise" "$T/err"
ok "auto" exits 0 "$EMOTUNE" remote auto
is "... back to the camera" "$(st mood_source)" camera
ok "strategy uplift" exits 0 "$EMOTUNE" remote strategy uplift
is "... strategy is uplift" "$(st strategy)" uplift
ok "strategy silly is refused" exits 1 "$EMOTUNE" remote strategy silly
ok "unknown command is refused" exits 1 "$EMOTUNE" remote frobnicate
ok "... with the reason" grep -q "unknown command 'frobnicate'" "$T/err"

# Several clients at once.
for i in 1 2 3 4 5 6 7 8; do "$EMOTUNE" remote status > "$T/par$i" 2>&1 & done
wait_clients() { for i in 1 2 3 4 5 6 7 8; do grep -q "^strategy=uplift" "$T/par$i" || return 1; done; }
sleep 0.1; i=0; while ! wait_clients && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
ok "8 clients at once all get the status" wait_clients

# SIGHUP re-reads the settings file.
printf 'volume = 12\nstrategy = calm\n' > "$T/conf"
kill -HUP $HL_PID
ok "SIGHUP logs a reload" wait_for "$T/hl.out" '"event":"reload"'
is "... volume from the file" "$(st volume)" 12
is "... strategy from the file" "$(st strategy)" calm
ok "every output line is JSON" python3 -c "
import json,sys
for l in open('$T/hl.out'): json.loads(l)"

# SIGTERM stops cleanly.
kill -TERM $HL_PID
wait_hl; rc=$?
is "SIGTERM: exit status 0" "$rc" 0
ok "... stop event" grep -q '"event":"stop","reason":"SIGTERM"' "$T/hl.out"
ok "... socket removed" test ! -e "$SOCK"
is "nothing unexpected on stderr" "$(grep -v "already running" "$T/hl.err")" ""

# --config with a relative path, started from another directory: SIGHUP
# reads that same file (the path comes from the command line through the
# command context; the reload event names it absolute).
mkdir -p "$T/elsewhere/sub"
printf 'volume = 33\n' > "$T/elsewhere/sub/rel.conf"
: > "$T/hl.out"
export XDG_STATE_HOME="$T/state-rel"   # no resume state: the file's volume applies
here=$(pwd); cd "$T/elsewhere" || exit 1
ok "headless with --config sub/rel.conf from another directory" start_hl --config sub/rel.conf
cd "$here" || exit 1
is "... the file's volume applies" "$(st volume)" 33
printf 'volume = 44\nstrategy = uplift\n' > "$T/elsewhere/sub/rel.conf"
kill -HUP $HL_PID
ok "... SIGHUP logs a reload" wait_for "$T/hl.out" '"event":"reload"'
ok "... naming the file by its absolute path" grep -qF '"event":"reload","settings":"'"$T/elsewhere/sub/rel.conf"'"' "$T/hl.out"
is "... volume from the file" "$(st volume)" 44
is "... strategy from the file" "$(st strategy)" uplift
printf 'volume = 1000\n' > "$T/elsewhere/sub/rel.conf"
kill -HUP $HL_PID
ok "... a refused file is a warning" wait_for "$T/hl.out" '"event":"warning","message":"settings .*rel.conf:1: volume'
is "... the old settings stay" "$(st volume)" 44
kill -TERM $HL_PID
wait_hl; rc=$?
is "... SIGTERM: exit status 0" "$rc" 0
export XDG_STATE_HOME="$T/state"

# With the camera pipeline running (a y4m file source), SIGTERM still
# stops cleanly (library threads do not block signals).
python3 - "$T/faces.y4m" <<'PY'
import sys
f = open(sys.argv[1], "wb")
f.write(b"YUV4MPEG2 W48 H48 F25:1 Ip A1:1 C420jpeg\n")
for k in range(30):
    f.write(b"FRAME\n" + bytes(((i % 48) * 3 + (i // 48) * 2 + k * 7) % 256 for i in range(48 * 48)) + bytes([128]) * 1152)
PY
: > "$T/hl.out"
"$EMOTUNE" --headless --source "file:$T/faces.y4m" --audio null --music "$T/music" --db "$T/lib.db" >>"$T/hl.out" 2>>"$T/hl.err" &
HL_PID=$!
if wait_for "$T/hl.out" '"event":"camera","state":"ok"'; then
	ok "camera ok is logged" true
	# the state is "ok" once the source opens, before the first frame is
	# classified (slow under ThreadSanitizer): wait for the count
	ok "frames are counted in status" st_above frames 0
	kill -TERM $HL_PID
	wait_hl; rc=$?
	is "SIGTERM with the camera running: exit status 0" "$rc" 0
else
	kill -9 $HL_PID; wait_hl
	skip "camera ok is logged" "no camera pipeline: $(grep camera "$T/hl.out" | head -1)"
	skip "frames are counted"; skip "SIGTERM with the camera running"
fi

# quit through the socket
ok "restart" start_hl
ok "quit" exits 0 "$EMOTUNE" remote quit
wait_hl; rc=$?
is "quit: exit status 0" "$rc" 0
done_testing
