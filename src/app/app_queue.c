/*
 * app_queue: the queue and the picks: planning by mood, topping up, re-
 * picking, the slot for a hand pick, saved playlists; a part of app, see
 * app_priv.h.
 */
#include "app_priv.h"
#include "esc.h"
#include "recommend_lib.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- queue and recommendation ------------------------------------------ */

static int is_auto(const struct app_entry *e)
{
	return e->pick == APP_PICK_MOOD;
}

void app_history_push(struct app *a, const char *path)
{
	if (!path[0])
		return;
	int cap = a->no_repeat < 1 ? 1 : a->no_repeat < NHISTORY ? a->no_repeat : NHISTORY;
	int i = (a->history_head + a->nhistory) % NHISTORY;
	if (a->nhistory == cap) {
		i = a->history_head;
		a->history_head = (a->history_head + 1) % NHISTORY;
		a->nhistory--;
	}
	snprintf(a->history[i], sizeof a->history[i], "%s", path);
	a->nhistory++;
}

/* Tracks the app cannot queue: under a music folder that is gone, or a
 * path longer than a queue entry holds. */
static int cannot_queue(void *ctx, const struct lib_track *t)
{
	const struct app *a = ctx;
	return !app_path_root_ok(a, t->path) || strlen(t->path) >= sizeof a->s.current.path;
}

/* Plans n more auto picks (recommend_lib_pick: candidates from the index)
 * after the queue. The history, the current track and the queue count as
 * played (not picked again unless nothing else is left). */
static void plan(struct app *a, int n)
{
	if (!a->nlib || !a->db || n <= 0)
		return;
	a->nlib_planned = a->nlib;
	const char **hist = calloc((size_t)(NHISTORY + APP_MAX_QUEUE + 1), sizeof *hist);
	if (!hist)
		return;
	size_t nh = 0;
	for (int k = 0; k < a->nhistory; k++)
		hist[nh++] = a->history[(a->history_head + k) % NHISTORY];
	if (a->s.current.path[0])
		hist[nh++] = a->s.current.path;
	for (int k = 0; k < a->s.nqueue; k++)
		hist[nh++] = a->s.queue[k].path;
	struct recommend_lib_query q = { .history = hist, .nh = nh, .exclude = cannot_queue, .exclude_ctx = a };
	memcpy(q.probs, a->s.probs, sizeof q.probs);
	recommend_params_default(&q.par);
	int calm = a->no_mood_calm && a->s.mood < 0 && !a->s.mood_manual;
	q.par.strategy = calm ? VOCAB_CALM : a->s.strategy;
	q.par.step = a->step;
	q.par.no_repeat = (int)nh;  /* everything above counts */
	q.par.seed = a->seed;
	struct recommend_lib_picks r;
	if (recommend_lib_pick(a->db, &q, (size_t)n, &r) == 0) {
		for (size_t k = 0; k < r.n && a->s.nqueue < APP_MAX_QUEUE; k++) {
			struct app_entry *e = &a->s.queue[a->s.nqueue++];
			app_entry_from(e, &r.rows[r.picks[k].track]);
			e->pick = APP_PICK_MOOD;
			if (calm)
				snprintf(e->reason, sizeof e->reason, "no face seen yet: a calm pick");
			else {
				size_t l = (size_t)snprintf(e->reason, sizeof e->reason, "mood %s: ",
							    app_mood_name(a->s.mood));
				if (l < sizeof e->reason)
					snprintf(e->reason + l, sizeof e->reason - l, "%s", r.picks[k].reason);
			}
		}
		a->step += (int)r.n;
	}
	recommend_lib_picks_free(&r);
	free(hist);
	a->picked_mood = a->s.mood;
	a->picked_strategy = a->s.strategy;
}

/* Where an entry queued by hand goes: after the others queued by hand,
 * before the auto picks (the last of which makes room). -1: no room. */
int app_hand_slot(struct app *a)
{
	struct app_snapshot *s = &a->s;
	int at = 0;
	while (at < s->nqueue && !is_auto(&s->queue[at]))
		at++;
	if (at == APP_MAX_QUEUE)
		return -1;
	if (s->nqueue == APP_MAX_QUEUE)
		s->nqueue--;
	memmove(s->queue + at + 1, s->queue + at, sizeof s->queue[0] * (size_t)(s->nqueue - at));
	s->nqueue++;
	return at;
}

/* Queues the loaded playlist's next entries until QUEUE_TARGET entries
 * queued by hand are ahead; missing files are passed over and counted. */
