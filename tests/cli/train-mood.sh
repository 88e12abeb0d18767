#!/bin/sh
# emotune train-mood: repeated k-fold cross-validated accuracy of the shipped
# configuration (RBF SVM over all features after the quantile table, and two
# stacked inputs, SVRs of the valence and arousal signs weighted 8 (issue
# 19), C and gamma chosen inside each training set) on the music4q dev
# clips, the halves augmentation, and models that
# `emotune scan` accepts. By default on a subset (EMOTUNE_CV_CLIPS per quadrant, 50; 5-fold
# CV twice) to keep `make check` short; EMOTUNE_CV_FULL=1 runs all 700 clips
# 10 x 5-fold and asserts the figure of doc/BENCHMARKS.md.
. "$top_srcdir/tests/lib.sh"
ok "--folds 1 is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --folds 1
ok "missing --data is a usage error" exits 2 "$EMOTUNE" train-mood
ok "--model frob is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --model frob
ok "--features with an unknown name is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --features base,-frob
ok "--aux va with --features other than all and a final model is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --model svm --aux va --metadata /dev/null --features base
ok "--norm frob is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --norm frob
ok "--aux frob is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --model svm --aux frob --metadata /dev/null --no-final
ok "--aux with the MLP is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --aux va --metadata /dev/null --no-final
ok "--aux signs,tags2 without --metadata is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --model svm --aux signs,tags2
ok "--aux soft without --metadata is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --model svm --aux soft
ok "--aux with a metadata file without moods is a usage error" exits 2 "$EMOTUNE" train-mood --data "$T" --model svm --aux va --metadata /dev/null --no-final
ok "heads need the SVM" exits 2 "$EMOTUNE" train-mood --data "$T" --target heads
ok "a folder without Q1..Q4 fails (exit 1)" exits 1 "$EMOTUNE" train-mood --data "$T" --folds 0
TAR="${DATA:-/nonexistent}/music4q/clips.tar"
[ -f "$TAR" ] || { skip "cross-validation on music4q" "no $EMOTUNE_SHARED/datasets/music4q/clips.tar"; done_testing; exit 0; }
mkdir "$T/all"
tar -xf "$TAR" -C "$T/all"
if [ "${EMOTUNE_CV_FULL:-0}" = 1 ]; then
	D="$T/all" min=0.71 repeats=10 per=175
else
	per=${EMOTUNE_CV_CLIPS:-50} min=0.55 repeats=2
	D="$T/sub"
	for q in Q1 Q2 Q3 Q4; do
		mkdir -p "$D/$q"
		ls "$T/all/$q" | sort | head -n "$per" | while read -r f; do ln -s "$T/all/$q/$f" "$D/$q/$f"; done
	done
fi
W="$T/share/weights/music_mood.weights"
ok "train-mood --model svm --aux signs --aux-weight 8 --norm quantile, $repeats x 5-fold cross-validation, exits 0" exits 0 \
	"$EMOTUNE" train-mood --data "$D" --model svm --aux signs --aux-weight 8 --norm quantile --folds 5 \
	--repeats "$repeats" --cache "$T/cache.tsv" --out "$W"
cat "$T/out" | grep -v '^[1-5]	' | sed 's/^/# /'
acc=$(sed -n 's/^cv_accuracy=\([0-9.]*\) .*/\1/p' "$T/out")
ok "cv_accuracy=$acc >= $min (chance 0.25)" awk -v a="$acc" -v m="$min" 'BEGIN { exit !(a != "" && a >= m) }'
is "$repeats x 5 folds reported" "$(grep -c '^[1-5]	' "$T/out")" $((repeats * 5))
ok "valence and arousal half-plane accuracies reported" grep -q 'valence_accuracy=0\.[0-9]* arousal_accuracy=0\.[0-9]*' "$T/out"
ok "the SVM model and its normalisation were written" test -s "$T/share/weights/music_mood.svm" -a -s "$T/share/weights/music_mood.norm"
ok "... the norm file names the model" grep -q '^model svm quad$' "$T/share/weights/music_mood.norm"
ok "... and its two stacked inputs" grep -q '^stack 2$' "$T/share/weights/music_mood.norm"
ok "... and its quantile table (format 4)" grep -q '^quantiles 101$' "$T/share/weights/music_mood.norm"
is "... one line of knots per feature" "$(sed -n '/^knots$/,/^mean/p' "$T/share/weights/music_mood.norm" | grep -c '^ ')" 165
ok "the feature cache was written" test -s "$T/cache.tsv"
mkdir -p "$T/share/nets"
cp "$top_srcdir/nets/music_mood.cfg" "$T/share/nets/"
ok "the trained SVM is accepted by scan" exits 0 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$T/db" "$top_srcdir/music"
# The other model kinds, briefly, from the cache (no extraction).
for m in "--model mlp --epochs 5" "--model ensemble --epochs 5 --svm-c 1 --svm-gamma 1" \
	 "--model svm --target heads --svm-c 1 --svm-gamma 1 --features base,-mfcc"; do
	rm -rf "$T/share/weights"
	ok "train-mood $m (no CV) exits 0" exits 0 "$EMOTUNE" train-mood --data "$D" --folds 0 $m --cache "$T/cache.tsv" --out "$W"
	ok "... says nothing about extracting" sh -c '! grep -q "extracting" "$1"' sh "$T/err"
	ok "... and scan accepts the model" exits 0 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$T/db.$$" "$top_srcdir/music"
	rm -f "$T/db.$$"
