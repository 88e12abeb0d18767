#!/bin/sh
# make bench: face detection, ms per 640x480 frame with one face (FER2013
# validation faces pasted at 120-200 px on a textured background; mean of 4
# frames), emotune vs OpenCV (cv2.setNumThreads(1)), same parameters
# (scale 1.1, min neighbours 5, min size 40), Haar and LBP frontal-face
# cascades, full frames and frames downscaled by 2 (min size 20).
# Process CPU time, best of 5 rounds of DETECT_BENCH_ITER (5) passes over
# DETECT_BENCH_FRAMES (4) frames.
set -eu
BENCH="$top_builddir/tests/bench/bench_detect"
PY="$top_srcdir/tests/bench/cv_detect_time.py"
TAR="${EMOTUNE_SHARED:-}/datasets/fer2013/fer2013-train-publictest.tar.gz"
if [ ! -f "$TAR" ] || [ -z "${SYS_PYTHON:-}" ] || ! "$SYS_PYTHON" -c 'import cv2' 2>/dev/null; then
	echo "detect bench: skipped (needs the FER2013 tarball and python3-opencv)"; exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/emotune-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$SYS_PYTHON" - "$TAR" "$T" "${DETECT_BENCH_FRAMES:-4}" <<'PY'
import sys, tarfile, random, cv2, numpy as np
rng = random.Random(3)
faces = []
with tarfile.open(sys.argv[1]) as t:  # sequential: no seeking back in the .gz
    for m in t:
        if m.isfile() and m.name.startswith("validation/happy/") and rng.random() < 0.05:
            faces.append(cv2.imdecode(np.frombuffer(t.extractfile(m).read(), np.uint8), cv2.IMREAD_GRAYSCALE))
k = 0
for face in faces:
    nr = np.random.RandomState(k)
    bg = cv2.GaussianBlur(cv2.resize(nr.randint(0, 256, (60, 80)).astype(np.uint8), (640, 480), interpolation=cv2.INTER_CUBIC), (0, 0), 4)
    frame = np.clip(bg * 0.6 + 50, 0, 255).astype(np.uint8)
    s = rng.randint(120, 200)
    x, y = rng.randint(0, 640 - s), rng.randint(0, 480 - s)
    frame[y:y + s, x:x + s] = cv2.resize(face, (s, s), interpolation=cv2.INTER_CUBIC)
    c = cv2.CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
    if len(c.detectMultiScale(frame, 1.1, 5, 0, (40, 40))) == 1:
        cv2.imwrite("%s/frame%d.png" % (sys.argv[2], k), frame)
        k += 1
    if k == int(sys.argv[3]):
        break
PY
mean() { awk '{ s += $1 } END { printf "%.1f", s / NR }'; }
printf '%-34s %10s %10s %6s\n' "cascade, frame" "emotune ms" "OpenCV ms" "ratio"
for c in haarcascades/haarcascade_frontalface_default.xml lbpcascades/lbpcascade_frontalface.xml \
	 lbpcascades/lbpcascade_frontalface_improved.xml; do
	for down in 1 2; do
		casc=/usr/share/opencv4/$c
		me=$(nice -n 10 "$BENCH" "$casc" "${DETECT_BENCH_ITER:-5}" --downscale $down "$T"/frame*.png | mean)
		cv=$(nice -n 10 "$SYS_PYTHON" "$PY" "$casc" "${DETECT_BENCH_ITER:-5}" --downscale $down "$T"/frame*.png | mean)
		label="$(basename "$c" .xml), $((640 / down))x$((480 / down))"
		printf '%-34s %10s %10s %6s\n' "$label" "$me" "$cv" "$(echo "$me $cv" | awk '{ printf "%.2f", $1 / $2 }')"
	done
done