static void feed_playlist(struct app *a)
{
	struct app_snapshot *s = &a->s;
	int hand = 0;
	while (hand < s->nqueue && !is_auto(&s->queue[hand]))
		hand++;
	while (a->plist_pos < a->plist.n && hand < QUEUE_TARGET) {
		size_t i = a->plist_pos++;
		const struct playlist_entry *pe = &a->plist.v[i];
		struct stat st;
		if (pe->state == PLAYLIST_MISSING || stat(pe->path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    strlen(pe->path) >= sizeof s->queue[0].path) {
			a->plist_skipped++;
			continue;
		}
		char real[PATH_MAX];
		if (!realpath(pe->path, real) || strlen(real) >= sizeof s->queue[0].path) {
			a->plist_skipped++;
			continue;
		}
		int at = app_hand_slot(a);
		if (at < 0)
			break;
		struct app_entry *e = &s->queue[at];
		memset(e, 0, sizeof *e);
		snprintf(e->path, sizeof e->path, "%s", real);  /* as the library knows it */
		snprintf(e->title, sizeof e->title, "%s", pe->title ? pe->title : app_base_name(pe->path));
		snprintf(e->artist, sizeof e->artist, "%s", pe->artist ? pe->artist : "");
		e->duration = pe->duration;
		e->pick = APP_PICK_HAND;
		snprintf(e->reason, sizeof e->reason, "playlist %.120s (%zu of %zu)", a->plist_name, i + 1,
			 a->plist.n);
		app_fill_entry(a, e);
		hand++;
	}
	if (a->plist.n && a->plist_pos >= a->plist.n) {
		playlist_clear(&a->plist);
		a->plist_pos = 0;
	}
}

/* Adds auto picks until QUEUE_TARGET are ahead (the loaded playlist first). */
void app_top_up(struct app *a)
{
	feed_playlist(a);
	plan(a, QUEUE_TARGET - a->s.nqueue);
}

/* Drops the auto picks (keeping those queued by hand) and plans again;
 * the current track plays on. */
void app_repick(struct app *a)
{
	int k = 0;
	for (int i = 0; i < a->s.nqueue; i++)
		if (!is_auto(&a->s.queue[i]))
			a->s.queue[k++] = a->s.queue[i];
	a->s.nqueue = k;
	a->step = 0;
	app_top_up(a);
	a->dirty = 1;
}

/* --- playlists --------------------------------------------------------- */

/* dir/NAME.m3u8 for a name that can be one (else the reply says why). */
static int playlist_path(struct app *a, const char *name, char *path, size_t size,
			 char *reply, size_t n)
{
	char shown[4 * 64 + 1];
	if (playlist_name_check(name))
		return app_reply_err(reply, n, APP_EINVAL, "playlist name '%s' refused (no '/', no control "
				 "characters, not starting with '.', at most %d bytes)",
				 esc_text(shown, sizeof shown, name, 0), PLAYLIST_NAME_MAX);
	if ((size_t)snprintf(path, size, "%s/%s.m3u8", a->plist_dir, name) >= size)
		return app_reply_err(reply, n, APP_EINVAL, "playlist path too long");
	return APP_OK;
}

static int add_entry(struct playlist *pl, const struct app_entry *e)
{
	return playlist_add(pl, e->path, e->artist[0] ? e->artist : NULL, e->title[0] ? e->title : NULL,
			    e->duration > 0 ? e->duration : -1);
}

/* Writes pl as playlist name; the reply says where and how many. */
static int save_as(struct app *a, const char *name, const struct playlist *pl, char *reply, size_t n)
{
	char path[PATH_MAX + 16], why[256] = "";
	size_t left = 0;
	int err = playlist_path(a, name, path, sizeof path, reply, n);
	if (err)
		return err;
	if (config_mkdirs(path) || playlist_save(pl, path, &left, why, sizeof why))
		return app_reply_err(reply, n, APP_ESYS, "%s: %s", path, why[0] ? why : strerror(errno));
	app_set_message(a, "playlist %s saved: %zu tracks", name, pl->n - left);
	snprintf(reply, n, "saved=%s\ntracks=%zu\nleft_out=%zu\n", path, pl->n - left, left);
	return APP_OK;
}

/* The current track, the queue and what is left of a loaded playlist. */
int app_plist_save(struct app *a, const char *name, char *reply, size_t n)
{
	const struct app_snapshot *s = &a->s;
	struct playlist pl = { 0 };
	int err = 0;
	if (s->current.path[0])
		err |= add_entry(&pl, &s->current);
	for (int i = 0; i < s->nqueue; i++)
		err |= add_entry(&pl, &s->queue[i]);
	for (size_t i = a->plist_pos; i < a->plist.n; i++) {
		const struct playlist_entry *e = &a->plist.v[i];
		err |= playlist_add(&pl, e->path, e->artist, e->title, e->duration);
	}
	int rc = err ? app_reply_err(reply, n, APP_ENOMEM, "out of memory") : save_as(a, name, &pl, reply, n);
	playlist_clear(&pl);
	return rc;
}

/* Replaces the queue with the playlist's tracks (the current one plays on). */
int app_plist_load(struct app *a, const char *name, char *reply, size_t n)
{
	char path[PATH_MAX + 16], why[256] = "";
	struct playlist pl = { 0 };
	int err = playlist_path(a, name, path, sizeof path, reply, n);
	if (err)
		return err;
	if (access(path, F_OK) != 0) {
		/* an imported .m3u keeps its extension */
		size_t l = strlen(path);
		path[l - 1] = 0;
		if (access(path, F_OK) != 0)
			return app_reply_err(reply, n, APP_EINVAL, "no playlist '%s' in %s", name, a->plist_dir);
	}
	if ((err = playlist_load(&pl, path, why, sizeof why)) != 0) {
		playlist_clear(&pl);
		return app_reply_err(reply, n, err == PLAYLIST_ENOMEM ? APP_ENOMEM : APP_ESYS, "%s: %s", path,
				 why[0] ? why : playlist_strerror(err));
	}
	size_t missing = 0;
	for (size_t i = 0; i < pl.n; i++)
		missing += pl.v[i].state == PLAYLIST_MISSING;
	const struct playlist_skips *k = &pl.skips;
	size_t skipped = k->not_regular + k->binary + k->too_long + k->other_uri;
	playlist_clear(&a->plist);
	a->plist = pl;
	a->plist_pos = 0;
	a->plist_skipped = 0;
	snprintf(a->plist_name, sizeof a->plist_name, "%.200s", name);
	a->s.nqueue = 0;
	size_t total = pl.n;
	app_top_up(a);
	a->dirty = 1;
	app_set_message(a, "playlist %s: %zu tracks, %zu missing, %zu lines skipped", name, total - missing,
		    missing, skipped);
	snprintf(reply, n, "loaded=%s\ntracks=%zu\nmissing=%zu\nskipped=%zu\nnot_regular=%zu\n"
		 "binary=%zu\ntoo_long=%zu\nother_uri=%zu\n", path, total - missing, missing, skipped,
		 k->not_regular, k->binary, k->too_long, k->other_uri);
	return APP_OK;
}

int app_plist_list(struct app *a, char *reply, size_t n)
{
	char **names, why[256] = "", buf[PLAYLIST_NAME_MAX + 1];
	size_t count, o = 0;
	int err = playlist_names(a->plist_dir, &names, &count, why, sizeof why);
	if (err)
		return app_reply_err(reply, n, err == PLAYLIST_ENOMEM ? APP_ENOMEM : APP_ESYS, "%s: %s",
				 a->plist_dir, why[0] ? why : playlist_strerror(err));
	reply[0] = 0;
	for (size_t i = 0; i < count && o + strlen(names[i]) + 2 < n; i++)
		o += (size_t)snprintf(reply + o, n - o, "%s\n", app_clean(names[i], buf, sizeof buf));
	playlist_names_free(names, count);
	if (!count)
		snprintf(reply, n, "ok");
	return APP_OK;
}

/* The tracks played in the last hour while the mood was `mood`, oldest
 * first, each once. */
int app_plist_mood(struct app *a, int mood, const char *name, char *reply, size_t n)
{
	char def[64];
	struct history_row *rows = NULL;
	size_t nr = 0;
	struct timespec ts;
	if (!name[0]) {
		snprintf(def, sizeof def, "%s hour", vocab_class_name(mood));
		name = def;
	}
	if (!a->hist)
		return app_reply_err(reply, n, APP_ESTATE, "no mood history (history = off, or no database)");
	clock_gettime(CLOCK_REALTIME, &ts);
	double t = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	int err = history_rec_query(a->hist, t - 3600, INFINITY, 0, &rows, &nr);
	if (err)
		return app_reply_err(reply, n, err == HISTORY_ENOMEM ? APP_ENOMEM : APP_ESTATE, "mood history: %s",
				 history_strerror(err));
	struct playlist pl = { 0 };
	int bad = 0;
	for (size_t i = 0; i < nr && !bad; i++) {
		const struct history_row *r = &rows[i];
		if (r->mood != mood || !r->track || !r->track[0] || r->state == HISTORY_NOFACE)
			continue;
		size_t k = 0;
		while (k < pl.n && strcmp(pl.v[k].path, r->track))
			k++;
		if (k < pl.n)
			continue;
		const struct lib_track *l = app_lib_find(a, r->track);
		bad = l ? playlist_add(&pl, l->path, l->artist && *l->artist ? l->artist : NULL,
				       l->title && *l->title ? l->title : NULL,
				       l->duration > 0 ? l->duration : -1)
			: playlist_add(&pl, r->track, NULL, NULL, -1);
	}
	history_rows_free(rows, nr);
	int rc;
	if (bad)
		rc = app_reply_err(reply, n, APP_ENOMEM, "out of memory");
	else if (!pl.n)
		rc = app_reply_err(reply, n, APP_ESTATE, "no track played while the mood was %s in the last hour",
			       vocab_class_name(mood));
	else
		rc = save_as(a, name, &pl, reply, n);
	playlist_clear(&pl);
	return rc;
}
