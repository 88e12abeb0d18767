/*
 * history_svg: the mood history as a self-contained SVG picture (no
 * scripts, fonts or links): valence and arousal over [since, until) as two
 * lines on a -1..1 scale, the mood band underneath coloured by class, the
 * starts of tracks as ticks on the time axis, hour labels and a legend.
 * Hand-written XML; text is escaped.
 */
#ifndef EMOTUNE_HISTORY_SVG_H
#define EMOTUNE_HISTORY_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "history.h"

/* Writes the picture on f; title is shown at the top (escaped). Returns 0,
 * or -1 when writing failed (errno). */
int history_svg(FILE *f, const struct history_row *rows, size_t n, double since, double until,
		const char *title);

/* The band colour of a summary key ("#rrggbb"): the UI's class colours. */
const char *history_svg_color(int key);

#endif
