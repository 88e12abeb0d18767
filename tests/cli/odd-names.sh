#!/bin/sh
# Odd file names and tags in the output (issue 16, item 10): a newline or a
# tab in a name never splits a TSV record (escaped as \n, \t, \\), --json is
# always valid JSON (invalid UTF-8 becomes U+FFFD), and remote error
# messages show raw bytes escaped. Checked with python3's json module.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

# A library whose paths and tags hold a newline, a tab, a backslash, ESC and
# invalid UTF-8 (rows written straight into the index: the scanner refuses
# such names, tags can hold anything).
mkdir "$T/empty"
"$EMOTUNE" scan --db "$T/lib.db" "$T/empty" >/dev/null 2>&1  # the schema
python3 - "$T/lib.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = db.execute("PRAGMA table_info(tracks)").fetchall()
rows = [(b"/m/new\nline.flac", b"ti\ttle", b"art\\ist"),
        (b"/m/bad\xffutf8.flac", b"esc\x1b[31mred", b"\xc3\x28broken"),
        (b"/m/plain.flac", "caf\u00e9".encode(), b"ok")]
for i, (p, t, a) in enumerate(rows):
    row = {"path": p, "title": t, "artist": a, "valence": 0.5 - 0.1 * i, "arousal": 0.3, "duration": 30.0}
    for c in cols:
        name, typ, notnull, dflt = c[1], c[2], c[3], c[4]
        if name not in row and notnull and dflt is None and not c[5]:
            row[name] = "" if "TEXT" in typ.upper() else 0
    ph = ",".join("CAST(? AS TEXT)" if isinstance(v, bytes) else "?" for v in row.values())
    db.execute("INSERT INTO tracks(%s) VALUES (%s)" % (",".join(row), ph), list(row.values()))
db.commit()
PY
is "library written" "$?" 0

"$EMOTUNE" tracks --db "$T/lib.db" >"$T/tsv" 2>"$T/err"
is "tracks exits 0" "$?" 0
is "tracks: one line per record" "$(wc -l <"$T/tsv")" 4
ok "tracks: 7 fields in every line" awk -F'\t' 'NF != 7 { exit 1 }' "$T/tsv"
ok "tracks: newline, tab and backslash escaped" grep -q '^/m/new\\nline.flac	.*	ti\\ttle	art\\\\ist$' "$T/tsv"
ok "tracks: other bytes kept as they are" grep -q "$(printf '^/m/bad\377utf8.flac')" "$T/tsv"
"$EMOTUNE" tracks --json --db "$T/lib.db" >"$T/json" 2>"$T/err"
is "tracks --json exits 0" "$?" 0
ok "tracks --json is valid JSON with the names intact or U+FFFD" python3 -c '
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
by = {r["path"]: r for r in t}
assert by["/m/new\nline.flac"]["title"] == "ti\ttle", by
assert by["/m/new\nline.flac"]["artist"] == "art\\ist"
assert by["/m/bad\ufffdutf8.flac"]["title"] == "esc\x1b[31mred"
assert by["/m/bad\ufffdutf8.flac"]["artist"] == "\ufffd(broken"
assert by["/m/plain.flac"]["title"] == "caf\u00e9"
' "$T/json"

"$EMOTUNE" recommend --db "$T/lib.db" --emotion happy -n 3 >"$T/tsv" 2>"$T/err"
is "recommend exits 0" "$?" 0
is "recommend: one line per record" "$(wc -l <"$T/tsv")" 4
ok "recommend: 7 fields in every line" awk -F'\t' 'NF != 7 { exit 1 }' "$T/tsv"
"$EMOTUNE" recommend --json --db "$T/lib.db" --emotion happy -n 3 >"$T/json" 2>"$T/err"
ok "recommend --json: valid JSON lines" python3 -c '
import json, sys
paths = set()
for l in open(sys.argv[1], encoding="utf-8"):
    paths.add(json.loads(l)["path"])
assert paths == {"/m/new\nline.flac", "/m/bad\ufffdutf8.flac", "/m/plain.flac"}, paths
' "$T/json"

# A picture named with a newline, a tab, a backslash and invalid UTF-8.
odd=$(printf "$T/a\nb\tc\\\\d\377.pgm")
{ printf 'P5\n48 48\n255\n'; head -c 2304 /dev/zero | tr '\0' '\200'; } >"$odd"
"$EMOTUNE" classify --no-detect "$odd" >"$T/tsv" 2>"$T/err"
is "classify exits 0" "$?" 0
is "classify: header and one record" "$(wc -l <"$T/tsv")" 2
ok "classify: the name escaped" grep -q "$(printf '^%s/a\\\\nb\\\\tc\\\\\\\\d\377.pgm\t' "$T")" "$T/tsv"
"$EMOTUNE" classify --no-detect --json "$odd" >"$T/json" 2>"$T/err"
ok "classify --json: valid JSON" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").read())
assert r["path"] == sys.argv[2] + "/a\nb\tc\\d\ufffd.pgm", r["path"]
' "$T/json" "$T"

# Remote errors: the server's message and the client's print escape raw bytes.
. "$top_srcdir/tests/cli/remote-common.sh"
rm -f "$T/lib.db"
if start_hl; then
	"$EMOTUNE" remote play-path "$(printf '/no/such\377file\302')" >"$T/out" 2>"$T/err"
	is "remote play-path of a missing odd name exits 1" "$?" 1
	ok "... with the bytes escaped" grep -qx 'emotune: remote: /no/such\\xfffile\\xc2: No such file or directory' "$T/err"
	"$EMOTUNE" remote "$(printf 'st\377atus')" >"$T/out" 2>"$T/err"
	ok "unknown command word escaped" grep -qx "emotune: remote: unknown command 'st\\\\xffatus'" "$T/err"
	"$EMOTUNE" remote play-path "$(printf '/no/back\\slash')" >"$T/out" 2>"$T/err"
	ok "a backslash shown doubled" grep -qx 'emotune: remote: /no/back\\\\slash: No such file or directory' "$T/err"
	stop_hl
	ok "headless JSON events are valid JSON" python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    json.loads(l)
' "$T/hl.out"
else
	skip "remote errors" "the headless instance did not start"
fi
done_testing
