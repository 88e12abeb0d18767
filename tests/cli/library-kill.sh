#!/bin/sh
# kill -9 in the middle of a scan leaves a consistent, usable database; the
# next scan finishes the work.
. "$top_srcdir/tests/lib.sh"
M="$T/music"
mkdir -p "$M/a" "$M/b" "$M/c"
for d in a b c; do cp "$top_srcdir"/music/*.flac "$M/$d/"; done
total=24
integrity() {
	if command -v sqlite3 >/dev/null 2>&1; then
		[ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ]
	else
		"$EMOTUNE" tracks --db "$1" >/dev/null
	fi
}
for delay in 0.05 1.5; do
	DB="$T/kill-$delay.db"
	"$EMOTUNE" scan --db "$DB" --jobs 1 "$M" 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	if [ -f "$DB" ]; then
		ok "killed after ${delay}s: integrity check passes" integrity "$DB"
		ok "... tracks can read it" exits 0 "$EMOTUNE" tracks --db "$DB"
		before=$(tail -n +2 "$T/out" | wc -l | tr -d ' ')
		diag "$before of $total tracks committed before the kill"
	else
		ok "killed after ${delay}s: before the database existed" true
		ok "... nothing to read" true
		before=0
	fi
	ok "... the next scan completes" exits 0 "$EMOTUNE" scan --db "$DB" "$M"
	ok "... analysing only what was missing" grep -q "^scan: $total files: $((total - before)) added, 0 updated, $before unchanged" "$T/err"
	is "... all $total tracks" "$("$EMOTUNE" tracks --db "$DB" | tail -n +2 | wc -l | tr -d ' ')" "$total"
done
# Ctrl-C (SIGINT) stops cleanly, keeping the finished work.
DB="$T/int.db"
"$EMOTUNE" scan --db "$DB" --jobs 1 "$M" 2> "$T/int.err" &
pid=$!
# once the first batch is committed (at most 60 s)
i=0
while [ $i -lt 600 ] && ! [ "$("$EMOTUNE" tracks --db "$DB" 2>/dev/null | wc -l)" -gt 1 ]; do
	sleep 0.1; i=$((i+1))
done
kill -INT "$pid"
wait "$pid"
is "SIGINT: exit status 1" "$?" 1
ok "... says the finished work is kept" grep -q "interrupted: finished work kept" "$T/int.err"
kept=$(sed -n 's/^scan: [0-9]* files: \([0-9]*\) added.*/\1/p' "$T/int.err")
is "... what it reports as added is in the database" "$("$EMOTUNE" tracks --db "$DB" | tail -n +2 | wc -l | tr -d ' ')" "$kept"
done_testing
