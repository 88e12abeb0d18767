#!/bin/sh
# A read-only or full library database (issue 16, items 3 and 4).
# Read-only: the database file (mode 0444) and its folder (mode 0555) are
# made read-only and the commands run as another user (`nobody` through
# setpriv when the tests run as root, who ignores permission bits; as
# themselves otherwise): tracks, recommend and play's loudness lookup read
# it (opened read-only); scan says "read-only" and names the file.
# Full disk: the database lives on a 96 kB tmpfs mounted in a private mount
# namespace (unshare -m as root, unshare -rm otherwise): the summary counts
# only committed rows and the last line names the file and SQLite's reason.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
chmod 755 "$T"
. "$top_srcdir/tests/cli/remote-common.sh"  # make_wavs
make_wavs 40 1
chmod -R a+rX "$T/music"
export XDG_CONFIG_HOME="$T/nocfg" XDG_DATA_HOME="$T/nodata"

# --- read-only
if [ "$(id -u)" = 0 ]; then
	NOBODY=$(id -u nobody 2>/dev/null || true)
	if [ -n "$NOBODY" ] && command -v setpriv >/dev/null 2>&1; then
		as_user() { setpriv --reuid="$NOBODY" --regid="$(id -g nobody)" --clear-groups "$@"; }
	else
		as_user() { return 77; }
	fi
else
	as_user() { "$@"; }
fi
R="$T/ro"
mkdir -p "$R"
"$EMOTUNE" scan --jobs 2 --db "$R/lib.db" "$T/music" 2>"$T/scan.err"
is "a library of 40 tracks" "$("$EMOTUNE" tracks --db "$R/lib.db" | tail -n +2 | wc -l | tr -d ' ')" 40
chmod -R a+rX "$R"
if as_user "$EMOTUNE" --version >/dev/null 2>&1; then
	for mode in file folder; do
		if [ $mode = file ]; then chmod 0444 "$R/lib.db"; else chmod 0644 "$R/lib.db"; chmod 0555 "$R"; fi
		# the user really cannot write there
		if [ $mode = file ]; then w="$R/lib.db"; else w="$R"; fi
		ok "$mode: not writable for the user" sh -c "! $(command -v setpriv >/dev/null && [ "$(id -u)" = 0 ] && echo "setpriv --reuid=$NOBODY --regid=$(id -g nobody) --clear-groups") test -w '$w'"
		as_user "$EMOTUNE" tracks --db "$R/lib.db" >"$T/out" 2>"$T/err"
		is "$mode: tracks reads a read-only library" "$?" 0
		is "... all 40 tracks" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 40
		ok "... without calling it damaged" sh -c "! grep -q damaged '$T/err'"
		as_user "$EMOTUNE" recommend --db "$R/lib.db" --emotion happy -n 3 >"$T/out" 2>"$T/err"
		is "$mode: recommend reads it" "$?" 0
		is "... 3 picks" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 3
		as_user "$EMOTUNE" play --audio null --db "$R/lib.db" "$T/music/t001.wav" >"$T/out" 2>"$T/err"
		is "$mode: play exits 0" "$?" 0
		ok "... with its normalisation lookup (no warning)" sh -c "! grep -q 'normalisation' '$T/err'"
		as_user "$EMOTUNE" scan --db "$R/lib.db" "$T/music" >"$T/out" 2>"$T/err"
		is "$mode: scan fails" "$?" 1
		ok "... saying read-only and naming the file" grep -q "^emotune: scan: $R/lib.db: library database is read-only" "$T/err"
		ok "... not damaged" sh -c "! grep -q damaged '$T/err'"
		ok "... and counting nothing" sh -c "! grep -q '[1-9][0-9]* added' '$T/err'"
	done
	chmod 0755 "$R"
else
	skip "read-only database" "cannot run as another user"
fi

# --- full disk
F="$T/full"
mkdir -p "$F"
if [ "$(id -u)" = 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
if $ns sh -c "mount -t tmpfs -o size=96k tmpfs '$F'" 2>/dev/null; then
	$ns sh -c "mount -t tmpfs -o size=96k tmpfs '$F' &&
		'$EMOTUNE' scan --jobs 2 --db '$F/lib.db' '$T/music' >'$T/out' 2>'$T/err';
		echo \$? >'$T/rc';
		'$EMOTUNE' tracks --db '$F/lib.db' | tail -n +2 | wc -l >'$T/rows'"
	is "full disk: scan fails" "$(cat "$T/rc")" 1
	added=$(sed -n 's/^scan: 40 files: \([0-9]*\) added.*/\1/p' "$T/err")
	diag "added $added, rows $(cat "$T/rows")"
	ok "... fewer than 40 added (the disk filled)" test "${added:-40}" -lt 40
	is "... the summary counts what is in the index" "$added" "$(tr -d ' ' <"$T/rows")"
	ok "... the last line names the file and SQLite's reason" sh -c "tail -1 '$T/err' | grep -qx 'emotune: $F/lib.db: database error: database or disk is full'"
else
	skip "full disk" "cannot mount a tmpfs in a private namespace"
fi
done_testing
