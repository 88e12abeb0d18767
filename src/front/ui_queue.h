/*
 * ui_queue: the queue pane. The upcoming tracks the recommender picked,
 * each with its mood (quadrant and valence/arousal) and the reason it was
 * picked. Enter plays the selected track.
 */
#ifndef EMOTUNE_UI_QUEUE_H
#define EMOTUNE_UI_QUEUE_H

#include "app.h"
#include "ui_draw.h"
#include "ui_list.h"

void ui_queue_draw(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *s,
		   struct ui_list *l, int focused);

/* Handles a movement command; *play gets the selected entry's path on
 * "activate"/"enqueue-selected" (else empty). Returns 1 when handled. */
int ui_queue_key(const struct app_snapshot *s, struct ui_list *l, const char *cmd, int page,
		 char *play, size_t n);

/* "Artist - Title" (or the file name) into buf. */
void ui_queue_label(const struct app_entry *e, char *buf, size_t n);
/* "3:07" into buf. */
/* " Q1 v+0.12 a-0.30", or " -  no mood" for a track without one (silence). */
void ui_queue_mood(const struct app_entry *e, char *buf, size_t n);
void ui_queue_time(double seconds, char *buf, size_t n);

#endif
