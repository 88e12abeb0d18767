#!/bin/sh
# Prints the closing "N passed, N failed, N skipped" line from the harness
# totals in test-suite.log (each TAP test point counts).
log=${1:-test-suite.log}
[ -f "$log" ] || { echo "0 passed, 0 failed"; exit 0; }
awk '/^# PASS:/ {p=$3} /^# FAIL:/ {f=$3} /^# ERROR:/ {e=$3} /^# SKIP:/ {s=$3} /^# XPASS:/ {x=$3}
     END { printf "%d passed, %d failed, %d skipped\n", p, f+e+x, s }' "$log"
