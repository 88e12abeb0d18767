#!/bin/sh
# No mood and no top class before the mood window has data (issue 16: a
# false "angry" at every start). `emotune mood` on a picture without a face
# gives an empty ranking and an uncertain mood on every frame; with a face
# the ranking has the seven classes. `emotune --headless` reports no mood
# event while no face was seen, nor before the hysteresis has passed.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
[ -f "$top_srcdir/weights/emotion.weights" ] || skip_all "no weights/emotion.weights yet"
command -v python3 >/dev/null || skip_all "python3 not found"

# a uniform gray picture: no face
printf 'P5\n320 240\n255\n' > "$T/blank.pgm"
head -c 76800 /dev/zero | tr '\000' '\200' >> "$T/blank.pgm"

ok "mood on a picture without a face: exit 0" exits 0 "$EMOTUNE" mood --source "file:$T/blank.pgm" --frames 10
ok "... every frame: empty ranking, no counts, mood and candidate uncertain" python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 10, len(rows)
for r in rows:
    assert r["n"] == 0 and r["ranking"] == [], r
    assert r["mood"] == "uncertain" and r["candidate"] == "uncertain", r
    assert r["confidence"] == 0 and not any(r["counts"].values()), r
PY
ok "mood on the drawn face: exit 0" exits 0 "$EMOTUNE" mood --source test --frames 10
ok "... frames with data rank all seven classes" python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert any(r["n"] > 0 for r in rows), "no face found in the drawn face"
for r in rows:
    assert len(r["ranking"]) == (7 if r["n"] > 0 else 0), r
PY

# frames=N in `emotune remote status`
frames() { "$EMOTUNE" remote status 2>/dev/null | sed -n 's/^frames=//p'; }
wait_frames() {
	i=0
	while [ "$(frames)" -lt "$1" ] 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
	[ "$(frames)" -ge "$1" ]
}

HL_CAMERA="--source file:$T/blank.pgm"
ok "headless on a picture without a face starts" start_hl
ok "... and processes 30 frames" wait_frames 30
is "... mood uncertain" "$("$EMOTUNE" remote status | sed -n 's/^mood=//p')" uncertain
ok "... quits" stop_hl
ok "... having reported the camera" grep -q '"event":"camera","state":"ok"' "$T/hl.out"
ok "... and no mood at all" sh -c "! grep '\"event\":\"mood\"' '$T/hl.out'"

# A face from the first frame, but a hysteresis longer than the run: no
# mood can be reported.
: > "$T/hl.out"
printf 'hysteresis = 20\n' > "$T/slow.cfg"
HL_CAMERA="--source test"
ok "headless on the drawn face, hysteresis 20 s, starts" start_hl --config "$T/slow.cfg"
ok "... and processes 30 frames" wait_frames 30
is "... mood still uncertain" "$("$EMOTUNE" remote status | sed -n 's/^mood=//p')" uncertain
ok "... quits" stop_hl
ok "... having reported no mood" sh -c "! grep '\"event\":\"mood\"' '$T/hl.out'"
done_testing
