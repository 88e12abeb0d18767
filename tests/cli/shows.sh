#!/bin/sh
# `emotune shows`: contract columns, genres that fit the mood, usage errors.
. "$top_srcdir/tests/lib.sh"

ok "no mood is a usage error" exits 2 "$EMOTUNE" shows
ok "unknown emotion is a usage error" exits 2 "$EMOTUNE" shows --emotion bored
ok "bad -n is a usage error" exits 2 "$EMOTUNE" shows --emotion sad -n x
ok "missing catalogue exits 1" exits 1 "$EMOTUNE" shows --emotion sad --catalogue "$T/none.tsv"
ok "... naming it" grep -q "none.tsv" "$T/err"
printf 'Up\t2009\tfilm\tanimation\nBad\tyear\tfilm\tcomedy\n' >"$T/bad.tsv"
ok "malformed catalogue exits 1" exits 1 "$EMOTUNE" shows --emotion sad --catalogue "$T/bad.tsv"
ok "... naming the line" grep -q "line 2" "$T/err"

"$EMOTUNE" shows --emotion sad -n 5 >"$T/out" 2>"$T/err"
is "exit status" "$?" 0
is "header" "$(head -1 "$T/out")" "$(printf '# rank\ttitle\tyear\tkind\tgenres\treason\tsearch_url')"
ok "5 rows of 7 columns" awk -F'\t' 'NR>1 { n++; if (NF!=7 || $1!=n || ($4!="film" && $4!="series") || $3!~/^[0-9][0-9][0-9][0-9]$/) e=1 } END { exit e || n!=5 }' "$T/out"
ok "search addresses" awk -F'\t' 'NR>1 && $7 !~ /^https:\/\/duckduckgo\.com\/\?q=[^ ]+$/ { e=1 } END { exit e }' "$T/out"
ok "sad: light genres" awk -F'\t' 'NR>1 && $5 !~ /comedy|family|animation|musical/ { e=1 } END { exit e }' "$T/out"
for e in fear sad; do
	"$EMOTUNE" shows --emotion $e -n 20 >"$T/out"
	ok "$e: no horror, no war in 20 picks" awk -F'\t' 'NR>1 { n++; if ($5 ~ /horror|war/) e=1 } END { exit e || n!=20 }' "$T/out"
done
"$EMOTUNE" shows --emotion surprise -n 10 >"$T/out"
ok "surprise: curiosity genres lead" awk -F'\t' 'NR>1 && $5 ~ /mystery|sci-fi|thriller|fantasy|adventure/ { n++ } END { exit n<8 }' "$T/out"
"$EMOTUNE" shows --probs 0,0,0,1,0,0,0 -n 3 --json >"$T/out"
ok "--json: one object per title" sh -c '[ $(grep -c "^{\"rank\":" "$1") = 3 ]' _ "$T/out"
done_testing
