# The expression-change fixture (sourced by mood.sh and history.sh after
# tests/lib.sh, with $DATA, $mky4m and $PY set): fer_fixture writes
# $T/fixture.y4m, 3 s of one expression then 4 s of another, from FER2013
# validation faces the pipeline gets right, and sets ca and cb to the two
# classes; returns 1 (after a SKIP) when the dataset or a second expression
# the model recognises is missing.
fer_fixture() {
	[ -n "$DATA" ] && [ -f "$DATA/fer2013/fer2013-train-publictest.tar.gz" ] || {
		skip "integration: expression change" "no ../shared/datasets/fer2013"; return 1; }
	tar -xzf "$DATA/fer2013/fer2013-train-publictest.tar.gz" -C "$T" validation 2>/dev/null
	# Faces the pipeline gets right (with detection, at the video's geometry).
	pick() {
		cls=$1
		imgs=$(ls "$T/validation/$cls"/*.jpg | head -40)
		set --; for i in $imgs; do set -- "$@" 0.034 "$i"; done
		"$mky4m" "$T/sel.y4m" 320 240 30 "$@"
		"$EMOTUNE" mood --source "file:$T/sel.y4m" > "$T/sel.json" 2>/dev/null
		"$PY" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
imgs = sys.argv[3].split()
good = [imgs[r["frame"]] for r in rows
        if len(r["faces"]) == 1 and r["faces"][0]["label"] == sys.argv[2]
        and r["faces"][0]["probs"][sys.argv[2]] > 0.6]
print(",".join(good[:3]))' "$T/sel.json" "$cls" "$imgs"
	}
	# Two expressions the model tells apart, happy and surprise preferred.
	A= B= ca= cb=
	for c in happy surprise sad neutral angry fear disgust; do
		[ -n "$B" ] && break
		imgs=$(pick $c)
		[ -n "$imgs" ] || continue
		if [ -z "$A" ]; then A=$imgs ca=$c; else B=$imgs cb=$c; fi
	done
	if [ -z "$A" ] || [ -z "$B" ]; then
		skip "integration: expression change" "the model does not recognise two expressions"
		return 1
	fi
	diag "fixture: 3 s of $ca, then 4 s of $cb"
	"$mky4m" "$T/fixture.y4m" 320 240 30 3 "$A" 4 "$B"
}
