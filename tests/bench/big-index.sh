#!/bin/sh
# Sourced by benchmarks (B, EMOTUNE, PY, top_srcdir set): makes $B/big.db,
# a synthetic 100k-track index: 100,000 hard links to one FLAC in 1,000
# folders under $B/big, rows carrying their real mtime/size, the current
# analysis version and model id (taken from a real scan of that file).
# Kept between runs.
if [ ! -f "$B/big.db" ] || [ ! -d "$B/big/d999" ] || [ "$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(features) FROM tracks").fetchone()[0])' "$B/big.db" 2>/dev/null)" != 100000 ]; then
	rm -rf "$B/big" "$B/big.db"*
	mkdir -p "$B/big"
	cp "$top_srcdir/music/q1-sunny-run.flac" "$B/big/seed.flac"
	"$EMOTUNE" scan --db "$B/seed.db" "$B/big/seed.flac" 2>/dev/null
	"$PY" - "$B/big" "$B/seed.db" "$B/big.db" <<'PYEOF'
import os, sqlite3, sys, random
root, seed, big = sys.argv[1:4]
s = sqlite3.connect(seed)
# Rows as a real scan writes them (features, tags, loudness), so the index
# has its real size on disk (~0.6 kB a row).
row = s.execute("SELECT feature_version, model, features, artist, album, rate, channels,"
                " lufs, lra, peak, tempo, mode, key, analysed_at FROM tracks").fetchone()
s.close()
import shutil
seed0 = os.path.join(root, "seed.flac")
# ext4 allows 65,000 links to a file: one copy per 50,000 links.
srcs = []
for k in range(2):
    p = os.path.join(root, "seed%d.flac" % k)
    shutil.copyfile(seed0, p)
    srcs.append((p, os.stat(p)))
db = sqlite3.connect(big)
s = sqlite3.connect(seed)
schema = [r[0] for r in s.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
ver = s.execute("PRAGMA user_version").fetchone()[0]
s.close()
for q in schema:
    db.execute(q)
db.execute("PRAGMA user_version = %d" % ver)
random.seed(1)
rows = []
for d in range(1000):
    src, st = srcs[d // 500]
    dd = os.path.join(root, "d%03d" % d)
    os.mkdir(dd)
    for i in range(100):
        p = os.path.join(dd, "t%03d.flac" % i)
        os.link(src, p)
        rows.append((p, st.st_mtime_ns, st.st_size, "t%d" % i, 20.0, row[0],
                     random.uniform(-1, 1), random.uniform(-1, 1), row[1], row[2], row[3],
                     row[4], i + 1, row[5], row[6], row[7], row[8], row[9], row[10],
                     row[11], row[12], row[13]))
db.executemany("INSERT INTO tracks (path, mtime, size, title, duration, feature_version, valence, arousal, model,"
               " features, artist, album, trackno, rate, channels, lufs, lra, peak, tempo, mode, key, analysed_at)"
               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
db.execute("PRAGMA journal_mode=WAL")
db.close()
os.unlink(seed0)
for p, st in srcs:
    os.unlink(p)
PYEOF
	rm -f "$B/seed.db"*
fi
