#!/bin/sh
# The remote-control socket refuses other users: with its default modes
# another user cannot even connect; with the modes opened up by hand the
# server still refuses the connection (SO_PEERCRED) and changes nothing.
# Needs root (to run a client as `nobody` with setpriv).
. "$top_srcdir/tests/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to run a client as another user"
command -v setpriv >/dev/null 2>&1 || skip_all "no setpriv"
id nobody >/dev/null 2>&1 || skip_all "no user nobody"
NOBODY=$(id -u nobody)
. "$top_srcdir/tests/cli/remote-common.sh"
# `nobody` must reach the binary and the runtime dir's parent.
chmod 755 "$T"
as_nobody() {
	setpriv --reuid="$NOBODY" --regid="$(id -g nobody)" --clear-groups \
		env HOME="$T" XDG_CONFIG_HOME="$T/nocfg" XDG_RUNTIME_DIR="$T/rt" "$@"
}
as_nobody "$EMOTUNE" --version >/dev/null 2>&1 || skip_all "user nobody cannot run $EMOTUNE"

plan 9
ok "headless starts" start_hl --volume 44
ok "owner's client is answered" exits 0 "$EMOTUNE" remote status
ok "default modes: another user cannot connect" exits 1 as_nobody "$EMOTUNE" remote volume 1
# Open every permission by hand: the peer credentials check must hold.
chmod 755 "$T/rt" "$T/rt/emotune"
chmod 666 "$SOCK"
ok "modes opened: another user's request is refused" exits 1 as_nobody "$EMOTUNE" remote volume 1
ok "... with permission denied" grep -q "permission denied" "$T/err"
ok "... also a quit" exits 1 as_nobody "$EMOTUNE" remote quit
is "... the volume did not change" "$(st volume)" 44
is "... still running" "$(st state)" stopped
stop_hl; rc=$?
is "owner's quit stops it (exit 0)" "$rc" 0
