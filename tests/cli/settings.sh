#!/bin/sh
# Settings checked against their type and range (issue 16, item 11): a bad
# value in the settings file is refused with FILE:LINE: key: why (exit 1),
# on the command line as a usage error (exit 2); unknown keys are reported
# with their non-printable bytes escaped.
. "$top_srcdir/tests/lib.sh"

# bad_setting LINE WHY: a file with a good first line and LINE second.
bad_setting() {
	printf 'seed = 3\n%s\n' "$1" >"$T/cfg"
	exits 1 "$EMOTUNE" --config "$T/cfg" tracks --db "$T/none.db" &&
		grep -qxF "emotune: $T/cfg:2: $2" "$T/err" &&
		! grep -q "no library database" "$T/err"
}
ok "group = nosuch" bad_setting "group = nosuch" "group: 'nosuch' is not one of: weighted mean"
ok "strategy = loud" bad_setting "strategy=loud" "strategy: 'loud' is not one of: match uplift calm"
ok "threshold = 2" bad_setting "threshold = 2" "threshold: 2 is out of range (0 to 1)"
ok "window = -1" bad_setting "window = -1" "window: -1 is out of range (0.1 to 60)"
ok "window = nan" bad_setting "window = nan" "window: nan is not a finite number"
ok "window = inf" bad_setting "window = inf" "window: inf is not a finite number"
ok "hysteresis = 1e300" bad_setting "hysteresis = 1e300" "hysteresis: 1e300 is out of range (0 to 60)"
ok "volume = -5" bad_setting "volume = -5" "volume: -5 is out of range (0 to 100)"
ok "volume = 1000" bad_setting "volume = 1000" "volume: 1000 is out of range (0 to 100)"
ok "volume = 5.5" bad_setting "volume = 5.5" "volume: '5.5' is not an integer"
ok "jobs = -1" bad_setting "jobs = -1" "jobs: -1 is out of range (0 to 1024)"
ok "seed beyond int" bad_setting "seed = 99999999999" "seed: 99999999999 is out of range"
ok "target_lufs = 10" bad_setting "target_lufs = 10" "target_lufs: 10 is out of range (-70 to 0)"
ok "preview_fps = -1" bad_setting "preview_fps = -1" "preview_fps: -1 is out of range (0 to 60)"
ok "no_repeat = -3" bad_setting "no_repeat = -3" "no_repeat: -3 is out of range (0 to 100000)"
ok "pace = maybe" bad_setting "pace = maybe" "pace: 'maybe' is not yes or no"
ok "a value's raw bytes escaped" bad_setting "$(printf 'group = a\033b\377')" "group: 'a\\x1bb\\xff' is not one of: weighted mean"
ok "no '='" bad_setting "volume 5" "expected 'key = value'"

# The line named is the key's line, after comments and blank lines.
printf '# settings\n\nvolume = 50\n\n   # more\ngroup = nosuch\n' >"$T/cfg"
exits 1 "$EMOTUNE" --config "$T/cfg" tracks --db "$T/none.db"
ok "the key's line is named" grep -qxF "emotune: $T/cfg:6: group: 'nosuch' is not one of: weighted mean" "$T/err"

# Good values at the edges of their ranges are taken.
printf 'volume = 0\nthreshold = 1\nwindow = 0.1\nhysteresis = 0\njobs = 0\ngroup = mean\nstrategy = calm\n' >"$T/cfg"
ok "edge values accepted" exits 1 "$EMOTUNE" --config "$T/cfg" tracks --db "$T/none.db"
ok "... up to the command" grep -q "no library database" "$T/err"

# NUL bytes and endless lines.
printf 'seed = 3\nvol\000ume = 3\n' >"$T/cfg"
ok "NUL byte refused" exits 1 "$EMOTUNE" --config "$T/cfg" tracks --db "$T/none.db"
ok "... as a NUL byte on its line" grep -qxF "emotune: $T/cfg:2: NUL byte in the line" "$T/err"
{ echo "seed = 3"; head -c 10000 /dev/zero | tr '\0' a; echo; } >"$T/cfg"
ok "a 10000-byte line refused" exits 1 "$EMOTUNE" --config "$T/cfg" tracks --db "$T/none.db"
ok "... as too long, on its line" grep -qxF "emotune: $T/cfg:2: line too long (more than 4095 bytes)" "$T/err"

# Unknown keys: a warning, bytes escaped, the rest taken.
printf 'x\033y\377z = 1\n' >"$T/cfg"
ok "unknown key: not fatal" exits 1 "$EMOTUNE" --config "$T/cfg" tracks --db "$T/none.db"
ok "... reported escaped" grep -qxF "emotune: $T/cfg:1: unknown setting 'x\\x1by\\xffz' ignored" "$T/err"

# The command line: usage errors (exit 2), nothing clamped.
for a in "--volume 1000:--volume: 1000 is out of range (0 to 100)" \
	 "--volume -5:--volume: -5 is out of range (0 to 100)" \
	 "--volume x:--volume: 'x' is not an integer" \
	 "--jobs -1:--jobs: -1 is out of range (0 to 1024)" \
	 "--strategy nope:--strategy: 'nope' is not one of: match uplift calm"; do
	opt=${a%%:*} why=${a#*:}
	exits 2 "$EMOTUNE" play $opt "$T/none.wav"
	is "$opt: usage error" "$?" 0
	ok "... saying why" grep -qxF "emotune: $why" "$T/err"
done
exits 2 "$EMOTUNE" --volume 101; is "--volume 101 before the command: usage error" "$?" 0
done_testing
