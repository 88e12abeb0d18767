/* ui_status: the status lines. See ui_status.h. */
#include "ui_status.h"
#include "ui_bars.h"
#include "ui_queue.h"

#include <stdio.h>
#include <string.h>

void ui_status_draw(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *s,
		    const char *msg, int error)
{
	char label[300], pos[16], dur[16], right[64];
	int y = r.y;
	ui_draw_clear(r);
	if (r.h < 1 || r.w < 10)
		return;

	/* Line 1: state, track, progress bar, time. */
	const char *st = s->state == APP_PLAYING ? (d->utf8 ? "\xe2\x96\xb6" : ">")
			 : s->state == APP_PAUSED ? (d->utf8 ? "\xe2\x8f\xb8" : "=") : (d->utf8 ? "\xe2\x96\xa0" : "#");
	if (s->current.path[0])
		ui_queue_label(&s->current, label, sizeof label);
	else
		snprintf(label, sizeof label, "nothing playing");
	ui_queue_time(s->position, pos, sizeof pos);
	ui_queue_time(s->current.duration, dur, sizeof dur);
	snprintf(right, sizeof right, " %s / %s", pos, dur);
	int x = r.x;
	x += ui_draw_textf(d, y, x, 3, UI_DRAW_ACCENT, A_BOLD, "%s ", st);
	int wlabel = r.w * 2 / 5;
	x += ui_draw_text(d, y, x, wlabel, label, UI_DRAW_NORMAL, A_BOLD) + 1;
	int wright = (int)strlen(right);
	int wbar = r.x + r.w - x - wright;
	if (wbar > 4) {
		double frac = s->current.duration > 0 ? s->position / s->current.duration : 0;
		ui_draw_bar(d, y, x, wbar, frac, UI_DRAW_ACCENT);
		x += wbar;
	}
	ui_draw_text(d, y, x, r.x + r.w - x, right, UI_DRAW_NORMAL, A_NORMAL);
	if (++y >= r.y + r.h)
		return;

	/* Line 2: volume, normalisation, scan, audio, message. */
	x = r.x;
	x += ui_draw_textf(d, y, x, r.w, UI_DRAW_NORMAL, A_NORMAL, "vol %d%%  norm %s  %s", s->volume,
			   s->normalize ? "on" : "off", vocab_strategy_name(s->strategy));
	if (s->scanning) {
		if (s->scan_total > 0)
			x += ui_draw_textf(d, y, x, r.x + r.w - x, UI_DRAW_ACCENT, A_NORMAL,
					   "  scan %d/%d (%d%%): picks from the %d analysed so far",
					   s->scan_done, s->scan_total,
					   s->scan_done * 100 / s->scan_total, s->ntracks);
		else
			x += ui_draw_textf(d, y, x, r.x + r.w - x, UI_DRAW_ACCENT, A_NORMAL,
					   "  scanning...");
	} else {
		x += ui_draw_textf(d, y, x, r.x + r.w - x, UI_DRAW_DIM, A_NORMAL, "  %d tracks",
				   s->ntracks);
	}
	if (s->audio_msg[0])
		x += ui_draw_textf(d, y, x, r.x + r.w - x, UI_DRAW_ERROR, A_BOLD, "  %s",
				   s->audio_msg);
	if (msg && *msg)
		ui_draw_textf(d, y, x, r.x + r.w - x, error ? UI_DRAW_ERROR : UI_DRAW_NORMAL,
			      error ? A_BOLD : A_NORMAL, "  | %s", msg);
	else if (s->current.path[0] && s->current.reason[0])
		ui_draw_textf(d, y, x, r.x + r.w - x, UI_DRAW_DIM, A_NORMAL, "  | why: %s",
			      s->current.reason);  /* why this track was chosen */
}
