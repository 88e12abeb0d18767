#!/bin/sh
# emotune scan / tracks: the demo library lands in its quadrants, rescans
# skip unchanged files, pruning, model change, default database, real music.
. "$top_srcdir/tests/lib.sh"
M="$T/music"
DB="$T/lib.db"
mkdir "$M"
cp "$top_srcdir"/music/*.flac "$M"/
TAB=$(printf '\t')
count() { "$EMOTUNE" tracks --db "$1" | tail -n +2 | wc -l | tr -d ' '; }

ok "scan of the demo library exits 0" exits 0 "$EMOTUNE" scan --db "$DB" "$M"
ok "... summary: 8 added" grep -q "^scan: 8 files: 8 added, 0 updated" "$T/err"
"$EMOTUNE" tracks --db "$DB" > "$T/tracks"
is "tracks header" "$(head -1 "$T/tracks")" "# path${TAB}duration_s${TAB}valence${TAB}arousal${TAB}quadrant${TAB}title${TAB}artist"
is "8 demo tracks" "$(count "$DB")" 8
for f in "$M"/*.flac; do
	b=$(basename "$f")
	want=$(echo "$b" | sed 's/^q\([1-4]\)-.*/Q\1/')
	line=$(awk -F'\t' -v p="$f" '$1 == p' "$T/tracks")
	got=$(echo "$line" | cut -f5)
	a=$(echo "$line" | cut -f4)
	# Arousal: Q1/Q2 pieces high, Q3/Q4 low (the analysis gets these right).
	case $want in Q1|Q2) high=1 ;; *) high=0 ;; esac
	ok "synth piece $b: arousal $a on the intended side" awk -v a="$a" -v h="$high" 'BEGIN { exit !((a >= 0) == h) }'
	# Quadrant: each piece carries its quadrant's cues (tools/synth.c) and
	# the shipped model must place it there (issue 6). A miss fails, unless
	# "library-demo-<piece>" is listed in tests/known-gaps (then it is a TODO).
	_t_n=$((_t_n+1))
	if [ "$got" = "$want" ]; then echo "ok $_t_n - synth piece $b lands in $want"
	elif grep -q "^library-demo-${b%.flac}\$" "$top_srcdir/tests/known-gaps" 2>/dev/null; then
		echo "not ok $_t_n - synth piece $b lands in $want (got $got) # TODO known gap (tests/known-gaps)"
	else echo "not ok $_t_n - synth piece $b lands in $want (got $got)"; fi
done
ok "valence/arousal in [-1,1], quadrant from their signs" awk -F'\t' 'NR > 1 {
	q = ($4 >= 0) ? (($3 >= 0) ? "Q1" : "Q2") : (($3 < 0) ? "Q3" : "Q4")
	if ($3 < -1 || $3 > 1 || $4 < -1 || $4 > 1 || q != $5 || NF != 7) exit 1 }' "$T/tracks"
ok "titles and artists from the FLAC tags, durations" grep -q "${TAB}20.00${TAB}.*${TAB}Sunny Run${TAB}emotune synth\$" "$T/tracks"

ok "rescan exits 0" exits 0 "$EMOTUNE" scan --db "$DB" "$M"
ok "... nothing analysed again" grep -q "8 files: 0 added, 0 updated, 8 unchanged, 0 re-rated, 0 removed, 0 failed" "$T/err"

touch -d '2001-01-01 00:00' "$M/q1-sunny-run.flac"
rm "$M/q4-still-lake.flac"
ok "rescan after a change and a removal" exits 0 "$EMOTUNE" scan --db "$DB" "$M"
ok "... changed file re-analysed, removed one pruned" grep -q "7 files: 0 added, 1 updated, 6 unchanged, 0 re-rated, 1 removed" "$T/err"
is "... 7 tracks left" "$(count "$DB")" 7

mkdir "$T/other"
cp "$top_srcdir/music/q4-still-lake.flac" "$T/other/"
ok "a second root adds its file" exits 0 "$EMOTUNE" scan --db "$DB" "$T/other"
ok "... and prunes nothing of the first" grep -q "1 files: 1 added, .* 0 removed" "$T/err"
ok "scanning the first root again keeps the second's" exits 0 "$EMOTUNE" scan --db "$DB" "$M"
is "... 8 tracks" "$(count "$DB")" 8

