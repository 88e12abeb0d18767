#!/bin/sh
# `emotune recommend` on a synthetic library with known valence/arousal:
# contract columns, each strategy's region, usage errors.
. "$top_srcdir/tests/lib.sh"

ok "no mood is a usage error" exits 2 "$EMOTUNE" recommend --db "$T/none.db"
ok "unknown emotion is a usage error" exits 2 "$EMOTUNE" recommend --emotion bored
ok "bad --probs is a usage error" exits 2 "$EMOTUNE" recommend --probs 1,2,3
ok "bad -n is a usage error" exits 2 "$EMOTUNE" recommend --emotion sad -n 0
ok "bad strategy is a usage error" exits 2 "$EMOTUNE" recommend --emotion sad --strategy loud

ok "missing database exits 1" exits 1 "$EMOTUNE" recommend --db "$T/none.db" --emotion sad
ok "... and says so" grep -q "emotune: .*none.db" "$T/err"
ok "... without creating it" test ! -e "$T/none.db"

# An empty file is an empty library: the schema is created, no picks.
: >"$T/lib.db"
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad >"$T/out" 2>"$T/err"
is "empty library exits 0" "$?" 0
is "... with the header only" "$(cat "$T/out")" "$(printf '# rank\tpath\tvalence\tarousal\tquadrant\tscore\treason')"
ok "... and says it is empty" grep -q "empty" "$T/err"

mkdir "$T/none" && "$EMOTUNE" scan --db "$T/lib.db" "$T/none" >/dev/null 2>&1  # the schema
# The library: 4 x 25 tracks on a grid inside each quadrant, 5 artists.
python3 - "$T/lib.db" <<'PY' || { skip "synthetic library" "could not write tracks"; done_testing; exit 0; }
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = db.execute("PRAGMA table_info(tracks)").fetchall()
i = 0
for q, (sv, sa) in enumerate([(1, 1), (-1, 1), (-1, -1), (1, -1)]):
    for x in range(5):
        for y in range(5):
            v, a = sv * (0.1 + 0.2 * x), sa * (0.1 + 0.2 * y)
            row = {"path": "/music/Q%d/t%02d.ogg" % (q + 1, x * 5 + y), "valence": v, "arousal": a,
                   "artist": "artist%d" % (i % 5), "title": "t%d" % i, "duration": 30.0}
            for c in cols:
                name, typ, notnull, dflt = c[1], c[2], c[3], c[4]
                if name not in row and notnull and dflt is None and not c[5]:
                    row[name] = "" if "TEXT" in typ.upper() else 0
            db.execute("INSERT INTO tracks(%s) VALUES (%s)" % (",".join(row), ",".join("?" * len(row))),
                       list(row.values()))
            i += 1
db.commit()
PY

quadrant_of() { # emotion -> expected quadrant (cli.md)
	case $1 in happy|surprise) echo Q1 ;; angry|fear|disgust) echo Q2 ;; sad) echo Q3 ;; neutral) echo Q4 ;; esac
}
"$EMOTUNE" recommend --db "$T/lib.db" --emotion happy -n 5 >"$T/out" 2>"$T/err"
is "header" "$(head -1 "$T/out")" "$(printf '# rank\tpath\tvalence\tarousal\tquadrant\tscore\treason')"
ok "5 rows of 7 columns, ranks 1..5" awk -F'\t' 'NR>1 { n++; if (NF!=7 || $1!=n) e=1 } END { exit e || n!=5 }' "$T/out"
ok "reasons say the mood and strategy" awk -F'\t' 'NR>1 && $7 !~ /^you look happy \(100%\), match strategy/ { e=1 } END { exit e }' "$T/out"
for e in angry disgust fear happy neutral sad surprise; do
	q=$(quadrant_of $e)
	"$EMOTUNE" recommend --db "$T/lib.db" --emotion $e -n 5 >"$T/out" 2>"$T/err"
	ok "match $e: top 5 in $q" awk -F'\t' -v q=$q 'NR>1 { n++; if ($5!=q) e=1 } END { exit e || n!=5 }' "$T/out"
