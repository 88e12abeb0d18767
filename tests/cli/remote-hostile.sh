#!/bin/sh
# emotune remote with hostile and unlucky input (issue 16 items 1, 12, 15,
# 16, 17): one request is one request whatever the arguments hold (paths
# travel quoted, other arguments with control bytes are refused); `mood
# auto`; directories and FIFOs given to play-path; something that is not a
# socket where the socket should be; seek past the end of a track.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
make_wavs 2 20
ODD="$T/music/$(printf 'odd\nname\t\001"q\\b\033.wav')"
cp "$T/music/t002.wav" "$ODD"

# Item 16: a regular file where the socket should be. An empty file of
# ours is replaced; one with data in it is left alone and named, by the
# kiosk and by the client.
mkdir -p "$T/rt/emotune"; chmod 700 "$T/rt/emotune"
printf 'notes\n' > "$SOCK"
ok "remote status with a regular file at the socket path fails" exits 1 "$EMOTUNE" remote status
ok "... saying what is in the way" grep -q "emotune: remote: socket $SOCK: a regular file of 6 bytes is in the way, not a socket" "$T/err"
: > "$T/hl.out"; : > "$T/hl.err"
"$EMOTUNE" --headless --no-camera --audio null --music "$T/music" --db "$T/lib.db" >>"$T/hl.out" 2>>"$T/hl.err" &
HL_PID=$!
ok "the kiosk starts anyway" wait_for "$T/hl.out" '"event":"start"'
ok "... and says what is in the way" grep -q "remote control socket $SOCK: a regular file of 6 bytes is in the way, not a socket" "$T/hl.err"
ok "... in its event log too" grep -q '"event":"warning".*a regular file of 6 bytes is in the way' "$T/hl.out"
kill -TERM $HL_PID; wait_hl
is "... the file is left as it was" "$(cat "$SOCK")" notes
rm "$SOCK"; mkdir "$SOCK"
ok "a directory at the socket path is named by the client" exits 1 "$EMOTUNE" remote status
ok "... as a directory" grep -q "socket $SOCK: a directory is in the way" "$T/err"
rmdir "$SOCK"; : > "$SOCK"; : > "$T/hl.out"
ok "an empty file of ours at the socket path is replaced" start_hl
ok "... by the socket" test -S "$SOCK"

# Item 1: a newline inside an argument never starts a second command.
ok "enqueue 'x<newline>quit' is one request (an error)" exits 1 "$EMOTUNE" remote enqueue "$(printf 'x\nquit')"
ok "... naming the path with its control byte escaped" grep -qF 'emotune: remote: x\nquit: No such file or directory' "$T/err"
ok "... the kiosk still runs" exits 0 "$EMOTUNE" remote status
ok "... and logged no stop" sh -c '! grep -q "\"event\":\"stop\"" "$1"' sh "$T/hl.out"
is "volume before" "$(st volume)" 100
ok "play-path 'a<newline>volume 5' is one request (an error)" exits 1 "$EMOTUNE" remote play-path "$(printf 'a\nvolume 5')"
is "... volume unchanged" "$(st volume)" 100
ok "seek '5<newline>quit' is refused by the client" exits 2 "$EMOTUNE" remote seek "$(printf '5\nquit')"
ok "... naming the control character" grep -q "argument 1 contains a control character (0x0a)" "$T/err"
ok "... the kiosk still runs" exits 0 "$EMOTUNE" remote status

# Every control byte in a path (as the client quotes it) and raw in a word
# (but the newline, which ends a request), straight on the socket: one error
# answer each, nothing else run. (The client's side of each byte:
# tests/unit/test_remote, cmd_quoting.)
ok "each control byte in a path or a word: one error answer, nothing run" python3 - "$SOCK" "$T" <<'PY'
import os, socket, sys
bad = []
for b in list(range(1, 32)) + [127]:
    reqs = [b'enqueue "%s/none\\x%02xquit"' % (os.fsencode(sys.argv[2]), b)]
    if b != 10:  # a raw newline ends the request: the client refuses it
        reqs.append(b"volume 5" + bytes([b]) + b"quit")
    for req in reqs:
        s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
        s.sendall(req + b"\n"); s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            d = s.recv(65536)
            if not d: break
            data += d
        if data.count(b"\n") != 1 or not data.startswith(b"error: "):
            bad.append((b, req, data))
print(bad)
sys.exit(1 if bad else 0)
PY
for b in 015 033 177; do
	c=$(printf "\\$b")
	ok "client: enqueue with byte \\$b in the path is one request" exits 1 "$EMOTUNE" remote enqueue "$T/none${c}quit"
