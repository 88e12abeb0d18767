# tmux helpers for the terminal UI tests (sourced after tests/lib.sh).
# Each test file drives one program in a private tmux server
# (`tmux -L test-$$`), in a window of a fixed size, and polls capture-pane
# with generous timeouts: never timing assertions.
[ -n "${TMUX_BIN:-}" ] && [ -x "$TMUX_BIN" ] || skip_all "tmux not found (install the Debian package tmux)"
UI_N=0
UI_SOCK="test-$$-0"
tm() { "$TMUX_BIN" -L "$UI_SOCK" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
# The socket of the running server; each ui_start starts a new one.
# Under ASan everything is slower: scale the timeouts.
UI_WAIT=${UI_WAIT:-30}

# ui_start ENV... -- CMD...: runs CMD in a 120x40 window with ENV set
# (e.g. LANG=C.UTF-8 TERM=xterm-256color); when it exits, its status goes
# to $T/exit and `stty -a` to $T/stty. Its stderr goes to $T/stderr, or
# with UI_STDERR=tty to the terminal like its stdout.
# With UI_CWD set, CMD starts in that directory.
ui_start() {
	local envs="" a
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	printf '%s\n' "#!/bin/sh" "stty -a > '$T/stty.before'" > "$T/run.sh"
	[ -z "${UI_CWD:-}" ] || printf "cd '%s' || exit 1\n" "$UI_CWD" >> "$T/run.sh"
	{ printf 'env%s' "$envs"; for a in "$@"; do printf " '%s'" "$a"; done
	  [ "${UI_STDERR:-}" = tty ] && echo || printf ' 2>"%s"\n' "$T/stderr"
	  printf 'rc=$?; echo "EXIT=$rc"; echo $rc > "%s"\n' "$T/exit"
	  printf 'stty -a > "%s"; exec sleep 600\n' "$T/stty"; } >> "$T/run.sh"
	rm -f "$T/exit" "$T/stty"
	tm kill-server >/dev/null 2>&1
	UI_N=$((UI_N+1)); UI_SOCK="test-$$-$UI_N"
	LC_ALL=C.UTF-8 tm new-session -d -s ui -x 120 -y 40 "sh '$T/run.sh'"
}
# The screen as text.
ui_screen() { tm capture-pane -p -t ui; }
# The screen with its attributes as escape sequences.
ui_screen_e() { tm capture-pane -e -p -t ui; }
# ui_wait TEXT [SECONDS]: waits until TEXT (fixed string) is on the screen.
ui_wait() {
	local i=0 n=$(( ${2:-$UI_WAIT} * 5 ))
	while [ $i -lt $n ]; do
		ui_screen | grep -qF -- "$1" && return 0
		sleep 0.2; i=$((i+1))
	done
	echo "timed out waiting for: $1"; ui_screen | sed 's/^/| /'
	return 1
}
# ui_wait_gone TEXT [SECONDS]
ui_wait_gone() {
	local i=0 n=$(( ${2:-$UI_WAIT} * 5 ))
	while [ $i -lt $n ]; do
		ui_screen | grep -qF -- "$1" || return 0
		sleep 0.2; i=$((i+1))
	done
	echo "still on screen: $1"; ui_screen | sed 's/^/| /'
	return 1
}
# ui_wait_line PATTERN [SECONDS]: a line matching the extended regexp.
ui_wait_line() {
	local i=0 n=$(( ${2:-$UI_WAIT} * 5 ))
	while [ $i -lt $n ]; do
		ui_screen | grep -qE -- "$1" && return 0
		sleep 0.2; i=$((i+1))
	done
	echo "timed out waiting for a line like: $1"; ui_screen | sed 's/^/| /'
	return 1
}
ui_keys() { tm send-keys -t ui "$@"; }
# ui_pid: the process id of the program ui_start started (the child of the
# pane's shell).
ui_pid() { ps -o pid= --ppid "$(tm display -p -t ui '#{pane_pid}')" | tr -d ' ' | head -n 1; }
ui_resize() { tm resize-window -t ui -x "$1" -y "$2"; }
# ui_exited: the program has ended with status 0 and the terminal modes
# (echo, canonical input) are as they were.
ui_exited() {
	local i=0 n=$(( UI_WAIT * 5 ))
	while [ ! -s "$T/stty" ] && [ $i -lt $n ]; do sleep 0.2; i=$((i+1)); done
	[ -s "$T/stty" ] || { echo "still running"; return 1; }
	[ "$(cat "$T/exit")" = 0 ] || { echo "exit status $(cat "$T/exit")"; cat "$T/stderr"; return 1; }
	grep -q -- " icanon" "$T/stty" && grep -q -- " echo " "$T/stty" || { cat "$T/stty"; return 1; }
	# Modes as before (the size may differ after a resize).
	sed 's/rows [0-9]*; columns [0-9]*;//' "$T/stty.before" > "$T/stty.b"
	sed 's/rows [0-9]*; columns [0-9]*;//' "$T/stty" > "$T/stty.a"
	cmp -s "$T/stty.b" "$T/stty.a" || { diff "$T/stty.b" "$T/stty.a"; return 1; }
}
