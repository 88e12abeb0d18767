#!/bin/sh
# emotune history and the mood history end to end: TSV, JSON lines, ranges,
# the summary and the SVG picture (well-formed: xmllint) on a fixed fake
# history (tests/bench/bench_history fixture); bad input (times, operands,
# an unwritable picture, a missing database); --clear (asks nothing, no row
# left in the file); a damaged table (refused with a message, playback
# goes on, --clear repairs it); retention at start; history = off writes
# nothing; `remote history N`; and, with the emotion weights and FER2013,
# a headless run on a video whose expression changes gives rows in the
# order of its mood events, writing no file but the database and the
# resume state.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
bench="$top_builddir/tests/bench/bench_history"
mky4m="$top_builddir/tests/fakev4l2/mky4m"
[ -x "$bench" ] || skip_all "tests/bench/bench_history not built"
PY=${SYS_PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || PY=python3
export TZ=UTC
H() { "$EMOTUNE" history --db "$T/h.db" "$@"; }
sql() { "$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print(*r, sep="\t")
c.commit()' "$@"; }

"$bench" fixture "$T/h.db"
ok "the fixed fake history is written" test $? = 0
cat > "$T/want.tsv" <<'X'
# time	mood	valence	arousal	confidence	faces	strategy	track
2025-12-03T14:00:00+00:00	happy	0.800	0.450	0.750	1	match	/m/a.flac
2025-12-03T14:01:00+00:00	happy	0.800	0.450	0.750	1	match	/m/a.flac
2025-12-03T14:01:40+00:00	sad	-0.700	-0.200	0.750	1	match	/m/b.flac
2025-12-03T14:02:10+00:00	none	0.300	-0.200	0.750	0	match	/m/b.flac
2025-12-03T14:06:40+00:00	happy	0.800	0.450	0.750	1	calm	/m/c.flac
2025-12-03T14:07:40+00:00	uncertain	0.500	-0.200	0.750	1	calm	/m/c.flac
2025-12-03T14:07:50+00:00	manual:angry	0.600	-0.200	0.750	1	calm	
2025-12-03T14:16:40+00:00	happy	0.800	0.450	0.750	1	calm	/m/a.flac
2025-12-03T14:18:10+00:00	none	0.800	-0.200	0.750	0	calm	
X
H > "$T/got.tsv"
ok "TSV: header and rows as expected" cmp "$T/want.tsv" "$T/got.tsv" || diff "$T/want.tsv" "$T/got.tsv" | sed 's/^/# /'
H --json > "$T/got.json"
ok "JSON lines: one object a row, fields typed" "$PY" - "$T/got.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 9, len(rows)
assert [r["mood"] for r in rows] == ["happy", "happy", "sad", "none", "happy", "uncertain", "angry", "happy", "none"]
assert [r["source"] for r in rows][3:7] == ["none", "camera", "camera", "manual"]
assert rows[0]["t"] == 1764770400.0 and rows[0]["time"] == "2025-12-03T14:00:00+00:00"
assert rows[0]["valence"] == 0.8 and rows[0]["faces"] == 1 and rows[4]["strategy"] == "calm"
assert rows[0]["track"] == "/m/a.flac" and rows[6]["track"] is None
PY
H --since 2025-12-03T14:01:40Z --until 2025-12-03T14:07:40 > "$T/r"
is "--since/--until (ISO 8601): the rows in [since, until)" "$(grep -vc '^#' "$T/r")" 3
H --since @1764771300 > "$T/r"
is "--since @UNIXTIME" "$(grep -vc '^#' "$T/r")" 2
H --since -1h > "$T/r"
is "--since -1h: none of last year's rows" "$(grep -vc '^#' "$T/r")" 0
cat > "$T/want.sum" <<'X'
# mood	seconds	time	share
happy	250	0:04:10	65.8%
angry	90	0:01:30	23.7%
sad	30	0:00:30	7.9%
uncertain	10	0:00:10	2.6%
# mood	rank	seconds	track
happy	1	190	/m/a.flac
happy	2	60	/m/c.flac
sad	1	30	/m/b.flac
uncertain	1	10	/m/c.flac
X
H --summary > "$T/got.sum"
ok "--summary: time per mood, tracks played longest per mood" cmp "$T/want.sum" "$T/got.sum" || diff "$T/want.sum" "$T/got.sum" | sed 's/^/# /'
H --summary --json > "$T/got.sj"
ok "--summary --json" "$PY" - "$T/got.sj" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["mood"] for r in rows] == ["happy", "angry", "sad", "uncertain"]
assert rows[0]["seconds"] == 250 and abs(rows[0]["share"] - 0.658) < 1e-9
assert rows[0]["tracks"] == [{"track": "/m/a.flac", "seconds": 190}, {"track": "/m/c.flac", "seconds": 60}]
assert rows[1]["tracks"] == []
PY
H --summary --since 2025-12-03T14:00:30Z --until 2025-12-03T14:01:50Z > "$T/r"
ok "--summary over a range cuts the rows at its ends" grep -qx "happy	70	0:01:10	87.5%" "$T/r"

H --plot "$T/day.svg" --since 2025-12-03 --until 2025-12-04
ok "--plot writes the picture" test -s "$T/day.svg"
if command -v xmllint >/dev/null 2>&1; then
	ok "... well-formed XML (xmllint)" xmllint --noout "$T/day.svg"
else
	skip "... well-formed XML (xmllint)" "no xmllint (install libxml2-utils: tools/setup-deps)"
fi
ok "... an SVG document, self-contained (no links, no scripts)" "$PY" - "$T/day.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg"
text = open(sys.argv[1]).read()
assert "href" not in text and "<script" not in text and "<image" not in text
band = root.find("{http://www.w3.org/2000/svg}g[@id='band']")
assert len(band) == 7, len(band)     # happy, happy, sad, happy, uncertain, angry, happy
PY
H --plot "$T/today.svg"
ok "--plot without a range: today (empty here), still well-formed" "$PY" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$T/today.svg"

# --- bad input
ok "bad --since: usage error" exits 2 H --since yesterday-ish
ok "... naming the option and the formats" grep -q "^emotune: --since: bad time 'yesterday-ish' (ISO 8601" "$T/err"
ok "bad --until" exits 2 H --until 2025-13-01
ok "an operand: usage error" exits 2 H extra
ok "an unwritable picture: exit 1" exits 1 H --plot "$T/no/such/dir/x.svg"
ok "... naming the file and the reason" grep -q "^emotune: $T/no/such/dir/x.svg: No such file or directory" "$T/err"
ok "no database yet: the header, exit 0" exits 0 "$EMOTUNE" history --db "$T/none.db"
ok "... and the file is not created" test ! -e "$T/none.db"

# --- --clear: asks nothing, every row goes, nothing left in the file
ok "--clear (stdin closed): exit 0" sh -c '"$1" history --db "$2" --clear < /dev/null' sh "$EMOTUNE" "$T/h.db"
is "... no row left" "$(H | grep -vc '^#')" 0
ok "... no track name left in the file or its log" sh -c '! cat "$1" "$1-wal" 2>/dev/null | grep -qa "/m/a.flac"' sh "$T/h.db"

# --- a damaged history table
"$bench" fixture "$T/h.db"
sql "$T/h.db" "DROP TABLE mood_history" >/dev/null
sql "$T/h.db" "CREATE TABLE mood_history(x TEXT)" >/dev/null
ok "a damaged table: history exits 1" exits 1 H
ok "... saying what to do" grep -q "history table is damaged ('emotune history --clear' starts it afresh)" "$T/err"
make_wavs 2 30
cp "$T/h.db" "$T/lib.db"
start_hl
ok "... headless starts on it" test $? = 0
ok "... says so once as a warning" wait_for "$T/hl.out" '"event":"warning","message":"mood history .*damaged'
"$EMOTUNE" remote play >/dev/null 2>&1
ok "... and plays" sh -c 'i=0; while [ $i -lt 100 ]; do "$1" remote status | grep -qx state=playing && exit 0; sleep 0.1; i=$((i+1)); done; exit 1' sh "$EMOTUNE"
ok "... remote history says there is none" exits 1 "$EMOTUNE" remote history
ok "... stops cleanly" stop_hl
ok "--clear repairs it" exits 0 "$EMOTUNE" history --db "$T/lib.db" --clear
ok "... history works again" exits 0 "$EMOTUNE" history --db "$T/lib.db"

# --- retention at start, remote history N, history = off
rm -f "$T/lib.db"*
"$bench" fixture "$T/lib.db"
printf 'history_days = 0\n' > "$T/keep.conf"
start_hl --config "$T/keep.conf"
"$EMOTUNE" remote mood happy >/dev/null
"$EMOTUNE" remote mood sad >/dev/null
ok "remote history 2: the header and the last two rows" sh -c '"$1" remote history 2 > "$2/rh"; [ "$(grep -vc "^#" "$2/rh")" = 2 ] && head -1 "$2/rh" | grep -q "^# time	mood" && tail -1 "$2/rh" | grep -q "	manual:sad	"' sh "$EMOTUNE" "$T"
ok "remote history 0: refused" exits 1 "$EMOTUNE" remote history 0
ok "... with a message" grep -q "history: expected a number of rows in 1-1000" "$T/err"
stop_hl
is "history_days = 0: last year's rows kept" "$("$EMOTUNE" history --db "$T/lib.db" --until 2026-01-01 | grep -vc '^#')" 9
start_hl
stop_hl
is "history_days = 90 (default): pruned at start" "$("$EMOTUNE" history --db "$T/lib.db" --until 2026-01-01 | grep -vc '^#')" 0
ok "... this run's rows are there" sh -c '"$1" history --db "$2" | grep -q "manual:sad"' sh "$EMOTUNE" "$T/lib.db"

rm -f "$T/lib.db"*
printf 'history = off\n' > "$T/off.conf"
start_hl --config "$T/off.conf"
"$EMOTUNE" remote mood happy >/dev/null
ok "history = off: remote history refuses" exits 1 "$EMOTUNE" remote history
ok "... saying it is off" grep -q "no mood history (history = off" "$T/err"
stop_hl
ok "... no history table in the database" sh -c '! cat "$1" "$1-wal" 2>/dev/null | grep -qa mood_history' sh "$T/lib.db"
printf 'history = on\n' > "$T/hup.conf"
start_hl --config "$T/hup.conf"
"$EMOTUNE" remote mood happy >/dev/null
ok "SIGHUP: history on at first" exits 0 "$EMOTUNE" remote history 1
printf 'history = off\n' > "$T/hup.conf"
kill -HUP $HL_PID
wait_for "$T/hl.out" '"event":"reload"'
ok "... history = off read again: no more history" exits 1 "$EMOTUNE" remote history 1
"$EMOTUNE" remote mood sad >/dev/null
stop_hl
ok "... what it held was written, nothing after" sh -c '"$1" history --db "$2" > "$3/r"; grep -q manual:happy "$3/r" && ! grep -q manual:sad "$3/r"' sh "$EMOTUNE" "$T/lib.db" "$T"

# --- headless on a video whose expression changes
[ -x "$mky4m" ] || { skip "integration: expression change" "mky4m not built"; done_testing; exit 0; }
. "$top_srcdir/tests/cli/fer-fixture.sh"
fer_fixture || { done_testing; exit 0; }
rm -f "$T/lib.db"* "$T/hl.out"
touch "$T/mark"
HL_CAMERA="--source file:$T/fixture.y4m" start_hl
ok "integration: headless on the fixture video" test $? = 0
ok "... the second expression's mood event" wait_for "$T/hl.out" "\"event\":\"mood\",\"mood\":\"$cb\""
stop_hl
"$EMOTUNE" history --db "$T/lib.db" --json > "$T/rows.json"
ok "... history rows in the order of the mood events: $ca then $cb" "$PY" - "$T/hl.out" "$T/rows.json" "$ca" "$cb" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
rows = [json.loads(l) for l in open(sys.argv[2])]
ca, cb = sys.argv[3], sys.argv[4]
def seq(moods):
    out = []
    for m in moods:
        m = "uncertain" if m == "none" else m
        if not out or out[-1] != m:
            out.append(m)
    return out
def lstrip(s):
    return s[1:] if s and s[0] == "uncertain" else s
events = lstrip(seq([e["mood"] for e in ev if e["event"] == "mood"]))
hist = lstrip(seq([r["mood"] for r in rows]))
assert hist[-1] == "uncertain", hist       # the end mark
assert hist[:-1] == events or hist == events, (hist, events)
known = [m for m in hist if m != "uncertain"]
assert any(known[i:i + 2] == [ca, cb] for i in range(len(known))), known
assert all(r["source"] in ("camera", "none") for r in rows)
assert any(r["faces"] >= 1 for r in rows)
PY
ok "privacy: no file written but the database, the resume state and the logs" sh -c '
	find "$1" -type f -newer "$1/mark" ! -name "hl.out" ! -name "hl.err" ! -name "lib.db*" \
		! -name "resume*" ! -name "out" ! -name "err" ! -name "ok.out" ! -name "rows.json" | grep . && exit 1; exit 0' sh "$T"
ok "privacy: the history holds no image, face box or other column" sh -c '
	[ "$("$2" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(\" \".join(r[1] for r in c.execute(\"PRAGMA table_info(mood_history)\")), c.execute(\"SELECT COUNT(*) FROM mood_history WHERE typeof(track) = \x27blob\x27\").fetchone()[0])" "$1")" = "t state mood valence arousal confidence faces strategy track 0" ]' sh "$T/lib.db" "$PY"
done_testing
