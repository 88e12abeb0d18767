/*
 * ui_library: the library pane. Every indexed track, read from its source
 * by row number (for the UI the app's rows: app_library_rows/_row, no copy),
 * filtered incrementally as the user types after `/`: every word of the
 * query must occur (case-insensitive) in the artist, title or path. Enter
 * plays the selected track, e enqueues it.
 *
 * Ownership: the struct owns only its row numbers (freed by the next
 * ui_library_set or filter, or by ui_library_free); the source is borrowed.
 */
#ifndef EMOTUNE_UI_LIBRARY_H
#define EMOTUNE_UI_LIBRARY_H

#include <stddef.h>

#include "app.h"
#include "ui_draw.h"
#include "ui_list.h"

/* Where the rows come from (app.h's contract; a test can give its own). */
struct ui_library_src {
	int (*rows)(void *ctx, app_library_keep keep, void *kctx, size_t **rows, size_t *n,
		    size_t *total, unsigned long *gen);
	int (*row)(void *ctx, size_t row, unsigned long gen, struct app_entry *e);
	void *ctx;
};

struct ui_library {
	struct ui_library_src src;
	size_t n;             /* rows in the source */
	unsigned long gen;    /* the source's generation of the row numbers */
	int stale;            /* the source's rows changed: set again */
	size_t *match;        /* row numbers that match the query */
	size_t nmatch;
	char query[128];
	int searching;        /* typing a query */
	struct ui_list list;
};

/* Takes the source and reads its rows (again) with the query kept, the
 * selection back at the top. */
void ui_library_set(struct ui_library *lib, const struct ui_library_src *src);
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
