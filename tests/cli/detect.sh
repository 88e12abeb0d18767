#!/bin/sh
# emotune detect: output format, options, bad images and cascades (issue 3).
. "$top_srcdir/tests/lib.sh"
HAAR=/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml

ok "--help" "$EMOTUNE" detect --help
exits 2 "$EMOTUNE" detect; is "no image: usage error" "$?" 0
exits 2 "$EMOTUNE" detect --scale 1 x.png; is "--scale 1 refused" "$?" 0
exits 2 "$EMOTUNE" detect --min-neighbors -1 x.png; is "--min-neighbors -1 refused" "$?" 0
exits 2 "$EMOTUNE" detect --min-size abc x.png; is "--min-size abc refused" "$?" 0

# a face-free image: header only
printf 'P5\n64 48\n255\n' >"$T/flat.pgm"
head -c 3072 /dev/zero | tr '\0' '\200' >>"$T/flat.pgm"
# bad inputs
printf 'not an image' >"$T/bad.png"
printf '<opencv_storage><cascade><stageType>BOOST</stageType>' >"$T/trunc.xml"
printf '<?xml version="1.0"?><opencv_storage><cascade type_id="opencv-cascade-classifier"><stageType>BOOST</stageType><featureType>HOG</featureType></cascade></opencv_storage>' >"$T/hog.xml"

if [ -f "$HAAR" ]; then
	exits 0 "$EMOTUNE" detect "$T/flat.pgm"; is "flat image: exit 0" "$?" 0
	is "header exactly" "$(cat "$T/out")" "$(printf '# path\tx\ty\tw\th')"
	exits 1 "$EMOTUNE" detect "$T/bad.png" "$T/missing.png" "$T/flat.pgm"
	is "bad images: exit 1" "$?" 0
	ok "bad image named" grep -q "^emotune: $T/bad.png: " "$T/err"
	ok "missing image named" grep -q "^emotune: $T/missing.png: No such file" "$T/err"
	is "other images still processed (header on stdout)" "$(head -1 "$T/out")" "$(printf '# path\tx\ty\tw\th')"
	exits 0 "$EMOTUNE" detect --json "$T/flat.pgm"
	is "--json: no face, no record" "$(cat "$T/out")" ""
else
	skip "flat image" "no opencv-data"
fi
exits 1 "$EMOTUNE" detect --cascade "$T/trunc.xml" "$T/flat.pgm"; is "truncated cascade: exit 1" "$?" 0
ok "truncated cascade: message" grep -q "^emotune: $T/trunc.xml: .*XML" "$T/err"
exits 1 "$EMOTUNE" detect --cascade "$T/hog.xml" "$T/flat.pgm"; is "HOG cascade: exit 1" "$?" 0
ok "HOG cascade: message" grep -q "^emotune: $T/hog.xml: .*unsupported feature type 'HOG'" "$T/err"
exits 1 "$EMOTUNE" detect --cascade "$T/none.xml" "$T/flat.pgm"; is "missing cascade: exit 1" "$?" 0
ok "missing cascade: message" grep -q "^emotune: $T/none.xml: No such file" "$T/err"
exits 1 "$EMOTUNE" detect --cascade "$T/bad.png" "$T/flat.pgm"; is "garbage cascade: exit 1" "$?" 0

# a real face, when the FER2013 tarball is there: one face, sensible box
TAR="${DATA:+$DATA/fer2013/fer2013-train-publictest.tar.gz}"
if [ -f "$HAAR" ] && [ -n "$TAR" ] && [ -f "$TAR" ] && [ -n "${SYS_PYTHON:-}" ] && "$SYS_PYTHON" -c 'import cv2' 2>/dev/null; then
	"$SYS_PYTHON" - "$TAR" "$T/face.png" <<'PY'
import sys, tarfile, cv2, numpy as np
with tarfile.open(sys.argv[1]) as t:
    m = t.getmember("validation/happy/PublicTest_10077305.jpg") if "validation/happy/PublicTest_10077305.jpg" in t.getnames() else next(x for x in t if x.name.startswith("validation/happy/"))
    im = cv2.imdecode(np.frombuffer(t.extractfile(m).read(), np.uint8), cv2.IMREAD_GRAYSCALE)
big = cv2.resize(im, (192, 192), interpolation=cv2.INTER_CUBIC)
cv2.imwrite(sys.argv[2], cv2.copyMakeBorder(big, 64, 64, 64, 64, cv2.BORDER_REPLICATE))
PY
	exits 0 "$EMOTUNE" detect "$T/face.png"; is "face image: exit 0" "$?" 0
	diag "$(tail -n +2 "$T/out")"
	ok "a face found inside the pasted square" awk -F'\t' 'NR > 1 { n++; if ($2 < 40 || $3 < 40 || $2 + $4 > 280 || $3 + $5 > 280 || $4 < 80) bad = 1 } END { exit !(n >= 1 && !bad) }' "$T/out"
	cp "$T/out" "$T/one"
	exits 1 "$EMOTUNE" detect "$T/bad.png" "$T/face.png"; is "bad image then a face: exit 1" "$?" 0
	is "the face still reported" "$(cat "$T/out")" "$(cat "$T/one")"
	exits 0 "$EMOTUNE" detect --json "$T/face.png"
	ok "--json record" grep -q '^{"path":".*face.png","x":[0-9]*,"y":[0-9]*,"w":[0-9]*,"h":[0-9]*}$' "$T/out"
else
	skip "face image" "no FER2013 tarball or no python3-opencv"
fi
done_testing
