#!/bin/sh
# Issue 10's faults end to end, through the real `emotune --headless`: each
# one logged as a JSON event line, survived (the instance answers `remote
# status`) and recovered.
#  - sound device lost and back: the output is `wav:FILE`. At start FILE's
#    folder is missing (the device cannot be opened); then FILE is a FIFO
#    read at the rate of the sound (so that, like a sound card, it paces
#    the player), whose reader is killed mid-play (writes fail with EPIPE,
#    as a sound card's do when it is unplugged) and started again.
#  - camera unplugged and plugged back: the fake V4L2 camera
#    (tests/fakev4l2/fakev4l2.so, LD_PRELOAD) disappears after a few
#    frames and comes back 1.5 s later; frames and the mood flow again.
#  - the music folder unmounted: renamed away and back; emptied (what an
#    unmounted disk leaves of its mount point) while running and across a
#    restart, and filled again.
# While the camera runs, privacy: no file is written but the index (which
# holds the mood history too) and the resume state, and the instance holds
# no network socket; with --no-camera
# no camera is ever opened (the fake one logs every call).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
fake="$top_builddir/tests/fakev4l2/fakev4l2.so"
mky4m="$top_builddir/tests/fakev4l2/mky4m"
[ -f "$fake" ] && [ -x "$mky4m" ] || skip_all "fakev4l2.so or mky4m not built"
# An ASan-built program must accept a preloaded library before its runtime.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"; export ASAN_OPTIONS
make_wavs 6 30
OUT="$T/hl.out"
# count PATTERN: event lines of the instance matching PATTERN
count() { grep -c "$1" "$OUT" 2>/dev/null || true; }
# wait_count PATTERN N: until N lines match (60 s at most)
wait_count() {
	i=0
	while [ "$(count "$1")" -lt "$2" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
	[ "$(count "$1")" -ge "$2" ]
}
# grows FILE: FILE gets bigger within 20 s
grows() {
	s0=$(stat -c %s "$1" 2>/dev/null || echo 0) i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -le "$s0" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt "$s0" ]
}
# sound_card FIFO OUT: reads FIFO at 16000 bytes/s (8 kHz mono 16-bit) into OUT
sound_card() {
	exec python3 -c '
import sys, time
src, out = open(sys.argv[1], "rb"), open(sys.argv[2], "wb")
while True:
    b = src.read(1600)
    if not b:
        break
    out.write(b); out.flush(); time.sleep(0.1)' "$1" "$2"
}
# after A B: a line matching B comes after the last line matching A
after() { awk -v a="$1" -v b="$2" '$0 ~ a { n = NR; m = 0 } n && NR > n && $0 ~ b { m = 1 } END { exit !m }' "$OUT"; }
# wait_for_after A B: until after A B holds (20 s at most)
wait_for_after() {
	i=0
	while ! after "$1" "$2" && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
	after "$1" "$2"
}
alive() { kill -0 $HL_PID 2>/dev/null && "$EMOTUNE" remote status >/dev/null; }

# --- the sound device
SND="$T/snd"
ok "headless starts with a sound device that cannot be opened" start_hl --audio "wav:$SND/out.wav"
ok "... 'sound device lost' is logged" wait_count '"event":"warning","message":"sound device lost: ' 1
ok "... and it survives" alive
is "... still playing (waiting for the device)" "$(st state)" playing
mkdir "$SND" && mkfifo "$SND/out.wav"
sound_card "$SND/out.wav" "$T/sink1" &
reader=$!
ok "the device appears: 'sound device back' is logged" wait_count '"event":"warning","message":"sound device back' 1
ok "... and the samples reach it" grows "$T/sink1"
kill $reader; wait $reader 2>/dev/null
ok "the device goes away mid-play (EPIPE): logged" wait_count '"event":"warning","message":"sound device lost: ' 2
ok "... survived" alive
sound_card "$SND/out.wav" "$T/sink2" &
reader=$!
ok "the device comes back: logged" wait_count '"event":"warning","message":"sound device back' 2
ok "... and the samples flow again" grows "$T/sink2"
is "... still playing" "$(st state)" playing
is "... the same track all along (the player waited for the device)" "$(grep -c '"event":"track_start"' "$OUT")" 1
stop_hl; rc=$?
is "clean stop (exit 0, no leak under ASan)" "$rc" 0
kill $reader 2>/dev/null; wait $reader 2>/dev/null
: > "$OUT"

