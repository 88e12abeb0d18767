/* ui_library: the library pane with incremental search. See ui_library.h. */
#include "ui_library.h"
#include "ui_bars.h"
#include "ui_queue.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CTRL
#define CTRL(c) ((c) & 0x1f)
#endif

static int contains_ci(const char *hay, const char *needle, size_t len)
{
	for (; hay && *hay; hay++) {
		size_t i = 0;
		while (i < len && hay[i] &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == len)
			return 1;
	}
	return 0;
}

int ui_library_match(const char *q, const char *title, const char *artist, const char *path)
{
	while (*q) {
		while (*q == ' ')
			q++;
		size_t len = strcspn(q, " ");
		if (!len)
			break;
		if (!contains_ci(title, q, len) && !contains_ci(artist, q, len) &&
		    !contains_ci(path, q, len))
			return 0;
		q += len;
	}
	return 1;
}

static int keep_match(void *ctx, const char *title, const char *artist, const char *path)
{
	return ui_library_match(ctx, title, artist, path);
}

static void refilter(struct ui_library *lib)
{
	size_t *rows = NULL, n = 0;
	free(lib->match);
	lib->match = NULL;
	lib->nmatch = 0;
	if (lib->src.rows &&
	    lib->src.rows(lib->src.ctx, keep_match, lib->query, &rows, &n, &lib->n, &lib->gen) == 0) {
		lib->match = rows;
		lib->nmatch = n;
		lib->stale = 0;
	}
	ui_list_fit(&lib->list, (int)lib->nmatch, 1);
}

void ui_library_set(struct ui_library *lib, const struct ui_library_src *src)
{
	lib->src = *src;
	lib->list.sel = lib->list.top = 0;
	refilter(lib);
}

/* The entry of the i-th match; 0, or -1 when the rows changed (then
 * lib->stale asks for ui_library_set). */
static int entry_at(struct ui_library *lib, size_t i, struct app_entry *e)
{
	if (i >= lib->nmatch || !lib->src.row || lib->src.row(lib->src.ctx, lib->match[i], lib->gen, e)) {
		lib->stale = 1;
		return -1;
	}
	return 0;
}

void ui_library_free(struct ui_library *lib)
{
	free(lib->match);
	memset(lib, 0, sizeof(*lib));
}

void ui_library_filter(struct ui_library *lib, const char *query)
{
	snprintf(lib->query, sizeof lib->query, "%s", query);
	lib->list.sel = lib->list.top = 0;
	refilter(lib);
}

void ui_library_search(struct ui_library *lib)
{
	lib->searching = 1;
}

int ui_library_type(struct ui_library *lib, int key)
{
	size_t len = strlen(lib->query);
	if (!lib->searching)
		return 0;
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		lib->searching = 0;
		return 1;
	}
	if (key == 27) {
		lib->searching = 0;
		ui_library_filter(lib, "");
		return 1;
	}
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len) {
			/* Drop a whole UTF-8 sequence. */
			while (len > 0 && ((unsigned char)lib->query[len - 1] & 0xc0) == 0x80)
				len--;
			if (len)
				len--;
			char q[sizeof lib->query];
			memcpy(q, lib->query, len);
			q[len] = '\0';
			ui_library_filter(lib, q);
		} else {
			lib->searching = 0;
		}
		return 1;
	}
	if (key == CTRL('u')) {
		ui_library_filter(lib, "");
		return 1;
	}
	if (key >= ' ' && key < 256 && key != 127 && len + 1 < sizeof lib->query) {
		char q[sizeof lib->query];
		memcpy(q, lib->query, len);
		q[len] = (char)key;
		q[len + 1] = '\0';
		ui_library_filter(lib, q);
		return 1;
	}
	return 0; /* arrows etc. still move */
}

void ui_library_draw(const struct ui_draw *d, struct ui_rect r, struct ui_library *lib,
		     int focused, int scanning)
{
	char title[200];
	if (lib->query[0])
		snprintf(title, sizeof title, "library %zu/%zu matching \"%.100s\"", lib->nmatch,
			 lib->n, lib->query);
	else
		snprintf(title, sizeof title, "library (%zu)", lib->n);
	struct ui_rect in = ui_draw_frame(d, r, title, focused ? UI_DRAW_ACCENT : UI_DRAW_BORDER);
	if (in.h < 2 || in.w < 10)
		return;
	int h = in.h - 1; /* last line: the search line */
	if (lib->nmatch == 0)
		ui_draw_text(d, in.y, in.x, in.w,
			     lib->n == 0 ? (scanning ? "scanning the library..." : "library empty: emotune scan DIR, or --music DIR")
					 : "no track matches the search",
			     UI_DRAW_DIM, A_NORMAL);
	ui_list_fit(&lib->list, (int)lib->nmatch, h);
	int wtime = 6, wmood = 18, wlabel = in.w - wtime - wmood - 1;
	for (int row = 0; row < h && lib->list.top + row < (int)lib->nmatch; row++) {
		int i = lib->list.top + row;
		struct app_entry entry, *e = &entry;
		if (entry_at(lib, (size_t)i, e))
			break;
		int sel = focused && i == lib->list.sel;
		int pair = sel ? UI_DRAW_SEL : UI_DRAW_NORMAL;
		char label[300], t[16];
		int y = in.y + row;
		if (sel)
			ui_draw_textf(d, y, in.x, in.w, UI_DRAW_SEL, A_NORMAL, "%*s", in.w, "");
		ui_queue_label(e, label, sizeof label);
		ui_queue_time(e->duration, t, sizeof t);
		ui_draw_text(d, y, in.x, wlabel, label, pair, A_NORMAL);
		ui_draw_textf(d, y, in.x + wlabel, wtime, pair, A_NORMAL, "%6s", t);
		char mood[40];
		ui_queue_mood(e, mood, sizeof mood);
		ui_draw_text(d, y, in.x + wlabel + wtime, wmood + 1, mood,
			     sel ? UI_DRAW_SEL : UI_DRAW_ACCENT, A_NORMAL);
	}
	int y = in.y + in.h - 1;
	if (lib->searching)
		ui_draw_textf(d, y, in.x, in.w, UI_DRAW_ACCENT, A_BOLD, "/%s_  (Enter: keep, Esc: clear)",
			      lib->query);
	else if (lib->query[0])
		ui_draw_textf(d, y, in.x, in.w, UI_DRAW_DIM, A_NORMAL, "filter: %s  (/ to change)",
			      lib->query);
	else
		ui_draw_text(d, y, in.x, in.w, "/ search  Enter play  e enqueue", UI_DRAW_DIM, A_NORMAL);
}

int ui_library_key(struct ui_library *lib, const char *cmd, int page, char *path, size_t n)
{
	path[0] = '\0';
	if (ui_list_move(&lib->list, cmd, (int)lib->nmatch, page))
		return 1;
	if (strcmp(cmd, "activate") == 0 || strcmp(cmd, "enqueue-selected") == 0) {
		int s = lib->list.sel;
		struct app_entry e;
		if (s >= 0 && entry_at(lib, (size_t)s, &e) == 0)
			snprintf(path, n, "%s", e.path);
		return 1;
	}
	return 0;
}
