#!/bin/sh
# Nothing but curses writes to the terminal while the UI runs (issue 16):
# the libraries' own messages on stderr (libv4l2's mplane plugin on a
# device that is no camera, every retry; mpg123's notes while a damaged MP3
# is scanned) go to $XDG_STATE_HOME/emotune/ui.log, which the status line
# names. stderr is the terminal here, as for a user.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/ui-lib.sh"
U8="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"
mkdir -p "$T/run" "$T/data" "$T/state" "$T/music" && chmod 700 "$T/run"
ISO="XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data"
LOG="$T/state/emotune/ui.log"
# an MP3 of silent frames with junk between them: mpg123 prints
# "Note: Illegal Audio-MPEG-Header ..." while libsndfile decodes it
frames() { for i in $(seq 20); do printf '\377\373\220\144'; head -c 413 /dev/zero; done; }
{ frames; printf 'junk%.0s' $(seq 75); frames; } > "$T/music/bad.mp3"

# the screen shows none of the libraries' lines (those found: on stdout)
no_leak() { ! ui_screen | grep -E "Failed to query|Illegal Audio-MPEG|Note: |Trying to resync"; }

UI_STDERR=tty
# shellcheck disable=SC2086
# (autoplay off: the damaged MP3 played over and over would keep the status line busy)
printf 'autoplay = no\n' >"$T/conf"
ui_start $U8 $ISO -- "$EMOTUNE" --config "$T/conf" --source v4l2:/dev/null --audio null --db "$T/lib.db" --music "$T/music"
ok "the UI starts with v4l2:/dev/null and a damaged MP3" ui_wait "1:queue"
# Until the camera has been retried three times, the MP3 scanned and the
# status line has named the log, the screen never shows what the
# libraries print.
leaked=0 named=0 i=0
while [ $i -lt 300 ]; do
	no_leak >"$T/leak" || { leaked=1; sed 's/^/# /' "$T/leak"; break; }
	ui_screen | grep -q "libraries wrote messages to $LOG" && named=1
	[ $named = 1 ] && [ "$(grep -c "Failed to query video capabilities" "$LOG" 2>/dev/null)" -ge 3 ] &&
		grep -q "Illegal Audio-MPEG-Header" "$LOG" && break
	sleep 0.2; i=$((i+1))
done
ok "... nothing of the libraries' messages on the screen" test $leaked = 0
ok "... libv4l2's went to the log" grep -q "Failed to query video capabilities" "$LOG"
ok "... as did mpg123's" grep -q "Illegal Audio-MPEG-Header" "$LOG"
ok "... the status line named the log" test $named = 1
[ $named = 1 ] || ui_screen | tail -3 | sed 's/^/# /'
# (the MP3 is silence: indexed without a mood, so never queued)
ok "... the scan went on" ui_wait "1 tracks"
ok "... still nothing of them on the screen" no_leak
ui_keys q
ok "q quits" ui_exited

# A FIFO where the log goes: not opened for writing (that would block until
# a reader comes): stderr goes to /dev/null (the status line says so at
# start; other messages may replace it before it is seen here).
rm -f "$LOG"
mkfifo "$LOG"
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --source v4l2:/dev/null --audio null --db "$T/lib.db" --music "$T/music"
ok "a FIFO in place of the log: the UI starts" ui_wait "1:queue"
ok "... the camera is retried" ui_wait "Inappropriate ioctl"
sleep 2
ok "... nothing of the libraries' messages on the screen" no_leak
ui_keys q
ok "... q quits" ui_exited
done_testing
