#!/bin/sh
# `emotune play`: WAV output through libao's file driver, gapless order,
# bad files skipped, driver errors, exit statuses. Test audio made with sox.
. "$top_srcdir/tests/lib.sh"
command -v sox >/dev/null 2>&1 || skip_all "sox not installed (tools/setup-deps)"

sox -n -r 44100 -c 2 -b 16 "$T/a.flac" synth 1.3 sine 440 sine 660 gain -3 2>/dev/null
sox -n -r 44100 -c 2 -b 16 "$T/b.flac" synth 0.7 pinknoise gain -6 2>/dev/null
sox -n -r 44100 -c 2 -b 16 "$T/c.wav" synth 0.25 sine 1000 gain -9 2>/dev/null
head -c 4000 /dev/zero | tr '\0' 'x' > "$T/bad.flac"
raw() { sox "$@" -t raw - 2>/dev/null; }

ok "play --help shows usage" sh -c '"$EMOTUNE" play --help | grep -q "^usage: emotune play"'
ok "no FILE: exit 2" exits 2 "$EMOTUNE" play --audio null
ok "... with a message" grep -q "emotune: play: no FILE" "$T/err"

ok "three files to wav:FILE exit 0" exits 0 "$EMOTUNE" play --audio "wav:$T/o.wav" --no-normalize "$T/a.flac" "$T/b.flac" "$T/c.wav"
ok "... writes a RIFF WAVE file" sh -c 'test "$(head -c 4 "$1")" = RIFF && test "$(dd if="$1" bs=1 skip=8 count=4 2>/dev/null)" = WAVE' sh "$T/o.wav"
raw "$T/a.flac" > "$T/want.raw"; raw "$T/b.flac" >> "$T/want.raw"; raw "$T/c.wav" >> "$T/want.raw"
raw "$T/o.wav" > "$T/got.raw"
ok "... exactly the decoded samples, in order, no gap" cmp -s "$T/want.raw" "$T/got.raw"
ok "... nothing on stdout or stderr" sh -c '! test -s "$1" && ! test -s "$2"' sh "$T/out" "$T/err"

ok "null output plays in real time, exit 0" exits 0 "$EMOTUNE" play --audio null "$T/c.wav"

ok "missing and corrupt files: exit 1" exits 1 "$EMOTUNE" play --audio "wav:$T/o2.wav" --no-normalize "$T/none.flac" "$T/c.wav" "$T/bad.flac" "$T/a.flac"
ok "... message for the missing file" grep -q "^emotune: $T/none.flac: cannot open: No such file or directory, skipped" "$T/err"
ok "... message for the corrupt file" grep -q "^emotune: $T/bad.flac: not a playable audio file.*skipped" "$T/err"
raw "$T/c.wav" > "$T/want2.raw"; raw "$T/a.flac" >> "$T/want2.raw"
raw "$T/o2.wav" > "$T/got2.raw"
ok "... the others still played, in order" cmp -s "$T/want2.raw" "$T/got2.raw"

ok "--volume 50 plays quieter" exits 0 "$EMOTUNE" play --audio "wav:$T/o3.wav" --volume 50 "$T/a.flac"
peak() { sox "$1" -n stat 2>&1 | awk '/Maximum amplitude/ { print $3 }'; }
ok "... peak about 1/8 (cubic volume curve)" awk -v a="$(peak "$T/a.flac")" -v b="$(peak "$T/o3.wav")" 'BEGIN { r = b / a; exit !(r > 0.12 && r < 0.13) }'

ok "unknown driver: exit 1" exits 1 "$EMOTUNE" play --audio no-such-driver "$T/a.flac"
ok "... message naming the driver" grep -q "^emotune: play: audio driver 'no-such-driver'" "$T/err"
ok "a file driver without a file: exit 1" exits 1 "$EMOTUNE" play --audio wav "$T/a.flac"
ok "... says to use wav:FILE" grep -q "wav:FILE" "$T/err"
ok "output that cannot be created: exit 1" exits 1 "$EMOTUNE" play --audio "wav:$T/no/dir/o.wav" "$T/c.wav"
ok "... message naming the driver, retried, then given up" sh -c 'grep -q "audio driver .wav.: cannot write" "$1" && grep -q "retrying" "$1" && grep -q "giving up" "$1"' sh "$T/err"

# Loudness from the library index: a quiet track, indexed, plays louder.
mkdir "$T/q"
sox -n -r 44100 -c 2 -b 16 "$T/q/quiet.flac" synth 2 sine 440 gain -30 2>/dev/null
if "$EMOTUNE" scan --db "$T/lib.db" "$T/q" >/dev/null 2>&1; then
	ok "indexed quiet track, normalised: exit 0" exits 0 "$EMOTUNE" play --db "$T/lib.db" --audio "wav:$T/qn.wav" "$T/q/quiet.flac"
	ok "... louder (the index's loudness was used)" awk -v a="$(peak "$T/q/quiet.flac")" -v b="$(peak "$T/qn.wav")" 'BEGIN { exit !(b > 2 * a) }'
	ok "with --no-normalize: exit 0" exits 0 "$EMOTUNE" play --db "$T/lib.db" --no-normalize --audio "wav:$T/qr.wav" "$T/q/quiet.flac"
	raw "$T/q/quiet.flac" > "$T/q.raw"; raw "$T/qr.wav" > "$T/qr.raw"
	ok "... untouched" cmp -s "$T/q.raw" "$T/qr.raw"
else
	skip "loudness from the library index" "emotune scan not available yet"
fi
ok "a file not in the index plays at 0 dB gain" exits 0 "$EMOTUNE" play --db "$T/lib.db" --audio "wav:$T/q0.wav" "$T/c.wav"
raw "$T/c.wav" > "$T/c.raw"; raw "$T/q0.wav" > "$T/q0.raw"
ok "... untouched" cmp -s "$T/c.raw" "$T/q0.raw"

# SIGTERM in the middle: stops, and the WAV file is complete (a valid header)
a="$T/a.flac"
"$EMOTUNE" play --audio null "$a" "$a" "$a" "$a" "$a" "$a" "$a" 2>"$T/err.int" &
pid=$!
# wait until its SIGTERM handler is in place (bit 15 of SigCgt), however
# slow the start (ASan, a loaded machine); the playlist lasts 9 s after that
n=0
while [ $n -lt 600 ]; do
	m=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$pid/status 2>/dev/null)
	[ -n "$m" ] && [ $(( (0x$m >> 14) & 1 )) = 1 ] && break
	sleep 0.05; n=$((n+1))
done
sleep 0.3
kill -TERM $pid
wait $pid
is "SIGTERM: exit 1" "$?" 1
ok "... says interrupted" grep -q "emotune: play: interrupted" "$T/err.int"

# A clip of the shared dataset (Ogg Opus), as check-cli plays it.
if [ -n "$DATA" ] && [ -f "$DATA/music4q/clips.tar" ]; then
	clip=$(tar -tf "$DATA/music4q/clips.tar" | grep '\.opus$' | head -1)
	tar -xf "$DATA/music4q/clips.tar" -C "$T" "$clip"
	ok "an Opus dataset clip to wav:FILE, exit 0" exits 0 "$EMOTUNE" play --audio "wav:$T/op.wav" --no-normalize "$T/$clip"
	ok "... about 30 s of sound" sh -c 'd=$(soxi -D "$1") && awk -v d="$d" "BEGIN { exit !(d > 25 && d < 35) }"' sh "$T/op.wav"
else
	skip "an Opus dataset clip to wav:FILE" "no ../shared/datasets/music4q"
fi
done_testing
