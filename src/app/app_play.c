/*
 * app_play: playback: the player follows the current track and the queue,
 * the app follows the player; a part of app, see app_priv.h.
 */
#include "app_priv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* --- playback ---------------------------------------------------------- */
/* The player plays the current track and, gaplessly, the app's queue
 * mirrored after it; the app keeps the queue and follows the player's
 * track changes (app_pb_poll). Without a player (unknown driver) the app
 * still keeps its state, silently. */

static double track_lufs(const struct app *a, const char *path);

void app_pb_settings(struct app *a)
{
	if (!a->pl)
		return;
	player_set_volume(a->pl, a->s.volume);
	player_set_normalize(a->pl, a->s.normalize);
	player_set_target_lufs(a->pl, config_get_float(a->cfg, "target_lufs", -18));
}

/* Makes the current entry the player's current track at pos: the
 * player's next item when it is that one (what it decoded ahead is
 * kept), else a new item after a cleared queue (app_pb_sync_queue refills it). */
static void pb_start(struct app *a, double pos, int play)
{
	if (!a->pl)
		return;
	unsigned long next;
	struct app_entry *c = &a->s.current;
	if (!c->id || player_queue_ids(a->pl, &next, 1) != 1 || next != c->id) {
		player_clear_queue(a->pl);
		int err = player_add(a->pl, &(struct player_item){ c->path, track_lufs(a, c->path) },
				     0, &c->id);
		if (err) {
			c->id = 0;
			app_push_event(a, APP_EV_ERROR, "player: %s", player_strerror(err));
			return;
		}
	}
	if (player_queue_ids(a->pl, &next, 1) == 1 && next == c->id)
		player_next(a->pl);
	if (pos > 0)
		player_seek(a->pl, pos, 0);
	if (play)
		player_play(a->pl);
	else
		player_pause(a->pl);  /* a stopped player stays stopped at pos */
	struct player_snapshot ps;
	player_snapshot(a->pl, &ps);
	a->pl_seq = ps.track_seq;
}

void app_pb_pause(struct app *a, int paused)
{
	if (a->pl)
		(paused ? player_pause : player_play)(a->pl);
}

static void pb_stop(struct app *a)
{
	if (a->pl)
		player_stop(a->pl);
}

void app_pb_seek(struct app *a, double pos)
{
	if (a->pl)
		player_seek(a->pl, pos, 0);
}

