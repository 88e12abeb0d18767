/*
 * app_commands: the commands of app_command() and the remote socket; a part
 * of app, see app_priv.h.
 */
#include "app_priv.h"
#include "esc.h"
#include "regfile.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- commands ---------------------------------------------------------- */

static const char *state_name(enum app_play_state st)
{
	return st == APP_PLAYING ? "playing" : st == APP_PAUSED ? "paused" : "stopped";
}

/* A value for a key=value line: control characters shown as '?'. */
const char *app_clean(const char *in, char *buf, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		buf[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
	buf[i] = 0;
	return buf;
}

static void status_lines(const struct app *a, char *reply, size_t n)
{
	const struct app_snapshot *s = &a->s;
	char path[sizeof s->current.path], title[sizeof s->current.title],
		artist[sizeof s->current.artist];
	snprintf(reply, n,
		 "state=%s\nmood=%s\nmood_source=%s\nconfidence=%.2f\nvalence=%.2f\narousal=%.2f\n"
		 "strategy=%s\ntrack=%s\ntitle=%s\nartist=%s\nposition=%.1f\nduration=%.1f\n"
		 "volume=%d\nnormalize=%s\ncamera=%s\ncamera_ok=%s\nframes=%llu\nfps=%.1f\n"
		 "queue=%d\ntracks=%d\nscanning=%s\nscan_done=%d\nscan_total=%d\n",
		 state_name(s->state), app_mood_name(s->mood), s->mood_manual ? "manual" : "camera",
		 s->confidence, s->valence, s->arousal, vocab_strategy_name((int)s->strategy),
		 app_clean(s->current.path, path, sizeof path),
		 app_clean(s->current.title, title, sizeof title),
		 app_clean(s->current.artist, artist, sizeof artist), s->position,
		 s->current.duration, s->volume, s->normalize ? "on" : "off",
		 s->camera_on ? "on" : "off", s->camera_ok ? "yes" : "no",
		 (unsigned long long)s->frame_seq, s->fps, s->nqueue,
		 s->ntracks, s->scanning ? "yes" : "no", s->scan_done, s->scan_total);
}

int app_reply_err(char *reply, size_t n, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int app_reply_err(char *reply, size_t n, int err, const char *fmt, ...)
{
	if (n) {
		int k = snprintf(reply, n, "error: ");
		va_list ap;
		va_start(ap, fmt);
		if (k > 0 && (size_t)k < n)
			vsnprintf(reply + k, n - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* The last `last` history rows as TSV lines, as many of the newest as fit. */
static int history_lines(struct app *a, int last, char *reply, size_t n)
{
	struct history_row *rows;
	size_t nr, used;
	if (!a->hist)
		return app_reply_err(reply, n, APP_ESTATE, "no mood history (history = off, or no database)");
	int err = history_rec_query(a->hist, -INFINITY, INFINITY, (size_t)last, &rows, &nr);
	if (err)
		return app_reply_err(reply, n, err == HISTORY_ENOMEM ? APP_ENOMEM : APP_ESTATE, "mood history: %s",
				 history_strerror(err));
	size_t first = nr;
	used = strlen(HISTORY_TSV_HEADER);
	for (; first > 0; first--) {
		int l = history_tsv(&rows[first - 1], NULL, 0);
		if (used + (size_t)l + 1 > n)
			break;
		used += (size_t)l;
	}
	size_t o = (size_t)snprintf(reply, n, "%s", HISTORY_TSV_HEADER);
	for (size_t i = first; i < nr && o < n; i++)
		o += (size_t)history_tsv(&rows[i], reply + o, n - o);
	history_rows_free(rows, nr);
	return APP_OK;
}

/* The end of a command that may have changed the state: "ok", and the
 * resume file is due. */
static int done(struct app *a, char *reply, size_t n)
{
	a->dirty = 1;
	if (n)
		snprintf(reply, n, "ok");
	return APP_OK;
}

static int do_play(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	(void)c;
	if (s->current.path[0] && s->state != APP_STOPPED) {
		if (s->state == APP_PAUSED) {
			s->state = APP_PLAYING;
			app_pb_pause(a, 0);
		}
	} else if (s->current.path[0] && access(s->current.path, R_OK) == 0) {
		struct app_entry e = s->current;
		s->current.path[0] = 0;  /* no track_end for a stopped track */
		app_start_track(a, &e, 0, 1);
	} else if (app_advance(a, 1) != 0)
		return app_reply_err(reply, n, APP_ESTATE, "nothing to play");
	a->autoplay = 0;
	return done(a, reply, n);
}

static int do_pause(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	if (a->s.state == APP_PLAYING) {
		a->s.state = APP_PAUSED;
		app_pb_pause(a, 1);
	}
	return done(a, reply, n);
}

static int do_toggle(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	if (a->s.state == APP_STOPPED)
		return do_play(a, c, reply, n);
	a->s.state = a->s.state == APP_PLAYING ? APP_PAUSED : APP_PLAYING;
	app_pb_pause(a, a->s.state == APP_PAUSED);
	return done(a, reply, n);
}

static int do_stop(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	app_stop_playing(a);
	a->autoplay = 0;
	return done(a, reply, n);
}

static int do_next(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	if (app_advance(a, a->s.state != APP_PAUSED) != 0)
		return app_reply_err(reply, n, APP_ESTATE, "the queue is empty");
	a->autoplay = 0;
	return done(a, reply, n);
}

static int do_prev(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	(void)c;
	if (!s->current.path[0])
		return app_reply_err(reply, n, APP_ESTATE, "nothing playing");
	if (s->position > PREV_RESTART_S || !a->nhistory) {
		s->position = 0;
		app_pb_seek(a, 0);
		return done(a, reply, n);
	}
	/* the last played track comes back; the current one goes first in the queue */
	int last = (a->history_head + a->nhistory - 1) % NHISTORY;
	struct app_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.path, sizeof e.path, "%s", a->history[last]);
	e.pick = APP_PICK_PREV;
	snprintf(e.reason, sizeof e.reason, "played before");
	a->nhistory--;
	if (s->nqueue == APP_MAX_QUEUE)
		s->nqueue--;
	memmove(s->queue + 1, s->queue, sizeof s->queue[0] * (size_t)s->nqueue);
	s->queue[0] = s->current;
	s->nqueue++;
	s->current.path[0] = 0;  /* not into the history again */
	app_start_track(a, &e, 0, s->state != APP_PAUSED);
	return done(a, reply, n);
}

static int do_seek(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	if (!s->current.path[0] || s->state == APP_STOPPED)
		return app_reply_err(reply, n, APP_ESTATE, "nothing playing");
	double p = c->relative ? s->position + c->num : c->num;
	if (p < 0)
		p = 0;
	/* Past the end is an error, not a skip to the next track. */
	if (s->current.duration > 0 && p >= s->current.duration)
		return app_reply_err(reply, n, APP_EINVAL, "seek: %.1f s is past the end of the track (%.1f s)",
				     p, s->current.duration);
	s->position = p;
	app_pb_seek(a, p);
	return done(a, reply, n);
}

static int do_volume(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	double v = c->relative ? a->s.volume + c->num : c->num;
	a->s.volume = (int)lround(v < 0 ? 0 : v > 100 ? 100 : v);
	app_pb_settings(a);
	return done(a, reply, n);
}

/* like and dislike */
static int do_like(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	if (!s->current.path[0])
		return app_reply_err(reply, n, APP_ESTATE, "nothing playing");
	app_record(a, s->current.path, c->op == APP_CMD_LIKE ? FEEDBACK_LIKE : FEEDBACK_DISLIKE,
		   s->position);
	app_set_message(a, "%s: %s (mood %s)", c->op == APP_CMD_LIKE ? "liked" : "disliked",
			s->current.title, app_mood_name(s->mood));
	return done(a, reply, n);
}

static int do_mood(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	s->mood_manual = 1;
	if (s->mood != c->ival) {
		s->mood = c->ival;
		a->mood_since = app_now() - MOOD_STABLE_S;  /* by hand: at once */
		app_push_event(a, APP_EV_MOOD, "%s", vocab_class_name(c->ival));
	}
	s->confidence = 1;
	recommend_onehot(c->ival, s->probs);
	app_mood_point(a);
	if (a->nlib)
		app_repick(a);
	return done(a, reply, n);
}

static int do_auto(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	if (a->s.mood_manual) {
		a->s.mood_manual = 0;
		app_update_mood(a, a->camera_mood, NULL, a->s.confidence);
	}
	return done(a, reply, n);
}

static int do_strategy(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	s->strategy = (enum vocab_strategy)(c->ival < 0 ? ((int)s->strategy + 1) % VOCAB_NSTRATEGIES : c->ival);
	app_set_message(a, "strategy: %s", vocab_strategy_name((int)s->strategy));
	if (a->nlib)
		app_repick(a);
	return done(a, reply, n);
}

static int do_camera(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	int on = c->ival < 0 ? !s->camera_on : c->ival;
	if (on != s->camera_on) {
		s->camera_on = on;
		if (!on)
			s->camera_ok = 0;
		if (a->vis)
			vision_set_camera(a->vis, on);  /* its state change is the event */
		else if (on)
			app_start_vision(a);
		if (!a->vis)
			app_push_camera(a, on ? APP_CAM_ON : APP_CAM_OFF, NULL);
	}
	return done(a, reply, n);
}

static int do_normalize(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	a->s.normalize = c->ival < 0 ? !a->s.normalize : c->ival;
	app_pb_settings(a);
	return done(a, reply, n);
}

/* play-path and enqueue */
static int do_path(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	char shown[4 * 200 + 1];
	if (regfile_check(c->arg) != 0) {
		int e = errno;
		return app_reply_err(reply, n, APP_EINVAL, "%s: %s",
				     esc_text(shown, sizeof shown, c->arg, 0), regfile_strerror(e));
	}
	struct app_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.path, sizeof e.path, "%s", c->arg);
	snprintf(e.reason, sizeof e.reason, "%s", c->op == APP_CMD_PLAY_PATH ? "chosen by hand" : "queued by hand");
	app_fill_entry(a, &e);
	if (c->op == APP_CMD_PLAY_PATH) {
		app_start_track(a, &e, 0, 1);
	} else {
		int at = app_hand_slot(a);
		if (at < 0)
			return app_reply_err(reply, n, APP_ESTATE, "the queue is full");
		a->s.queue[at] = e;
	}
	a->autoplay = 0;
	return done(a, reply, n);
}

static int do_status(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	status_lines(a, reply, n);
	return APP_OK;
}

static int do_history(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	return history_lines(a, c->ival, reply, n);
}

static int do_playlists(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	return app_plist_list(a, reply, n);
}

static int do_playlist_save(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	return app_plist_save(a, c->arg, reply, n);
}

static int do_playlist_load(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	a->autoplay = a->autoplay && !(a->s.current.path[0] && a->s.state != APP_STOPPED);
	return app_plist_load(a, c->arg, reply, n);
}

static int do_playlist_mood(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	return app_plist_mood(a, c->ival, c->arg, reply, n);
}

static int do_quit(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	(void)c;
	a->s.quit = 1;
	app_wake(a);
	return done(a, reply, n);
}

/* One handler per operation, indexed by it (as cmus's commands[]). A
 * handler replies (at most n bytes) and returns APP_OK or an APP_E* code;
 * a refused command changes nothing. */
static const struct {
	enum app_cmd_op op;
	int (*run)(struct app *, const struct app_cmd *, char *, size_t);
} handlers[] = {
	[APP_CMD_PLAY] = { .op = APP_CMD_PLAY, .run = do_play },
	[APP_CMD_PAUSE] = { .op = APP_CMD_PAUSE, .run = do_pause },
	[APP_CMD_TOGGLE] = { .op = APP_CMD_TOGGLE, .run = do_toggle },
	[APP_CMD_STOP] = { .op = APP_CMD_STOP, .run = do_stop },
	[APP_CMD_NEXT] = { .op = APP_CMD_NEXT, .run = do_next },
	[APP_CMD_PREV] = { .op = APP_CMD_PREV, .run = do_prev },
	[APP_CMD_SEEK] = { .op = APP_CMD_SEEK, .run = do_seek },
	[APP_CMD_VOLUME] = { .op = APP_CMD_VOLUME, .run = do_volume },
	[APP_CMD_LIKE] = { .op = APP_CMD_LIKE, .run = do_like },
	[APP_CMD_DISLIKE] = { .op = APP_CMD_DISLIKE, .run = do_like },
	[APP_CMD_MOOD] = { .op = APP_CMD_MOOD, .run = do_mood },
	[APP_CMD_AUTO] = { .op = APP_CMD_AUTO, .run = do_auto },
	[APP_CMD_STRATEGY] = { .op = APP_CMD_STRATEGY, .run = do_strategy },
	[APP_CMD_CAMERA] = { .op = APP_CMD_CAMERA, .run = do_camera },
	[APP_CMD_NORMALIZE] = { .op = APP_CMD_NORMALIZE, .run = do_normalize },
	[APP_CMD_PLAY_PATH] = { .op = APP_CMD_PLAY_PATH, .run = do_path },
	[APP_CMD_ENQUEUE] = { .op = APP_CMD_ENQUEUE, .run = do_path },
	[APP_CMD_STATUS] = { .op = APP_CMD_STATUS, .run = do_status },
	[APP_CMD_QUIT] = { .op = APP_CMD_QUIT, .run = do_quit },
	[APP_CMD_HISTORY] = { .op = APP_CMD_HISTORY, .run = do_history },
	[APP_CMD_PLAYLIST_SAVE] = { .op = APP_CMD_PLAYLIST_SAVE, .run = do_playlist_save },
	[APP_CMD_PLAYLIST_LOAD] = { .op = APP_CMD_PLAYLIST_LOAD, .run = do_playlist_load },
	[APP_CMD_PLAYLISTS] = { .op = APP_CMD_PLAYLISTS, .run = do_playlists },
	[APP_CMD_PLAYLIST_MOOD] = { .op = APP_CMD_PLAYLIST_MOOD, .run = do_playlist_mood },
};
_Static_assert(sizeof handlers / sizeof handlers[0] == APP_CMD_N_OPS, "one handler per operation");

static int run_cmd(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	if ((unsigned)c->op >= APP_CMD_N_OPS || !handlers[c->op].run)
		return done(a, reply, n);  /* not an operation: app_cmd_parse never gives one */
	return handlers[c->op].run(a, c, reply, n);
}

int app_command(struct app *a, const char *line, char *reply, size_t n)
{
	struct app_cmd *c = malloc(sizeof *c);
	char why[256];
	if (!c)
		return app_reply_err(reply, n, APP_ENOMEM, "out of memory");
	if (app_cmd_parse(line, strlen(line), c, why, sizeof why) != 0) {
		free(c);
		return app_reply_err(reply, n, APP_EINVAL, "%s", why);
	}
	pthread_mutex_lock(&a->mu);
	int err = run_cmd(a, c, reply, n);
	app_pb_sync_queue(a);
	pthread_mutex_unlock(&a->mu);
	free(c);
	return err;
}
