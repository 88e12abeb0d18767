#!/bin/sh
# UI start-up (doc/BENCHMARKS.md, "Start-up and the headless kiosk"): wall
# time from starting `emotune` (the curses UI, --source a still image,
# --audio null, empty library) in a private tmux server (120x40) to the
# first text on the screen, and to the camera preview's "LIVE" (the network
# loaded), polling capture-pane every 10 ms; UI_START_RUNS (3) runs each.
# EMOTUNE_REF=BINARY: the same for another build, in the same run.
set -u
: "${EMOTUNE:?run through make bench}"
command -v tmux >/dev/null 2>&1 || { echo "ui-start: no tmux: skipped"; exit 0; }
T=$(mktemp -d); L="emotune-bench-$$"
trap 'tmux -L "$L" kill-server 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/rt" "$T/m"; chmod 700 "$T/rt"
awk 'BEGIN { printf "P5\n320 240\n255\n"; for (i = 0; i < 320 * 240; i++) printf "%c", 60 + (i % 320) / 4 }' > "$T/still.pgm"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# first BINARY: "T1 T2" ms to the first text and to LIVE (-1: not within 20 s)
first() {
	tmux -L "$L" -f /dev/null kill-server 2>/dev/null
	tmux -L "$L" -f /dev/null new-session -d -x 120 -y 40 "sleep 100"
	t0=$(date +%s%N) a=-1 b=-1
	tmux -L "$L" respawn-pane -k -t 0 "env XDG_RUNTIME_DIR=$T/rt XDG_STATE_HOME=$T/st XDG_CONFIG_HOME=$T/cfg \
		$1 --source file:$T/still.pgm --audio null --music $T/m --db $T/ui.db"
	while [ "$(ms "$t0")" -lt 20000 ]; do
		tmux -L "$L" capture-pane -p -t 0 > "$T/screen"
		[ $a -lt 0 ] && grep -q '[a-z]' "$T/screen" && a=$(ms "$t0")
		grep -q LIVE "$T/screen" && { b=$(ms "$t0"); break; }
		sleep 0.01
	done
	tmux -L "$L" kill-server 2>/dev/null
	echo "$a $b"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for bin in ${EMOTUNE_REF:+"$EMOTUNE_REF"} "$EMOTUNE"; do
	i=0 out=
	while [ $i -lt "${UI_START_RUNS:-3}" ]; do out="$out $(first "$bin" | sed 's/ /\//') ms;"; i=$((i + 1)); done
	echo "$bin: first text / LIVE:$out"
done
