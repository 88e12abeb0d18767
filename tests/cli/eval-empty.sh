#!/bin/sh
# `emotune eval DIR` and `train --data DIR` where the class folders exist
# but are empty (issue 16, item 14): a clear message and exit 1, no
# undefined behaviour (UBSan in an --enable-sanitizers build reported
# qsort(NULL, 0, ...) in train.c).
. "$top_srcdir/tests/lib.sh"
for c in angry disgust fear happy neutral sad surprise; do
	mkdir -p "$T/ev/$c" "$T/tr/train/$c" "$T/tr/validation/$c"
done
ok "eval of empty class folders exits 1" exits 1 "$EMOTUNE" eval "$T/ev"
ok "... saying there are no images" grep -qxF "emotune: $T/ev: no images in class folders (angry, disgust, fear, ...)" "$T/err"
ok "... without a runtime error" sh -c "! grep -q 'runtime error' '$T/err'"
ok "train on empty class folders exits 1" exits 1 "$EMOTUNE" train --data "$T/tr" --out "$T/out" --epochs 1
ok "... saying there are no images" grep -q "^emotune: train: $T/tr/train: no usable labelled images" "$T/err"
ok "... without a runtime error" sh -c "! grep -q 'runtime error' '$T/err'"
done_testing
