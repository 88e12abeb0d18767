#!/bin/sh
# Playback benchmark (doc/BENCHMARKS.md, "Playback"): CPU use while playing
# a 44.1 kHz stereo FLAC in real time through the null output, with the
# other core(s) kept busy by spinning shells; ring underruns; decode speed
# without pacing; the cost of converting a 44.1 kHz track to an open 48 kHz
# device (libsamplerate) and of normalisation with the limiter working.
set -eu
: "${top_builddir:?run through make bench}"
b="$top_builddir/tests/bench/bench_player"
command -v sox >/dev/null 2>&1 || { echo "bench: sox not installed, skipped"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/emotune-bench.XXXXXX")
spin=""
trap 'for p in $spin; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM
secs=${PLAYER_BENCH_SECONDS:-30}
# music-like test signal: pink noise under a chord, 16-bit stereo FLAC
sox -n -r 44100 -c 2 -b 16 "$T/t.flac" synth "$secs" pinknoise synth "$secs" sine mix 220 \
	synth "$secs" sine mix 277 gain -8 2>/dev/null
sox -n -r 48000 -c 2 -b 16 "$T/r48.flac" synth 0.1 sine 440 gain -10 2>/dev/null
ncpu=$(nproc)
echo "# $(uname -m), $ncpu cores, ${secs} s 44.1 kHz stereo 16-bit FLAC"
printf '# label\twall_s\tcpu_s\tcpu_pct_one_core\tunderruns\taudio_s\tx_realtime\n'
"$b" "decode-only (null, unpaced)" null 1e6 nan "$T/t.flac"
"$b" "decode+resample 44.1->48k (unpaced)" null 1e6 nan "$T/r48.flac" "$T/t.flac"
for i in $(seq "$ncpu"); do sh -c 'while :; do :; done' & spin="$spin $!"; done
echo "# $ncpu spinning shells (every core busy) from here on"
"$b" "real time, null, gain 0 dB" null 0 nan "$T/t.flac"
"$b" "real time, null, +12 dB normalisation (limiter)" null 0 -30 "$T/t.flac"
"$b" "real time, null, resampled to 48k" null 0 nan "$T/r48.flac" "$T/t.flac"
