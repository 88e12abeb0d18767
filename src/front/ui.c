/* ui: the curses main loop. See ui.h. */
#include "ui.h"
#include "app.h"
#include "config.h"
#include "front.h"
#include "keys.h"
#include "ui_bars.h"
#include "ui_draw.h"
#include "ui_help.h"
#include "ui_library.h"
#include "ui_list.h"
#include "ui_picker.h"
#include "ui_playlists.h"
#include "ui_preview.h"
#include "ui_queue.h"
#include "ui_shows.h"
#include "ui_status.h"
#include "ui_timeline.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

/* Smallest screen the layout works in. */
#define MIN_COLS 60
#define MIN_LINES 20
#define MSG_SECONDS 8.0

enum view { VIEW_QUEUE, VIEW_LIBRARY, VIEW_SHOWS, VIEW_TIMELINE, VIEW_PLAYLISTS, NVIEWS };
static const char *const view_names[NVIEWS] = { "queue", "library", "shows", "timeline", "playlists" };

struct ui {
	struct app *a;
	struct config *cfg;
	const char *config_path;    /* read again on SIGHUP (hook), or NULL */
	struct keys *keys;
	struct ui_draw d;
	struct app_snapshot *s;     /* latest */
	struct app_snapshot *img;   /* the preview shown (rate-limited copy) */
	uint64_t img_seq;
	struct ui_preview *pv;      /* the preview pane's state */
	double next_preview, preview_interval;
	int preview_on;
	double threshold;

	enum view view;
	struct ui_list queue;
	struct ui_library lib;
	int lib_ntracks;            /* ntracks when the library was last loaded */
	double lib_loaded;
	struct ui_shows shows;
	struct ui_timeline tl;
	struct ui_playlists pls;
	unsigned pls_msg_seq;
	char *pls_cmds;             /* UI_PLAYLISTS_CMDS bytes: app commands from the view */

	int help, help_scroll;
	int picker, picker_sel;

	char msg[512];
	int msg_error;
	double msg_time;
	uint64_t msg_seq;

	int log_fd;                 /* stderr's log (hook), -1: none */
	const char *log_path;
	int log_told;               /* the status line names it (1) or has named it (2) */