static int has_id(const unsigned long *ids, int n, unsigned long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* The player's upcoming items follow the app's queue by id: items the
 * queue dropped are removed, entries not in the player yet are added
 * before the entry after them; the rest stays (and plays gaplessly).
 * Nothing is upcoming in the player while nothing is current. */
void app_pb_sync_queue(struct app *a)
{
	struct app_snapshot *s = &a->s;
	unsigned long ids[APP_MAX_QUEUE * 4];
	if (!a->pl)
		return;
	int active = s->current.path[0] && s->state != APP_STOPPED;
	int np = player_queue_ids(a->pl, ids, (int)(sizeof ids / sizeof ids[0]));
	for (int i = 0; i < np; i++) {
		int k = 0;
		while (active && k < s->nqueue && s->queue[k].id != ids[i])
			k++;
		if (!active || k == s->nqueue)
			player_remove(a->pl, ids[i]);
	}
	for (int k = s->nqueue - 1; k >= 0; k--) {
		struct app_entry *e = &s->queue[k];
		if (!active)
			e->id = 0;
		else if (!e->id || !has_id(ids, np, e->id)) {
			unsigned long before = k + 1 < s->nqueue ? s->queue[k + 1].id : 0;
			struct player_item it = { e->path, track_lufs(a, e->path) };
			if (player_add(a->pl, &it, before, &e->id) != 0)
				e->id = 0;
		}
	}
}

static double track_lufs(const struct app *a, const char *path)
{
	const struct lib_track *t = app_lib_find(a, path);
	return t ? t->lufs : NAN;
}

void app_record(struct app *a, const char *path, enum feedback_kind kind, double pos)
{
	if (!a->db || !path[0])
		return;
	struct feedback_event ev = {
		.path = path, .kind = kind, .position = pos, .mood = a->s.mood,
		.point = { a->s.valence, a->s.arousal },
	};
	int err = feedback_record(lib_db_sqlite(a->db), &ev);
	if (err)
		app_push_event(a, APP_EV_WARNING, "feedback not saved: %s", feedback_strerror(err));
}

void app_fill_entry(struct app *a, struct app_entry *e)
{
	const struct lib_track *l = app_lib_find(a, e->path);
	if (l) {
		char reason[sizeof e->reason];
		enum app_pick pick = e->pick;
		unsigned long id = e->id;
		memcpy(reason, e->reason, sizeof reason);
		app_entry_from(e, l);
		e->pick = pick;
		e->id = id;
		memcpy(e->reason, reason, sizeof reason);
	} else if (!e->title[0])
		snprintf(e->title, sizeof e->title, "%.127s", app_base_name(e->path));
}

/* Makes e the current track at pos; play or pause. */
static void end_track(struct app *a, int skipped)
{
	if (!a->s.current.path[0])
		return;
	if (a->s.state != APP_STOPPED) {
		app_push_event(a, APP_EV_TRACK_END, "%s", a->s.current.path);
		app_record(a, a->s.current.path, skipped ? FEEDBACK_SKIP : FEEDBACK_PLAY, a->s.position);
	}
	app_history_push(a, a->s.current.path);
}

void app_start_track(struct app *a, const struct app_entry *e, double pos, int play)
{
	end_track(a, a->s.state != APP_STOPPED && (a->s.current.duration <= 0 ||
		  a->s.position < a->s.current.duration - 1));
	a->s.current = *e;
	app_fill_entry(a, &a->s.current);
	a->s.position = pos;
	a->s.state = play ? APP_PLAYING : APP_PAUSED;
	app_push_event(a, APP_EV_TRACK_START, "%s", a->s.current.path);
	pb_start(a, pos, play);
	a->dirty = 1;
}

/* The next track of the queue (picking more first); 0, or -1 when none. */

int app_advance(struct app *a, int play)
{
	app_check_roots(a);  /* a folder gone: its tracks are left out quietly */
	if (a->s.nqueue < QUEUE_TARGET)
		app_top_up(a);
	while (a->s.nqueue) {
		struct app_entry e = a->s.queue[0];
		memmove(a->s.queue, a->s.queue + 1, sizeof a->s.queue[0] * (size_t)--a->s.nqueue);
		if (access(e.path, R_OK) != 0) {
			if (app_path_root_ok(a, e.path))
				app_push_event(a, APP_EV_WARNING, "%s: %s (skipped)", e.path, strerror(errno));
			continue;
		}
		app_start_track(a, &e, 0, play);
		app_top_up(a);
		return 0;
	}
	return -1;
}

void app_stop_playing(struct app *a)
{
	if (a->s.current.path[0] && a->s.state != APP_STOPPED) {
		app_push_event(a, APP_EV_TRACK_END, "%s", a->s.current.path);
		app_record(a, a->s.current.path, FEEDBACK_PLAY, a->s.position);
	}
	a->s.state = APP_STOPPED;
	a->s.position = 0;
	pb_stop(a);
	a->dirty = 1;
}

/* Follows the player: track changes, state, position, messages, device. */
void app_pb_poll(struct app *a)
{
	struct app_snapshot *s = &a->s;
	char msg[512];
	if (!a->pl)
		return;
	struct player_snapshot ps;
	player_snapshot(a->pl, &ps);
	while (player_next_message(a->pl, msg, sizeof msg))
		app_push_event(a, APP_EV_WARNING, "playback: %s", msg);
	if (strcmp(ps.audio_error, a->audio_err)) {
		if (ps.audio_error[0])
			app_push_event(a, APP_EV_WARNING, "sound device lost: %s (retrying)", ps.audio_error);
		else
			app_push_event(a, APP_EV_WARNING, "sound device back (%s)", ps.driver);
		memcpy(a->audio_err, ps.audio_error, sizeof a->audio_err);
		snprintf(s->audio_msg, sizeof s->audio_msg, "%.159s", ps.audio_error);
	}
	if (!ps.path[0]) {
		/* played out: the queue was empty (or every track failed) */
		if (s->current.path[0] && s->state == APP_PLAYING) {
			end_track(a, 0);
			s->current.path[0] = 0;
			s->state = APP_STOPPED;
			s->position = 0;
			a->dirty = 1;
			if (app_advance(a, 1) == 0)
				return;
			a->autoplay = APP_AUTOPLAY_NOW;  /* go on when tracks are back */
		}
		a->pl_seq = ps.track_seq;
		return;
	}
	if (ps.track_seq != a->pl_seq && ps.id != s->current.id) {
		/* the player went on by itself (end of track, or a file skipped) */
		int k = 0;
		while (k < s->nqueue && s->queue[k].id != ps.id)
			k++;
		struct app_entry e;
		if (k < s->nqueue)
			e = s->queue[k++];
		else {
			memset(&e, 0, sizeof e);
			snprintf(e.path, sizeof e.path, "%s", ps.path);
			e.id = ps.id;
			k = 0;
		}
		memmove(s->queue, s->queue + k, sizeof s->queue[0] * (size_t)(s->nqueue - k));
		s->nqueue -= k;
		end_track(a, 0);
		s->current = e;
		app_fill_entry(a, &s->current);
		s->position = ps.position;
		app_push_event(a, APP_EV_TRACK_START, "%s", s->current.path);
		a->dirty = 1;
	}
	a->pl_seq = ps.track_seq;
	if (ps.id != s->current.id)
		return;
	s->position = ps.position;
	if (ps.duration > 0)
		s->current.duration = ps.duration;
	if (ps.state == PLAYER_PLAYING)
		s->state = APP_PLAYING;
	else if (ps.state == PLAYER_PAUSED)
		s->state = APP_PAUSED;
	else if (s->state == APP_PLAYING && !ps.audio_error[0]) {
		/* stopped under us (its file, and those after it, could not be
		 * played: a folder that went away): on with the queue, or once
		 * tracks are back. PAUSED waits at its position. */
		end_track(a, 0);
		s->current.path[0] = 0;
		s->current.id = 0;
		s->state = APP_STOPPED;
		s->position = 0;
		a->dirty = 1;
		if (app_advance(a, 1) != 0)
			a->autoplay = 1;
	} else if (s->state == APP_PLAYING)
		s->state = APP_STOPPED;   /* the sound device is lost: the player retries */
}
