#!/bin/sh
# emotune train-mood: k-fold cross-validated accuracy on the music4q dev
# clips, and a model that `emotune scan` accepts. By default on a subset
# (EMOTUNE_CV_CLIPS per quadrant, 12) to keep `make check` short;
# EMOTUNE_CV_FULL=1 runs all 700 clips and asserts the 65% target.
. "$top_srcdir/tests/lib.sh"
ok "--folds 1 is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --folds 1
ok "missing --data is a usage error" exits 2 "$EMOTUNE" train-mood
ok "a folder without Q1..Q4 fails (exit 1)" exits 1 "$EMOTUNE" train-mood --data "$T" --folds 0
TAR="${DATA:-/nonexistent}/music4q/clips.tar"
[ -f "$TAR" ] || { skip "cross-validation on music4q" "no $EMOTUNE_SHARED/datasets/music4q/clips.tar"; done_testing; exit 0; }
mkdir "$T/all"
tar -xf "$TAR" -C "$T/all"
if [ "${EMOTUNE_CV_FULL:-0}" = 1 ]; then
	D="$T/all" min=0.65 epochs=300
else
	per=${EMOTUNE_CV_CLIPS:-12} min=0.35 epochs=100
	D="$T/sub"
	for q in Q1 Q2 Q3 Q4; do
		mkdir -p "$D/$q"
		ls "$T/all/$q" | sort | head -n "$per" | while read -r f; do ln -s "$T/all/$q/$f" "$D/$q/$f"; done
	done
fi
ok "train-mood with 5-fold cross-validation exits 0" exits 0 "$EMOTUNE" train-mood --data "$D" \
	--folds 5 --epochs "$epochs" --lr 0.03 --cache "$T/cache.tsv" --out "$T/share/weights/music_mood.weights"
cat "$T/out" | sed 's/^/# /'
acc=$(sed -n 's/^cv_accuracy=\([0-9.]*\) .*/\1/p' "$T/out")
ok "cv_accuracy=$acc >= $min (chance 0.25)" awk -v a="$acc" -v m="$min" 'BEGIN { exit !(a != "" && a >= m) }'
is "five folds reported" "$(grep -c '^[1-5]	' "$T/out")" 5
ok "the feature cache was written" test -s "$T/cache.tsv"
ok "a second run reads the cache (no extraction)" exits 0 "$EMOTUNE" train-mood --data "$D" --folds 0 --epochs 5 --cache "$T/cache.tsv" --out "$T/w2"
ok "... says nothing about extracting" sh -c '! grep -q "extracting" "$1"' sh "$T/err"
mkdir -p "$T/share/nets"
cp "$top_srcdir/nets/music_mood.cfg" "$T/share/nets/"
ok "the trained model is accepted by scan" exits 0 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$T/db" "$top_srcdir/music"
done_testing
