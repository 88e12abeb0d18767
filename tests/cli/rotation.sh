#!/bin/sh
# Skipping through the demo library (8 tracks) with `next`, 10 times, for
# every strategy, through `emotune remote` (headless) and through the
# terminal UI's `n` key: the first 8 tracks all differ, then the least
# recently played come back in the order they were played, and no track
# ever follows itself.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
# Each demo piece played 6 times over (2 minutes): while `emotune remote`
# is slow (a loaded machine) no track ends by itself between two skips,
# which would take a track out of the sequence seen.
for f in "$top_srcdir"/music/*.flac; do sox "$f" "$T/music/${f##*/}" repeat 5; done
# Not scanned beforehand: the first instance scans the music itself, and its
# first picks come from the first tracks analysed (two, say: picks that
# repeat them); when the scan ends they are planned again from all 8.

# ready: the index holds the 8 tracks and the queue is planned.
ready() {
	end=$(($(date +%s) + 60))
	while [ "$(date +%s)" -lt $end ]; do
		"$EMOTUNE" remote status > "$T/status" 2>/dev/null
		grep -qx "tracks=8" "$T/status" && grep -qx "queue=[5-9]" "$T/status" && return 0
		sleep 0.2
	done
	return 1
}
# changed OLD: the current track once it differs from OLD (or OLD after
# 20 s). Each `emotune remote` costs about a second here: few of them.
changed() {
	end=$(($(date +%s) + 20)) v=$(st track)
	while [ "$v" = "$1" ] && [ "$(date +%s)" -lt $end ]; do sleep 0.2; v=$(st track); done
	printf '%s' "$v"
}
# check_seq NAME FILE: FILE holds the tracks one a line, in play order.
check_seq() {
	is "$1: 11 tracks seen" "$(wc -l < "$2" | tr -d ' ')" 11
	is "$1: the first 8 differ" "$(head -8 "$2" | sort -u | wc -l | tr -d ' ')" 8
	is "$1: then the least recently played come back" \
		"$(sed -n '9,11p' "$2" | tr '\n' ' ')" "$(sed -n '1,3p' "$2" | tr '\n' ' ')"
	is "$1: never one track twice in a row" "$(uniq -d "$2" | wc -l | tr -d ' ')" 0
}

for s in match uplift calm; do
	rm -f "$T/state/emotune/resume"
	printf 'strategy = %s\n' "$s" > "$T/conf"
	ok "remote $s: headless starts" start_hl --config "$T/conf"
	ok "remote $s: library indexed and queue planned" ready
	cur=$(st track)
	printf '%s\n' "$cur" > "$T/seq"
	for k in 1 2 3 4 5 6 7 8 9 10; do
		"$EMOTUNE" remote next >/dev/null
		cur=$(st track)  # the reply comes once the command has acted
		printf '%s\n' "$cur" >> "$T/seq"
	done
	check_seq "remote $s" "$T/seq"
	ok "remote $s: stops" stop_hl
done

# The same through the UI's keys (its remote server answers status).
[ -n "${TMUX_BIN:-}" ] && [ -x "$TMUX_BIN" ] || { skip "ui: tmux not found"; done_testing; exit 0; }
. "$top_srcdir/tests/cli/ui-lib.sh"
trap 'tm kill-server >/dev/null 2>&1; cleanup_hl' EXIT
for s in match uplift calm; do
	rm -f "$T/state/emotune/resume"
	printf 'strategy = %s\n' "$s" > "$T/conf"
	ui_start LANG=C.UTF-8 TERM=xterm-256color XDG_RUNTIME_DIR="$T/rt" XDG_STATE_HOME="$T/state" \
		XDG_DATA_HOME="$T/data" OPENBLAS_NUM_THREADS=1 -- "$EMOTUNE" --no-camera --audio null \
		--music "$T/music" --db "$T/lib.db" --config "$T/conf"
	ok "ui $s: starts" ui_wait "queue ("
	ok "ui $s: library indexed and queue planned" ready
	cur=$(st track)
	: > "$T/seq"
	for k in 1 2 3 4 5 6 7 8 9 10 11; do
		ui_keys n
		cur=$(changed "$cur")
		printf '%s\n' "$cur" >> "$T/seq"
	done
	check_seq "ui $s" "$T/seq"
	ui_keys q
	ok "ui $s: quits" ui_exited
done
done_testing
