#!/bin/sh
# `emotune playlist`: the picks of `emotune recommend` as an M3U8 playlist
# (issue 22): same tracks in the same order, #EXTINF lines, usage errors,
# and the playlist reads back (emotune's own reader: the remote test).
. "$top_srcdir/tests/lib.sh"

ok "no mood is a usage error" exits 2 "$EMOTUNE" playlist --db "$T/none.db"
ok "unknown emotion is a usage error" exits 2 "$EMOTUNE" playlist --emotion bored
ok "bad --probs is a usage error" exits 2 "$EMOTUNE" playlist --probs 1,2
ok "bad -n is a usage error" exits 2 "$EMOTUNE" playlist --emotion sad -n x
ok "bad strategy is a usage error" exits 2 "$EMOTUNE" playlist --emotion sad --strategy loud
ok "an operand is a usage error" exits 2 "$EMOTUNE" playlist --emotion sad extra
ok "missing database exits 1" exits 1 "$EMOTUNE" playlist --db "$T/none.db" --emotion sad
ok "... and says so" grep -q "emotune: .*none.db" "$T/err"
ok "--help names the command" sh -c '"$0" playlist --help | grep -q "usage: emotune playlist"' "$EMOTUNE"

: >"$T/lib.db"
"$EMOTUNE" playlist --db "$T/lib.db" --emotion sad >"$T/out" 2>"$T/err"
is "empty library exits 0" "$?" 0
is "... with the #EXTM3U header only" "$(cat "$T/out")" "#EXTM3U"

mkdir "$T/none" && "$EMOTUNE" scan --db "$T/lib.db" "$T/none" >/dev/null 2>&1  # the schema
# 4 x 9 tracks in the quadrants; one title holds a line break, one path a tab.
python3 - "$T/lib.db" <<'PY' || { skip "synthetic library" "could not write tracks"; done_testing; exit 0; }
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = db.execute("PRAGMA table_info(tracks)").fetchall()
i = 0
for q, (sv, sa) in enumerate([(1, 1), (-1, 1), (-1, -1), (1, -1)]):
    for x in range(3):
        for y in range(3):
            v, a = sv * (0.2 + 0.3 * x), sa * (0.2 + 0.3 * y)
            row = {"path": "/music/Q%d/t%d%s.ogg" % (q + 1, x * 3 + y, "\tx" if i == 20 else ""),
                   "valence": v, "arousal": a, "artist": "artist%d" % (i % 4),
                   "title": "title %d%s" % (i, "\nline" if i == 19 else ""), "duration": 61.4 + i}
            for c in cols:
                name, typ, notnull, dflt = c[1], c[2], c[3], c[4]
                if name not in row and notnull and dflt is None and not c[5]:
                    row[name] = "" if "TEXT" in typ.upper() else 0
            db.execute("INSERT INTO tracks(%s) VALUES (%s)" % (",".join(row), ",".join("?" * len(row))),
                       list(row.values()))
            i += 1
db.commit()
PY

for e in happy sad angry neutral; do
	for s in match uplift calm; do
		"$EMOTUNE" recommend --db "$T/lib.db" --emotion $e --strategy $s -n 7 >"$T/rec" 2>/dev/null
		"$EMOTUNE" playlist --db "$T/lib.db" --emotion $e --strategy $s -n 7 >"$T/pl" 2>"$T/err"
		awk -F'\t' 'NR>1 { print $2 }' "$T/rec" | sed 's/\\t/\t/g' >"$T/rec.paths"
		grep -v '^#' "$T/pl" >"$T/pl.paths"
		ok "$e/$s: the playlist holds recommend's picks in order" cmp "$T/rec.paths" "$T/pl.paths"
	done
done
"$EMOTUNE" playlist --db "$T/lib.db" --probs 0,0,0,0.2,0,0.8,0 -n 36 >"$T/pl" 2>"$T/err"
is "--probs, all tracks: exits 0" "$?" 0
is "... starts with #EXTM3U" "$(head -1 "$T/pl")" "#EXTM3U"
is "... 36 entries" "$(grep -vc '^#' "$T/pl")" 36
is "... each after one #EXTINF" "$(grep -c '^#EXTINF:' "$T/pl")" 36
ok "... #EXTINF: whole seconds, artist - title" grep -qE '^#EXTINF:[0-9]+,artist[0-9] - title [0-9]+$' "$T/pl"
ok "... a line break in a title becomes a space" grep -q '^#EXTINF:[0-9]*,artist3 - title 19 line$' "$T/pl"
ok "... a tab in a path is kept as it is" grep -q "$(printf '/Q3/t2\tx.ogg$')" "$T/pl"
ok "... every entry is an absolute path" awk '!/^#/ && !/^\/music\// { e=1 } END { exit e }' "$T/pl"
"$EMOTUNE" playlist --db "$T/lib.db" --emotion happy -n 3 --json >"$T/pl" 2>"$T/err"
is "--json changes nothing: still M3U8" "$(head -1 "$T/pl")" "#EXTM3U"
done_testing
