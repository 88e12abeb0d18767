#!/bin/sh
# Only regular files are opened (issue 16, items 2 and 15): a FIFO, a device
# or a directory given where emotune reads a file is refused at once with
# "not a regular file" or "is a directory", never blocks; signals end
# `emotune play` while its output is stuck. Every command runs under a
# timeout, so that a regression fails instead of hanging the suite.
. "$top_srcdir/tests/lib.sh"
export OPENBLAS_NUM_THREADS=1
python3 - "$T" <<'PY'
import math, struct, sys, wave
for n in ("a", "b"):
    with wave.open("%s/%s.wav" % (sys.argv[1], n), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(k / 5))) for k in range(4000)))
with open("%s/face.pgm" % sys.argv[1], "wb") as f:
    f.write(b"P5\n48 48\n255\n" + bytes(range(48)) * 48)
PY
mkfifo "$T/x.flac" "$T/fifo.png" "$T/fifo.conf" "$T/fifo.weights" "$T/fifo.xml" "$T/snd.wav"
mkdir "$T/dir.png" "$T/dir.flac" "$T/frames"
cp "$T/face.pgm" "$T/frames/1.pgm"
mkfifo "$T/frames/2.pgm"
NOTREG="not a regular file"

# within N CMD...: CMD ends within N seconds (killed after that) with output in
# $T/out, $T/err; its status in $T/rc.
within() {
	local s=$1; shift
	timeout -s KILL "$s" "$@" >"$T/out" 2>"$T/err"
	echo $? >"$T/rc"
	[ "$(cat "$T/rc")" != 137 ]
}
rc() { cat "$T/rc"; }
says() { grep -q -- "$1" "$T/err"; }

# play: a FIFO and a directory among the files are skipped, the rest played.
ok "play a.wav FIFO DIR b.wav ends" within 20 "$EMOTUNE" play --audio "wav:$T/o.wav" --no-normalize "$T/a.wav" "$T/x.flac" "$T/dir.flac" "$T/b.wav"
is "... exit 1" "$(rc)" 1
ok "... the FIFO: not a regular file, skipped" says "^emotune: $T/x.flac: $NOTREG, skipped"
ok "... the directory: is a directory, skipped" says "^emotune: $T/dir.flac: is a directory, skipped"
ok "... both files played (8000 16-bit frames and a header)" sh -c 's=$(stat -c %s "$1"); [ "$s" -ge 16000 ] && [ "$s" -lt 16200 ]' sh "$T/o.wav"

# play with an output that blocks (a wav: FIFO nobody reads): SIGTERM and
# SIGINT still end it.
for sig in TERM INT; do
	"$EMOTUNE" play --audio "wav:$T/snd.wav" "$T/a.wav" 2>"$T/err.$sig" &
	pid=$!
	n=0  # until its handler is in place (SigCgt has the signal's bit)
	bit=15; [ $sig = INT ] && bit=2
	while [ $n -lt 600 ]; do
		m=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$pid/status 2>/dev/null)
		[ -n "$m" ] && [ $(( (0x$m >> (bit - 1)) & 1 )) = 1 ] && break
		sleep 0.05; n=$((n+1))
	done
	sleep 0.5
	kill -$sig $pid
	n=0
	while kill -0 $pid 2>/dev/null && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done
	if kill -0 $pid 2>/dev/null; then
		kill -9 $pid; wait $pid
		ok "SIG$sig ends play while its output blocks" false
	else
		wait $pid
		is "SIG$sig ends play while its output blocks (exit 1)" "$?" 1
	fi
	ok "... says interrupted" grep -q "emotune: play: interrupted" "$T/err.$sig"
done

# Images: classify and the file: capture source.
ok "classify FIFO ends" within 20 "$EMOTUNE" classify "$T/fifo.png"
is "... exit 1" "$(rc)" 1
ok "... not a regular file" says "^emotune: $T/fifo.png: $NOTREG"
ok "classify DIR.png ends" within 20 "$EMOTUNE" classify "$T/dir.png"
ok "... is a directory" says "^emotune: $T/dir.png: is a directory"
ok "mood --source file:FIFO ends" within 20 "$EMOTUNE" mood --source "file:$T/fifo.png" --frames 1
is "... exit 1" "$(rc)" 1
ok "... not a regular file" says "$T/fifo.png: $NOTREG"
ok "mood --source file:FOLDER with a FIFO in it ends" within 20 "$EMOTUNE" mood --source "file:$T/frames" --frames 2
is "... exit 0" "$(rc)" 0
ok "... the FIFO not counted among its files" says "folder, 1 files"
ok "... the image read" grep -q '"faces"' "$T/out"

# Models and cascades.
for opt in weights net cascade; do
	ok "classify --$opt FIFO ends" within 20 "$EMOTUNE" classify --$opt "$T/fifo.weights" "$T/face.pgm"
	is "... exit 1" "$(rc)" 1
	ok "... not a regular file" says "^emotune: $T/fifo.weights: $NOTREG"
	ok "classify --$opt DIR ends" within 20 "$EMOTUNE" classify --$opt "$T/frames" "$T/face.pgm"
	ok "... is a directory, naming it" says "^emotune: $T/frames: is a directory"
done

# Settings.
for f in "$T/fifo.conf" /dev/zero; do
	ok "--config $f ends" within 20 "$EMOTUNE" --config "$f" tracks --db "$T/none.db"
	is "... exit 1" "$(rc)" 1
	ok "... not a regular file" says "^emotune: $f: $NOTREG"
done
ok "--config DIR ends" within 20 "$EMOTUNE" --config "$T/frames" tracks --db "$T/none.db"
ok "... is a directory" says "^emotune: $T/frames: is a directory"
# The kiosk's resume file (its own state) as a FIFO: reported, not waited on.
mkdir -p "$T/state/emotune" "$T/rt" "$T/music"; chmod 700 "$T/rt"
mkfifo "$T/state/emotune/resume"
XDG_STATE_HOME="$T/state" XDG_RUNTIME_DIR="$T/rt" XDG_DATA_HOME="$T/data" \
	"$EMOTUNE" --headless --no-camera --audio null --music "$T/music" --db "$T/k.db" >"$T/k.out" 2>"$T/k.err" &
pid=$!
n=0
while ! grep -q '"event":"start"' "$T/k.out" 2>/dev/null && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done
ok "the kiosk starts with a FIFO as its resume file" grep -q '"event":"start"' "$T/k.out"
kill -TERM $pid
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done
kill -0 $pid 2>/dev/null && kill -9 $pid
wait $pid
is "... and stops on SIGTERM (exit 0)" "$?" 0
ok "... saying the resume file is not a regular file" grep -q "resume.*$NOTREG" "$T/k.err" "$T/k.out"
done_testing
