#!/bin/sh
# Saved playlists through the remote control (issue 22): playlist-save,
# playlists, playlist-load, playlist-mood against a headless emotune; names
# refused; --playlists DIR; bad playlist files load what they can and say
# what they skipped.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/remote-common.sh"
make_wavs 4 30
PL="$T/data/emotune/playlists"

ok "headless starts" start_hl
ok "playlists with none saved: ok, nothing listed" exits 0 "$EMOTUNE" remote playlists
is "... empty" "$(cat "$T/out")" ""
ok "enqueue two tracks" sh -c '"$0" remote enqueue "$1/t002.wav" && "$0" remote enqueue "$1/t001.wav"' "$EMOTUNE" "$T/music"
ok "playlist-save mine" exits 0 "$EMOTUNE" remote playlist-save mine
ok "... says where" grep -q "^saved=$PL/mine.m3u8$" "$T/out"
ok "... the file is M3U8" sh -c 'head -1 "$0" | grep -qx "#EXTM3U"' "$PL/mine.m3u8"
is "... the hand-queued tracks first, in order" "$(grep -v '^#' "$PL/mine.m3u8" | head -2 | tr '\n' ' ')" \
	"$T/music/t002.wav $T/music/t001.wav "
ok "a name with spaces" exits 0 "$EMOTUNE" remote playlist-save "late night"
for bad in "a/b" ".." "../x" ".hidden"; do
	ok "name '$bad' is refused" exits 1 "$EMOTUNE" remote playlist-save "$bad"
	ok "... saying why" grep -q "refused" "$T/err"
done
ok "a name with a control byte is refused (by the client: nothing sent)" exits 2 "$EMOTUNE" remote playlist-save "$(printf 'a\tb\033')"
ok "playlist-save without a name is refused" exits 1 "$EMOTUNE" remote playlist-save
ok "nothing was written for refused names" test "$(ls "$PL" | wc -l)" = 2
ok "playlists lists both" exits 0 "$EMOTUNE" remote playlists
is "... sorted" "$(cat "$T/out" | tr '\n' '|')" "late night|mine|"
is "... --json prints the same lines" "$("$EMOTUNE" remote --json playlists | tr '\n' '|')" "late night|mine|"

# Another player's playlist: relative paths, a file:// URI, a missing file,
# a folder, a FIFO, a binary line, CRLF.
mkfifo "$T/fifo"
{
	printf '#EXTM3U\r\n#EXTINF:30,Someone - Four\r\n../../../music/t004.wav\r\n'
	printf 'file://%s/t003.wav\r\n' "$T/music"
	printf '%s/gone.wav\r\n%s\r\n%s\r\n' "$T/music" "$T/music" "$T/fifo"
	printf 'bin\000ary\r\n'
} >"$PL/other.m3u"
ok "playlist-load of another player's .m3u" exits 0 "$EMOTUNE" remote playlist-load other
is "... 2 tracks" "$(sed -n 's/^tracks=//p' "$T/out")" 2
is "... 1 missing" "$(sed -n 's/^missing=//p' "$T/out")" 1
is "... 3 lines skipped" "$(sed -n 's/^skipped=//p' "$T/out")" 3
is "... the folder and the FIFO as not regular" "$(sed -n 's/^not_regular=//p' "$T/out")" 2
is "... the binary line" "$(sed -n 's/^binary=//p' "$T/out")" 1
ok "... the FIFO was not opened (no hang): status answers" exits 0 "$EMOTUNE" remote status
"$EMOTUNE" remote next >/dev/null 2>&1
is "... its tracks are the queue" "$(st_until track "$T/music/t004.wav")" "$T/music/t004.wav"
is "... then the file:// one, the missing one passed over" "$("$EMOTUNE" remote next >/dev/null; st_until track "$T/music/t003.wav")" "$T/music/t003.wav"
ok "load of an unknown playlist fails" exits 1 "$EMOTUNE" remote playlist-load nothing
ok "... saying so" grep -q "no playlist 'nothing'" "$T/err"
ok "load of '../x' is refused" exits 1 "$EMOTUNE" remote playlist-load ../x

: >"$PL/empty.m3u8"
ok "an empty playlist loads" exits 0 "$EMOTUNE" remote playlist-load empty
is "... with 0 tracks" "$(sed -n 's/^tracks=//p' "$T/out")" 0
head -c 300000 /dev/urandom >"$PL/binary.m3u8"
ok "a binary playlist loads what it can" exits 0 "$EMOTUNE" remote playlist-load binary
ok "... and counts what it skipped" sh -c 'test "$(sed -n "s/^skipped=//p" "$0")" -gt 0' "$T/out"
python3 - "$PL/huge.m3u8" "$T/music" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("#EXTM3U\n")
    for i in range(100000):
        f.write("%s/t%03d.wav\n" % (sys.argv[2], i % 5 + 1))
PY
ok "a huge playlist (100,000 lines) loads" exits 0 "$EMOTUNE" remote playlist-load huge
is "... 80,000 present" "$(sed -n 's/^tracks=//p' "$T/out")" 80000
is "... 20,000 missing" "$(sed -n 's/^missing=//p' "$T/out")" 20000
is "... the queue stays bounded" "$(st queue)" 5
printf '%s/t001.wav\n' "$T/music" >"$PL/$(printf 'bad\377name').m3u8"
ok "a file name that is not UTF-8 is listed" exits 0 "$EMOTUNE" remote playlists
ok "playlist-mood with an unknown emotion is refused" exits 1 "$EMOTUNE" remote playlist-mood glad
ok "playlist-mood: with nothing played in that mood, says so" exits 1 "$EMOTUNE" remote playlist-mood disgust
ok "... naming the mood" grep -q "disgust" "$T/err"
"$EMOTUNE" remote mood sad >/dev/null && "$EMOTUNE" remote play-path "$T/music/t003.wav" >/dev/null
st_until track "$T/music/t003.wav" >/dev/null; sleep 1
ok "playlist-mood sad: the tracks played while sad" exits 0 "$EMOTUNE" remote playlist-mood sad sad picks
ok "... saved as 'sad picks'" grep -q "^saved=$PL/sad picks.m3u8$" "$T/out"
ok "... holding the track" grep -qx "$T/music/t003.wav" "$PL/sad picks.m3u8"
ok "playlist-mood without a name: a default one" exits 0 "$EMOTUNE" remote playlist-mood sad
ok "... 'sad hour'" test -f "$PL/sad hour.m3u8"
ok "stop" stop_hl

# --playlists DIR
ok "headless with --playlists" start_hl --playlists "$T/elsewhere"
ok "... saves there" sh -c '"$0" remote playlist-save x >/dev/null && test -f "$1/x.m3u8"' "$EMOTUNE" "$T/elsewhere"
ok "stop" stop_hl
done_testing
