#!/bin/sh
# The real `emotune` terminal UI driven in tmux: panes, keys (strategy,
# manual mood, views, search, play, like/dislike, help), no camera, no
# audio device, resizing, clean exit; and, with trained weights and the
# FER2013 set, the bars following the expression of a fixture video.
# Parts that need modules not in this build yet skip, naming what is missing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/ui-lib.sh"
U8="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"
mkdir -p "$T/run" "$T/data" && chmod 700 "$T/run"
# Isolated directories; a fresh resume state for each run (iso).
NISO=0
iso() { NISO=$((NISO+1)); mkdir -p "$T/state$NISO"
	ISO="XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state$NISO XDG_DATA_HOME=$T/data"; }
MUSIC="$top_srcdir/music"
COMMON="--audio null --db $T/lib.db --music $MUSIC"
# ui_has TEXT SECONDS: TEXT appears within SECONDS (quietly).
ui_has() { ui_wait "$1" "$2" >/dev/null; }

ok "not a terminal: exits 1" exits 1 "$EMOTUNE" --no-camera --audio null --db "$T/lib.db" </dev/null
ok "... saying so" grep -q "^emotune: ui: standard input and output must be a terminal" "$T/err"
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --source test $COMMON
ui_has "1:queue" 20 || {
	ui_screen | grep -q "not implemented" && skip_all "the UI needs src/app/app.c and cmd_ui (not in this build)"
}
ok "panes appear: title bar with views" ui_wait "1:queue  2:library  3:films & series"
ok "... the camera indicator" ui_wait_line "CAMERA ON|camera: no picture|camera off"
# Does the app deliver camera frames (vision wired into app.c)?
live=0
ui_has "CAMERA ON" 30 && live=1
ok "... mood bars" ui_wait_line "surprise .*[0-9]+\.[0-9]%"
ok "... queue" ui_wait "queue ("
ok "... status line" ui_wait "norm on"

ui_keys s
ok "s cycles the strategy" ui_wait "strategy: uplift"
ui_keys m
ok "m opens the mood picker" ui_wait "set the mood"
ui_keys 6
ok "... picking sad sets the mood by hand" ui_wait "mood: sad (set by hand"
ok "... and the bars follow" ui_wait_line "sad +.* (100\.0|[4-9][0-9]\.[0-9])%"
ui_keys a
ok "a returns to automatic" ui_wait_gone "set by hand"
ok "emotune remote talks to the running UI" env XDG_RUNTIME_DIR="$T/run" "$EMOTUNE" remote strategy calm
ok "... which shows the change" ui_wait "strategy: calm (s)"

ui_keys 2
ok "2 shows the library" ui_wait "library ("
nmusic=$(ls "$MUSIC" 2>/dev/null | grep -c '\.flac$')
if [ "$nmusic" -gt 0 ] && ui_has "library ($nmusic)" 90; then
	ok "the background scan fills the library" true
	ui_keys / q 1
	ok "/ filters the library as one types" ui_wait "matching \"q1\""
	ui_keys Enter Enter
	if ui_has "▶ " 20; then
		ok "Enter plays the selected track" ui_wait_line "▶ .*[0-9]:[0-9][0-9] / [0-9]"
		ui_keys l
		ok "l likes it" ui_wait_line "lik"
		ui_keys d
		ok "d dislikes it" ui_wait_line "dislik"
		ui_keys n
		ok "n plays the next track" ui_wait_line "▶ "
	else
		skip "play, like, dislike" "the player does not play yet (issue 7 not in this build)"
	fi
	ui_keys / Escape
else
	skip "library scan, search, play" "the library scan does not fill the library yet (issue 6 not in this build)"
fi
ui_keys 3
ok "3 shows films & series" ui_wait "films & series"
ui_keys 1
ui_keys '?'
ok "? shows the key help" ui_wait "keys (bind.KEY = COMMAND"
ui_keys x
ui_resize 40 10
ok "too small: a clear message" ui_wait "terminal too small: 40x10"
ui_resize 120 40
ok "resizing up lays out again" ui_wait "queue ("
ui_keys q
ok "q quits with status 0 and restores the terminal" ui_exited

# No camera; no audio device.
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera $COMMON
ok "--no-camera: the preview says so" ui_wait "camera off"
ok "... and how to pick a mood by hand" ui_wait "press m to pick a mood by hand"
ok "emotune remote quit" env XDG_RUNTIME_DIR="$T/run" "$EMOTUNE" remote quit
ok "... ends the UI cleanly" ui_exited
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --source "v4l2:$T/no-such-camera" $COMMON
ok "a camera that is not there: the status line says how to pick a mood" \
	ui_wait "camera absent: press m to pick a mood by hand"
ui_keys q
ok "... q quits" ui_exited
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera --audio no-such-driver --db "$T/lib.db" --music "$MUSIC"
ok "a bad audio driver: the UI still comes up" ui_wait "queue ("
if ui_has "no-such-driver" 20 || ui_has "audio" 1; then
	ok "... with a message" true
else
	skip "... with a message" "the player does not report audio devices yet (issue 7 not in this build)"
fi
ui_keys s
ok "... and keys still work" ui_wait "strategy: uplift"
ui_keys q
ok "... q quits" ui_exited

