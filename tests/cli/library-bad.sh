#!/bin/sh
# Bad input: a folder of mutated WAV/FLAC files (corrupt, truncated,
# zero-length, non-audio, names with a newline or invalid UTF-8, links to
# nothing, files vanishing during the scan): each is skipped with a message
# and counted, the good files are indexed, nothing crashes.
. "$top_srcdir/tests/lib.sh"
command -v sox >/dev/null 2>&1 || skip_all "sox not installed (tools/setup-deps)"
B="$T/bad"
mkdir "$B"
sox -n -r 22050 -c 1 -b 16 "$B/good.wav" synth 4 sine 440 2>/dev/null
sox -n -r 44100 -c 2 -b 16 "$B/good.flac" synth 4 pluck 220 2>/dev/null
# corrupt WAV: the format chunk says 0 channels
cp "$B/good.wav" "$B/corrupt.wav"
printf '\000\000' | dd of="$B/corrupt.wav" bs=1 seek=22 conv=notrunc 2>/dev/null
# corrupt FLAC: the STREAMINFO block overwritten
cp "$B/good.flac" "$B/corrupt.flac"
head -c 34 /dev/zero | dd of="$B/corrupt.flac" bs=1 seek=8 conv=notrunc 2>/dev/null
# truncated
head -c 3000 "$B/good.wav" > "$B/truncated.wav"
head -c 5000 "$B/good.flac" > "$B/truncated.flac"
# zero-length, not audio at all
: > "$B/empty.wav"
: > "$B/empty.flac"
echo "just some text, not a sound" > "$B/text.wav"
head -c 20000 /dev/urandom > "$B/noise.flac"
head -c 20000 /dev/urandom > "$B/noise.ogg"
# bad names (the content is good)
cp "$B/good.wav" "$B/new
line.wav"
cp "$B/good.wav" "$(printf "$B/bad\377name.wav")"
mkdir "$B/dir
with newline"
cp "$B/good.wav" "$B/dir
with newline/inside.wav"
# a link to nothing
ln -s "$B/nowhere.wav" "$B/dangling.wav"

ok "scan of the bad folder exits 0" exits 0 "$EMOTUNE" scan --db "$T/db" "$B"
cp "$T/err" "$T/scan.err"
diag "$(grep -c . "$T/scan.err") lines on stderr"
for f in corrupt.wav corrupt.flac truncated.wav truncated.flac empty.wav empty.flac text.wav noise.flac noise.ogg; do
	ok "$f skipped with a message" grep -q "^emotune: scan: $B/$f: .*(skipped)\$" "$T/scan.err"
done
ok "name with a newline: skipped, escaped in the message" grep -q "^emotune: scan: $B/new\\\\nline.wav: name is not valid UTF-8" "$T/scan.err"
ok "name with invalid UTF-8: skipped, escaped" grep -q "^emotune: scan: $B/bad\\\\xffname.wav: name is not valid" "$T/scan.err"
ok "folder with a newline: skipped" grep -q "^emotune: scan: $B/dir\\\\nwith newline: name is not valid" "$T/scan.err"
ok "dangling link: skipped" grep -q "^emotune: scan: $B/dangling.wav: No such file or directory (skipped)" "$T/scan.err"
ok "summary counts them: 11 files, 2 added, 9 failed, 4 skipped" grep -q "^scan: 11 files: 2 added, 0 updated, 0 unchanged, 0 re-rated, 0 removed, 9 failed, 4 skipped" "$T/scan.err"
"$EMOTUNE" tracks --db "$T/db" > "$T/tracks"
is "the two good files are indexed" "$(tail -n +2 "$T/tracks" | cut -f1 | sort | tr '\n' ' ')" "$B/good.flac $B/good.wav "

