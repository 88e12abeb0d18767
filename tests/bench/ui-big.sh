#!/bin/sh
# The terminal UI on a 100,000-track index (doc/BENCHMARKS.md, "Headless
# kiosk on a large library"): `emotune --no-camera --audio null` in a
# private tmux server on the synthetic index of tests/bench/big-index.sh;
# once the queue is filled, the library view (key 2) is opened and a search
# typed (/ 7 7, Enter); then the resident memory (VmRSS) and its peak
# (VmHWM). EMOTUNE_REF=BINARY: the same for another build, in the same run.
set -u
: "${EMOTUNE:?run through make bench}"
TMUX_BIN=${TMUX_BIN:-$(command -v tmux)}
[ -x "$TMUX_BIN" ] || { echo "tmux not found: skipped"; exit 0; }
B="$top_builddir/bench-library"
mkdir -p "$B"
PY=${SYS_PYTHON:-python3}
. "$top_srcdir/tests/bench/big-index.sh"
T=$(mktemp -d)
tm() { "$TMUX_BIN" -L "bench-ui-$$" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
measure() {
	rm -rf "$T/rt" "$T/st" "$T/db"*; mkdir -p "$T/rt" "$T/st"; chmod 700 "$T/rt"
	cp "$B/big.db" "$T/db"
	tm kill-server >/dev/null 2>&1
	tm new-session -d -x 120 -y 40 "env XDG_RUNTIME_DIR='$T/rt' XDG_STATE_HOME='$T/st' \
		OPENBLAS_NUM_THREADS=1 TERM=xterm-256color LANG=C.UTF-8 '$1' --no-camera --audio null \
		--music '$B/big' --db '$T/db'; sleep 600"
	i=0 q=""
	while [ $i -lt 600 ]; do
		q=$(XDG_RUNTIME_DIR="$T/rt" "$1" remote status 2>/dev/null | sed -n 's/^queue=//p')
		[ -n "$q" ] && [ "$q" != 0 ] && break
		sleep 0.1; i=$((i + 1))
	done
	pid=$(pgrep -n -f -- "--db $T/db")
	tm send-keys 2; sleep 3
	tm send-keys / 7 7 Enter; sleep 3
	shown=$(tm capture-pane -p | grep -o 'library [0-9(][^─]*' | head -1 | sed 's/ *$//')
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
	tm kill-server >/dev/null 2>&1
	echo "library view open and searched ($shown): resident $((rss / 1024)) MB, peak $((hwm / 1024)) MB"
}
if [ -n "${EMOTUNE_REF:-}" ]; then
	echo "reference ($EMOTUNE_REF):"
	measure "$EMOTUNE_REF"
fi
echo "this build ($EMOTUNE):"
measure "$EMOTUNE"
