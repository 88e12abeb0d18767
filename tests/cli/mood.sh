#!/bin/sh
# File sources through the vision thread (bad Y4M, truncated frame, folder
# with non-images, face crops) and `emotune mood` end to end: JSON lines,
# the synthetic demo face, and the integration test: a video of one
# expression then another switches the mood once, after the hysteresis.
. "$top_srcdir/tests/lib.sh"
probe="$top_builddir/tests/fakev4l2/visionprobe"
mky4m="$top_builddir/tests/fakev4l2/mky4m"
[ -x "$probe" ] && [ -x "$mky4m" ] || skip_all "visionprobe or mky4m not built"
PY=${SYS_PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || PY=python3

# --- file sources, with a stand-in engine (no models needed)
# binary PGM (stb reads P5, not P2); bytes 20..255
LC_ALL=C awk 'BEGIN { printf "P5\n48 48\n255\n"; for (i = 0; i < 48 * 48; i++) printf "%c", 20 + (i % 48) * 4 }' > "$T/face.pgm"
mkdir "$T/dir"
cp "$T/face.pgm" "$T/dir/a.pgm"; echo "not an image" > "$T/dir/b.txt"; cp "$T/face.pgm" "$T/dir/c.pgm"
"$probe" "file:$T/dir" 10 > "$T/out" 2> "$T/err"
ok "folder: exits 0 at its end" test $? = 0
is "folder: the two images are read" "$(grep -c '^frame' "$T/out")" 2
ok "folder: the non-image is skipped with a message" grep -q "warning: $T/dir/b.txt: skipped: " "$T/err"
"$probe" "file:$T/face.pgm" 5 > "$T/out" 2> "$T/err"
ok "a 48x48 image is one face crop" test "$(grep -c ' 48 48 camera=ok faces=1 ' "$T/out")" = 5
printf 'YUV4MPEG2 W0 H4\nFRAME\n' > "$T/bad.y4m"
"$probe" "file:$T/bad.y4m" 5 > "$T/out" 2> "$T/err"
ok "bad Y4M header: fails" test $? = 1
ok "... saying so" grep -q "camera error: $T/bad.y4m: bad Y4M header: bad width" "$T/err"
"$mky4m" "$T/v.y4m" 64 48 10 0.5 "$T/face.pgm"
head -c $(( $(wc -c < "$T/v.y4m") - 100 )) "$T/v.y4m" > "$T/cut.y4m"
"$probe" "file:$T/cut.y4m" 10 > "$T/out" 2> "$T/err"
ok "truncated Y4M: exits 0" test $? = 0
is "... after the 4 whole frames" "$(grep -c '^frame' "$T/out")" 4
ok "... warning about the last one" grep -q "truncated last frame ignored" "$T/err"
ok "... and ending cleanly" grep -q "camera ended" "$T/err"

# --- emotune mood with the real models
ok "--frames with --seconds is a usage error" exits 2 "$EMOTUNE" mood --source test --frames 3 --seconds 1
if [ ! -f "$top_srcdir/weights/emotion.weights" ]; then
	skip "emotune mood with the models" "no weights/emotion.weights yet"
	done_testing
	exit 0
fi
"$EMOTUNE" mood --source "file:$T/face.pgm" --frames 30 > "$T/out" 2> "$T/err"
ok "mood on a still image: exit 0" test $? = 0
ok "... 30 JSON lines with the documented keys" "$PY" - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 30, len(rows)
names = "angry disgust fear happy neutral sad surprise".split()
for i, r in enumerate(rows):
    for k in ("t", "frame", "size", "faces", "ranking", "counts", "n", "probs", "mood",
              "candidate", "confidence", "changed", "fps", "latency_ms"):
        assert k in r, k
    assert r["frame"] == i and abs(r["t"] - i / 30) < 1e-3
    assert sorted(r["ranking"]) == sorted(names)
    assert list(r["probs"]) == names and abs(sum(r["probs"].values()) - 1) < 1e-2
    assert r["mood"] in names + ["uncertain"]
    assert len(r["faces"]) == 1 and r["faces"][0]["box"] == [0, 0, 48, 48]
    assert r["n"] == i + 1
PY
# the tta setting: one pass instead of the face and its mirror averaged
printf 'tta = no\n' > "$T/tta-no.conf"
"$EMOTUNE" mood --config "$T/tta-no.conf" --source "file:$T/face.pgm" --frames 1 > "$T/notta" 2>/dev/null
"$EMOTUNE" mood --source "file:$T/face.pgm" --frames 1 > "$T/tta" 2>/dev/null
ok "tta = no classifies once: other face probabilities than the default (mirror averaged)" "$PY" - "$T/notta" "$T/tta" <<'PY'
import json, sys
a, b = (json.loads(open(f).readline())["faces"][0]["probs"] for f in sys.argv[1:3])
assert abs(sum(a.values()) - 1) < 1e-2 and abs(sum(b.values()) - 1) < 1e-2
assert max(abs(a[k] - b[k]) for k in a) > 1e-4, (a, b)
PY

"$EMOTUNE" mood --source "file:$T/bad.y4m" --frames 3 > "$T/out" 2> "$T/err"
ok "mood on a bad Y4M: exit 1" test $? = 1
ok "... emotune: mood: <why>" grep -q "^emotune: mood: $T/bad.y4m: bad Y4M header" "$T/err"
"$EMOTUNE" mood --source test --frames 30 > "$T/out" 2> "$T/err"
ok "the synthetic demo face is found by the detector" "$PY" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 30 and sum(1 for r in rows if len(r["faces"]) == 1) >= 25' "$T/out"

# The demo source plays happy, surprise, sad, neutral, 8 s each: in 40 s the
# mood must follow it through at least three moods, in that order, each held
# for several seconds (320x240 keeps the cost down; the same drawing).
"$EMOTUNE" mood --source test:320x240 --seconds 40 > "$T/demo.json" 2> "$T/err"
ok "the demo face's expressions are read: happy, surprise, sad, in order, >= 4 s each" "$PY" -c '
import json, sys
runs = []
for l in open(sys.argv[1]):
    r = json.loads(l)
    if runs and runs[-1][0] == r["mood"]:
        runs[-1][2] = r["t"]
    else:
        runs.append([r["mood"], r["t"], r["t"]])
held = [m for m, a, b in runs if b - a >= 4]
print("# moods held >= 4 s:", " ".join(held))
want = ["happy", "surprise", "sad"]
i = 0
for m in held:
    if i < len(want) and m == want[i]:
        i += 1
assert i == len(want) and len(set(held)) >= 3, runs' "$T/demo.json"

# --- integration: 3 s of one expression, then 4 s of another
. "$top_srcdir/tests/cli/fer-fixture.sh"
fer_fixture || { done_testing; exit 0; }
"$EMOTUNE" mood --source "file:$T/fixture.y4m" > "$T/out" 2> "$T/err"
ok "integration: mood on the fixture video exits 0" test $? = 0
ok "integration: uncertain -> first -> second, once each, after the hysteresis, no flapping" \
	"$PY" - "$T/out" "$ca" "$cb" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ca, cb = sys.argv[2], sys.argv[3]
assert len(rows) == 210, len(rows)
moods = [r["mood"] for r in rows]
seq = [m for i, m in enumerate(moods) if i == 0 or m != moods[i - 1]]
assert seq == ["uncertain", ca, cb], seq
t_switch = next(r["t"] for r in rows if r["mood"] == cb)
assert t_switch >= 3.0 + 1.0, t_switch          # the cut + 1 s hysteresis at least
assert sum(1 for r in rows if r["changed"]) == 2
lead = [r["ranking"][0] for r in rows if r["t"] >= 0.5]
changes = sum(1 for a, b in zip(lead, lead[1:]) if a != b)
assert changes == 1, "ranking leader changed %d times" % changes
PY
# One still face per segment: the network runs again only when the picture
# under a face's box changes (the cut), or after 14 reuses; same moods.
"$mky4m" "$T/still.y4m" 320 240 30 3 "${A%%,*}" 4 "${B%%,*}"
"$EMOTUNE" mood --source "file:$T/still.y4m" --stats > "$T/out2" 2> "$T/err"
n=$(sed -n 's/.* classified=\([0-9]*\).*/\1/p' "$T/err")
ok "integration: --stats counts network runs" test -n "$n"
ok "integration: a still face is not classified again every frame ($n runs, 210 frames)" \
	test "${n:-999}" -le 30
ok "... moods: uncertain -> first -> second" "$PY" -c '
import json, sys
moods = [json.loads(l)["mood"] for l in open(sys.argv[1])]
seq = [m for i, m in enumerate(moods) if i == 0 or m != moods[i - 1]]
assert len(moods) == 210 and seq == ["uncertain", sys.argv[2], sys.argv[3]], seq' "$T/out2" "$ca" "$cb"
done_testing
