#!/bin/sh
# The first run and the playlists view of the real `emotune` UI, driven in
# tmux (issue 22): autoplay (once the mood is known; calm picks after a few
# seconds without a face; a key before keeps control; autoplay = no), the
# status line saying why; the playlists view (key 5): list, open with moods
# and missing files, p/P, x, /, rename, save the queue, the mood's picks,
# delete with confirmation, play; bad playlists (empty, huge, binary,
# invalid UTF-8 name, CRLF, folders, FIFOs, missing files); remote
# playlist commands against the UI.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/ui-lib.sh"
U8="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"
mkdir -p "$T/run" "$T/data" && chmod 700 "$T/run"
NISO=0
iso() { NISO=$((NISO+1)); mkdir -p "$T/state$NISO"
	ISO="XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state$NISO XDG_DATA_HOME=$T/data"; }
MUSIC="$top_srcdir/music"
COMMON="--audio null --db $T/lib.db --music $MUSIC"
PL="$T/data/emotune/playlists"
remote() { env XDG_RUNTIME_DIR="$T/run" "$EMOTUNE" remote "$@"; }
ls "$MUSIC"/*.flac >/dev/null 2>&1 || skip_all "no bundled music"
# The library, scanned once for every run below.
"$EMOTUNE" scan --db "$T/lib.db" "$MUSIC" >/dev/null 2>&1 || skip_all "the library scan failed"
first=$(ls "$MUSIC"/*.flac | head -1)

# --- autoplay
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --source test $COMMON
ok "autoplay: with the demo face, music starts without a key" ui_wait_line "▶ .*[0-9]:[0-9][0-9] / [0-9]" 60
ok "... chosen for the mood, and the status line says so" ui_wait_line "(playing by itself|why): .*mood [a-z]+: "
ui_keys q
ok "... q quits" ui_exited

iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera $COMMON
ok "autoplay without a face: calm picks after a few seconds" ui_wait "no face seen yet: a calm pick" 60
ok "... playing" ui_wait_line "▶ .*[0-9]:[0-9][0-9] / [0-9]"
ui_keys q
ok "... q quits" ui_exited

iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera $COMMON
ui_keys 2
ok "a key pressed at once" ui_wait "library ("
sleep 10
ok "... keeps control: nothing plays by itself" ui_wait "nothing playing" 1
ui_keys q
ok "... q quits" ui_exited

printf 'autoplay = no\n' >"$T/noauto.conf"
iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --config "$T/noauto.conf" --no-camera $COMMON
ok "autoplay = no: the UI comes up" ui_wait "queue ("
sleep 10
ok "... and nothing plays by itself" ui_wait "nothing playing" 1
ui_keys q
ok "... q quits" ui_exited

# --- playlists: some made by hand, some bad
mkdir -p "$PL" "$T/afolder"
mkfifo "$T/fifo"
{
	printf '#EXTM3U\r\n'
	for f in $(ls "$MUSIC"/*.flac | head -3); do printf '%s\r\n' "$f"; done
	printf '/nonexistent/gone.flac\r\n%s\r\n%s\r\nbin\000ary\r\n' "$T/afolder" "$T/fifo"
} >"$PL/mix.m3u8"
: >"$PL/empty.m3u8"
head -c 200000 /dev/urandom >"$PL/noise.m3u8"
python3 - "$PL/huge.m3u8" "$first" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write("%s\n" % sys.argv[2] if i % 2 else "/nonexistent/t%d.flac\n" % i)
PY
printf '%s\n' "$first" >"$PL/$(printf 'bad\377name').m3u8"

iso
# shellcheck disable=SC2086
ui_start $U8 $ISO -- "$EMOTUNE" --no-camera $COMMON
ui_keys 2
ok "UI up (autoplay off by a key)" ui_wait "library ("
ui_keys 5
ok "5 shows the playlists" ui_wait "playlists (5)"
ok "... a name that is not UTF-8 is listed, escaped or replaced" ui_wait_line "bad.*name"
ui_keys '?' NPage NPage NPage NPage
ok "the help overlay lists the view's keys" ui_wait "In 5 playlists:"
ok "... p/P among them" ui_wait "p/P move the track down/up"
ui_keys x
ui_keys g j j j
ui_keys Enter
ok "Enter opens a playlist: its tracks" ui_wait "playlist mix (4)"
ok "... with their mood" ui_wait_line "Q[1-4] v[+-][0-9.]+ a[+-][0-9.]+"
ok "... a missing file shown as missing" ui_wait_line "gone.flac .*missing"
ok "... and what was skipped said" ui_wait "skipped 3 lines (2 folders or devices, 1 binary"
# reorder: the first track goes down one
one=$(grep -av '^#' "$PL/mix.m3u8" | head -1 | tr -d '\r')
ui_keys g p
i=0; while [ "$(grep -av '^#' "$PL/mix.m3u8" | sed -n 2p)" != "$one" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
is "p moves the track down (written at once)" "$(grep -av '^#' "$PL/mix.m3u8" | sed -n 2p)" "$one"
ui_keys P
i=0; while [ "$(grep -av '^#' "$PL/mix.m3u8" | sed -n 1p)" != "$one" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
is "P moves it back up" "$(grep -av '^#' "$PL/mix.m3u8" | sed -n 1p)" "$one"
ui_keys G x
ok "x removes a track" ui_wait "playlist mix (3)"
is "... from the file" "$(grep -avc '^#' "$PL/mix.m3u8")" 3
ui_keys / g o n e
ok "/ searches the tracks" ui_wait "matching \"gone\""
ui_keys Escape
ui_keys g Enter
ok "Enter plays the selected track" ui_wait_line "▶ .*[0-9]:[0-9][0-9] / [0-9]"
ui_keys h
ok "h goes back to the list" ui_wait "playlists (5)"

ui_keys / h u g e Enter Enter
ok "a huge playlist (100,000 lines) opens" ui_wait "playlist huge (100000)" 60
ok "... its missing files shown as missing" ui_wait_line "t0.flac .*missing"
ui_keys h
ui_keys / Escape
ui_keys / e m p t y Enter Enter
ok "an empty playlist opens" ui_wait "empty playlist"
ui_keys h / Escape / n o i s e Enter Enter
ok "a binary playlist opens, saying what it skipped" ui_wait_line "playlist noise: .*skipped [1-9]"
ui_keys h / Escape

ui_keys S n e w q Enter
ok "S saves the queue as a new playlist" ui_wait "playlist newq saved"
ok "... into the playlists folder" test -f "$PL/newq.m3u8"
ui_keys S n e w q Enter
ok "... an existing name is not overwritten" ui_wait "playlist newq exists already"
ui_keys S . . Enter
ok "... '..' is refused" ui_wait "name '..' refused"
ui_keys / n e w q Enter r BSpace BSpace BSpace BSpace r e n a m e d Enter
ok "r renames" ui_wait "renamed newq to renamed"
ok "... the file" test -f "$PL/renamed.m3u8" -a ! -e "$PL/newq.m3u8"
ui_keys / Escape / r e n a m e d Enter D n
ok "D asks, anything but y keeps it" ui_wait "not deleted"
ok "... kept" test -f "$PL/renamed.m3u8"
ui_keys D y
ok "D y deletes" ui_wait "deleted playlist renamed"
ok "... the file" test ! -e "$PL/renamed.m3u8"
ui_keys / Escape

ok "remote playlist-load against the UI" remote playlist-load mix
ok "remote playlists against the UI" sh -c 'env XDG_RUNTIME_DIR="$1" "$0" remote playlists | grep -qx mix' "$EMOTUNE" "$T/run"
ok "remote mood sad" remote mood sad
sleep 2
ui_keys M
ok "M asks a name for the mood's picks" ui_wait "save the last hour's picks as: sad hour_"
ui_keys Enter
ok "... saves them" ui_wait "playlist sad hour saved"
ok "... holding the track played while sad" grep -q '\.flac$' "$PL/sad hour.m3u8"
ui_keys / m i x Enter L
ok "L loads and plays a playlist" ui_wait_line "why: playlist mix"
ui_keys q
ok "q quits" ui_exited
done_testing
