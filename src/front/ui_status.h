/*
 * ui_status: the two status lines at the bottom. Now playing with a
 * progress bar and times; volume, normalisation, library scan progress,
 * the audio device's state and the latest message.
 */
#ifndef EMOTUNE_UI_STATUS_H
#define EMOTUNE_UI_STATUS_H

#include "app.h"
#include "ui_draw.h"

#define UI_STATUS_LINES 2

/* msg: the UI's current message ("" for none); error: show it as one. */
void ui_status_draw(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *s,
		    const char *msg, int error);

#endif
