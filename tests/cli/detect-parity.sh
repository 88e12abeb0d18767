#!/bin/sh
# emotune detect against OpenCV's CascadeClassifier (issue 3): FER2013
# validation faces pasted, scaled up, into 640x480 frames, plus real photos
# from Debian packages where installed (opencv-doc's examples, scikit-image's
# data) or in $EMOTUNE_PHOTO_DIRS (':'-separated). >= 98% of OpenCV's faces
# matched (IoU >= 0.5) and >= 98% of the images without extra faces, for the
# default Haar cascade and the LBP frontal-face cascade.
. "$top_srcdir/tests/lib.sh"
TAR="$DATA/fer2013/fer2013-train-publictest.tar.gz"
[ -n "$DATA" ] && [ -f "$TAR" ] || skip_all "no FER2013 tarball under \$EMOTUNE_SHARED/datasets"
[ -n "${SYS_PYTHON:-}" ] && "$SYS_PYTHON" -c 'import cv2' 2>/dev/null || skip_all "no python3 with OpenCV (python3-opencv)"
HAAR=/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml
LBP=/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml
[ -f "$HAAR" ] || skip_all "no OpenCV cascades (opencv-data)"
NFACES=${DETECT_PARITY_FACES:-100}
PHOTOS="/usr/share/doc/opencv-doc/examples/data /usr/lib/python3/dist-packages/skimage/data $(echo "${EMOTUNE_PHOTO_DIRS:-}" | tr ':' ' ')"
plan 9
n=0
for casc in "$HAAR" "$LBP"; do
	n=$((n+1))
	D="$T/$n"; mkdir -p "$D"
	# shellcheck disable=SC2086
	ok "frames and OpenCV reference ($(basename "$casc"))" \
		"$SYS_PYTHON" "$top_srcdir/tests/cli/detect_parity.py" make "$TAR" "$D" "$NFACES" "$n" "$casc" $PHOTOS
	# shellcheck disable=SC2046
	"$EMOTUNE" detect --cascade "$casc" $(cat "$D/list") >"$D/emotune.tsv" 2>"$D/err"
	is "emotune detect exits 0" "$?" 0
	"$SYS_PYTHON" "$top_srcdir/tests/cli/detect_parity.py" compare "$D/opencv.tsv" "$D/emotune.tsv" "$D/list" >"$D/cmp"
	rc=$?
	sed "s/^/$(basename "$casc"): /" "$D/cmp" | while read -r l; do diag "$l"; done
	is "parity with OpenCV ($(basename "$casc"))" "$rc" 0
done

# the hand-made cascades of the fuzz corpus: tilted features, trees of Haar
# and LBP features; raw hits grouped with min-neighbours 3, no minimum size,
# on 120x90 frames (these cascades accept most windows):
# the very same rectangles as OpenCV
imgs=$(cat "$T/1/small-list")
for casc in "$top_srcdir"/tests/fuzz/corpus/*.xml; do
	# shellcheck disable=SC2086
	"$SYS_PYTHON" "$top_srcdir/tests/cli/detect_parity.py" opencv "$casc" 3 0 "$T/ref.tsv" $imgs
	# shellcheck disable=SC2086
	"$EMOTUNE" detect --cascade "$casc" --min-neighbors 3 --min-size 0 $imgs >"$T/got.tsv"
	is "same rectangles as OpenCV ($(basename "$casc"), $(($(wc -l <"$T/ref.tsv") - 1)) faces)" \
		"$(sort "$T/got.tsv" | md5sum)" "$(sort "$T/ref.tsv" | md5sum)"
done