	int key_seen;               /* a key was pressed: autoplay no longer starts */
	int page;                   /* rows of the list pane, for page-up/down */
	int quit;
	int dirty;
	double last_draw;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_msg(struct ui *u, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_msg(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;
	double t = now();
	/* the note about the log, replaced before anyone could read it, is
	 * told again later */
	if (u->log_told == 1 && t - u->msg_time < 2.0)
		u->log_told = 0;
	else if (u->log_told == 1)
		u->log_told = 2;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_error = error;
	u->msg_time = t;
	u->dirty = 1;
}

/* Runs an app command; errors go to the status line. */
static void app_cmd(struct ui *u, const char *line)
{
	char reply[512];
	int err = app_command(u->a, line, reply, sizeof reply);
	if (err || strncmp(reply, "error", 5) == 0)
		set_msg(u, 1, "%s: %s", line, strncmp(reply, "error: ", 7) == 0 ? reply + 7
					       : reply[0] ? reply : app_strerror(err));
	else if (strcmp(line, "like") == 0 || strcmp(line, "dislike") == 0) {
		char label[300];
		ui_queue_label(&u->s->current, label, sizeof label);
		set_msg(u, 0, "%s: %s", strcmp(line, "like") == 0 ? "liked" : "disliked", label);
	} else if (strncmp(line, "mood ", 5) == 0)
		set_msg(u, 0, "mood set by hand: %s (a: automatic)", line + 5);
	else if (strcmp(line, "auto") == 0)
		set_msg(u, 0, "mood from the camera again");
	u->dirty = 1;
}

/* What the libraries write to stderr goes to the log: the status line says
 * so once, when no other message shows; past UI_LOG_MAX bytes the log is
 * emptied (writers append, so they go on at its new end). */
static void check_log(struct ui *u)
{
	struct stat st;
	if (u->log_fd < 0 || fstat(u->log_fd, &st) != 0 || st.st_size == 0)
		return;
	if (st.st_size > UI_LOG_MAX && ftruncate(u->log_fd, 0) != 0) {
		/* nothing better to do: it stays as it is */
	}
	if (u->log_told || (u->msg[0] && now() - u->msg_time < MSG_SECONDS))
		return;
	set_msg(u, 0, "libraries wrote messages to %s", u->log_path);
	u->log_told = 1;   /* 1: on the status line now; 2: was shown */
}

/* The library view reads the app's rows (app.h), no copy of them. */
static int lib_rows(void *ctx, app_library_keep keep, void *kctx, size_t **rows, size_t *n,
		    size_t *total, unsigned long *gen)
{
	return app_library_rows(ctx, keep, kctx, rows, n, total, gen);
}

static int lib_row(void *ctx, size_t row, unsigned long gen, struct app_entry *e)
{
	return app_library_row(ctx, row, gen, e);
}

static void load_library(struct ui *u)
{
	const struct ui_library_src src = { .rows = lib_rows, .row = lib_row, .ctx = u->a };
	ui_library_set(&u->lib, &src);
	u->lib_ntracks = u->s->ntracks;
	u->lib_loaded = now();
}

/* keep_msg: the UI just set its own message about a command; the app's
 * message about the same command does not replace it. */
static void take_snapshot(struct ui *u, int keep_msg)
{
	struct app_event ev;
	app_snapshot(u->a, u->s);
	if (keep_msg)
		u->msg_seq = u->s->message_seq;
	while (app_next_event(u->a, &ev)) {
		switch (ev.type) {
		case APP_EV_WARNING:
		case APP_EV_ERROR:
			set_msg(u, 1, "%s", ev.text);
			break;
		case APP_EV_CAMERA:
			if (ev.camera == APP_CAM_LOST || ev.camera == APP_CAM_ABSENT)
				set_msg(u, 1, "camera %s: press m to pick a mood by hand",
					ev.camera == APP_CAM_LOST ? "lost" : "absent");
			break;
		case APP_EV_SCAN:
			if (strncmp(ev.text, "done", 4) == 0)
				u->lib_ntracks = -1; /* reload now */
			break;
		default:
			break;
		}
	}
	if (u->s->message_seq != u->msg_seq) {
		u->msg_seq = u->s->message_seq;
		if (u->s->message[0] && strcmp(u->s->message, u->msg))
			set_msg(u, 0, "%s", u->s->message);
	}
	/* The library: at once when the count changes after a scan, at most
	 * every 2 s while a scan is running. */
	if ((u->s->ntracks != u->lib_ntracks && (!u->s->scanning || now() - u->lib_loaded > 2.0)) ||
	    u->lib.stale)
		load_library(u);
	if (u->s->quit)
		u->quit = 1;
	ui_shows_update(&u->shows, u->s);
	u->dirty = 1;
}

/* Copies the new preview frame when the rate allows; returns the seconds
 * until it may (0: nothing pending). */
static double refresh_preview(struct ui *u, double t)
{
	if (u->s->frame_seq == u->img_seq && u->s->camera_ok == u->img->camera_ok)
		return 0;
	if (t < u->next_preview)
		return u->next_preview - t;
	memcpy(u->img, u->s, sizeof(*u->img));
	u->img_seq = u->s->frame_seq;
	u->next_preview = t + u->preview_interval;
	u->dirty = 1;
	return 0;
}

static void draw_title(struct ui *u)
{
	const struct ui_draw *d = &u->d;
	char line[256];
	int x = 0;
	ui_draw_textf(d, 0, 0, COLS, UI_DRAW_TITLE, A_NORMAL, "%*s", COLS, "");
	x += ui_draw_text(d, 0, x, COLS, " emotune ", UI_DRAW_TITLE, A_BOLD);
	for (int v = 0; v < NVIEWS; v++) {
		snprintf(line, sizeof line, " %d:%s ", v + 1,
			 v == VIEW_SHOWS ? "films & series" : view_names[v]);
		x += ui_draw_text(d, 0, x, COLS - x, line, v == (int)u->view ? UI_DRAW_SEL : UI_DRAW_TITLE,
				  v == (int)u->view ? A_BOLD : A_NORMAL);
	}
	const struct app_snapshot *s = u->s;
	const char *cam = s->camera_on && s->camera_ok ? (d->utf8 ? " \xe2\x97\x8f CAMERA ON " : " (*) CAMERA ON ")
			  : s->camera_on ? " camera: no picture " : " camera off ";
	snprintf(line, sizeof line, "%s ?:help ", cam);
	int w = ui_draw_width(d, line);
	if (COLS - w > x)
		ui_draw_text(d, 0, COLS - w, w, line, UI_DRAW_TITLE, A_BOLD);
}

static void draw(struct ui *u)
{
	const struct ui_draw *d = &u->d;
	struct ui_rect screen = { 0, 0, LINES, COLS };
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		char l1[128], l2[128];
		snprintf(l1, sizeof l1, "terminal too small: %dx%d", COLS, LINES);
		snprintf(l2, sizeof l2, "emotune needs at least %dx%d (q quits)", MIN_COLS, MIN_LINES);
		int y = LINES / 2 - 1;
		ui_draw_text(d, y < 0 ? 0 : y, 0, COLS, l1, UI_DRAW_ERROR, A_BOLD);
		ui_draw_text(d, y + 1 < LINES ? y + 1 : 0, 0, COLS, l2, UI_DRAW_NORMAL, A_NORMAL);
		refresh();
		return;
	}
	if (u->msg[0] && now() - u->msg_time > MSG_SECONDS)
		u->msg[0] = '\0';

	draw_title(u);
	/* The top panes take 2/5 of the height: at least the mood line and
	 * the seven bars, at most 20 rows (which also bounds the preview). */
	int top_h = LINES * 2 / 5;
	if (top_h < UI_BARS_MIN_LINES + 2)
		top_h = UI_BARS_MIN_LINES + 2;
	if (top_h > 20)
		top_h = 20;
	int pw = (top_h - 2) * 8 / 3 + 2;
	if (pw > COLS - 46)
		pw = COLS - 46;
	struct ui_rect prev = { 1, 0, top_h, pw };
	struct ui_rect bars = { 1, pw, top_h, COLS - pw };
	struct ui_rect list = { 1 + top_h, 0, LINES - 1 - top_h - UI_STATUS_LINES, COLS };
	struct ui_rect status = { LINES - UI_STATUS_LINES, 0, UI_STATUS_LINES, COLS };
	ui_preview_draw(d, prev, u->pv, u->img, u->s, u->preview_on);
	ui_bars_draw(d, bars, u->s, u->threshold);
	u->page = list.h - 2 > 1 ? list.h - 2 : 1;
	switch (u->view) {
	case VIEW_QUEUE:
		ui_queue_draw(d, list, u->s, &u->queue, 1);
		break;
	case VIEW_LIBRARY:
		u->page = list.h - 3 > 1 ? list.h - 3 : 1;
		ui_library_draw(d, list, &u->lib, 1, u->s->scanning);
		break;
	case VIEW_TIMELINE:
		ui_timeline_draw(d, list, &u->tl, u->a);
		break;
	case VIEW_PLAYLISTS:
		u->page = list.h - 3 > 1 ? list.h - 3 : 1;
		ui_playlists_draw(d, list, &u->pls, u->a);
		break;
	default:
		ui_shows_draw(d, list, &u->shows, 1);
		break;
	}
	ui_status_draw(d, status, u->s, u->msg, u->msg_error);
	if (u->picker)
		ui_picker_draw(d, screen, u->picker_sel);
	if (u->help)
		ui_help_draw(d, screen, u->keys, &u->help_scroll);
	if (u->view == VIEW_LIBRARY && u->lib.searching) {
		/* Show the cursor at the end of the query. */
		curs_set(0);
	}
	refresh();
	u->last_draw = now();
	u->dirty = 0;
}

static void resize(struct ui *u)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	u->dirty = 1;
}

