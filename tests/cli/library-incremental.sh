#!/bin/sh
# Issue 18: on an unscanned library the running program picks and plays
# from what is analysed so far, long before the scan ends, and the analysis
# order spreads over the folders. A slow fake analysis
# (EMOTUNE_TEST_SCAN_DELAY_MS: 400 ms more per file) makes the scan of 40
# files in 8 folders last ~8-16 s; headless, checked through `remote status`
# and the JSON event lines.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
python3 - "$T/music" <<'PY'
import math, struct, sys, wave, os
d = sys.argv[1]
rate = 8000
for a in range(8):
    os.makedirs("%s/album%d" % (d, a))
    for i in range(5):
        with wave.open("%s/album%d/t%d.wav" % (d, a, i), "wb") as w:
            w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
            f = 200 + 37 * a + 11 * i
            w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * f * k / rate)))
                                   for k in range(rate * 3)))
PY
OUT="$T/hl.out"
t0=$(date +%s.%N)
EMOTUNE_TEST_SCAN_DELAY_MS=400 start_hl --jobs 2
ok "headless starts on an unscanned library of 40 files (slow analysis)" kill -0 $HL_PID
# until something plays (20 s at most)
i=0
while [ "$(st state)" != playing ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
t1=$(date +%s.%N)
"$EMOTUNE" remote status > "$T/status"
diag "$(tr '\n' ' ' < "$T/status")"
is "a track plays" "$(sed -n 's/^state=//p' "$T/status")" playing
ok "... within 10 s of the start" awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 10) }'
is "... while the scan is still running" "$(sed -n 's/^scanning=//p' "$T/status")" yes
ok "... with fewer than all 40 files analysed (scan_done < scan_total)" awk -F= '
	/^scan_done=/ { d = $2 } /^scan_total=/ { t = $2 } END { exit !(d < t && t > 0) }' "$T/status"
ok "... and the queue is not empty" awk -F= '/^queue=/ { exit !($2 > 0) }' "$T/status"
ok "the 'picking from the first tracks' event comes before the scan's end" sh -c '
	grep -n "first [0-9]* tracks analysed: picking from them" "$1" | head -1 | cut -d: -f1 > "$1.a"
	grep -n "\"done [0-9]* tracks" "$1" | head -1 | cut -d: -f1 > "$1.b"
	[ -s "$1.a" ] && { [ ! -s "$1.b" ] || [ "$(cat "$1.a")" -lt "$(cat "$1.b")" ]; }' sh "$OUT"
ok "the scan ends (done event)" wait_for "$OUT" '"done 40 tracks'
is "all 40 indexed" "$(st tracks)" 40
ok "stops cleanly" stop_hl
# The order of analysis (row ids are given in commit order): the first 8
# analysed files come from at least 3 of the 8 folders (a walk-order scan
# gives 2: album0's 5 files, then the next folder's).
n=$(python3 -c '
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT path FROM tracks ORDER BY id LIMIT 8").fetchall()
print(len({r[0].rsplit("/", 2)[1] for r in rows}))' "$T/lib.db")
ok "the first 8 analysed files span $n folders (>= 3)" test "$n" -ge 3
done_testing
