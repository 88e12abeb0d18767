# Shell test helpers: TAP output for automake's tap-driver.
# Usage in a test:  . "$top_srcdir/tests/lib.sh"; plan N (or plan_lazy); ok COND "name"; ...; done_testing
# Environment (set by Makefile.am): EMOTUNE (the binary), top_srcdir,
# top_builddir, EMOTUNE_SHARED (../shared), SYS_PYTHON (python3 with cv2, may be empty).
set -u
: "${EMOTUNE:?run through make check}"
_t_n=0 _t_planned=
T=$(mktemp -d "${TMPDIR:-/tmp}/emotune-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# The shared datasets, or empty when absent.
DATA=""
[ -d "${EMOTUNE_SHARED:-}/datasets" ] && DATA="$EMOTUNE_SHARED/datasets"
# -I for every area folder of src/ (sources include "x.h" by name), for the
# tests that compile sources themselves (the fuzz harnesses).
SRC_INCLUDES=""
for _d in "$top_srcdir"/src/*/; do SRC_INCLUDES="$SRC_INCLUDES -I${_d%/}"; done

plan() { _t_planned=$1; echo "1..$1"; }
# ok NAME CMD...: runs CMD; passes when it exits 0.
ok() {
	local name=$1; shift
	_t_n=$((_t_n+1))
	if "$@" >"$T/ok.out" 2>&1; then echo "ok $_t_n - $name"
	else echo "not ok $_t_n - $name"; sed 's/^/# /' "$T/ok.out" | head -40; fi
}
# is NAME GOT WANT: passes when the strings are equal.
is() {
	_t_n=$((_t_n+1))
	if [ "$2" = "$3" ]; then echo "ok $_t_n - $1"
	else echo "not ok $_t_n - $1"; echo "#   got:  '$2'"; echo "#   want: '$3'"; fi
}
skip() { _t_n=$((_t_n+1)); echo "ok $_t_n - $1 # SKIP ${2:-}"; }
# skip_all REASON: the whole file is skipped (e.g. no ../shared/datasets).
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
diag() { echo "# $*"; }
done_testing() { [ -n "$_t_planned" ] || echo "1..$_t_n"; }
# exits CODE CMD...: CMD exits with CODE (stdout/stderr in $T/out, $T/err)
exits() { local want=$1; shift; "$@" >"$T/out" 2>"$T/err"; [ $? = "$want" ]; }