done
is "... volume unchanged, the kiosk running" "$(st volume)" 100

# File names with any byte work.
ok "enqueue a file whose name has a newline, tab, quote, backslash, ESC" exits 0 "$EMOTUNE" remote enqueue "$ODD"
ok "play-path that file" exits 0 "$EMOTUNE" remote play-path "$ODD"
is "... it is the current track (control bytes shown as ?)" "$(st_until track "$(printf '%s' "$ODD" | tr '\n\t\001\033' '????')")" "$(printf '%s' "$ODD" | tr '\n\t\001\033' '????')"

# The quoting on the socket itself (another client than emotune's).
# raw TEXT: sends TEXT and a newline as they are (printf escapes already
# applied by the caller), prints the whole answer.
raw() {
	python3 - "$SOCK" "$1" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(os.fsencode(sys.argv[2]) + b"\n")
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    d = s.recv(65536)
    if not d: break
    data += d
sys.stdout.write(data.decode("latin-1"))
PY
}
is "raw: a quoted path with an escaped newline is one request" "$(raw 'enqueue "x\nquit"')" 'error: x\nquit: No such file or directory'
is "raw: unterminated quote" "$(raw 'enqueue "abc')" "error: enqueue: missing closing quote"
is "raw: \\x00 refused" "$(raw 'enqueue "a\x00b"')" 'error: enqueue: \x00: a path cannot contain NUL'
is "raw: text after the quote" "$(raw 'enqueue "a" b')" "error: enqueue: text after the closing quote"
is "raw: unknown escape" "$(raw 'enqueue "a\qb"')" 'error: enqueue: unknown escape in quoted path (\\ \" \n \t \r \xHH)'
is "raw: an unquoted path is the rest of the line" "$(raw 'enqueue /no such  ')" "error: /no such: No such file or directory"
is "raw: two lines are two requests, answered in order" "$(raw "$(printf 'volume 40\nvolume +2')" | tr '\n' ' ')" "ok ok "
is "... both ran" "$(st volume)" 42

# Item 15: directories and FIFOs given as files.
mkfifo "$T/fifo.wav"
ok "play-path DIR is refused" exits 1 "$EMOTUNE" remote play-path "$T/music"
ok "... with 'is a directory'" grep -q "emotune: remote: $T/music: is a directory" "$T/err"
ok "enqueue FIFO is refused" exits 1 "$EMOTUNE" remote enqueue "$T/fifo.wav"
ok "... with 'not a regular file'" grep -q "emotune: remote: $T/fifo.wav: not a regular file" "$T/err"

# Item 12: mood auto.
ok "mood happy" exits 0 "$EMOTUNE" remote mood happy
is "... set by hand" "$(st mood_source)" manual
ok "mood auto is accepted" exits 0 "$EMOTUNE" remote mood auto
is "... back to the camera" "$(st mood_source)" camera
ok "the help lists mood auto and auto" sh -c '"$EMOTUNE" remote --help | grep -q "mood auto|auto"'
ok "an unknown emotion's error lists auto" exits 1 "$EMOTUNE" remote mood glad
ok "... too" grep -q "surprise, or auto" "$T/err"

# Item 17: seek past the end of a 20 s track: an error, and it stays.
ok "play-path a 20 s track" exits 0 "$EMOTUNE" remote play-path "$T/music/t001.wav"
is "... current" "$(st_until track "$T/music/t001.wav")" "$T/music/t001.wav"
is "... its duration is known" "$(st_until duration 20.0)" 20.0
ok "seek 25 is an error" exits 1 "$EMOTUNE" remote seek 25
ok "... saying why" grep -q "emotune: remote: seek: 25.0 s is past the end of the track (20.0 s)" "$T/err"
ok "seek +30 is an error" exits 1 "$EMOTUNE" remote seek +30
sleep 0.5
is "... still on the track" "$(st track)" "$T/music/t001.wav"
ok "seek 10 works" exits 0 "$EMOTUNE" remote seek 10
"$EMOTUNE" remote status > "$T/st"
ok "... position 10 s or later, same track" sh -c 'grep -q "^track=$2\$" "$1" && awk -F= "/^position=/ { exit !(\$2 >= 10 && \$2 < 20) }" "$1"' sh "$T/st" "$T/music/t001.wav"

ok "quit" exits 0 "$EMOTUNE" remote quit
wait_hl; rc=$?
is "quit: exit status 0" "$rc" 0
done_testing
