/*
 * ui_library: the library pane. Every indexed track (a copy from
 * app_library()), filtered incrementally as the user types after `/`:
 * every word of the query must occur (case-insensitive) in the artist,
 * title or path. Enter plays the selected track, e enqueues it.
 *
 * Ownership: ui_library_set() takes the entries (freed with free() by the
 * next set or by ui_library_free()).
 */
#ifndef EMOTUNE_UI_LIBRARY_H
#define EMOTUNE_UI_LIBRARY_H

#include <stddef.h>

#include "app.h"
#include "ui_draw.h"
#include "ui_list.h"

struct ui_library {
	struct app_entry *all;
	size_t n;
	size_t *match;        /* indices into all that match the query */
	size_t nmatch;
	char query[128];
	int searching;        /* typing a query */
	struct ui_list list;
};

void ui_library_set(struct ui_library *lib, struct app_entry *entries, size_t n);
void ui_library_free(struct ui_library *lib);

/* Starts typing a query (the "search" command). */
void ui_library_search(struct ui_library *lib);
/* While searching: a typed key (printable, Backspace, Enter ends, Esc
 * clears). Returns 1 when the key was used. */
int ui_library_type(struct ui_library *lib, int key);
/* 1 when every word of query q occurs (case-insensitive) in one of the
 * strings (each may be NULL). Shared with the playlists view. */
int ui_library_match(const char *q, const char *title, const char *artist, const char *path);
/* Sets the query and filters. */
void ui_library_filter(struct ui_library *lib, const char *query);

void ui_library_draw(const struct ui_draw *d, struct ui_rect r, struct ui_library *lib,
		     int focused, int scanning);
/* Movement commands; *path gets the selected track on "activate" or
 * "enqueue-selected". Returns 1 when handled. */
int ui_library_key(struct ui_library *lib, const char *cmd, int page, char *path, size_t n);

#endif
