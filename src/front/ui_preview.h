/*
 * ui_preview: the face preview pane. The camera frame as text: Unicode
 * half-blocks in 256-colour grayscale where the terminal and locale allow,
 * shade blocks in a UTF-8 locale without 256 colours, an ASCII ramp
 * otherwise; face boxes drawn over it with each face's top emotion; the
 * camera state (live, no signal, off, absent) in the frame's title.
 */
#ifndef EMOTUNE_UI_PREVIEW_H
#define EMOTUNE_UI_PREVIEW_H

#include "app.h"
#include "ui_draw.h"

#include <stdint.h>

enum ui_preview_mode { UI_PREVIEW_HALF, UI_PREVIEW_SHADE, UI_PREVIEW_ASCII };

#define UI_PREVIEW_GRID (APP_PREVIEW_W * 2 * APP_PREVIEW_H * 2)
/* A pixel's shown value changes only when the new one differs by at least
 * this much (of 255): camera noise does not repaint the whole preview. */
#define UI_PREVIEW_DEADBAND 12

/* What the pane shows (kept between frames for the dead band). */
struct ui_preview {
	unsigned char grid[UI_PREVIEW_GRID];
	unsigned char box[UI_PREVIEW_GRID];
	unsigned char fresh[UI_PREVIEW_GRID];
	int w, h;             /* grid size of the last frame */
	uint64_t seq;         /* its frame_seq */
};

/* The mode the terminal allows. */
enum ui_preview_mode ui_preview_mode(const struct ui_draw *d);

/* Draws the pane in r. img: the snapshot whose preview and faces are shown
 * (the UI refreshes it at most preview_fps times a second); s: the latest
 * snapshot (camera state); pv: the pane's state. enabled: 0 when the user turned the preview off. */
void ui_preview_draw(const struct ui_draw *d, struct ui_rect r, struct ui_preview *pv,
		     const struct app_snapshot *img, const struct app_snapshot *s, int enabled);

#endif
