/*
 * ui_help: the `?` overlay, generated from the key table (keys.h): every
 * command once, with all the keys bound to it and what it does.
 */
#ifndef EMOTUNE_UI_HELP_H
#define EMOTUNE_UI_HELP_H

#include <stddef.h>

#include "keys.h"
#include "ui_draw.h"

/* The overlay's text lines: line i into buf; returns the number of lines. */
int ui_help_line(const struct keys *k, int i, char *buf, size_t n);

/* Draws the overlay centred in screen, from line *scroll (kept in range). */
void ui_help_draw(const struct ui_draw *d, struct ui_rect screen, const struct keys *k,
		  int *scroll);

/* A key while the overlay is open: scrolls with the movement keys; returns
 * 0 when the overlay closes. */
int ui_help_key(const struct keys *k, int key, int *scroll);

#endif
