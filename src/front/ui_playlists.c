/* ui_playlists: the playlists view. See ui_playlists.h. */
#include "ui_playlists.h"
#include "app_cmd.h"
#include "ui_bars.h"
#include "ui_library.h"
#include "ui_queue.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

const char *const ui_playlists_help[] = {
	"In 5 playlists:  Enter open / play the track   L load and play it all",
	"  e enqueue   S save the queue as a playlist   D delete (y confirms)",
	"  M save the last hour's picks for the mood   r rename   / search",
	"  p/P move the track down/up   x remove the track   h, Esc back",
	NULL,
};

static void say(struct ui_playlists *p, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct ui_playlists *p, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	p->msg_error = error;
	p->msg_seq++;
}

static size_t nrows(const struct ui_playlists *p)
{
	return p->open ? p->pl.n : p->nnames;
}

/* The rows that match the query. */
static void refilter(struct ui_playlists *p)
{
	size_t n = nrows(p);
	if (n > p->cap) {
		size_t *m = realloc(p->match, n * sizeof *m);
		if (!m) {
			p->nmatch = 0;
			return;
		}
		p->match = m;
		p->cap = n;
	}
	p->nmatch = 0;
	for (size_t i = 0; i < n; i++) {
		int ok = p->open ? ui_library_match(p->query, p->pl.v[i].title, p->pl.v[i].artist, p->pl.v[i].path)
				 : ui_library_match(p->query, p->names[i], NULL, NULL);
		if (ok)
			p->match[p->nmatch++] = i;
	}
	ui_list_fit(p->open ? &p->tracks : &p->list, (int)p->nmatch, 1);
}

void ui_playlists_refresh(struct ui_playlists *p)
{
	char why[256] = "";
	playlist_names_free(p->names, p->nnames);
	p->names = NULL;
	p->nnames = 0;
	if (playlist_names(p->dir, &p->names, &p->nnames, why, sizeof why))
		say(p, 1, "%s: %s", p->dir, why);
	if (!p->open)
		refilter(p);
}

void ui_playlists_init(struct ui_playlists *p, const char *dir)
{
	memset(p, 0, sizeof *p);
	snprintf(p->dir, sizeof p->dir, "%s", dir ? dir : "");
	ui_playlists_refresh(p);
}

void ui_playlists_free(struct ui_playlists *p)
{
	playlist_names_free(p->names, p->nnames);
	playlist_clear(&p->pl);
	free(p->match);
	memset(p, 0, sizeof *p);
}

/* The file of playlist name: NAME.m3u8, else NAME.m3u. 0 when it exists. */
static int file_of(const struct ui_playlists *p, const char *name, char *path, size_t n)
{
	snprintf(path, n, "%s/%s.m3u8", p->dir, name);
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(path, n, "%s/%s.m3u", p->dir, name);
	return access(path, F_OK);
}

static const char *selected_name(const struct ui_playlists *p)
{
	if (p->list.sel < 0 || (size_t)p->list.sel >= p->nmatch || p->open)
		return NULL;
	return p->names[p->match[p->list.sel]];
}

/* The open playlist's selected entry index, or -1. */
static long selected_track(const struct ui_playlists *p)
{
	if (!p->open || p->tracks.sel < 0 || (size_t)p->tracks.sel >= p->nmatch)
		return -1;
	return (long)p->match[p->tracks.sel];
}