# A sound device that goes away mid-play: a wav: FIFO whose reader quits
# after 64 kB. Writes then fail with EPIPE (a device error); SIGPIPE must not
# kill the UI.
iso
mkfifo "$T/snd.wav"
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera --audio "wav:$T/snd.wav" --db "$T/lib.db" --music "$MUSIC"
ok "FIFO sound device: the UI comes up" ui_wait "queue ("
head -c 65536 "$T/snd.wav" > "$T/snd.got" &
reader=$!
env XDG_RUNTIME_DIR="$T/run" "$EMOTUNE" remote play >/dev/null 2>&1
i=0; while kill -0 $reader 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
is "... the reader took 64 kB and went away" "$(stat -c %s "$T/snd.got")" 65536
sleep 1
ui_keys s
ok "... the UI survives the broken pipe (keys still work)" ui_wait "strategy: uplift"
ui_keys q
ok "... q quits" ui_exited
is "... with exit status 0" "$(cat "$T/exit" 2>/dev/null)" 0
kill $reader 2>/dev/null

# A non-UTF-8 locale on the Linux console.
iso
# shellcheck disable=SC2086
ui_start LANG=C LC_ALL=C TERM=linux $ISO -- "$EMOTUNE" --source test $COMMON
ok "C locale, TERM=linux: panes appear" ui_wait "mood:"
ui_keys q
ok "... q quits" ui_exited

# SIGHUP reads the settings file again and applies it, the UI goes on
# (--config with a relative path, started from another directory);
# SIGTERM quits cleanly.
iso
mkdir -p "$T/cwd/sub"
CONF="$T/cwd/sub/ui.conf"
printf 'strategy = uplift\n' > "$CONF"
# shellcheck disable=SC2086
UI_CWD="$T/cwd" ui_start $U8 $ISO -- "$EMOTUNE" --no-camera --config sub/ui.conf $COMMON
ok "--config sub/ui.conf from another directory: the file applies" ui_wait "strategy: uplift"
pid=$(ui_pid)
printf 'strategy = calm\nbind.z = pick-mood\n' > "$CONF"
kill -HUP "$pid"
ok "SIGHUP: the UI reads the same file again" ui_wait "settings read again from $CONF"
ok "... its strategy applies" ui_wait "strategy: calm (s)"
ui_keys z
ok "... and its key bindings" ui_wait "set the mood"
ui_keys Escape
ok "... the UI goes on" ui_wait_gone "set the mood"
printf 'volume = 1000\n' > "$CONF"
kill -HUP "$pid"
ok "SIGHUP with a refused file: the status line says so" ui_wait "settings $CONF:1: volume"
ok "... the old settings stay" ui_wait "strategy: calm (s)"
kill -TERM "$pid"
ok "SIGTERM quits with status 0 and restores the terminal" ui_exited

# Closing the terminal (the pane's tty hangs up) ends the UI.
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera $COMMON
ui_wait "queue (" >/dev/null
pid=$(ui_pid)
tm kill-server >/dev/null 2>&1
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
ok "closing the terminal ends the UI" sh -c '! kill -0 "$1" 2>/dev/null' sh "$pid"
kill -9 "$pid" 2>/dev/null

# The bars follow the expression: a video of one expression, then another.
missing=""
[ -f "$top_srcdir/weights/emotion.weights" ] || missing="$missing weights/emotion.weights (issue 4);"
[ -n "$DATA" ] && [ -f "$DATA/fer2013/fer2013-train-publictest.tar.gz" ] || missing="$missing ../shared/datasets/fer2013;"
[ -n "${SYS_PYTHON:-}" ] && "$SYS_PYTHON" -c "import cv2" 2>/dev/null || missing="$missing python3 with OpenCV;"
[ $live = 1 ] || missing="$missing camera frames in the app (--source test never went live: vision not wired into app.c, issues 5/10);"
if [ -n "$missing" ]; then
	skip "the bars follow the fixture's expression" "missing:$missing"
	done_testing
	exit 0
fi
tar -xzf "$DATA/fer2013/fer2013-train-publictest.tar.gz" -C "$T" validation/happy validation/surprise 2>/dev/null
"$SYS_PYTHON" "$top_srcdir/tests/cli/ui-y4m.py" "$T/faces.y4m" 15 30 \
	"$T/validation/happy" "$T/validation/surprise" "$T/validation/happy" "$T/validation/surprise"
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --source "file:$T/faces.y4m" $COMMON
ok "a face is found in the fixture" ui_wait_line "faces [1-9]" 60
first=$(ui_screen | sed -n 's/.*ranking: \([a-z]*\).*/\1/p' | head -1)
diag "leading emotion at first: $first"
changed=0
i=0
while [ $i -lt 300 ]; do
	now=$(ui_screen | sed -n 's/.*ranking: \([a-z]*\).*/\1/p' | head -1)
	[ -n "$now" ] && [ "$now" != "$first" ] && { changed=1; break; }
	sleep 0.2; i=$((i+1))
done
ok "... the leading emotion changes ($first -> ${now:-?})" test $changed = 1
ui_keys q
ok "... q quits" ui_exited
done_testing
