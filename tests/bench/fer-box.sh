#!/bin/sh
# make bench: how the default Haar box relates to the FER2013 crop, for the
# emotion classifier's EMO_CROP_SCALE. FER2013 validation faces (48x48) are
# scaled to 192x192 (bicubic) and padded by 64 px (edge replicated) into
# 320x320 frames; `emotune detect` with its defaults searches them; for the
# frames with exactly one face we report the box side / 192 and the offset
# of the box centre from the FER crop centre, in units of the FER side.
set -eu
TAR="${EMOTUNE_SHARED:-}/datasets/fer2013/fer2013-train-publictest.tar.gz"
if [ ! -f "$TAR" ] || [ -z "${SYS_PYTHON:-}" ] || ! "$SYS_PYTHON" -c 'import cv2' 2>/dev/null; then
	echo "fer-box bench: skipped (needs the FER2013 tarball and python3-opencv)"; exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/emotune-ferbox.XXXXXX")
trap 'rm -rf "$T"' EXIT
STEP=${FER_BOX_STEP:-1}
"$SYS_PYTHON" - "$TAR" "$T" "$STEP" <<'PY'
import sys, tarfile, cv2, numpy as np
out, step = sys.argv[2], int(sys.argv[3])
# one sequential pass: seeking back in a .tar.gz decompresses it again
with tarfile.open(sys.argv[1]) as t:
    i = 0
    for m in t:
        if not (m.isfile() and m.name.startswith("validation/") and m.name.endswith(".jpg")):
            continue
        i += 1
        if i % step:
            continue
        im = cv2.imdecode(np.frombuffer(t.extractfile(m).read(), np.uint8), cv2.IMREAD_GRAYSCALE)
        big = cv2.resize(im, (192, 192), interpolation=cv2.INTER_CUBIC)
        cv2.imwrite("%s/%05d.png" % (out, i), cv2.copyMakeBorder(big, 64, 64, 64, 64, cv2.BORDER_REPLICATE))
PY
nice -n 10 "$EMOTUNE" detect "$T"/*.png >"$T/faces.tsv"
ls "$T"/*.png | wc -l >"$T/n"
"$SYS_PYTHON" - "$T/faces.tsv" "$(cat "$T/n")" <<'PY'
import sys, statistics as st
per = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    p, x, y, w, h = line.split("\t")
    per.setdefault(p, []).append((int(x), int(y), int(w), int(h)))
n = int(sys.argv[2])
one = [v[0] for v in per.values() if len(v) == 1]
ratio = [b[2] / 192.0 for b in one]
dx = [(b[0] + b[2] / 2.0 - 160) / 192.0 for b in one]
dy = [(b[1] + b[3] / 2.0 - 160) / 192.0 for b in one]
print("FER validation images: %d; with exactly one face: %d (%.1f%%); none: %d; several: %d"
      % (n, len(one), 100.0 * len(one) / n, n - len(per), sum(1 for v in per.values() if len(v) > 1)))
print("box side / FER side: mean %.3f, median %.3f, sd %.3f" % (st.mean(ratio), st.median(ratio), st.pstdev(ratio)))
print("box centre - FER centre, in FER sides: x mean %+.3f (sd %.3f), y mean %+.3f (sd %.3f)"
      % (st.mean(dx), st.pstdev(dx), st.mean(dy), st.pstdev(dy)))
k = 1.0 / st.mean(ratio)
print("FER-like crop of a detected box (x, y, s): side %.3f s, centre (x + s/2 %+.3f s, y + s/2 %+.3f s)"
      % (k, -st.mean(dx) * k, -st.mean(dy) * k))
PY
