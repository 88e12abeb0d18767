/*
 * ui_bars: the mood pane. The seven emotions as live bars with
 * percentages; the current mood (or "uncertain"), whether the camera or the
 * user set it, whether the reading is confident; the ranking of the
 * emotions; the strategy and the mood point it aims the music at; where
 * there is room, the current track's mood point and why it was picked.
 */
#ifndef EMOTUNE_UI_BARS_H
#define EMOTUNE_UI_BARS_H

#include "app.h"
#include "ui_draw.h"

/* Lines the pane wants inside its frame; the first UI_BARS_MIN_LINES
 * (mood and bars) always show, the rest where there is room. */
#define UI_BARS_LINES 11
#define UI_BARS_MIN_LINES 8

void ui_bars_draw(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *s,
		  double threshold);

/* "match", "uplift", "calm". */
/* "Q1".."Q4" for a valence/arousal point. */
const char *ui_bars_quadrant(float valence, float arousal);

#endif
