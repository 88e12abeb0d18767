#!/bin/sh
# Recommendation benchmark: over the library of scanned music4q dev clips,
# the share of `recommend --strategy match` picks whose clip is labelled
# (by the dataset, not by our analysis) with the quadrant cli.md's table
# gives the emotion. Chance is 25% (175 clips per quadrant).
#   EMOTUNE_BENCH_DB=FILE  reuse a library already scanned from clips.tar
#                          (paths must contain /Q1/ ... /Q4/), else the clips
#                          are unpacked and scanned into a temporary one.
# Prints per emotion: top-5 and top-50 shares by dataset label, and top-5
# share by the analysed valence/arousal (the quadrant column).
set -u
: "${EMOTUNE:?run through make bench}"
clips="${EMOTUNE_SHARED:-}/datasets/music4q/clips.tar"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/emotune-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db=${EMOTUNE_BENCH_DB:-}
if [ -z "$db" ]; then
	[ -f "$clips" ] || { echo "recommend bench: no $clips, skipped"; exit 0; }
	mkdir -p "$tmp/lib"
	tar -xf "$clips" -C "$tmp/lib"
	db="$tmp/lib.db"
	start=$(date +%s)
	nice -n 10 "$EMOTUNE" scan --db "$db" "$tmp/lib" 2>"$tmp/scan.err" || { tail -3 "$tmp/scan.err"; exit 1; }
	echo "scanned $(ls "$tmp"/lib/Q*/* | wc -l) clips in $(( $(date +%s) - start )) s"
fi
"$EMOTUNE" tracks --db "$db" >"$tmp/tracks" || exit 1
echo "library: $(tail -n +2 "$tmp/tracks" | wc -l) tracks; analysed quadrant vs label:" \
	"$(awk -F'\t' 'NR>1 && match($1, /\/Q[1-4]\//) { n++; if (substr($1, RSTART+1, 2)==$5) a++ } END { printf "%.1f%% agree", n ? 100*a/n : 0 }' "$tmp/tracks")"
printf '%-9s %-3s %12s %13s %15s\n' emotion want "top5 label" "top50 label" "top5 analysed"
for e in angry disgust fear happy neutral sad surprise; do
	case $e in happy|surprise) q=Q1 ;; angry|fear|disgust) q=Q2 ;; sad) q=Q3 ;; neutral) q=Q4 ;; esac
	"$EMOTUNE" recommend --db "$db" --emotion $e --strategy match -n 50 >"$tmp/out" || exit 1
	awk -F'\t' -v q=$q -v e=$e '
		NR>1 { n++; lab = match($2, /\/Q[1-4]\//) ? substr($2, RSTART+1, 2) : "";
		       if (n <= 5) { if (lab == q) l5++; if ($5 == q) a5++ } if (lab == q) l50++ }
		END { printf "%-9s %-3s %11.0f%% %12.0f%% %14.0f%%\n", e, q, 100*l5/5, 100*l50/(n?n:1), 100*a5/5 }' "$tmp/out"
done
