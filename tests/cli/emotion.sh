#!/bin/sh
# emotune classify / eval: the CLI contract, determinism, refusal of broken
# models and images, and the accuracy of the committed weights on the
# FER2013 validation split (>= 0.68 as issue 4 requires), also under the
# rendered capture conditions of --capture.
. "$top_srcdir/tests/lib.sh"
W="$top_srcdir/weights/emotion.weights"
[ -f "$W" ] || skip_all "no weights/emotion.weights yet"
[ -n "$DATA" ] || skip_all "no ../shared/datasets: FER2013 checks skipped"

tar -xzf "$DATA/fer2013/fer2013-train-publictest.tar.gz" -C "$T" validation
imgs=$(ls "$T"/validation/happy/*.jpg | head -5)

# --- contract and determinism
ok "classify --no-detect exits 0" exits 0 "$EMOTUNE" classify --no-detect $imgs
cp "$T/out" "$T/c1"
"$EMOTUNE" classify --no-detect $imgs > "$T/c2" 2>/dev/null
ok "classify gives the same probabilities every run" cmp "$T/c1" "$T/c2"
is "one row per image plus the header" "$(wc -l < "$T/c1")" 6
ok "14 tab-separated columns, probabilities sum to 1" awk -F'\t' 'NR>1 { s=0; for (i=8;i<=14;i++) s+=$i;
	if (NF!=14 || s<0.999 || s>1.001) exit 1 }' "$T/c1"
"$EMOTUNE" classify --no-detect --json $imgs > "$T/j" 2>/dev/null
ok "--json gives one JSON object per image" ${SYS_PYTHON:-python3} -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 5 and all(abs(sum(r["probs"].values()) - 1) < 1e-3 for r in rows)' "$T/j"

# --- bad images: reported, the others still classified, exit 1
printf 'not an image' > "$T/bad.jpg"
one=$(echo $imgs | cut -d' ' -f1)
ok "an undecodable image exits 1" exits 1 "$EMOTUNE" classify --no-detect "$T/bad.jpg" "$one"
ok "... naming the file" grep -q "emotune: $T/bad.jpg: " "$T/err"
is "... and the good image is still classified" "$(grep -vc '^#' "$T/out")" 1
ok "a missing image exits 1" exits 1 "$EMOTUNE" classify --no-detect "$T/none.png"

# --- broken models are refused with a clear error, never a crash
cfg="$top_srcdir/nets/emotion.cfg"
sed 's/^\[maxpool\]/[maxpool_x]/' "$cfg" > "$T/badsec.cfg"
ok "unknown cfg section: exit 1" exits 1 "$EMOTUNE" classify --no-detect --net "$T/badsec.cfg" "$one"
ok "... 'unknown section' naming the file and line" grep -q "badsec.cfg:[0-9]*: unknown section" "$T/err"
sed '/^\[net\]/d' "$cfg" > "$T/nonet.cfg"
ok "cfg without [net]: exit 1" exits 1 "$EMOTUNE" classify --no-detect --net "$T/nonet.cfg" "$one"
sed 's/^filters=7$/filters=5/' "$cfg" > "$T/five.cfg"
ok "cfg with 5 classes: exit 1" exits 1 "$EMOTUNE" classify --no-detect --net "$T/five.cfg" "$one"
size=$(stat -c %s "$W")
head -c $((size - 100)) "$W" > "$T/trunc.weights"
ok "truncated weights: exit 1" exits 1 "$EMOTUNE" classify --no-detect --weights "$T/trunc.weights" "$one"
ok "... saying they do not match" grep -q "trunc.weights: .*do not match" "$T/err"
cat "$W" "$W" > "$T/big.weights"
ok "oversized weights: exit 1" exits 1 "$EMOTUNE" classify --no-detect --weights "$T/big.weights" "$one"
{ head -c 20 "$W"; head -c $((size - 20)) /dev/urandom; } > "$T/rand.weights"
ok "random weights of the right size: exit 1" exits 1 "$EMOTUNE" classify --no-detect --weights "$T/rand.weights" "$one"
ok "missing weights: exit 1" exits 1 "$EMOTUNE" classify --no-detect --weights "$T/none.weights" "$one"
# a negative batch-norm variance (the first layer's 16 filters: biases,
# scales and means come first, 20-byte header) made every class 1/7, exit 0
cp "$W" "$T/negvar.weights"
printf '\000\000\200\277' | dd of="$T/negvar.weights" bs=1 seek=$((20 + 4 * 48 + 4 * 5)) conv=notrunc 2>/dev/null
ok "a negative batch-norm variance: exit 1" exits 1 "$EMOTUNE" classify --no-detect --weights "$T/negvar.weights" "$one"
line=$(grep -n '^\[convolutional\]' "$cfg" | head -1 | cut -d: -f1)
ok "... naming the file and the reason" grep -q "negvar.weights: 1 negative batch-norm variance (-1 in the \[convolutional\] at line $line of the cfg): corrupt weights" "$T/err"
ok "... also for emotune mood" exits 1 "$EMOTUNE" mood --weights "$T/negvar.weights" --source "file:$one" --frames 1

sed '/^input_norm=/d; s/^channels=1$/channels=1\ninput_norm=zscore/' "$cfg" > "$T/norm.cfg"
ok "unknown input_norm: exit 1" exits 1 "$EMOTUNE" classify --no-detect --net "$T/norm.cfg" "$one"
ok "... naming the file, the line and the choices" grep -q "norm.cfg:[0-9]*: input_norm 'zscore': expected none, crop or local" "$T/err"

# --- rendered capture conditions (eval/classify --capture)
ok "--capture foggy is a usage error" exits 2 "$EMOTUNE" classify --no-detect --capture foggy "$one"
ok "... listing the conditions" grep -q "capture foggy: expected none, dark, bright, flat, side or soft" "$T/err"
"$EMOTUNE" classify --no-detect --capture none $imgs > "$T/cap0" 2>/dev/null
ok "--capture none changes nothing" cmp "$T/c1" "$T/cap0"
"$EMOTUNE" classify --no-detect --capture dark $imgs > "$T/capd1" 2>/dev/null
"$EMOTUNE" classify --no-detect --capture dark $imgs > "$T/capd2" 2>/dev/null
ok "--capture dark changes what the network sees" sh -c "! cmp -s '$T/c1' '$T/capd1'"
ok "... the same way every run" cmp "$T/capd1" "$T/capd2"
ok "--capture dark exits 1 on an unreadable image, naming it" exits 1 "$EMOTUNE" classify --no-detect --capture dark "$T/bad.jpg" "$one"
ok "... naming it" grep -q "emotune: $T/bad.jpg: " "$T/err"

# --- output-bias calibration (emotune train --calibrate) on a small labelled set
for c in angry disgust fear happy neutral sad surprise; do
	mkdir -p "$T/small/validation/$c"
	cp $(ls "$T/validation/$c"/*.jpg | head -12) "$T/small/validation/$c/"
done
for c in dark bright flat side soft; do
	"$EMOTUNE" eval --no-detect --capture $c "$T/small/validation" > "$T/cap.$c" 2>/dev/null
	ok "eval --capture $c: an accuracy line for the 84 images" grep -qE '^accuracy=[01]\.[0-9]{4} n=84 detected=84$' "$T/cap.$c"
done
ok "train --calibrate without --init is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --calibrate "$T/cal.weights"
ok "train --calibrate exits 0" exits 0 "$EMOTUNE" train --data "$T/small" --out "$T/calcache" \
	--init "$W" --calibrate "$T/cal.weights" --floor 0.5
cp "$T/err" "$T/cal.log"
ok "... writes weights that pass the checks" exits 0 "$EMOTUNE" classify --no-detect --weights "$T/cal.weights" "$one"
baked=$(sed -n 's/^calibrate: whole split, baked in: *accuracy \([0-9.]*\).*/\1/p' "$T/cal.log")
fitted=$(sed -n 's/^calibrate: whole split, calibrated: *accuracy \([0-9.]*\).*/\1/p' "$T/cal.log")
before=$(sed -n 's/^calibrate: as trained (TTA): *accuracy \([0-9.]*\).*/\1/p' "$T/cal.log")
ok "... reports the cross-fitted halves" grep -q '^calibrate: half B, biases fitted on A:' "$T/cal.log"
is "... the baked-in biases score what the fit scored" "$baked" "$fitted"
"$EMOTUNE" eval --no-detect --weights "$T/cal.weights" "$T/small/validation" > "$T/cal.eval" 2>/dev/null
is "... and eval with the written weights agrees" "$(tail -1 "$T/cal.eval" | sed 's/accuracy=\([0-9.]*\) .*/\1/')" "$baked"
min=$(awk -F'\t' '/^# class/ {t=1; next} t && NF==6 { if (m=="" || $4<m) m=$4 } END { print m }' "$T/cal.eval")
ok "... every class of the fitted set reaches the floor (lowest $min) or accuracy held ($before -> $baked)" \
	awk "BEGIN { exit !($min >= 0.5 || $baked >= $before) }"

# --- weight averaging (emotune train --average)
for c in angry disgust fear happy neutral sad surprise; do
	mkdir -p "$T/small/train/$c"
	cp $(ls "$T/validation/$c"/*.jpg | tail -6) "$T/small/train/$c/"
done
ok "train --average without weights is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --average "$T/avg.weights"
ok "train --average with --init is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --average "$T/avg.weights" --init "$W" "$W"
ok "train --average of the weights with themselves exits 0" exits 0 "$EMOTUNE" train --data "$T/small" \
	--out "$T/calcache" --average "$T/self.weights" "$W" "$W"
ok "... and gives the same weights" cmp "$W" "$T/self.weights"
ok "train --average of two weights files, batch norm re-estimated, exits 0" exits 0 "$EMOTUNE" train \
	--data "$T/small" --out "$T/calcache" --average "$T/avg.weights" --restat 3 "$W" "$T/cal.weights"
cp "$T/err" "$T/avg.log"
ok "... reports each input, the mean and the re-estimated result" sh -c "grep -c '^average: .* val [0-9.]*  val+tta ' '$T/avg.log' | grep -qx 4"
ok "... writes weights that pass the checks" exits 0 "$EMOTUNE" classify --no-detect --weights "$T/avg.weights" "$one"
ok "... that differ from both inputs" sh -c "! cmp -s '$W' '$T/avg.weights' && ! cmp -s '$T/cal.weights' '$T/avg.weights'"
avg=$(sed -n 's/^average: batch norm re-estimated: *val [0-9.]*  val+tta \([0-9.]*\).*/\1/p' "$T/avg.log")
"$EMOTUNE" eval --no-detect --weights "$T/avg.weights" "$T/small/validation" > "$T/avg.eval" 2>/dev/null
is "... and eval with them agrees with the reported accuracy" "$(tail -1 "$T/avg.eval" | sed 's/accuracy=\([0-9.]*\) .*/\1/')" "$avg"
ok "... --restat-plain re-estimates from unaugmented images" exits 0 "$EMOTUNE" train --data "$T/small" \
	--out "$T/calcache" --average "$T/avg2.weights" --restat 2 --restat-plain "$W" "$T/cal.weights"
ok "... and says so" grep -q '^average: batch norm re-estimated (plain): ' "$T/err"
ok "... giving other statistics" sh -c "! cmp -s '$T/avg.weights' '$T/avg2.weights'"
sed 's/^filters=16$/filters=8/' "$cfg" > "$T/narrow.cfg"
"$EMOTUNE" --net "$T/narrow.cfg" train --data "$T/small" --out "$T/narrow" --epochs 1 --batch 8 2>/dev/null
ok "train --mirror-only (fine-tune without augmentation) exits 0" exits 0 "$EMOTUNE" train --data "$T/small" \
	--out "$T/ft" --init "$W" --epochs 1 --batch 8 --lr 0.001 --mirror-only
ok "... and writes weights that differ from its start" sh -c "test -s '$T/ft/last.weights' && ! cmp -s '$W' '$T/ft/last.weights'"
# --- distillation (train --teacher) and webcam-like augmentation, tiny runs
"$EMOTUNE" train --data "$T/small" --out "$T/plain1" --init "$W" --epochs 1 --batch 8 --lr 0.001 2>/dev/null
ok "train --teacher with --alpha 0 exits 0" exits 0 "$EMOTUNE" train --data "$T/small" --out "$T/kd0" \
	--init "$W" --epochs 1 --batch 8 --lr 0.001 --teacher "$W" --alpha 0
ok "... predicts the training set with the teacher once" grep -q '^train: teacher on the training images: [0-9.]*, with TTA [0-9.]*$' "$T/err"
ok "... caches its outputs (42 images x 7 floats + header)" sh -c "test \$(wc -c < '$T/kd0/teacher-train.f32') -eq \$((24 + 42 * 7 * 4))"
ok "... and trains exactly as without a teacher (the teacher's loading draws no training randomness)" \
	cmp "$T/plain1/last.weights" "$T/kd0/last.weights"
ok "train --teacher --alpha 0.7 --temperature 3 --webcam exits 0" exits 0 "$EMOTUNE" train --data "$T/small" \
	--out "$T/kd0" --init "$W" --epochs 1 --batch 8 --lr 0.001 --teacher "$W" --alpha 0.7 --temperature 3 --webcam
ok "... reuses the cached teacher outputs" grep -q "^train: teacher outputs from $T/kd0/teacher-train.f32$" "$T/err"
ok "... reports the mix" grep -q '^train: distillation from .*, alpha 0.70, temperature 3.00$' "$T/err"
ok "... and writes other weights" sh -c "test -s '$T/kd0/last.weights' && ! cmp -s '$T/plain1/last.weights' '$T/kd0/last.weights'"
"$EMOTUNE" train --data "$T/small" --out "$T/kd1" --init "$W" --epochs 2 --batch 8 --lr 0.001 --teacher "$W" --hours 0.00001 2>/dev/null
ok "train --teacher --resume continues a distillation run" exits 0 "$EMOTUNE" train --data "$T/small" \
	--out "$T/kd1" --init "$W" --epochs 2 --batch 8 --lr 0.001 --teacher "$W" --resume
ok "... from its second epoch, with the cached teacher outputs" sh -c "grep -q 'epochs 2\.\.2\$' '$T/err' &&
	grep -q '^train: teacher outputs from ' '$T/err' && grep -qx 'epoch=2' '$T/kd1/state'"
printf 'junk' > "$T/junk.weights"
ok "a teacher that does not fit the cfg is refused: exit 1" exits 1 "$EMOTUNE" train --data "$T/small" \
	--out "$T/kd3" --init "$W" --epochs 1 --batch 8 --teacher "$T/junk.weights"
ok "... naming the file" grep -q "junk.weights: " "$T/err"
sed 's/^width=48$/width=32/; s/^height=48$/height=32/' "$cfg" > "$T/small-in.cfg"
ok "a teacher of another input size is refused: exit 1" exits 1 "$EMOTUNE" train --data "$T/small" \
	--out "$T/kd3" --init "$W" --epochs 1 --batch 8 --teacher "$W" --teacher-net "$T/small-in.cfg"
ok "--teacher-net without --teacher is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --teacher-net "$cfg"
ok "two teachers (an ensemble) exit 0" exits 0 "$EMOTUNE" train --data "$T/small" --out "$T/kd2" --init "$W" \
	--epochs 1 --batch 8 --lr 0.001 --teacher "$W" --teacher "$W" --teacher-net "$cfg" --alpha 0.7
is "... each predicts the training set" "$(grep -c '^train: teacher .* predicts the 42 training images' "$T/err")" 2
ok "... both are named" grep -q "^train: distillation from $W and $W, alpha 0.70" "$T/err"
ok "... the mean of a teacher and itself is that teacher's output" cmp -i 24 "$T/kd0/teacher-train.f32" "$T/kd2/teacher-train.f32"
ok "a teacher with a cfg of its own in the ensemble exits 0" exits 0 "$EMOTUNE" train --data "$T/small" \
	--out "$T/kd4" --init "$W" --epochs 1 --batch 8 --lr 0.001 --teacher "$W" \
	--teacher "$T/narrow/last.weights" --teacher-net "$T/narrow.cfg"
ok "... and its outputs count" sh -c "! cmp -s -i 24 '$T/kd0/teacher-train.f32' '$T/kd4/teacher-train.f32'"
ok "--teacher-net twice for one teacher is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" \
	--teacher "$W" --teacher-net "$cfg" --teacher-net "$cfg"
ok "nine teachers are a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --teacher "$W" --teacher "$W" \
	--teacher "$W" --teacher "$W" --teacher "$W" --teacher "$W" --teacher "$W" --teacher "$W" --teacher "$W"
ok "... saying how many are allowed" grep -q "at most 8 teachers" "$T/err"
ok "--teacher with --calibrate is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --init "$W" \
	--calibrate "$T/x.weights" --teacher "$W"
ok "--alpha outside 0..1 is a usage error" exits 2 "$EMOTUNE" train --data "$T/small" --teacher "$W" --alpha 1.5
ok "averaging weights of another network is refused: exit 1" exits 1 "$EMOTUNE" train --data "$T/small" \
	--out "$T/calcache" --average "$T/bad-avg.weights" "$W" "$T/narrow/last.weights"
ok "... naming the file" grep -q "narrow/last.weights: " "$T/err"
ok "... writing nothing" test ! -e "$T/bad-avg.weights"

# --- accuracy on the validation split
"$EMOTUNE" eval --no-detect "$T/validation" > "$T/eval" 2>"$T/eval.err"
last=$(tail -1 "$T/eval")
diag "eval: $last"
ok "eval prints accuracy=A n=3589 detected=3589 last" sh -c "echo '$last' | grep -qE '^accuracy=0\.[0-9]{4} n=3589 detected=3589$'"
ok "eval prints the confusion matrix and per-class table" grep -q '^# class	n	precision	sensitivity	specificity	accuracy' "$T/eval"
acc=$(echo "$last" | sed 's/accuracy=\([0-9.]*\).*/\1/')
_t_n=$((_t_n+1))
if awk "BEGIN { exit !($acc >= 0.68) }"; then echo "ok $_t_n - validation accuracy $acc >= 0.68"
elif grep -q '^emotion-accuracy-68$' "$top_srcdir/tests/known-gaps" 2>/dev/null; then
	echo "not ok $_t_n - validation accuracy $acc >= 0.68 # TODO known gap (tests/known-gaps): model below the issue 4 target"
else echo "not ok $_t_n - validation accuracy $acc >= 0.68"; fi
min=$(awk -F'\t' '/^# class/ {t=1; next} t && NF==6 { if (m=="" || $4<m) m=$4 } END { print m }' "$T/eval")
_t_n=$((_t_n+1))
if awk "BEGIN { exit !($min >= 0.40) }"; then echo "ok $_t_n - every class sensitivity >= 0.40 (lowest $min)"
elif grep -q '^emotion-class-40$' "$top_srcdir/tests/known-gaps" 2>/dev/null; then
	echo "not ok $_t_n - every class sensitivity >= 0.40 (lowest $min) # TODO known gap (tests/known-gaps)"
else echo "not ok $_t_n - every class sensitivity >= 0.40 (lowest $min)"; fi

# --- under rendered webcam conditions (issue 20: the shipped network
# normalises each crop and was trained partly on webcam-like images; the
# weights before it gave 0.569 dark, 0.633 flat, 0.465 soft)
for cf in dark:0.63 flat:0.65 soft:0.52; do
	c=${cf%:*} floor=${cf#*:}
	acc=$("$EMOTUNE" eval --no-detect --capture $c "$T/validation" 2>/dev/null | tail -1 | sed 's/accuracy=\([0-9.]*\).*/\1/')
	ok "validation accuracy with --capture $c: $acc >= $floor" awk "BEGIN { exit !(${acc:-0} >= $floor) }"
done
done_testing