static void run_command(struct ui *u, const char *cmd);

/* Runs the app commands the playlists view asked for, and shows its message. */
static void playlists_done(struct ui *u)
{
	char *line = u->pls_cmds, *next;
	int n = 0;
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		app_cmd(u, line);
		n++;
		if (u->msg_error)
			break;
	}
	if (n && !u->msg_error) {
		take_snapshot(u, 0);
		if (strncmp(u->pls_cmds, "playlist-", 9) == 0)
			ui_playlists_refresh(&u->pls);
	}
	if (u->pls.msg_seq != u->pls_msg_seq) {
		u->pls_msg_seq = u->pls.msg_seq;
		set_msg(u, u->pls.msg_error, "%s", u->pls.msg);
	}
	u->dirty = 1;
}

static void list_command(struct ui *u, const char *cmd)
{
	char path[1024];
	int handled = 0;
	if (u->view == VIEW_PLAYLISTS) {
		if (ui_playlists_cmd(&u->pls, cmd, u->page, u->pls_cmds, UI_PLAYLISTS_CMDS))
			playlists_done(u);
		return;
	}
	if (u->view == VIEW_QUEUE)
		handled = ui_queue_key(u->s, &u->queue, cmd, u->page, path, sizeof path);
	else if (u->view == VIEW_LIBRARY)
		handled = ui_library_key(&u->lib, cmd, u->page, path, sizeof path);
	else if (u->view == VIEW_SHOWS)
		handled = ui_shows_key(&u->shows, cmd, u->page, path, sizeof path);
	if (!handled)
		return;
	if (path[0] && u->view != VIEW_SHOWS) {
		char line[1100];
		int enq = strcmp(cmd, "enqueue-selected") == 0;
		snprintf(line, sizeof line, "%s %s", enq ? "enqueue" : "play-path", path);
		app_cmd(u, line);
		if (enq && !u->msg_error)
			set_msg(u, 0, "enqueued %s", path);
	} else if (path[0]) {
		set_msg(u, 0, "%s", path); /* films: the search address */
	}
	u->dirty = 1;
}

