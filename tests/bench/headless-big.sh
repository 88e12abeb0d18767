#!/bin/sh
# Headless kiosk on a 100,000-track index (doc/BENCHMARKS.md, "Headless
# kiosk on a large library"): `emotune --headless --no-camera --audio null`
# on the synthetic index of tests/bench/big-index.sh (its folders as the
# music root: the start-up rescan finds nothing changed). Reports the time
# until the queue is filled (`queue=` of `emotune remote status` > 0), and
# the resident memory (VmRSS) and its peak (VmHWM) after
# HEADLESS_BIG_SECONDS (20) of running. EMOTUNE_REF=BINARY: the same for
# another build, in the same run.
set -u
: "${EMOTUNE:?run through make bench}"
secs=${HEADLESS_BIG_SECONDS:-20}
B="$top_builddir/bench-library"
mkdir -p "$B"
PY=${SYS_PYTHON:-python3}
. "$top_srcdir/tests/bench/big-index.sh"
T=$(mktemp -d); pid=; trap 'kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
measure() {
	rm -rf "$T/rt" "$T/st" "$T/db"*; mkdir -p "$T/rt" "$T/st"; chmod 700 "$T/rt"
	cp "$B/big.db" "$T/db"   # the runs must not share feedback or history
	t0=$(date +%s%N)
	XDG_RUNTIME_DIR="$T/rt" XDG_STATE_HOME="$T/st" OPENBLAS_NUM_THREADS=1 \
		"$1" --headless --no-camera --audio null --music "$B/big" --db "$T/db" \
		> "$T/events" 2>&1 &
	pid=$!
	q="" i=0
	while [ $i -lt 600 ]; do
		q=$(XDG_RUNTIME_DIR="$T/rt" "$1" remote status 2>/dev/null | sed -n 's/^queue=//p')
		[ -n "$q" ] && [ "$q" != 0 ] && break
		sleep 0.05; i=$((i + 1))
	done
	fill=$(ms "$t0")
	sleep "$secs"
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
	kill $pid; wait $pid 2>/dev/null
	echo "queue filled after $fill ms ($q entries); after $secs s: resident $((rss / 1024)) MB, peak $((hwm / 1024)) MB"
}
if [ -n "${EMOTUNE_REF:-}" ]; then
	echo "reference ($EMOTUNE_REF):"
	measure "$EMOTUNE_REF"
fi
echo "this build ($EMOTUNE):"
measure "$EMOTUNE"
