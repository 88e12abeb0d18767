/* ui_bars: the mood pane. See ui_bars.h. */
#include "ui_bars.h"

#include <stdio.h>
#include <string.h>

const char *ui_bars_quadrant(float v, float a)
{
	if (v >= 0)
		return a >= 0 ? "Q1" : "Q4";
	return a >= 0 ? "Q2" : "Q3";
}

void ui_bars_draw(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *s,
		  double threshold)
{
	struct ui_rect in = ui_draw_frame(d, r, "mood", UI_DRAW_BORDER);
	int y = in.y, end = in.y + in.h;
	if (in.w < 10 || in.h < 1)
		return;

	/* Mood line. */
	char line[256];
	int confident = s->mood >= 0 && s->confidence >= threshold;
	if (s->mood_manual && s->mood >= 0)
		snprintf(line, sizeof line, "%s (set by hand; a: automatic)", ui_draw_emotion(s->mood));
	else if (s->mood >= 0)
		snprintf(line, sizeof line, "%s  %s %.0f%%", ui_draw_emotion(s->mood),
			 confident ? "confident" : "not confident", (double)(s->confidence * 100));
	else
		snprintf(line, sizeof line, "uncertain (%.0f%%)%s", (double)(s->confidence * 100),
			 s->camera_ok ? "" : "  m: pick a mood");
	int x = in.x + ui_draw_text(d, y, in.x, in.w, "mood: ", UI_DRAW_NORMAL, A_BOLD);
	ui_draw_text(d, y, x, in.x + in.w - x, line,
		     s->mood >= 0 ? UI_DRAW_EMO + s->mood : UI_DRAW_DIM, A_BOLD);
	y++;

	/* Bars: name, bar, percentage. */
	int barw = in.w - 9 - 7;
	for (int i = 0; i < VOCAB_NCLASSES && y < end; i++, y++) {
		float p = s->probs[i];
		int top = s->ranking[0] == i;
		ui_draw_textf(d, y, in.x, 9, UI_DRAW_NORMAL, top ? A_BOLD : A_NORMAL, "%-8s",
			      ui_draw_emotion(i));
		if (barw > 0)
			ui_draw_bar(d, y, in.x + 9, barw, p, UI_DRAW_EMO + i);
		ui_draw_textf(d, y, in.x + in.w - 6, 6, UI_DRAW_NORMAL, top ? A_BOLD : A_NORMAL,
			      "%5.1f%%", (double)(p * 100));
	}

	/* Ranking. */
	if (y < end) {
		char rank[256];
		size_t o = 0;
		rank[0] = '\0';
		for (int i = 0; i < VOCAB_NCLASSES && o < sizeof rank; i++) {
			int c = s->ranking[i];
			if (c < 0 || c >= VOCAB_NCLASSES)
				continue;
			o += (size_t)snprintf(rank + o, sizeof rank - o, "%s%s", i ? " > " : "",
					      ui_draw_emotion(c));
		}
		ui_draw_textf(d, y++, in.x, in.w, UI_DRAW_DIM, A_NORMAL, "ranking: %s", rank);
	}
	/* Strategy and the target point. */
	if (y < end)
		ui_draw_textf(d, y++, in.x, in.w, UI_DRAW_NORMAL, A_NORMAL,
			      "strategy: %s (s)  target %s v%+.2f a%+.2f", vocab_strategy_name(s->strategy),
			      ui_bars_quadrant(s->valence, s->arousal), (double)s->valence,
			      (double)s->arousal);
	if (y < end)
		ui_draw_textf(d, y++, in.x, in.w, UI_DRAW_DIM, A_NORMAL,
			      "faces %d  %.1f fps  latency %.0f ms", s->nfaces, (double)s->fps,
			      (double)s->latency_ms);
	/* Where there is room: why the current track plays. */
	if (y < end && s->current.path[0]) {
		y++;
		if (y < end)
			ui_draw_textf(d, y++, in.x, in.w, UI_DRAW_NORMAL, A_NORMAL,
				      "playing: %s v%+.2f a%+.2f",
				      ui_bars_quadrant(s->current.valence, s->current.arousal),
				      (double)s->current.valence, (double)s->current.arousal);
		if (y < end && s->current.reason[0])
			ui_draw_textf(d, y++, in.x, in.w, UI_DRAW_DIM, A_NORMAL, "because: %s",
				      s->current.reason);
	}
}
