/* ui_queue: the queue pane. See ui_queue.h. */
#include "ui_queue.h"
#include "ui_bars.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ui_queue_label(const struct app_entry *e, char *buf, size_t n)
{
	if (e->title[0] && e->artist[0])
		snprintf(buf, n, "%s - %s", e->artist, e->title);
	else if (e->title[0])
		snprintf(buf, n, "%s", e->title);
	else {
		const char *slash = strrchr(e->path, '/');
		snprintf(buf, n, "%s", slash ? slash + 1 : e->path);
	}
}

void ui_queue_mood(const struct app_entry *e, char *buf, size_t n)
{
	if (!isfinite(e->valence) || !isfinite(e->arousal))
		snprintf(buf, n, " -  no mood");
	else
		snprintf(buf, n, " %s v%+.2f a%+.2f", ui_bars_quadrant(e->valence, e->arousal),
			 (double)e->valence, (double)e->arousal);
}

void ui_queue_time(double t, char *buf, size_t n)
{
	if (!(t >= 0) || t > 1e7)
		t = 0;
	long s = lround(t);
	if (s >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

void ui_queue_draw(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *s,
		   struct ui_list *l, int focused)
{
	char title[96];
	if (s->scanning)
		snprintf(title, sizeof title, "queue (%d) - picked from the %d tracks analysed so far",
			 s->nqueue, s->ntracks);
	else
		snprintf(title, sizeof title, "queue (%d)", s->nqueue);
	struct ui_rect in = ui_draw_frame(d, r, title, focused ? UI_DRAW_ACCENT : UI_DRAW_BORDER);
	if (in.h < 1 || in.w < 10)
		return;
	int n = s->nqueue;
	if (n == 0) {
		ui_draw_text(d, in.y, in.x, in.w,
			     s->ntracks ? "queue empty: the next pick comes with the mood"
					: "no tracks yet: the library scan fills the queue",
			     UI_DRAW_DIM, A_NORMAL);
		return;
	}
	ui_list_fit(l, n, in.h);
	/* Columns: label | time | mood | reason. */
	int wlabel = in.w / 3, wmood = 18, wtime = 6;
	int wreason = in.w - 4 - wlabel - wtime - wmood - 3;
	if (wreason < 8) {
		wreason = 0;
		wlabel = in.w - 4 - wtime - wmood - 2;
	}
	for (int row = 0; row < in.h && l->top + row < n; row++) {
		int i = l->top + row;
		const struct app_entry *e = &s->queue[i];
		int sel = focused && i == l->sel;
		int y = in.y + row, x = in.x;
		char label[300], t[16], mood[40];
		if (sel)
			ui_draw_textf(d, y, x, in.w, UI_DRAW_SEL, A_NORMAL, "%*s", in.w, "");
		int pair = sel ? UI_DRAW_SEL : UI_DRAW_NORMAL;
		ui_queue_label(e, label, sizeof label);
		ui_queue_time(e->duration, t, sizeof t);
		ui_draw_textf(d, y, x, 4, pair, A_NORMAL, "%3d ", i + 1);
		x += 4;
		ui_draw_text(d, y, x, wlabel, label, pair, A_NORMAL);
		x += wlabel + 1;
		ui_draw_textf(d, y, x, wtime, pair, A_NORMAL, "%5s", t);
		x += wtime;
		ui_queue_mood(e, mood, sizeof mood);
		ui_draw_text(d, y, x, wmood, mood, sel ? UI_DRAW_SEL : UI_DRAW_ACCENT, A_NORMAL);
		x += wmood + 1;
		if (wreason)
			ui_draw_text(d, y, x, wreason, e->reason, sel ? UI_DRAW_SEL : UI_DRAW_DIM,
				     A_NORMAL);
	}
}

int ui_queue_key(const struct app_snapshot *s, struct ui_list *l, const char *cmd, int page,
		 char *play, size_t n)
{
	play[0] = '\0';
	if (ui_list_move(l, cmd, s->nqueue, page))
		return 1;
	if (strcmp(cmd, "activate") == 0 || strcmp(cmd, "enqueue-selected") == 0) {
		if (l->sel >= 0 && l->sel < s->nqueue)
			snprintf(play, n, "%s", s->queue[l->sel].path);
		return 1;
	}
	return 0;
}
