#!/bin/sh
# The V4L2 backend against the fake camera (tests/fakev4l2, LD_PRELOAD):
# listing, YUYV and MJPEG streaming, busy / denied / not-capture /
# unsupported-format devices, unplug mid-stream and recovery.
. "$top_srcdir/tests/lib.sh"
fake="$top_builddir/tests/fakev4l2/fakev4l2.so"
probe="$top_builddir/tests/fakev4l2/visionprobe"
[ -f "$fake" ] && [ -x "$probe" ] || skip_all "fakev4l2.so or visionprobe not built"
# An ASan-built program must accept a preloaded library before its runtime.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"; export ASAN_OPTIONS
export FAKEV4L2_DEV=/dev/video7 FAKEV4L2_FPS=200
dev=v4l2:/dev/video7
# A 64x48 binary PGM: left half 40, right half 240 (mean 140; the fake's
# own gradient has 127).
LC_ALL=C awk 'BEGIN { printf "P5\n64 48\n255\n"; for (y = 0; y < 48; y++) for (x = 0; x < 64; x++) printf "%c", (x < 32 ? 40 : 240) }' > "$T/pic.pgm"
export FAKEV4L2_IMAGE="$T/pic.pgm"
fake_run() { env LD_PRELOAD="$fake" "$@"; }
mean_ok() { awk '{ sub("mean=", "", $NF); if ($NF < 135 || $NF > 145) bad = 1; n++ } END { exit bad || n == 0 }' "$1"; }

fake_run "$EMOTUNE" cameras > "$T/cams" 2> "$T/cams.err"
ok "cameras exits 0" test $? = 0
ok "cameras lists the fake device with its formats and sizes" \
	grep -q "^/dev/video7	Fake Camera.*	fakev4l2	yes	YUYV 640x480 320x240; MJPG 640x480 320x240$" "$T/cams"
fake_run "$EMOTUNE" cameras --json > "$T/cams.json"
ok "cameras --json" grep -q '"path":"/dev/video7".*"capture":true' "$T/cams.json"
FAKEV4L2_FAIL=meta fake_run "$EMOTUNE" cameras > "$T/cams"
ok "a metadata node is listed as not capturing" grep -q "^/dev/video7	.*	no	" "$T/cams"

FAKEV4L2_FORMAT=yuyv fake_run "$probe" $dev 10 > "$T/out" 2> "$T/err"
ok "YUYV: 10 frames through libv4l2" test "$(grep -c '^frame .* 640 480 camera=ok' "$T/out")" = 10
ok "YUYV: the luma is the picture's" mean_ok "$T/out"
FAKEV4L2_FORMAT=mjpeg fake_run "$probe" $dev 10 > "$T/out" 2> "$T/err"
ok "MJPEG: 10 frames decoded by libv4lconvert" test "$(grep -c '^frame .* 640 480 camera=ok' "$T/out")" = 10
ok "MJPEG: the luma is the picture's" mean_ok "$T/out"

FAKEV4L2_FAIL=busy fake_run "$probe" $dev 3 > "$T/out" 2> "$T/err"
ok "busy device: fails" test $? = 1
ok "... saying so" grep -q "camera absent: /dev/video7: .*busy" "$T/err"
FAKEV4L2_FAIL=eacces fake_run "$probe" $dev 3 > "$T/out" 2> "$T/err"
ok "permission denied: fails" test $? = 1
ok "... saying so" grep -q "camera absent: /dev/video7: Permission denied" "$T/err"
FAKEV4L2_FAIL=meta fake_run "$probe" $dev 3 > "$T/out" 2> "$T/err"
ok "not a capture device: fails" test $? = 1
ok "... saying so" grep -q "not a video capture device" "$T/err"
FAKEV4L2_FORMAT=h264 fake_run "$probe" $dev 3 > "$T/out" 2> "$T/err"
ok "unsupported format: fails" test $? = 1
ok "... naming the formats offered" grep -q "unsupported format: the camera offers H264" "$T/err"
fake_run "$probe" v4l2:/dev/video8 3 > "$T/out" 2> "$T/err"
ok "missing device: fails" test $? = 1
ok "... saying so" grep -q "camera absent: /dev/video8: No such file or directory" "$T/err"

FAKEV4L2_UNPLUG_AFTER=10 FAKEV4L2_REPLUG_MS=1200 fake_run "$probe" $dev 20 > "$T/out" 2> "$T/err"
ok "unplug mid-stream: goes on after the replug" test "$(grep -c 'camera=ok' "$T/out")" = 20
ok "... reporting 'camera lost, retrying'" grep -q "camera lost: camera lost, retrying" "$T/err"
ok "... and 'camera back'" grep -q "camera ok: camera back" "$T/err"

# The whole command, when the emotion model is there.
if [ -f "$top_srcdir/weights/emotion.weights" ]; then
	fake_run "$EMOTUNE" mood --source $dev --frames 5 > "$T/out" 2> "$T/err"
	ok "mood on the fake camera: exit 0" test $? = 0
	ok "... 5 JSON lines" test "$(grep -c '^{"t":' "$T/out")" = 5
	FAKEV4L2_FAIL=busy fake_run "$EMOTUNE" mood --source $dev --frames 5 > "$T/out" 2> "$T/err"
	ok "mood on a busy camera: exit 1" test $? = 1
	ok "... with a message" grep -q "^emotune: mood: .*busy" "$T/err"
else
	skip "mood on the fake camera" "no weights/emotion.weights yet"
fi
done_testing