static void open_playlist(struct ui_playlists *p, const char *name)
{
	char why[256] = "";
	if (file_of(p, name, p->path, sizeof p->path)) {
		say(p, 1, "playlist %s: %s", name, strerror(errno));
		return;
	}
	playlist_clear(&p->pl);
	int err = playlist_load(&p->pl, p->path, why, sizeof why);
	if (err) {
		say(p, 1, "%s: %s", p->path, why[0] ? why : playlist_strerror(err));
		playlist_clear(&p->pl);
		return;
	}
	snprintf(p->name, sizeof p->name, "%s", name);
	p->open = 1;
	p->query[0] = 0;
	p->tracks = (struct ui_list){ 0, 0 };
	size_t missing = 0;
	for (size_t i = 0; i < p->pl.n; i++)
		missing += p->pl.v[i].state == PLAYLIST_MISSING;
	const struct playlist_skips *k = &p->pl.skips;
	size_t skipped = k->not_regular + k->binary + k->too_long + k->other_uri;
	if (missing || skipped)
		say(p, 0, "playlist %s: %zu tracks, %zu missing; skipped %zu lines (%zu folders or "
		    "devices, %zu binary, %zu too long, %zu other URIs)", name, p->pl.n, missing, skipped,
		    k->not_regular, k->binary, k->too_long, k->other_uri);
	else
		say(p, 0, "playlist %s: %zu tracks", name, p->pl.n);
	refilter(p);
}

static void close_playlist(struct ui_playlists *p)
{
	p->open = 0;
	p->query[0] = 0;
	playlist_clear(&p->pl);
	ui_playlists_refresh(p);
}

/* Writes the open playlist back after a change. */
static void write_back(struct ui_playlists *p)
{
	char why[256] = "";
	size_t left = 0;
	if (playlist_save(&p->pl, p->path, &left, why, sizeof why))
		say(p, 1, "%s: %s (not saved)", p->path, why);
	refilter(p);
}

