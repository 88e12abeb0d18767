#!/bin/sh
# Start-up cost of the commands that run no network (doc/BENCHMARKS.md,
# "Start-up"): wall time (the runs' total by the clock, GNU time's own
# start included: its %e counts in 10 ms steps), CPU time and peak
# resident memory (GNU time) of
# `emotune --version`, `emotune remote status` (no server: it answers that
# none runs) and `emotune tracks` on an empty index, mean of STARTUP_RUNS
# (20) runs each, and the shared libraries mapped (LD_DEBUG=files); the
# same for /bin/true as the floor of the machine (its load) at that time.
# EMOTUNE_REF=BINARY: the same for another build, in the same run.
set -u
: "${EMOTUNE:?run through make bench}"
[ -x /usr/bin/time ] || { echo "startup: no /usr/bin/time: skipped"; exit 0; }
runs=${STARTUP_RUNS:-20}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export XDG_RUNTIME_DIR="$T/rt"; mkdir -p "$T/rt"; chmod 700 "$T/rt"
one() { # BINARY ARGS...: "wall_ms cpu_ms max_rss_kb libs"
	b=$1; shift
	: > "$T/times"
	i=0 t0=$(date +%s%N)
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -q -a -o "$T/times" -f "%e %U %S %M" "$b" "$@" >/dev/null 2>&1
		i=$((i + 1))
	done
	t1=$(date +%s%N)
	LD_DEBUG=files "$b" "$@" 2>&1 >/dev/null | grep -c 'file=.*\[0\];  needed by\|file=.*dynamically loaded' > "$T/libs"
	awk -v libs="$(cat "$T/libs")" -v ns="$((t1 - t0))" '{ c += $2 + $3; if ($4 > m) m = $4 }
		END { printf "%6.1f ms wall %5.1f ms CPU %6.1f MB RSS %4d libraries", ns / 1e6 / NR, 1000 * c / NR, m / 1024, libs }' "$T/times"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); mean of $runs runs"
echo "floor, /bin/true: $(one /bin/true)"
for b in ${EMOTUNE_REF:+"$EMOTUNE_REF"} "$EMOTUNE"; do
	echo "$b:"
	echo "  --version      $(one "$b" --version)"
	echo "  remote status  $(one "$b" remote status)"
	echo "  tracks         $(one "$b" tracks --db "$T/lib.db")"
done
