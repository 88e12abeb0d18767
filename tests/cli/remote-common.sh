# Helpers for the headless/remote tests (sourced after tests/lib.sh).
# A private runtime dir (socket), state dir (resume) and library per test.
export XDG_RUNTIME_DIR="$T/rt" XDG_STATE_HOME="$T/state" XDG_DATA_HOME="$T/data"
mkdir -p "$T/rt" "$T/music"
chmod 700 "$T/rt"
SOCK="$T/rt/emotune/socket"
HL_PID=

# make_wavs N [SECONDS]: N short sine WAVs in $T/music (t001.wav ...).
make_wavs() {
	python3 - "$T/music" "$1" "${2:-1}" <<'PY'
import math, struct, sys, wave
d, n, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rate = 8000
for i in range(n):
    with wave.open("%s/t%03d.wav" % (d, i + 1), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
        f = 220 + 20 * i
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * f * k / rate)))
                               for k in range(int(rate * secs))))
PY
}

# start_hl [OPTIONS]: emotune --headless in the background; waits until
# it answers on its socket (60 s at most). HL_CAMERA replaces --no-camera
# (e.g. "--source SPEC"); HL_PRELOAD is an LD_PRELOAD for the instance only.
start_hl() {
	env ${HL_PRELOAD:+LD_PRELOAD="$HL_PRELOAD"} \
		"$EMOTUNE" --headless ${HL_CAMERA---no-camera} --audio null --music "$T/music" --db "$T/lib.db" "$@" \
		>>"$T/hl.out" 2>>"$T/hl.err" &
	HL_PID=$!
	i=0
	while ! "$EMOTUNE" remote status >/dev/null 2>&1 && [ $i -lt 600 ]; do
		kill -0 $HL_PID 2>/dev/null || return 1
		sleep 0.1; i=$((i+1))
	done
	"$EMOTUNE" remote status >/dev/null 2>&1
}

# wait_hl: the instance's exit status; kills it after 60 s (a hang fails).
wait_hl() {
	i=0
	while kill -0 $HL_PID 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
	kill -0 $HL_PID 2>/dev/null && { kill -9 $HL_PID; echo "# instance hung: killed" >&2; }
	wait $HL_PID
}

# stop_hl: "quit" through the socket; the exit status of the instance.
stop_hl() {
	"$EMOTUNE" remote quit >/dev/null 2>&1
	wait_hl
}

# wait_for FILE PATTERN: until grep finds PATTERN in FILE (60 s at most).
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
	grep -q "$2" "$1" 2>/dev/null
}

# st KEY: one value of `emotune remote status`.
st() { "$EMOTUNE" remote status | sed -n "s/^$1=//p"; }
# st_above KEY N: until the status KEY is above N (20 s at most)
st_above() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(st "$1")" -gt "$2" ] 2>/dev/null && return 0
		sleep 0.1; i=$((i+1))
	done
	return 1
}
# st_until KEY VALUE: the status KEY once it equals VALUE (commands act
# asynchronously in the player), or its last value after 20 s.
st_until() {
	i=0 v=$(st "$1")
	while [ "$v" != "$2" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); v=$(st "$1"); done
	printf '%s' "$v"
}

cleanup_hl() { [ -n "$HL_PID" ] && kill -9 $HL_PID 2>/dev/null; rm -rf "$T"; }
trap cleanup_hl EXIT