static void run_command(struct ui *u, const char *cmd)
{
	if (!keys_is_ui_command(cmd)) {
		double t0 = u->msg_time;
		app_cmd(u, cmd);
		take_snapshot(u, u->msg_time != t0);
		return;
	}
	u->dirty = 1;
	if (strcmp(cmd, "quit") == 0) {
		char reply[64];
		app_command(u->a, "quit", reply, sizeof reply);
		u->quit = 1;
	} else if (strcmp(cmd, "help") == 0) {
		u->help = 1;
		u->help_scroll = 0;
	} else if (strcmp(cmd, "pick-mood") == 0) {
		u->picker = 1;
		u->picker_sel = u->s->mood >= 0 ? u->s->mood : 3;
	} else if (strcmp(cmd, "search") == 0) {
		u->view = VIEW_LIBRARY;
		ui_library_search(&u->lib);
	} else if (strcmp(cmd, "pane-next") == 0) {
		u->view = (u->view + 1) % NVIEWS;
	} else if (strncmp(cmd, "view ", 5) == 0) {
		for (int v = 0; v < NVIEWS; v++)
			if (strcmp(cmd + 5, view_names[v]) == 0)
				u->view = (enum view)v;
		if (u->view == VIEW_PLAYLISTS && !u->pls.open)
			ui_playlists_refresh(&u->pls);
	} else if (strncmp(cmd, "preview", 7) == 0) {
		const char *arg = cmd[7] ? cmd + 8 : "toggle";
		u->preview_on = strcmp(arg, "toggle") == 0 ? !u->preview_on : config_parse_bool(arg) == 1;
	} else if (strcmp(cmd, "redraw") == 0) {
		clearok(curscr, TRUE);
	} else {
		list_command(u, cmd);
	}
}

