#!/bin/sh
# doc/emotune.service: systemd accepts it (systemd-analyze verify, with the
# built binary in ExecStart) and it has the restart policy and the signals
# emotune(1) promises (KIOSK MODE).
. "$top_srcdir/tests/lib.sh"
U="$top_srcdir/doc/emotune.service"
ok "the unit is in doc/" test -f "$U"
ok "... restarts on failure" grep -q "^Restart=on-failure$" "$U"
ok "... stops with SIGTERM" grep -q "^KillSignal=SIGTERM$" "$U"
ok "... reloads with SIGHUP" grep -q "^ExecReload=/bin/kill -HUP \$MAINPID$" "$U"
ok "... runs emotune --headless" grep -q "^ExecStart=.*/emotune --headless$" "$U"
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/rt" && chmod 700 "$T/rt"
	sed "s|^ExecStart=[^ ]*|ExecStart=$EMOTUNE|" "$U" > "$T/emotune.service"
	XDG_RUNTIME_DIR="$T/rt" systemd-analyze verify --man=no --user "$T/emotune.service" > "$T/out" 2>&1
	ok "systemd-analyze verify: accepted" test $? = 0
	ok "... without a warning" sh -c '! grep . "$1"' sh "$T/out"
else
	skip "systemd-analyze verify" "no systemd-analyze"
	skip "... without a warning" "no systemd-analyze"
fi
done_testing