# A new model (here: the same one with a different normalisation file
# comment, so another model id) re-rates from the stored features.
mkdir -p "$T/share/nets" "$T/share/weights"
cp "$top_srcdir/nets/music_mood.cfg" "$T/share/nets/"
cp "$top_srcdir/weights/music_mood.svm" "$top_srcdir/weights/music_mood.norm" \
	"$top_srcdir"/weights/music_mood.stack*.svr "$T/share/weights/"
echo "# another model" >> "$T/share/weights/music_mood.norm"
ok "a new model re-rates without decoding" exits 0 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$DB" "$M" "$T/other"
ok "... 8 re-rated" grep -q "8 files: 0 added, 0 updated, 0 unchanged, 8 re-rated" "$T/err"
# A broken model is refused with a reason naming the file.
head -c 1000 "$top_srcdir/weights/music_mood.svm" > "$T/share/weights/music_mood.svm"
ok "truncated SVM model: scan exits 1" exits 1 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$DB" "$M"
ok "... naming the model file" grep -q "emotune: scan: .*music_mood.svm" "$T/err"

# JSON
if [ -n "${SYS_PYTHON:-}" ]; then
	ok "tracks --json is JSON with 8 records" sh -c '"$EMOTUNE" tracks --db "$1" --json | "$SYS_PYTHON" -c "import json,sys; d=json.load(sys.stdin); assert len(d)==8 and set(d[0])=={\"path\",\"duration_s\",\"valence\",\"arousal\",\"quadrant\",\"title\",\"artist\"}"' sh "$DB"
else
	skip "tracks --json" "no python3"
fi

# Default database under $XDG_DATA_HOME; the `db` setting.
export XDG_DATA_HOME="$T/xdg"
ok "scan without --db uses \$XDG_DATA_HOME/emotune/library.db" exits 0 "$EMOTUNE" scan "$T/other"
ok "... which exists" test -f "$T/xdg/emotune/library.db"
is "... tracks reads it" "$("$EMOTUNE" tracks | tail -n +2 | wc -l | tr -d ' ')" 1
printf 'db = %s\n' "$DB" > "$T/conf"
is "the db setting of the config file" "$("$EMOTUNE" --config "$T/conf" tracks | tail -n +2 | wc -l | tr -d ' ')" 8

# Errors
ok "tracks without a database exits 1" exits 1 "$EMOTUNE" tracks --db "$T/none.db"
ok "... saying so" grep -q "emotune: .*none.db: no library database" "$T/err"
ok "scan without DIR exits 2" exits 2 "$EMOTUNE" scan --db "$DB"
ok "scan --jobs x exits 2" exits 2 "$EMOTUNE" scan --jobs x --db "$DB" "$M"
ok "scan of a missing folder exits 1 and says so" exits 1 "$EMOTUNE" scan --db "$DB" "$T/nowhere"
ok "... with the folder's name" grep -q "emotune: scan: $T/nowhere: No such file" "$T/err"
printf 'not a database at all, just some text that is long enough.............\n' > "$T/text.db"
ok "a file that is not a database is refused (exit 1)" exits 1 "$EMOTUNE" scan --db "$T/text.db" "$M"

# Real music: Debian's extremetuxracer-data (tools/setup-deps installs it).
ETR=/usr/share/games/etr/music
if [ -d "$ETR" ]; then
	n=$(ls "$ETR"/*.ogg | wc -l | tr -d ' ')
	ok "scan of extremetuxracer's Ogg music exits 0" exits 0 "$EMOTUNE" scan --db "$T/etr.db" --jobs 2 "$ETR"
	ok "... no failures" grep -q "^scan: $n files: $n added, 0 updated, 0 unchanged, 0 re-rated, 0 removed, 0 failed, 0 skipped" "$T/err"
	"$EMOTUNE" tracks --db "$T/etr.db" > "$T/etr"
	is "... all $n tracks listed" "$(tail -n +2 "$T/etr" | wc -l | tr -d ' ')" "$n"
	ok "... with plausible durations and moods" awk -F'\t' 'NR > 1 && ($2 < 3 || $2 > 600 || $3 < -1 || $3 > 1) { exit 1 }' "$T/etr"
	ok "... and the Vorbis comment tags" grep -q "${TAB}Freezing Point${TAB}Grady O'Connell\$" "$T/etr"
else
	skip "extremetuxracer music" "install extremetuxracer-data (tools/setup-deps)"
fi
done_testing