done
# Stacking on the AllMusic tags (issue 19), cross-validation only; a feature group left out.
ok "train-mood --aux va,tags4 --features all,-mfcc, 2-fold CV, exits 0" exits 0 "$EMOTUNE" train-mood --data "$D" \
	--model svm --svm-c 1 --svm-gamma 1 --folds 2 --no-final --cache "$T/cache.tsv" \
	--aux va,tags4 --metadata "$DATA/music4q/metadata.csv" --features all,-mfcc
ok "... reports a CV accuracy" grep -q '^cv_accuracy=0\.[0-9]* ' "$T/out"
ok "... 26 MFCC features out, 6 stacked inputs in (2 va, 4 tags)" grep -q ' 139 of 165 features, .* 6 stacked inputs' "$T/err"
# --augment halves: each clip's two halves train too (issue 19), kept in their clip's fold.
ok "train-mood --augment halves, 2-fold CV, exits 0" exits 0 "$EMOTUNE" train-mood --data "$D" --model svm \
	--svm-c 1 --svm-gamma 0.5 --norm quantile --augment halves --folds 2 --no-final --cache "$T/cache.tsv"
ok "... extracts the halves of the clips" grep -q "extracting features of $((per * 4)) clips" "$T/err"
ok "... trains on them" grep -q ", $((per * 8)) halves for training" "$T/err"
ok "... reports a CV accuracy" grep -q '^cv_accuracy=0\.[0-9]* ' "$T/out"
is "... the cache holds both halves of every clip" "$(grep -c '#[12]	' "$T/cache.tsv")" $((per * 8))
ok "... a rerun exits 0" exits 0 "$EMOTUNE" train-mood --data "$D" --model svm --svm-c 1 --svm-gamma 0.5 \
	--augment halves --folds 2 --no-final --cache "$T/cache.tsv"
ok "... and reads them from the cache" sh -c '! grep -q extracting "$1"' sh "$T/err"
ok "--augment frob is a usage error" exits 2 "$EMOTUNE" train-mood --data "$D" --augment frob
# --tta halves: each test clip averaged with its halves; --predictions: every test clip's probabilities.
ok "train-mood --tta halves --predictions FILE, 2-fold CV, exits 0" exits 0 "$EMOTUNE" train-mood --data "$D" --model svm \
	--svm-c 1 --svm-gamma 0.5 --norm quantile --tta halves --folds 2 --no-final --cache "$T/cache.tsv" \
	--predictions "$T/pred.tsv"
ok "... says the test clips are averaged with their halves" grep -q "test clips averaged with their halves" "$T/err"
ok "... and trains on no halves" sh -c '! grep -q "halves for training" "$1"' sh "$T/err"
is "... one prediction per clip and a header" "$(wc -l < "$T/pred.tsv")" $((per * 4 + 1))
ok "... each a repeat, the clip, its quadrant and four probabilities summing to 1" awk -F'\t' \
	'!/^#/ { if (NF != 7 || $1 != 1 || $2 !~ /^Q[1-4]\// || $3 != substr($2, 2, 1)) exit 1;
	 s = $4 + $5 + $6 + $7; if (s < 0.999 || s > 1.001) exit 1 }' "$T/pred.tsv"
ok "--tta frob is a usage error" exits 2 "$EMOTUNE" train-mood --data "$D" --tta frob
ok "--predictions in a missing folder fails (exit 1)" exits 1 "$EMOTUNE" train-mood --data "$D" --model svm \
	--svm-c 1 --svm-gamma 0.5 --folds 2 --no-final --cache "$T/cache.tsv" --predictions "$T/none/pred.tsv"
ok "... naming the file" grep -q "$T/none/pred.tsv: No such file or directory" "$T/err"
rm -rf "$T/share/weights"
ok "train-mood --target reg --aux soft,clean0 (no CV) writes a model" exits 0 "$EMOTUNE" train-mood --data "$D" \
	--model svm --target reg --svm-c 1 --svm-gamma 1 --folds 0 --cache "$T/cache.tsv" --out "$W" \
	--aux soft,clean0 --metadata "$DATA/music4q/metadata.csv"
ok "... and scan accepts it" exits 0 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$T/db.soft" "$top_srcdir/music"
rm -rf "$T/share/weights"
ok "train-mood --aux signs --aux-weight 8 (no CV, no metadata) writes a model with stacked inputs" exits 0 "$EMOTUNE" train-mood \
	--data "$D" --model svm --svm-c 1 --svm-gamma 0.5 --folds 0 --cache "$T/cache.tsv" --out "$W" \
	--aux signs --aux-weight 8
ok "... its norm file says stack 2" grep -q '^stack 2$' "$T/share/weights/music_mood.norm"
ok "... next to its two SVRs" test -s "$T/share/weights/music_mood.stack0.svr" -a -s "$T/share/weights/music_mood.stack1.svr"
ok "... and scan accepts it" exits 0 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$T/db.stack" "$top_srcdir/music"
rm "$T/share/weights/music_mood.stack1.svr"
ok "... but not without its second SVR" exits 1 env EMOTUNE_DATADIR="$T/share" "$EMOTUNE" scan --db "$T/db.stack2" "$top_srcdir/music"
done_testing