static void on_key(struct ui *u, int key, int is_char)
{
	u->dirty = 1;
	if (key == KEY_RESIZE) {
		resize(u);
		return;
	}
	if (!u->key_seen) {
		/* a key before autoplay started: the user keeps control */
		u->key_seen = 1;
		if (u->s->state == APP_STOPPED && !u->s->current.path[0])
			app_set_autoplay(u->a, APP_AUTOPLAY_OFF);
	}
	if (u->help) {
		u->help = ui_help_key(u->keys, key, &u->help_scroll);
		return;
	}
	if (u->picker) {
		char cmd[64];
		u->picker = ui_picker_key(key, &u->picker_sel, cmd, sizeof cmd);
		if (cmd[0])
			app_cmd(u, cmd);
		return;
	}
	if (u->view == VIEW_LIBRARY && u->lib.searching) {
		if (is_char && key >= 128) {
			/* A non-ASCII character: append its UTF-8 form. */
			char mb[MB_LEN_MAX + 1], q[sizeof u->lib.query];
			mbstate_t st;
			memset(&st, 0, sizeof st);
			size_t len = wcrtomb(mb, (wchar_t)key, &st);
			if (len != (size_t)-1 && strlen(u->lib.query) + len < sizeof q) {
				size_t ql = strlen(u->lib.query);
				memcpy(q, u->lib.query, ql);
				memcpy(q + ql, mb, len);
				q[ql + len] = '\0';
				ui_library_filter(&u->lib, q);
			}
			return;
		}
		if ((is_char || key == KEY_BACKSPACE || key == KEY_ENTER) &&
		    ui_library_type(&u->lib, key))
			return;
	}
	if (u->view == VIEW_TIMELINE && is_char && ui_timeline_key(&u->tl, key))
		return;  /* +/- zoom the timeline (volume in the other views) */
	if (u->view == VIEW_PLAYLISTS &&
	    ui_playlists_key(&u->pls, key, is_char, u->s, u->pls_cmds, UI_PLAYLISTS_CMDS)) {
		playlists_done(u);
		return;  /* the view's own keys (p/P move tracks there) */
	}
	if (!is_char && key == KEY_ENTER)
		key = '\n';
	const char *cmd = keys_lookup(u->keys, key);
	if (cmd) {
		char copy[256];
		snprintf(copy, sizeof copy, "%s", cmd); /* the table may change */
		run_command(u, copy);
	}
}

static void read_keys(struct ui *u)
{
	wint_t wc;
	int r;
	while ((r = get_wch(&wc)) != ERR) {
		on_key(u, (int)wc, r == OK);
		if (u->quit)
			break;
	}
}

static int want_color(const struct config *cfg)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return config_get_bool(cfg, "color", 1);
}

/* The settings that are the UI's own (keys, preview rate, threshold),
 * from cfg; at start and after SIGHUP. The key table is built anew, so a
 * binding removed from the file goes back to its default. */
static void read_settings(struct ui *u)
{
	char kerr[256];
	struct keys *k = keys_new();
	if (k) {
		keys_free(u->keys);
		u->keys = k;
		if (keys_load(k, u->cfg, kerr, sizeof kerr))
			set_msg(u, 1, "%s", kerr);
	}
	double fps = config_get_float(u->cfg, "preview_fps", 5);
	u->preview_interval = fps > 0 ? 1.0 / fps : 1e9;
	u->preview_on = fps > 0;
	u->threshold = config_get_float(u->cfg, "threshold", 0.4);
}

/* The loop's callbacks (front.h). */
static int ui_prepare(void *arg)
{
	struct ui *u = arg;
	double t = now();
	double wait = refresh_preview(u, t);
	double since = t - u->last_draw;
	if (u->dirty && since >= 1.0 / UI_MAX_FPS)
		draw(u);
	else if (u->dirty && (wait == 0 || 1.0 / UI_MAX_FPS - since < wait))
		wait = 1.0 / UI_MAX_FPS - since;
	/* The progress bar and message timeouts want a redraw now and then. */
	double idle = u->s->state == APP_PLAYING ? 0.5 : 1.0;
	if (wait == 0 || wait > idle)
		wait = idle;
	return (int)(wait * 1000) + 1;
}

static void ui_timeout(void *arg)
{
	struct ui *u = arg;
	u->dirty = 1; /* progress, message expiry */
	take_snapshot(u, 0);
	check_log(u);
}

static void ui_update(void *arg)
{
	struct ui *u = arg;
	take_snapshot(u, 0);
	check_log(u);
}

static void ui_keys(void *arg, int gone)
{
	struct ui *u = arg;
	if (gone)
		u->quit = 1; /* the terminal hung up */
	read_keys(u);
}

static void ui_stop(void *arg, int sig)
{
	(void)sig;
	((struct ui *)arg)->quit = 1;
}

static void ui_reload(void *arg)
{
	struct ui *u = arg;
	char msg[4200];
	if (front_reload(u->a, u->cfg, u->config_path, msg, sizeof msg)) {
		set_msg(u, 1, "%s", msg);
		return;
	}
	double t0 = u->msg_time;
	read_settings(u);
	if (u->msg_time == t0)   /* no message about a key binding */
		set_msg(u, 0, "settings read again from %s", u->config_path ? u->config_path : "(no file)");
}

static void ui_resize(void *arg)
{
	resize(arg);
}

