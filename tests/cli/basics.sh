#!/bin/sh
# The binary's basics: version, help, usage errors, stubs, settings file.
. "$top_srcdir/tests/lib.sh"

ok "--version prints the version" sh -c '"$EMOTUNE" --version | grep -q "^emotune [0-9]"'
ok "--help lists the commands" sh -c '"$EMOTUNE" --help | grep -q "classify"'
ok "--help exits 0" exits 0 "$EMOTUNE" --help
ok "--help gives every command a summary" sh -c '"$EMOTUNE" --help | sed -n "/^Commands:/,/^$/p" | sed 1d | grep -v "^$" | awk "NF < 2 { bad = 1 } END { exit bad }"'
ok "unknown option exits 2" exits 2 "$EMOTUNE" --no-such-option
ok "unknown command exits 2" exits 2 "$EMOTUNE" no-such-command
for c in detect classify eval train scan tracks train-mood recommend mood cameras play shows remote history playlist; do
	ok "$c --help exits 0 and shows usage" sh -c '"$EMOTUNE" '"$c"' --help | grep -q "^usage: emotune '"$c"'"'
done
printf 'volume = loud\n' > "$T/bad.conf"
ok "bad value in --config file exits 1" exits 1 "$EMOTUNE" --config "$T/bad.conf" --version
ok "... naming file and line" grep -q "bad.conf:1:" "$T/err"
ok "missing --config file exits 1" exits 1 "$EMOTUNE" --config "$T/none.conf" --version
ok "bad --volume value exits 2" exits 2 "$EMOTUNE" --volume x --version
done_testing
