#!/bin/sh
# Codec robustness of the shipped music mood model: music4q dev clips
# (mono Ogg Opus, 32 kb/s) transcoded to FLAC (sndfile-convert, 16 bit) and
# to 128 kb/s MP3 (lame, CBR) keep their predicted quadrant for >= 95% of
# the clips. By default the first EMOTUNE_CODEC_CLIPS (10) clips of each
# quadrant in name order; EMOTUNE_CODEC_FULL=1 takes all 700.
. "$top_srcdir/tests/lib.sh"
TAR="${DATA:-/nonexistent}/music4q/clips.tar"
[ -f "$TAR" ] || skip_all "no $EMOTUNE_SHARED/datasets/music4q/clips.tar"
for tool in sndfile-convert lame; do
	command -v $tool >/dev/null 2>&1 ||
		skip_all "no $tool (Debian packages sndfile-programs and lame)"
done
mkdir "$T/all" "$T/opus" "$T/flac" "$T/mp3"
tar -xf "$TAR" -C "$T/all"
per=${EMOTUNE_CODEC_CLIPS:-10}
[ "${EMOTUNE_CODEC_FULL:-0}" = 1 ] && per=175
for q in Q1 Q2 Q3 Q4; do
	ls "$T/all/$q" | sort | head -n "$per" | while read -r f; do
		b=${f%.opus}
		cp "$T/all/$q/$f" "$T/opus/$q-$b.opus"
		sndfile-convert -pcm16 "$T/all/$q/$f" "$T/flac/$q-$b.flac" &&
		sndfile-convert -pcm16 "$T/all/$q/$f" "$T/wav.wav" &&
		lame --quiet -b 128 --cbr "$T/wav.wav" "$T/mp3/$q-$b.mp3" ||
		echo "# conversion of $f failed"
	done
done
n=$(ls "$T/opus" | wc -l | tr -d ' ')
diag "$n clips, each as Opus, FLAC and MP3"
for k in opus flac mp3; do
	ok "scan of the $k files exits 0" exits 0 "$EMOTUNE" scan --jobs 2 --db "$T/$k.db" "$T/$k"
	# name without folder and extension, quadrant
	"$EMOTUNE" tracks --db "$T/$k.db" | tail -n +2 |
		awk -F'\t' '{ n = $1; sub(/.*\//, "", n); sub(/\.[a-z0-9]*$/, "", n); print n "\t" $5 }' |
		sort > "$T/$k.q"
	is "... $n $k tracks" "$(wc -l < "$T/$k.q" | tr -d ' ')" "$n"
done
for k in flac mp3; do
	same=$(join -t "$(printf '\t')" "$T/opus.q" "$T/$k.q" | awk -F'\t' '$2 == $3' | wc -l | tr -d ' ')
	join -t "$(printf '\t')" "$T/opus.q" "$T/$k.q" | awk -F'\t' '$2 != $3 { print "# moved: " $1 " " $2 " -> " $3 }'
	ok "$k keeps the Opus clip's quadrant for $same of $n (>= 95%)" \
		awk -v s="$same" -v n="$n" 'BEGIN { exit !(n > 0 && s >= 0.95 * n) }'
done
done_testing
