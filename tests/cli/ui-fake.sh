#!/bin/sh
# The terminal UI, driven in tmux, on a fake app (tests/ui/fake_app.c:
# synthetic camera, 40 tracks): panes, keys, search, mood picker, help,
# resizing, terminals and locales, clean exit. The real program is driven
# by tests/cli/ui.sh.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/ui-lib.sh"
FAKE="$top_builddir/tests/ui/ui_fake"
[ -x "$FAKE" ] || skip_all "tests/ui/ui_fake not built"
U8="LANG=C.UTF-8 LC_ALL=C.UTF-8"

ui_start $U8 TERM=xterm-256color -- "$FAKE"
ok "panes appear: preview with camera indicator" ui_wait "LIVE"
ok "... mood bars" ui_wait "mood: happy"
ok "... queue" ui_wait "queue (6)"
ok "... status line" ui_wait "vol 80%  norm on"
ok "preview drawn with half-blocks" ui_wait "▀▀▀▀"
ok "face box labelled" ui_wait "happy 64%"

ui_keys m
ok "m opens the mood picker" ui_wait "set the mood"
ui_keys 6
ok "... picking sad sets the mood by hand" ui_wait "mood: sad (set by hand"
ok "... and the sad bar follows" ui_wait_line "sad +.* 64\.0%"
ui_keys a
ok "a returns to automatic" ui_wait "mood: happy  confident"

ui_keys s
ok "s cycles the strategy" ui_wait "strategy: uplift"
ui_keys s s
ok "... and wraps" ui_wait "strategy: match"

ui_keys j j Enter
ok "j j Enter plays the third queued track" ui_wait "Delta Fox - Song 03 "
ui_keys Space
ok "Space pauses" ui_wait "⏸ Delta Fox"
ui_keys +
ok "+ raises the volume" ui_wait "vol 85%"
ui_keys - - -
ok "- lowers it" ui_wait "vol 70%"

ui_keys /
ok "/ opens the library search" ui_wait "(Enter: keep, Esc: clear)"
ui_keys z e b r a
ok "... filters as one types" ui_wait "library 8/40 matching \"zebra\""
ok "... showing only matches" ui_wait_gone "Aurora Lane - Song 00"
ui_keys Enter j Enter
ok "... Enter keeps the filter, Enter plays" ui_wait "▶ Zebra Kid - Song 09"
ui_keys l
ok "l likes the current track" ui_wait "liked: Zebra Kid - Song 09"
ui_keys d
ok "d dislikes it" ui_wait "disliked: Zebra Kid - Song 09"
ui_keys / Escape
ok "Esc clears the search" ui_wait "library (40)"

ui_keys 3
ok "3 shows films & series for the mood" ui_wait "films & series for happy"
ok "... from the catalogue" ui_wait_line "(film|series) +[a-z,]+ +you look happy"
ui_keys j Enter
ok "... Enter gives the title's web search address" ui_wait "https://duckduckgo.com/?q="
ui_keys m 6
ok "... and the list follows the mood" ui_wait "films & series for sad"
ui_keys a
ui_keys Tab
ok "Tab cycles the panes: the timeline after films & series" ui_wait "timeline: last hour"
ui_keys Tab
ok "... and back to the queue" ui_wait "queue ("

ui_keys '?'
ok "? shows the help from the key table" ui_wait "keys (bind.KEY = COMMAND"
ok "... listing keys and commands" ui_wait "j, Down"
ui_keys x
ok "... any key closes it" ui_wait_gone "keys (bind.KEY"

ui_keys c
ok "c turns the camera off" ui_wait "camera off"
ok "... and the preview says how to pick a mood" ui_wait "press m to pick a mood by hand"
ui_keys c
ok "c turns it on again" ui_wait "LIVE"

ui_resize 50 15
ok "a too small terminal gets a clear message" ui_wait "terminal too small: 50x15"
ui_resize 12 4
sleep 1
ui_resize 80 24
ok "resizing up lays out again" ui_wait "queue (6)"
ui_resize 120 40
ok "... at full size too" ui_wait "mood: happy"
ui_keys q
ok "q quits with status 0 and restores the terminal" ui_exited
ok "... leaving the UI off the screen" ui_wait_gone "queue (6)" 5

# No camera, no audio device: messages, the rest works.
ui_start $U8 TERM=xterm-256color FAKE_NO_CAMERA=1 FAKE_NO_AUDIO=1 -- "$FAKE"
ok "no camera: the preview says so" ui_wait "no camera found"
ok "... and how to pick a mood" ui_wait "press m to pick a mood by hand"
ok "no audio device: a message" ui_wait "no audio device"
ui_keys n
ok "... and keys still work" ui_wait "▶ The Blue Hours - Song 01"
ui_keys q
ok "... q quits" ui_exited

# A non-UTF-8 locale: ASCII preview, ASCII bars; TERM=linux and screen.
ui_start LANG=C LC_ALL=C TERM=linux -- "$FAKE"
ok "C locale, TERM=linux: panes appear" ui_wait "mood: happy"
ok "... with an ASCII preview and bars" ui_wait_line "happy +#+\.* +64\.0%"
ui_screen > "$T/screen"
ok "... and no UTF-8 on screen" sh -c "! grep -q '▀' '$T/screen'"
ui_keys q
ok "... q quits" ui_exited
for term in screen tmux-256color xterm; do
	ui_start $U8 TERM=$term -- "$FAKE"
	ok "TERM=$term works" ui_wait "queue (6)"
	ui_keys q
	ok "... and quits cleanly" ui_exited
done

# A terminal that cannot address the cursor, or an unknown one: a clear error.
for term in dumb no-such-terminal; do
	ui_start $U8 TERM=$term -- "$FAKE"
	ok "TERM=$term: exits 1" ui_wait "EXIT=1"
	ok "... saying why" grep -q "emotune: ui: .*TERM=$term" "$T/stderr"
done

# NO_COLOR: no colour escapes at all; without it there are.
ui_start $U8 TERM=xterm-256color -- "$FAKE"
ui_wait "LIVE" >/dev/null
colour_preview() { # 256-colour grays appear within 10 s
	i=0; while [ $i -lt 50 ]; do ui_screen_e | grep -q '38;5;2[3-5][0-9]' && return 0
		sleep 0.2; i=$((i+1)); done; return 1; }
ok "256-colour gray preview by default" colour_preview
ui_keys q; ui_exited >/dev/null
ui_start $U8 TERM=xterm-256color NO_COLOR=1 -- "$FAKE"
ok "NO_COLOR: panes appear" ui_wait "queue (6)"
ok "... the preview in shade blocks" ui_wait_line "[░▒▓█]{3}"
ui_screen_e > "$T/screen"
ok "... without colour escapes" sh -c "! grep -qE '(\[|;)(3[0-8]|4[0-8])(;|m)' '$T/screen'"
ui_keys q; ui_exited >/dev/null

# Rebinding from the settings file.
printf 'bind.x = next\nbind.n = none\npreview_fps = 2\n' > "$T/settings"
ui_start $U8 TERM=xterm-256color -- "$FAKE" "$T/settings"
ui_wait "queue (6)" >/dev/null
ui_keys n
sleep 1
ok "bind.n = none unbinds n" ui_wait "▶ Aurora Lane - Song 00"
ui_keys x
ok "bind.x = next binds x" ui_wait "▶ The Blue Hours - Song 01"
ui_keys '?'
ok "... and the help shows it" ui_wait_line "│ x +next +next track"
ui_keys q q
ok "... q quits" ui_exited
done_testing