static int ui_done(void *arg)
{
	return ((struct ui *)arg)->quit;
}

static int loop(struct ui *u, const struct ui_hook *hook)
{
	const struct front_ops ops = {
		.arg = u,
		.key_fd = STDIN_FILENO,
		.prepare = ui_prepare,
		.timeout = ui_timeout,
		.keys = ui_keys,
		.update = ui_update,
		.stop = ui_stop,
		.reload = ui_reload,
		.resize = ui_resize,
		.done = ui_done,
	};
	return front_run(u->a, hook ? hook->srv : NULL, &ops) ? UI_ESYS : 0;
}

int ui_run(struct app *a, struct config *cfg, const struct ui_hook *hook, char *err, size_t n)
{
	struct ui u;
	int rc = 0;
	if (err && n)
		err[0] = '\0';
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, n, "standard input and output must be a terminal (try --headless)");
		return UI_ENOTTY;
	}
	memset(&u, 0, sizeof u);
	u.a = a;
	u.cfg = cfg;
	u.config_path = hook ? hook->config_path : NULL;
	u.keys = keys_new();
	u.s = calloc(1, sizeof(*u.s));
	u.img = calloc(1, sizeof(*u.img));
	u.pv = calloc(1, sizeof(*u.pv));
	u.pls_cmds = calloc(1, UI_PLAYLISTS_CMDS);
	if (!u.keys || !u.s || !u.img || !u.pv || !u.pls_cmds) {
		rc = UI_ENOMEM;
		snprintf(err, n, "%s", ui_strerror(rc));
		goto out;
	}
	read_settings(&u);
	u.lib_ntracks = -1;
	if (hook && hook->message && *hook->message)
		set_msg(&u, 1, "%s", hook->message);
	u.log_fd = hook && hook->log_fd > STDERR_FILENO && hook->log_path ? hook->log_fd : -1;
	u.log_path = u.log_fd >= 0 ? hook->log_path : "";
	u.s->mood = u.img->mood = -1;
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		u.s->ranking[i] = -1;
	ui_shows_init(&u.shows, cfg);
	ui_timeline_init(&u.tl, cfg);
	ui_playlists_init(&u.pls, app_playlists_dir(a));

	int ferr = front_signals(1);
	if (ferr) {
		rc = UI_ESYS;
		snprintf(err, n, "signals: %s: %s", front_strerror(ferr), strerror(errno));
		goto out;
	}
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		front_signals_restore();
		rc = UI_ENOTTY;
		snprintf(err, n, "cannot use the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
		goto out;
	}
	/* A terminal that cannot move the cursor (TERM=dumb) cannot show the
	 * UI: say so instead of printing garbage. */
	char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		front_signals_restore();
		rc = UI_ENOTTY;
		snprintf(err, n, "the terminal (TERM=%s) cannot move the cursor: try --headless",
			 getenv("TERM") ? getenv("TERM") : "");
		goto out;
	}
	/* newterm() may have installed curses' own SIGWINCH handler: ours
	 * goes through the poll loop instead. */
	front_signals(1);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui_draw_init(&u.d, want_color(cfg));

	/* Starts at once: the first screen, then the app's threads. */
	u.dirty = 1;
	draw(&u);
	rc = app_start(a);
	if (rc) {
		endwin();
		delscreen(scr);
		front_signals_restore();
		snprintf(err, n, "%s", app_strerror(rc));
		rc = UI_EAPP;
		goto out;
	}
	take_snapshot(&u, 0);
	rc = loop(&u, hook);
	if (rc)
		snprintf(err, n, "poll: %s", strerror(errno));
	erase();
	refresh();
	endwin();
	delscreen(scr);
	front_signals_restore();
out:
	ui_shows_free(&u.shows);
	ui_timeline_free(&u.tl);
	ui_playlists_free(&u.pls);
	free(u.pls_cmds);
	ui_library_free(&u.lib);
	keys_free(u.keys);
	free(u.s);
	free(u.img);
	free(u.pv);
	return rc;
}

const char *ui_strerror(int err)
{
	switch (err) {
	case UI_OK: return "success";
	case UI_ENOMEM: return "out of memory";
	case UI_ESYS: return "system call failed";
	case UI_ENOTTY: return "not a terminal";
	case UI_EAPP: return "the program could not start";
	}
	return "unknown error";
}
