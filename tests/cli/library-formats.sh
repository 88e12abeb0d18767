#!/bin/sh
# emotune scan / tracks (issue 18): every common format is analysed (M4A/AAC
# through FFmpeg lands where the FLAC original does), a file no decoder
# reads is counted as failed and named ("unsupported format"), and silence
# or near-silence gets no mood (quadrant "-", valence/arousal empty) and is
# never recommended.
. "$top_srcdir/tests/lib.sh"
TAB=$(printf '\t')
DB="$T/lib.db"

# --- silence (sox) -----------------------------------------------------------
if command -v sox >/dev/null 2>&1; then
	S="$T/quiet"
	mkdir "$S"
	sox -n -r 44100 -c 2 -b 16 "$S/silence.wav" trim 0 60 2>/dev/null
	sox -n -r 44100 -c 2 -b 16 "$S/hiss.flac" synth 45 whitenoise vol -70dB 2>/dev/null
	cp "$top_srcdir/music/q1-sunny-run.flac" "$S/"
	ok "scan of silence, hiss and one piece exits 0" exits 0 "$EMOTUNE" scan --db "$T/q.db" "$S"
	ok "... 3 added, nothing failed" grep -q "^scan: 3 files: 3 added, .* 0 failed" "$T/err"
	"$EMOTUNE" tracks --db "$T/q.db" > "$T/tracks"
	is "60 s of digital silence: no mood (quadrant -, valence/arousal empty)" \
		"$(awk -F'\t' '$1 ~ /silence.wav$/ { print $3 "|" $4 "|" $5 }' "$T/tracks")" "||-"
	is "near-silence (-70 dB hiss): no mood" \
		"$(awk -F'\t' '$1 ~ /hiss.flac$/ { print $5 }' "$T/tracks")" "-"
	is "the music still has its quadrant" \
		"$(awk -F'\t' '$1 ~ /sunny-run.flac$/ { print $5 }' "$T/tracks")" "Q1"
	ok "tracks --json: valence null, quadrant \"-\"" sh -c \
		'"$1" --json tracks --db "$2" | grep "silence.wav" | grep -q "\"valence\":null,\"arousal\":null,\"quadrant\":\"-\""' \
		sh "$EMOTUNE" "$T/q.db"
	for e in sad angry neutral happy; do
		"$EMOTUNE" recommend --db "$T/q.db" --emotion "$e" -n 5 > "$T/rec" 2>/dev/null
		ok "recommend --emotion $e never picks silence" sh -c '! grep -q "silence.wav\|hiss.flac" "$1" && grep -q sunny-run "$1"' sh "$T/rec"
	done
else
	skip "silence" "sox not installed"
fi

# --- M4A (AAC) and other containers through FFmpeg ------------------------------
command -v ffmpeg >/dev/null 2>&1 || { skip "M4A" "ffmpeg not installed"; done_testing; exit 0; }
M="$T/m4a"
mkdir "$M"
for f in "$top_srcdir"/music/*.flac; do
	b=$(basename "$f" .flac)
	ffmpeg -nostdin -v error -i "$f" -c:a aac -b:a 192k "$M/$b.m4a"
done
ffmpeg -nostdin -v error -i "$top_srcdir/music/q4-still-lake.flac" -c:a alac "$M/alac.m4a"
ffmpeg -nostdin -v error -i "$top_srcdir/music/q2-red-alert.flac" -c:a libopus -b:a 96k "$M/opus.mka" 2>/dev/null ||
	ffmpeg -nostdin -v error -i "$top_srcdir/music/q2-red-alert.flac" -c:a aac "$M/opus.mka"
echo "this is text, not an AAC stream" > "$M/bogus.m4a"
head -c 30000 /dev/urandom > "$M/noise.wma"
ok "scan of a folder of .m4a/.mka files exits 0" exits 0 "$EMOTUNE" scan --db "$DB" "$M"
ok "... 10 added, 2 failed (not '0 files')" grep -q "^scan: 12 files: 10 added, .* 2 failed" "$T/err"
ok "... the bogus .m4a is named: unsupported format" grep -q "bogus.m4a: unsupported format" "$T/err"
ok "... the noise .wma is named" grep -q "noise.wma: " "$T/err"
"$EMOTUNE" tracks --db "$DB" > "$T/m4a.tracks"
# The FLAC originals' quadrants (whole decode, the reference).
"$EMOTUNE" scan --db "$T/flac.db" "$top_srcdir/music" 2>/dev/null
"$EMOTUNE" tracks --db "$T/flac.db" > "$T/flac.tracks"
for f in "$top_srcdir"/music/*.flac; do
	b=$(basename "$f" .flac)
	want=$(awk -F'\t' -v b="/$b.flac" 'substr($1, length($1) - length(b) + 1) == b { print $5 }' "$T/flac.tracks")
	got=$(awk -F'\t' -v b="/$b.m4a" 'substr($1, length($1) - length(b) + 1) == b { print $5 }' "$T/m4a.tracks")
	is "$b.m4a (AAC) lands where the FLAC does ($want)" "$got" "$want"
done
ok "ALAC in M4A analysed, titles from the tags" grep -q "alac.m4a${TAB}20.00${TAB}.*${TAB}Still Lake${TAB}" "$T/m4a.tracks"
ok "Matroska analysed" grep -q "opus.mka${TAB}" "$T/m4a.tracks"
done_testing