done
"$EMOTUNE" recommend --db "$T/lib.db" --emotion angry --strategy calm -n 5 >"$T/out" 2>"$T/err"
ok "calm from angry: Q4" awk -F'\t' 'NR>1 { n++; if ($5!="Q4") e=1 } END { exit e || n!=5 }' "$T/out"
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad --strategy uplift -n 8 >"$T/out" 2>"$T/err"
ok "uplift from sad: starts in Q3, valence rises over 5 picks, then stays positive" awk -F'\t' '
	NR==2 && $5!="Q3" { e=1 } NR>2 && NR<=6 && $3+0 <= prev { e=1 } NR>6 && $3+0 <= 0.3 { e=1 }
	NR>1 { prev=$3+0; n++ } END { exit e || n!=8 }' "$T/out"
"$EMOTUNE" recommend --db "$T/lib.db" --probs 0,0,0,0.5,0,0.5,0 -n 3 --json >"$T/out" 2>"$T/err"
ok "--json: one object per pick" sh -c '[ $(grep -c "^{\"rank\":" "$1") = 3 ]' _ "$T/out"
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad --seed 5 -n 10 >"$T/a"
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad --seed 5 -n 10 >"$T/b"
ok "same seed, same picks" cmp -s "$T/a" "$T/b"
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad -n 200 >"$T/out"
ok "-n larger than the library gives every track once" sh -c '[ $(tail -n +2 "$1" | cut -f2 | sort -u | wc -l) = 100 ]' _ "$T/out"

# The play history and feedback stored in the same file move the picks.
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad -n 3 >"$T/out"
p1=$(sed -n 2p "$T/out" | cut -f2) p2=$(sed -n 3p "$T/out" | cut -f2) p3=$(sed -n 4p "$T/out" | cut -f2)
events() { # kind path...: stores events with the sad mood point
	python3 - "$T/lib.db" "$@" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE IF NOT EXISTS feedback_events(id INTEGER PRIMARY KEY, t REAL NOT NULL, path TEXT NOT NULL,"
           " kind TEXT NOT NULL, position REAL NOT NULL DEFAULT 0, mood INTEGER NOT NULL DEFAULT -1,"
           " valence REAL NOT NULL DEFAULT 0, arousal REAL NOT NULL DEFAULT 0)")
for p in sys.argv[3:]:
    db.execute("INSERT INTO feedback_events(t, path, kind, position, mood, valence, arousal) VALUES (?,?,?,?,?,?,?)",
               (time.time(), p, sys.argv[2], 60, 5, -0.7, -0.45))
db.commit()
PY
}
events play "$p1" "$p2"
"$EMOTUNE" recommend --db "$T/lib.db" --emotion sad -n 10 >"$T/out"
ok "tracks just played are not picked again" sh -c '! cut -f2 "$1" | grep -qx -e "$2" -e "$3"' _ "$T/out" "$p1" "$p2"
printf 'no_repeat = 0\n' >"$T/conf"
"$EMOTUNE" --config "$T/conf" recommend --db "$T/lib.db" --emotion sad -n 1 >"$T/out"
is "no_repeat = 0 lets them back" "$(sed -n 2p "$T/out" | cut -f2)" "$p1"
events dislike "$p3"
"$EMOTUNE" --config "$T/conf" recommend --db "$T/lib.db" --emotion sad -n 5 >"$T/out"
ok "a track disliked in this mood drops out of the top 5" sh -c '! cut -f2 "$1" | grep -qx -e "$2"' _ "$T/out" "$p3"
"$EMOTUNE" --config "$T/conf" recommend --db "$T/lib.db" --emotion happy -n 3 >"$T/a"
ok "... and the happy list has no 'disliked' reason" sh -c '! grep -q disliked "$1"' _ "$T/a"
done_testing