/* Appends one command line to cmds. */
static void emit(char *cmds, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void emit(char *cmds, size_t n, const char *fmt, ...)
{
	size_t o = strlen(cmds);
	if (o + 2 >= n)
		return;
	if (o)
		cmds[o++] = '\n';
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(cmds + o, n - o, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= n - o)
		cmds[o ? o - 1 : 0] = 0;  /* did not fit: left out */
}

static int usable(const struct playlist_entry *e)
{
	struct stat st;
	return e->state == PLAYLIST_PRESENT && !strpbrk(e->path, "\r\n") && stat(e->path, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

/* Enqueues the present tracks of the open playlist, or of name. */
static void enqueue_all(struct ui_playlists *p, const char *name, char *cmds, size_t n)
{
	struct playlist tmp = { 0 };
	const struct playlist *pl = &p->pl;
	char path[4300], why[256] = "";
	if (!p->open) {
		if (file_of(p, name, path, sizeof path) || playlist_load(&tmp, path, why, sizeof why)) {
			say(p, 1, "playlist %s: %s", name, why[0] ? why : strerror(errno));
			playlist_clear(&tmp);
			return;
		}
		pl = &tmp;
	}
	size_t k = 0, left = 0;
	for (size_t i = 0; i < pl->n; i++) {
		if (!usable(&pl->v[i]))
			continue;
		if (k < APP_MAX_QUEUE) {
			emit(cmds, n, "enqueue %s", pl->v[i].path);
			k++;
		} else
			left++;
	}
	if (left)
		say(p, 0, "enqueued %zu tracks of %s (the queue holds %d; L plays it all)", k,
		    p->open ? p->name : name, APP_MAX_QUEUE);
	else
		say(p, 0, "enqueued %zu tracks of %s", k, p->open ? p->name : name);
	playlist_clear(&tmp);
}

/* Line editing of p->text (ASCII, UTF-8 characters, Backspace). 1: used. */
static int edit_text(struct ui_playlists *p, int key, int is_char)
{
	size_t len = strlen(p->text);
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		while (len > 0 && ((unsigned char)p->text[len - 1] & 0xc0) == 0x80)
			len--;
		if (len)
			len--;
		p->text[len] = 0;
		return 1;
	}
	char mb[MB_LEN_MAX + 1];
	size_t l = 0;
	if (is_char && key >= 128) {
		mbstate_t st;
		memset(&st, 0, sizeof st);
		l = wcrtomb(mb, (wchar_t)key, &st);
		if (l == (size_t)-1)
			return 1;
	} else if (is_char && key >= ' ' && key < 127) {
		mb[0] = (char)key;
		l = 1;
	} else
		return 0;
	if (len + l < sizeof p->text) {
		memcpy(p->text + len, mb, l);
		p->text[len + l] = 0;
	}
	return 1;
}

/* Enter on a typed name. */
static void finish_input(struct ui_playlists *p, char *cmds, size_t n)
{
	enum ui_playlists_input in = p->input;
	char path[4300], to[4300];
	p->input = UI_PL_NONE;
	if (in == UI_PL_SEARCH)
		return;
	if (in != UI_PL_CONFIRM && playlist_name_check(p->text)) {
		say(p, 1, "name '%s' refused: no '/', no control characters, not starting with '.'", p->text);
		return;
	}
	switch (in) {
	case UI_PL_SAVE:
		if (file_of(p, p->text, path, sizeof path) == 0) {
			say(p, 1, "playlist %s exists already (r renames, D deletes)", p->text);
			return;
		}
		emit(cmds, n, "playlist-save %s", p->text);
		break;
	case UI_PL_MOOD:
		emit(cmds, n, "playlist-mood %s %s", vocab_class_name(p->mood), p->text);
		break;
	case UI_PL_RENAME: {
		char old[PLAYLIST_NAME_MAX + 1];
		const char *o = p->open ? p->name : selected_name(p);
		if (!o)
			return;
		snprintf(old, sizeof old, "%s", o);
		if (file_of(p, p->text, to, sizeof to) == 0) {
			say(p, 1, "playlist %s exists already", p->text);
			return;
		}
		if (file_of(p, old, path, sizeof path))
			return;
		const char *ext = strrchr(path, '.');
		if ((size_t)snprintf(to, sizeof to, "%s/%s%s", p->dir, p->text, ext ? ext : ".m3u8") >= sizeof to) {
			say(p, 1, "name too long");
			return;
		}
		if (rename(path, to) != 0) {
			say(p, 1, "rename %s: %s", path, strerror(errno));
			return;
		}
		say(p, 0, "renamed %s to %s", old, p->text);
		if (p->open) {
			snprintf(p->name, sizeof p->name, "%s", p->text);
			snprintf(p->path, sizeof p->path, "%s", to);
		}
		break;
	}
	default:
		break;
	}
	ui_playlists_refresh(p);
}

int ui_playlists_key(struct ui_playlists *p, int key, int is_char, const struct app_snapshot *s,
		     char *cmds, size_t n)
{
	char path[4300];
	cmds[0] = 0;
	if (p->input == UI_PL_CONFIRM) {
		const char *name = p->open ? p->name : selected_name(p);
		p->input = UI_PL_NONE;
		if (key != 'y' || !name) {
			say(p, 0, "not deleted");
			return 1;
		}
		char shown[PLAYLIST_NAME_MAX + 1];
		snprintf(shown, sizeof shown, "%s", name);
		if (file_of(p, shown, path, sizeof path) || unlink(path) != 0)
			say(p, 1, "delete %s: %s", shown, strerror(errno));
		else
			say(p, 0, "deleted playlist %s", shown);
		if (p->open)
			close_playlist(p);
		else
			ui_playlists_refresh(p);
		return 1;
	}
	if (p->input != UI_PL_NONE) {
		if (key == 27) {
			if (p->input == UI_PL_SEARCH) {
				p->query[0] = 0;
				refilter(p);
			}
			p->input = UI_PL_NONE;
			return 1;
		}
		if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			finish_input(p, cmds, n);
			return 1;
		}
		if (p->input == UI_PL_SEARCH) {
			if ((key == KEY_BACKSPACE || key == 127 || key == 8) && !p->query[0]) {
				p->input = UI_PL_NONE;
				return 1;
			}
			snprintf(p->text, sizeof p->text, "%s", p->query);
			int used = edit_text(p, key, is_char);
			snprintf(p->query, sizeof p->query, "%s", p->text);
			refilter(p);
			return used;
		}
		edit_text(p, key, is_char);
		return 1;  /* other keys do nothing while typing */
	}
	if (!is_char && key != KEY_BACKSPACE && key != KEY_DC)
		return 0;
	long t = selected_track(p);
	const char *name = selected_name(p);
	switch (key) {
	case '/':
		p->input = UI_PL_SEARCH;
		p->query[0] = 0;
		refilter(p);
		return 1;
	case 'h':
	case 27:
	case KEY_BACKSPACE:
	case 127:
		if (p->open)
			close_playlist(p);
		return 1;
	case 'L':
		if (p->open || name) {
			emit(cmds, n, "playlist-load %s", p->open ? p->name : name);
			emit(cmds, n, "next");
		}
		return 1;
	case 'S':
		p->input = UI_PL_SAVE;
		p->text[0] = 0;
		return 1;
	case 'M':
		if (s->mood < 0) {
			say(p, 1, "no mood yet: the mood's picks are saved once it is known (m picks one)");
			return 1;
		}
		p->mood = s->mood;
		p->input = UI_PL_MOOD;
		snprintf(p->text, sizeof p->text, "%s hour", vocab_class_name(s->mood));
		return 1;
	case 'r':
		if (p->open || name) {
			p->input = UI_PL_RENAME;
			snprintf(p->text, sizeof p->text, "%s", p->open ? p->name : name);
		}
		return 1;
	case 'D':
		if (p->open || name)
			p->input = UI_PL_CONFIRM;
		return 1;
	case 'p':
	case 'P':
		if (t >= 0 && !p->query[0]) {
			long to = key == 'p' ? t + 1 : t - 1;
			if (to >= 0 && (size_t)to < p->pl.n && playlist_move(&p->pl, (size_t)t, (size_t)to) == 0) {
				p->tracks.sel = (int)to;
				write_back(p);
			}
		} else if (t >= 0)
			say(p, 1, "clear the search (/ Esc) to move tracks");
		return p->open;
	case 'x':
	case KEY_DC:
		if (t >= 0 && playlist_remove(&p->pl, (size_t)t) == 0)
			write_back(p);
		return p->open;
	}
	return 0;
}

int ui_playlists_cmd(struct ui_playlists *p, const char *cmd, int page, char *cmds, size_t n)
{
	cmds[0] = 0;
	if (ui_list_move(p->open ? &p->tracks : &p->list, cmd, (int)p->nmatch, page))
		return 1;
	int act = strcmp(cmd, "activate") == 0, enq = strcmp(cmd, "enqueue-selected") == 0;
	if (!act && !enq)
		return 0;
	if (!p->open) {
		const char *name = selected_name(p);
		if (name && act) {
			char copy[PLAYLIST_NAME_MAX + 1];
			snprintf(copy, sizeof copy, "%s", name);
			open_playlist(p, copy);
		} else if (name)
			enqueue_all(p, name, cmds, n);
		return 1;
	}
	long t = selected_track(p);
	if (enq && t < 0)
		enqueue_all(p, NULL, cmds, n);
	else if (t >= 0 && !usable(&p->pl.v[t]))
		say(p, 1, "%s: missing (not a readable file)", p->pl.v[t].path);
	else if (t >= 0)
		emit(cmds, n, "%s %s", act ? "play-path" : "enqueue", p->pl.v[t].path);
	return 1;
}

void ui_playlists_draw(const struct ui_draw *d, struct ui_rect r, struct ui_playlists *p,
		       struct app *a)
{
	char title[600];
	if (p->open)
		snprintf(title, sizeof title, "playlist %.200s (%zu)%s%s%s", p->name, p->pl.n,
			 p->query[0] ? " matching \"" : "", p->query, p->query[0] ? "\"" : "");
	else
		snprintf(title, sizeof title, "playlists (%zu)%s%s%s", p->nnames,
			 p->query[0] ? " matching \"" : "", p->query, p->query[0] ? "\"" : "");
	struct ui_rect in = ui_draw_frame(d, r, title, UI_DRAW_ACCENT);
	if (in.h < 2 || in.w < 20)
		return;
	/* The last row: the prompt or the keys. */
	int rows = in.h - 1;
	const char *prompts[] = {
		[UI_PL_NONE] = NULL, [UI_PL_SEARCH] = "search: ", [UI_PL_RENAME] = "rename to: ",
		[UI_PL_SAVE] = "save the queue as: ", [UI_PL_MOOD] = "save the last hour's picks as: ",
		[UI_PL_CONFIRM] = NULL,
	};
	if (p->input == UI_PL_CONFIRM)
		ui_draw_textf(d, in.y + rows, in.x, in.w, UI_DRAW_ERROR, A_BOLD, "delete playlist %s? (y/n)",
			      p->open ? p->name : selected_name(p) ? selected_name(p) : "");
	else if (p->input != UI_PL_NONE)
		ui_draw_textf(d, in.y + rows, in.x, in.w, UI_DRAW_ACCENT, A_BOLD, "%s%s_", prompts[p->input],
			      p->input == UI_PL_SEARCH ? p->query : p->text);
	else
		ui_draw_text(d, in.y + rows, in.x, in.w, p->open ?
			     "Enter play  e enqueue  L play all  p/P move  x remove  r rename  D delete  / search  h back"
			     : "Enter open  L play  e enqueue  S save queue  M save mood's picks  r rename  D delete  / search",
			     UI_DRAW_DIM, A_NORMAL);
	struct ui_list *l = p->open ? &p->tracks : &p->list;
	if (!p->nmatch) {
		ui_draw_text(d, in.y, in.x, in.w, p->open ? (p->pl.n ? "no track matches" : "empty playlist")
			     : p->nnames ? "no playlist matches" : "no playlists yet: S saves the queue as one",
			     UI_DRAW_DIM, A_NORMAL);
		return;
	}
	ui_list_fit(l, (int)p->nmatch, rows);
	for (int row = 0; row < rows && l->top + row < (int)p->nmatch; row++) {
		int i = l->top + row, sel = i == l->sel, y = in.y + row;
		int pair = sel ? UI_DRAW_SEL : UI_DRAW_NORMAL;
		if (sel)
			ui_draw_textf(d, y, in.x, in.w, UI_DRAW_SEL, A_NORMAL, "%*s", in.w, "");
		if (!p->open) {
			ui_draw_textf(d, y, in.x, in.w, pair, A_NORMAL, "%3d %s", i + 1, p->names[p->match[i]]);
			continue;
		}
		const struct playlist_entry *e = &p->pl.v[p->match[i]];
		struct app_entry found, show;
		const struct app_entry *le = app_library_find(a, e->path, &found) == 0 ? &found : NULL;
		memset(&show, 0, sizeof show);
		snprintf(show.path, sizeof show.path, "%s", e->path);
		snprintf(show.title, sizeof show.title, "%s", e->title ? e->title : le ? le->title : "");
		snprintf(show.artist, sizeof show.artist, "%s", e->artist ? e->artist : le ? le->artist : "");
		char label[300], t[16];
		ui_queue_label(&show, label, sizeof label);
		ui_queue_time(e->duration > 0 ? e->duration : le ? le->duration : 0, t, sizeof t);
		int wlabel = in.w - 4 - 6 - 20;
		ui_draw_textf(d, y, in.x, 4, pair, A_NORMAL, "%3d ", (int)p->match[i] + 1);
		ui_draw_text(d, y, in.x + 4, wlabel, label, pair, A_NORMAL);
		ui_draw_textf(d, y, in.x + 4 + wlabel, 6, pair, A_NORMAL, "%5s ", t);
		if (e->state == PLAYLIST_MISSING)
			ui_draw_text(d, y, in.x + 10 + wlabel, 20, "missing", sel ? UI_DRAW_SEL : UI_DRAW_ERROR,
				     A_BOLD);
		else if (le)
			ui_draw_textf(d, y, in.x + 10 + wlabel, 20, sel ? UI_DRAW_SEL : UI_DRAW_ACCENT, A_NORMAL,
				      "%s v%+.2f a%+.2f", ui_bars_quadrant(le->valence, le->arousal),
				      (double)le->valence, (double)le->arousal);
		else
			ui_draw_text(d, y, in.x + 10 + wlabel, 20, "not in the library", UI_DRAW_DIM, A_NORMAL);
	}
}
