#!/bin/sh
# Runs ../shared/spec/check-cli (the CLI contract) on the built binary and
# reports each of its checks as a TAP test point ("pending" ones as SKIP).
. "$top_srcdir/tests/lib.sh"
cc="${EMOTUNE_SHARED:-}/spec/check-cli"
[ -x "$cc" ] || [ -f "$cc" ] || skip_all "no ../shared/spec/check-cli"
bash "$cc" "$EMOTUNE" > "$T/cc.out" 2>&1
rc=$?
while IFS= read -r line; do
	case "$line" in
	"ok      "*) _t_n=$((_t_n+1)); echo "ok $_t_n - ${line#ok      }" ;;
	"FAIL    "*) _t_n=$((_t_n+1)); echo "not ok $_t_n - ${line#FAIL    }" ;;
	"pending "*) _t_n=$((_t_n+1)); echo "ok $_t_n - ${line#pending } # SKIP not implemented yet" ;;
	*) echo "# $line" ;;
	esac
done < "$T/cc.out"
is "check-cli exit status" "$rc" 0
done_testing
