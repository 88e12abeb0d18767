/*
 * ui_shows: the films-and-series pane: titles from the shows catalogue
 * (shows.h, issue 8) that suit the current mood, with the reason and a
 * web search address (Enter shows it in the status line).
 *
 * Ownership: ui_shows_init() loads what it needs; ui_shows_free() frees it.
 */
#ifndef EMOTUNE_UI_SHOWS_H
#define EMOTUNE_UI_SHOWS_H

#include <stddef.h>

#include "app.h"
#include "ui_draw.h"
#include "ui_list.h"

struct config;
struct ui_shows_state;

struct ui_shows {
	struct ui_shows_state *st;
	struct ui_list list;
	char msg[256];        /* why there is nothing to show, or "" */
};

void ui_shows_init(struct ui_shows *sh, const struct config *cfg);
void ui_shows_free(struct ui_shows *sh);
/* Follows the mood of s (re-picks when the mood changes). */
void ui_shows_update(struct ui_shows *sh, const struct app_snapshot *s);
void ui_shows_draw(const struct ui_draw *d, struct ui_rect r, struct ui_shows *sh, int focused);
/* Movement; on "activate", *url gets the selected title's search address. */
int ui_shows_key(struct ui_shows *sh, const char *cmd, int page, char *url, size_t n);

#endif
