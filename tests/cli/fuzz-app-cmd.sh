#!/bin/sh
# Fuzzes the remote protocol's two halves with clang's libFuzzer for a short
# run each (EMOTUNE_FUZZ_RUNS, default 20000 inputs; EMOTUNE_FUZZ_SECONDS
# bounds it): the request parser (app_cmd_parse, tests/fuzz/fuzz_app_cmd.c)
# and the client's request built from arguments holding any byte, every
# control byte included, parsed back (tests/fuzz/fuzz_remote_args.c).
# Skipped where clang cannot build a libFuzzer binary.
. "$top_srcdir/tests/lib.sh"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang for libFuzzer"
plan 6
runs=${EMOTUNE_FUZZ_RUNS:-20000}
secs=${EMOTUNE_FUZZ_SECONDS:-60}
# Seeds of the argument harness: command selector byte, then NUL-separated
# arguments; together they hold every control byte.
mkdir -p "$T/corpus-args"
printf '\000/music/a b.flac' > "$T/corpus-args/path"
printf '\001x\nquit' > "$T/corpus-args/newline"
printf '\000a\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017' > "$T/corpus-args/ctl1"
printf '\001\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037\177"\\' > "$T/corpus-args/ctl2"
printf '\002+5\000\n' > "$T/corpus-args/seek"
printf '\004auto' > "$T/corpus-args/mood"
printf '\000my\000song\000"x".flac' > "$T/corpus-args/words"
for h in app_cmd remote_args; do
	bin="$T/fuzz_$h"
	if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$SRC_INCLUDES "$top_srcdir/src/app/app_cmd.c" "$top_srcdir/src/base/esc.c" "$top_srcdir/src/base/vocab.c" "$top_srcdir/tests/fuzz/fuzz_$h.c" \
		-lm -o "$bin" >"$T/cc.log" 2>&1; then
		sed 's/^/# /' "$T/cc.log" | head -20
		skip "build fuzz_$h" "clang cannot link -fsanitize=fuzzer"
		skip "fuzz_$h"; skip "fuzz_$h ran"
		continue
	fi
	ok "build fuzz_$h" test -x "$bin"
	if [ $h = app_cmd ]; then
		mkdir -p "$T/corpus"
		cp "$top_srcdir"/tests/fuzz/corpus-app-cmd/* "$T/corpus/"
		corpus="$T/corpus"
	else
		corpus="$T/corpus-args"
	fi
	# The harness is libFuzzer's; the main ASan settings of the suite would
	# only get in its way.
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
		"$bin" -runs="$runs" -max_total_time="$secs" -max_len=2100 -seed=1 \
		-artifact_prefix="$T/" "$corpus" >"$T/fuzz.log" 2>&1
	rc=$?
	is "fuzz_$h finds no crash or broken promise in $runs runs" "$rc" 0
	[ $rc = 0 ] || { grep -E 'ERROR|SUMMARY|crash-|abort' "$T/fuzz.log" | head -20 | sed 's/^/# /'; }
	ok "fuzz_$h ran" grep -q "Done [0-9]* runs" "$T/fuzz.log"
done
done_testing