# --- the camera; a face picture when the model and the faces are there
pic=
if [ -f "$top_srcdir/weights/emotion.weights" ] && [ -n "$DATA" ] &&
   [ -f "$DATA/fer2013/fer2013-train-publictest.tar.gz" ]; then
	tar -xzf "$DATA/fer2013/fer2013-train-publictest.tar.gz" -C "$T" validation/happy 2>/dev/null
	# the first face the pipeline finds at the camera's geometry
	for img in $(ls "$T/validation/happy"/*.jpg 2>/dev/null | head -30); do
		"$mky4m" "$T/one.y4m" 320 240 30 0.034 "$img" 2>/dev/null || continue
		"$EMOTUNE" mood --source "file:$T/one.y4m" --frames 1 > "$T/one.json" 2>/dev/null
		grep -q '"faces":\[{' "$T/one.json" || continue
		# the y4m's luma plane as a binary PGM for the fake camera
		{ printf 'P5\n320 240\n255\n'; tail -c $((320 * 240 * 3 / 2)) "$T/one.y4m" | head -c $((320 * 240)); } > "$T/face.pgm"
		pic="$T/face.pgm"
		break
	done
fi
export FAKEV4L2_DEV=/dev/video7 FAKEV4L2_FPS=10 FAKEV4L2_UNPLUG_AFTER=5 FAKEV4L2_REPLUG_MS=1500
[ -n "$pic" ] && export FAKEV4L2_IMAGE="$pic"
touch "$T/mark"
HL_PRELOAD="$fake" HL_CAMERA="--source v4l2:/dev/video7" start_hl
ok "headless starts on the fake camera" test $? = 0
ok "the unplug is logged" wait_count '"event":"camera","state":"lost: camera lost, retrying' 1
ok "... survived" alive
ok "the replug is logged ('camera back')" wait_count '"event":"camera","state":"back: camera back' 1
frames=$(st frames)
diag "frames when 'camera back' was seen: $frames"
ok "frames flow again after the replug (10 more)" st_above frames $((frames + 10))
is "status: camera_ok=yes" "$(st camera_ok)" yes
if [ -n "$pic" ]; then
	# 5 frames (0.5 s) are fewer than the 1 s hysteresis: the first mood
	# can only come from frames read after the replug
	ok "a mood from the camera after the replug" wait_count '"event":"mood","mood":"[a-z]*"' 1
	ok "... logged after 'camera back'" wait_for_after '"event":"camera","state":"back' '"event":"mood"'
	is "... and shown by status" "$(st mood_source)" camera
	ok "... not uncertain" sh -c '[ "$1" != uncertain ] && [ -n "$1" ]' sh "$(st mood)"
else
	skip "a mood from the camera after the replug" "no emotion weights or no ../shared/datasets/fer2013"
fi
# privacy, while frames flow
ok "privacy: no file written but the index, the resume state and the logs" sh -c '
	find "$1" -type f -newer "$1/mark" ! -name "hl.out" ! -name "hl.err" ! -name "ok.out" \
		! -name "lib.db*" ! -name "resume*" | grep . && exit 1; exit 0' sh "$T"
net_sockets() {
	for f in /proc/$HL_PID/fd/*; do
		l=$(readlink "$f") || continue
		case $l in socket:*) i=${l#socket:[}; i=${i%]}
			cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 /proc/net/raw /proc/net/raw6 2>/dev/null |
				awk -v i="$i" '$10 == i { print "network socket " i; f = 1 } END { exit f }' || return 1;;
		esac
	done
}
ok "privacy: the mood history is kept (rows while the camera runs, in the index only)" sh -c '
	"$1" remote history 3 > "$2/rh" && [ "$(grep -vc "^#" "$2/rh")" -ge 1 ]' sh "$EMOTUNE" "$T"
ok "privacy: no network socket" net_sockets
ok "... (it holds its UNIX socket)" sh -c 'ls -l /proc/$1/fd | grep -q socket:' sh $HL_PID

# --- the music folder unmounted and back (same instance)
is "tracks are indexed" "$(st_until tracks 6)" 6
mv "$T/music" "$T/music.away"
ok "the folder goes away: logged" wait_count '"event":"warning","message":"music folder .* is gone' 1
ok "... survived" alive
is "... the index keeps its tracks" "$(st tracks)" 6
# skipping the current track: nothing else can be played while it is gone
"$EMOTUNE" remote next >/dev/null 2>&1
diag "state with the folder gone, after next: $(st_until state stopped)"
mv "$T/music.away" "$T/music"
ok "the folder comes back: logged" wait_count '"event":"warning","message":"music folder .* is back' 1
is "... playing again by itself" "$(st_until state playing)" playing
ok "... a track started after the folder came back" wait_for_after '"message":"music folder .* is back' '"event":"track_start","path":"'"$T"'/music/t0'
is "... all 6 tracks" "$(st tracks)" 6

# A disk unmounted from the folder that was its mount point leaves the
# folder there, empty: gone as well (scanning it would drop its tracks).
mkdir "$T/disk"
mv "$T/music"/* "$T/disk/"
ok "the folder left empty (an unmounted mount point): logged as gone" \
	wait_for_after '"message":"music folder .* is back' '"message":"music folder .* is gone .*No medium found'
is "... the index keeps its tracks" "$(st tracks)" 6
stop_hl; rc=$?
is "clean stop" "$rc" 0
ok "no error event" sh -c '! grep -q "\"event\":\"error\"" "$1"' sh "$OUT"
: > "$OUT"
ok "restarts with the folder still empty" start_hl
ok "... logged" wait_for "$OUT" '"message":"music folder .*: No medium found'
ok "... survived" alive
is "... no scan has dropped the tracks" "$(st tracks)" 6
mv "$T/disk"/* "$T/music/"
ok "the disk is back: logged, rescanned" wait_for "$OUT" '"message":"music folder .* is back: rescanning'
ok "... scan done, nothing removed" wait_for "$OUT" '"event":"scan","status":"done 6 tracks (.* 0 removed)'
is "... playing again" "$(st_until state playing)" playing
is "... all 6 tracks" "$(st tracks)" 6
stop_hl; rc=$?
is "clean stop" "$rc" 0

# --- --no-camera: no camera is opened, even one the automatic choice would take
: > "$OUT"
unset FAKEV4L2_UNPLUG_AFTER FAKEV4L2_REPLUG_MS
export FAKEV4L2_DEV=/dev/video0 FAKEV4L2_LOG="$T/cam.log"
HL_PRELOAD="$fake" start_hl
ok "--no-camera: starts" test $? = 0
ok "... the camera state 'off' is logged" wait_for "$OUT" '"event":"camera","state":"off"'
ok "... the library is scanned meanwhile" wait_for "$OUT" '"event":"scan","status":"done'
ok "... no call on the camera" test ! -s "$T/cam.log"
ok "camera on (through the socket)" "$EMOTUNE" remote camera on
ok "... the camera is found and opened" wait_for "$OUT" '"event":"camera","state":"ok"'
ok "... (the fake camera logged it)" grep -q "^open /dev/video0" "$T/cam.log"
stop_hl; rc=$?
is "clean stop" "$rc" 0
done_testing
