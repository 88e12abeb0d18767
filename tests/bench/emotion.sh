#!/bin/sh
# make bench: emotion network inference CPU time per face (one core, batch 1),
# as a ratio to a same-size sgemm and against the 2 ms budget; training CPU
# time per image (batch 64) as a ratio to an sgemm of three passes; and, where
# ../shared/datasets is present, validation accuracy with and without TTA.
set -u
b="$top_builddir/tests/bench/bench_emo"
cfg="$top_srcdir/nets/emotion.cfg" w="$top_srcdir/weights/emotion.weights"
echo "## emotion network: inference (OPENBLAS_NUM_THREADS=1)"
OPENBLAS_NUM_THREADS=1 "$b" "$cfg" "$w" 3000
echo "## emotion network: training (batch 64, synthetic faces, OPENBLAS_NUM_THREADS=1)"
OPENBLAS_NUM_THREADS=1 "$b" --train "$cfg" "$w" 30
data="${EMOTUNE_SHARED:-$top_srcdir/../shared}/datasets/fer2013/fer2013-train-publictest.tar.gz"
if [ -f "$data" ]; then
	t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
	tar -xzf "$data" -C "$t" validation
	echo "## FER2013 validation (PublicTest, 3589 images)"
	printf 'plain:           '; "$EMOTUNE" eval --no-detect --no-tta "$t/validation" | tail -1
	printf 'with mirror TTA: '; "$EMOTUNE" eval --no-detect "$t/validation" | tail -1
fi