ok "rescan exits 0" exits 0 "$EMOTUNE" scan --db "$T/db" "$B"
ok "... known bad files are not decoded again (no messages for them)" sh -c '! grep -q "corrupt.wav" "$1"' sh "$T/err"
ok "... but still counted" grep -q "^scan: 11 files: 0 added, 0 updated, 2 unchanged, 0 re-rated, 0 removed, 9 failed, 4 skipped" "$T/err"
# a bad file that is repaired is analysed again
cp "$B/good.wav" "$B/corrupt.wav"
ok "a repaired file is analysed on the next scan" exits 0 "$EMOTUNE" scan --db "$T/db" "$B"
ok "... and added" grep -q "^scan: 11 files: 1 added, 0 updated, 2 unchanged, 0 re-rated, 0 removed, 8 failed" "$T/err"

# Files vanishing during the scan: 40 files, 30 deleted while one worker runs.
V="$T/vanish"
mkdir "$V"
sox -n -r 22050 -c 1 -b 16 "$V/a.wav" synth 20 sine 300 2>/dev/null
for i in $(seq 1 39); do cp "$V/a.wav" "$V/f$i.wav"; done
"$EMOTUNE" scan --db "$T/v.db" --jobs 1 "$V" 2> "$T/v.err" &
pid=$!
sleep 0.3
for i in $(seq 1 30); do rm -f "$V/f$i.wav"; done
wait $pid
is "scan with vanishing files exits 0" "$?" 0
ok "... vanished files are reported" grep -q "vanished during the scan (skipped)\|No such file or directory (skipped)\|^scan: 10 files" "$T/v.err"
ok "a rescan prunes what vanished" exits 0 "$EMOTUNE" scan --db "$T/v.db" "$V"
is "... leaving the 10 files" "$("$EMOTUNE" tracks --db "$T/v.db" | tail -n +2 | wc -l | tr -d ' ')" 10

# An unreadable folder (permissions bind only another user: the scan runs as
# `nobody`): skipped with a message and counted, the rest indexed.
NOBODY=$(id -u nobody 2>/dev/null || true)
if [ "$(id -u)" = 0 ] && [ -n "$NOBODY" ] && command -v setpriv >/dev/null 2>&1; then
	as_nobody() { setpriv --reuid="$NOBODY" --regid="$(id -g nobody)" --clear-groups "$@"; }
	chmod 755 "$T"
	U="$T/perm"
	mkdir -p "$U/open" "$U/locked"
	cp "$B/good.wav" "$U/open/a.wav"
	cp "$B/good.wav" "$U/locked/b.wav"
	chmod 777 "$U"
	chmod 700 "$U/locked"
	if as_nobody "$EMOTUNE" --version >/dev/null 2>&1; then
		ok "scan as another user with an unreadable folder exits 0" exits 0 as_nobody "$EMOTUNE" scan --db "$U/u.db" "$U"
		ok "... the folder is skipped with a message" grep -q "^emotune: scan: $U/locked: Permission denied (folder skipped)" "$T/err"
		ok "... counted, the readable file added" grep -q "^scan: 1 files: 1 added, .* 1 skipped" "$T/err"
	else
		skip "unreadable folder" "user nobody cannot run $EMOTUNE"
	fi
else
	skip "unreadable folder" "needs root, user nobody and setpriv"
fi
# A FIFO with a music name is never opened (the scan would block in it) and
# is counted as skipped; a track whose path is over 1,024 bytes (12 folders
# of 100 characters) is indexed with its whole path.
F="$T/fifo"
d="$F"; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do d="$d/$(printf 'f%.0s' $(seq 100))"; done
mkdir -p "$d" && cp "$B/good.wav" "$d/deep.wav" && mkfifo "$F/x.flac"
ok "scan with a FIFO named x.flac ends (exit 0)" exits 0 timeout 60 "$EMOTUNE" scan --db "$T/f.db" "$F"
ok "... naming it" grep -q "x.flac: not a regular file (skipped)" "$T/err"
ok "... counting it, the deep file added" grep -q "^scan: 1 files: 1 added, .* 1 skipped" "$T/err"
is "... with its whole path" "$("$EMOTUNE" tracks --db "$T/f.db" | tail -n +2 | cut -f1)" "$d/deep.wav"
done_testing
