#!/bin/sh
# Mood history benchmark (doc/BENCHMARKS.md): rows, bytes and CPU time a day
# of a kiosk sampled at 4 Hz, batched (as the program writes) and, as the
# reference in the same run, one transaction per row.
set -u
bench="${top_builddir:-.}/tests/bench/bench_history"
[ -x "$bench" ] || { echo "history bench: $bench not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/emotune-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$bench" day "$tmp/a.db" 7 24
"$bench" day "$tmp/b.db" 7 8
"$bench" day "$tmp/c.db" 7 24 unbatched
