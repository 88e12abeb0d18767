/*
 * ui_timeline: the timeline view (key 4): the listener's valence and
 * arousal over the last hour (zoom with + and - to 3 h, 6 h, 12 h, a day)
 * as two charts of Unicode braille dots (an ASCII fallback, ' - _ levels,
 * when the locale is not UTF-8), the mood band underneath (one letter per
 * column, coloured by class), the starts of tracks as marks on the time
 * axis, and the summary of the range at the side (time per mood, the track
 * played longest in the leading mood).
 *
 * The rows come from app_history() (history.h) and are fetched only while
 * the view is drawn, at most every TIMELINE_REFRESH_S (longer when zoomed
 * out); the chart is computed again only when new rows came or the size or
 * zoom changed. When history = off the view says so.
 *
 * Ownership: ui_timeline_init() / ui_timeline_free(); UI thread only.
 */
#ifndef EMOTUNE_UI_TIMELINE_H
#define EMOTUNE_UI_TIMELINE_H

#include "ui_draw.h"

struct app;
struct config;
struct ui_timeline_state;

#define TIMELINE_REFRESH_S 5.0

struct ui_timeline {
	struct ui_timeline_state *st;
};

void ui_timeline_init(struct ui_timeline *tl, const struct config *cfg);
void ui_timeline_free(struct ui_timeline *tl);
/* Fetches the rows when due (wall clock) and draws the view in r. */
void ui_timeline_draw(const struct ui_draw *d, struct ui_rect r, struct ui_timeline *tl,
		      struct app *a);
/* '+'/'=' zoom in, '-' zoom out: 1 when the key was one of them. */
int ui_timeline_key(struct ui_timeline *tl, int key);
/* The span shown, in seconds (for tests). */
double ui_timeline_span(const struct ui_timeline *tl);

#endif
