#!/bin/sh
# Bytes a second the terminal UI sends to the terminal, with the face
# preview at several preview_fps settings and off, on the fake app's moving
# synthetic camera (15 frames/s, sensor noise, emotion bars moving every
# frame; tests/ui/fake_app.c). The UI runs in a
# private tmux server; pipe-pane copies everything it writes to the pty into
# a file, counted over SECONDS (default 10) after a 2 s warm-up.
# Usage: ui-bandwidth.sh [SECONDS]   (make bench runs it)
set -eu
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
FAKE="$top_builddir/tests/ui/ui_fake"
[ -n "$TMUX_BIN" ] || { echo "ui-bandwidth: tmux not found, skipped"; exit 0; }
[ -x "$FAKE" ] || { echo "ui-bandwidth: $FAKE not built (make check builds it), skipped"; exit 0; }
SECS=${1:-10}
T=$(mktemp -d)
N=0
SOCK="bench-$$-0"
tm() { "$TMUX_BIN" -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT

run() { # SIZE FPS [TERM] [LANG]
	local w=${1%x*} h=${1#*x} fps=$2 term=${3:-xterm-256color} lang=${4:-C.UTF-8}
	tm kill-server >/dev/null 2>&1 || true
	N=$((N+1)); SOCK="bench-$$-$N"
	printf 'preview_fps = %s\n' "$fps" > "$T/settings"
	: > "$T/out"
	LC_ALL=C.UTF-8 tm new-session -d -s b -x "$w" -y "$h" \
		"env LANG=$lang LC_ALL=$lang TERM=$term FAKE_FPS=15 FAKE_JITTER=1 '$FAKE' '$T/settings'; sleep 60"
	sleep 2
	tm pipe-pane -t b -o "cat >> '$T/out'"
	sleep "$SECS"
	tm pipe-pane -t b
	local bytes; bytes=$(wc -c < "$T/out")
	printf '%-8s %-15s %-8s %-11s %8d B/s\n' "$1" "$term" "$lang" "$fps" $((bytes / SECS))
	tm send-keys -t b q
	sleep 0.5
}
printf '%-8s %-15s %-8s %-11s %10s\n' size TERM locale preview_fps bytes/s
for fps in 0 2 5 10 15; do run 120x40 "$fps"; done
for fps in 0 5 10; do run 80x24 "$fps"; done
run 120x40 5 linux C
run 120x40 10 linux C
