#!/bin/sh
# The timeline view (key 4) in tmux: on the fake app's made-up day of mood
# history (tests/ui/fake_app.c) the chart is drawn in braille with the mood
# band, track marks and the summary; + and - zoom (and leave the volume
# alone); the help lists the view; LANG=C draws it in ASCII; history off
# says so. Then the real program: a mood set by hand shows in the view, and
# history = off in the settings says so and writes no row.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/cli/ui-lib.sh"
FAKE="$top_builddir/tests/ui/ui_fake"
[ -x "$FAKE" ] || skip_all "tests/ui/ui_fake not built"
U8="LANG=C.UTF-8 LC_ALL=C.UTF-8"
# chart_lines: the screen lines of the chart (from the first V+ to md).
chart_lines() { ui_screen | sed -n '/V+/,/md/p'; }

ui_start $U8 TERM=xterm-256color -- "$FAKE"
ok "the UI starts" ui_wait "vol 80%"
ok "the title bar names view 4" ui_wait "4:timeline"
ui_keys 4
ok "4 shows the timeline of the last hour" ui_wait "timeline: last hour (+/- zoom)"
ok "... valence and arousal rows" ui_wait_line "^.V\+.*A\+|A\+"
ok "... drawn in braille" sh -c "'$TMUX_BIN' -L '$UI_SOCK' -f /dev/null capture-pane -p -t ui | python3 -c 'import sys; s=sys.stdin.buffer.read().decode(); sys.exit(0 if sum(0x2801 <= ord(c) <= 0x28ff for c in s) > 20 else 1)'"
ok "... the mood band with class letters" ui_wait_line "md.*[ADFHNS!?]{3}"
ok "... track marks on the time axis" ui_wait "┴"
ok "... the summary at the side" ui_wait "time per mood"
ok "... with the most played track" ui_wait "most played,"
ui_keys -
ok "- zooms out to 3 hours" ui_wait "timeline: last 3 hours"
ui_keys - - - - -
ok "... and on to a day (and stops there)" ui_wait "timeline: last day"
ui_keys +
ok "+ zooms in again" ui_wait "timeline: last 12 hours"
ui_keys = + + +
ok "... to the hour" ui_wait "timeline: last hour"
ok "+ and - did not touch the volume here" ui_wait "vol 80%"
ui_keys ?
ok "the help lists the timeline on 4" ui_wait_line "^.*4 +view timeline +mood timeline"
ui_keys q
ui_keys 1 +
ok "in the queue view + is the volume again" ui_wait "vol 85%"
ui_keys q
ok "quits cleanly" ui_exited

ui_start LANG=C LC_ALL=C TERM=xterm -- "$FAKE"
ok "LANG=C: starts" ui_wait "vol 80%"
ui_keys 4
ok "... the timeline" ui_wait "timeline: last hour"
ok "... chart in ASCII levels" ui_wait_line "V\+.*['_-]"
chart_lines > "$T/ascii"
ok "... no byte outside ASCII in the chart" sh -c "! LC_ALL=C grep -q '[^ -~]' '$T/ascii'"
ok "... track marks as |" ui_wait_line "[-]+[|][-]+"
ui_keys q
ok "... quits cleanly" ui_exited

ui_start $U8 FAKE_HISTORY_OFF=1 -- "$FAKE"
ok "no history from the app" ui_wait "vol 80%"
ui_keys 4
ok "... the view says it has none" ui_wait "no mood history"
ui_keys q
ui_exited >/dev/null
printf 'history = off\n' > "$T/off.conf"
ui_start $U8 -- "$FAKE" "$T/off.conf"
ui_wait "vol 80%" >/dev/null
ui_keys 4
ok "history = off: the view says so" ui_wait "mood history is off"
ui_keys q
ui_exited >/dev/null

# --- the real program
mkdir -p "$T/run" "$T/data" "$T/state" "$T/cfg" && chmod 700 "$T/run"
ENVS="$U8 TERM=xterm-256color XDG_RUNTIME_DIR=$T/run XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/cfg"
ui_start $ENVS -- "$EMOTUNE" --no-camera --audio null --db "$T/lib.db" --music "$top_srcdir/music"
ok "real program: starts" ui_wait "1:queue" 60
ui_keys 4
ok "... the timeline view" ui_wait "timeline: last hour"
ui_keys m 4
ok "... a mood set by hand" ui_wait "set by hand"
ui_keys 4
ok "... shows in the timeline's summary" ui_wait_line "H happy +[0-9]+s +100%" 40
ui_keys q
ok "... quits cleanly" ui_exited
ok "... the row is in the database" sh -c "XDG_DATA_HOME='$T/data' '$EMOTUNE' history --db '$T/lib.db' | grep -q 'manual:happy'"

printf 'history = off\n' > "$T/cfg/off"
ui_start $ENVS -- "$EMOTUNE" --config "$T/cfg/off" --no-camera --audio null --db "$T/off.db" --music "$top_srcdir/music"
ok "history = off: starts" ui_wait "1:queue" 60
ui_keys 4
ok "... the view says so" ui_wait "mood history is off"
ui_keys m 4
ui_wait "set by hand" >/dev/null
ui_keys q
ok "... quits cleanly" ui_exited
ok "... no history table written" sh -c "! cat '$T/off.db' '$T/off.db-wal' 2>/dev/null | grep -qa mood_history"
done_testing
