#!/bin/sh
# The picks for a mood from the 100,000-track index of
# tests/bench/big-index.sh (doc/BENCHMARKS.md, "Headless kiosk on a large
# library"): recommend_lib_pick's wall time for 5 picks (a queue) and 1
# (a top-up), per strategy, over the seven one-hot moods.
set -u
: "${EMOTUNE:?run through make bench}"
B="$top_builddir/bench-library"
mkdir -p "$B"
PY=${SYS_PYTHON:-python3}
. "$top_srcdir/tests/bench/big-index.sh"
"$top_builddir/tests/bench/bench_recommend_lib" "$B/big.db" 5
"$top_builddir/tests/bench/bench_recommend_lib" "$B/big.db" 1
