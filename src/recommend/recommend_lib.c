/* recommend_lib: the picks for a mood from the index. See recommend_lib.h. */
#include "recommend_lib.h"
#include "feedback.h"
#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distinct target points at most (uplift: four steps, then the goal). */
#define MAX_TARGETS 8
/* Float slack of the check (SQLite orders by double distances). */
#define SLACK 1e-4

struct pool {
	struct lib_track *v;
	size_t n, cap;
};

static int pool_add(struct pool *p, struct lib_track *t)
{
	if (vec_grow(&p->v, &p->cap, p->n + 1, sizeof *p->v, 512))
		return RECOMMEND_ENOMEM;
	p->v[p->n++] = *t;
	return 0;
}

/* Moves rows t[0..k) that qualify into the pool (others freed), frees t. */
static int pool_take(struct pool *p, const struct recommend_lib_query *q, struct lib_track *t, size_t k)
{
	int err = 0;
	for (size_t i = 0; i < k; i++) {
		int ok = !err && t[i].path && isfinite(t[i].valence) && isfinite(t[i].arousal) &&
			 !(q->exclude && q->exclude(q->exclude_ctx, &t[i]));
		if (ok && (err = pool_add(p, &t[i])) == 0)
			continue;
		lib_track_clear(&t[i]);
	}
	free(t);
	return err;
}

static int by_id(const void *x, const void *y)
{
	const struct lib_track *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct lib_track *)x)->path, ((const struct lib_track *)y)->path);
}

/* Each row once, in index (path) order: ties rank as in a full scan. */
static void pool_settle(struct pool *p)
{
	size_t k = 0;
	if (!p->n)
		return;  /* qsort wants a valid pointer even for no rows */
	qsort(p->v, p->n, sizeof *p->v, by_id);
	for (size_t i = 0; i < p->n; i++) {
		if (k && p->v[k - 1].id == p->v[i].id)
			lib_track_clear(&p->v[i]);
		else
			p->v[k++] = p->v[i];
	}
	p->n = k;
	qsort(p->v, p->n, sizeof *p->v, by_path);
}

/* The distinct target points of picks 0..n-1 (consecutive equal ones
 * merged: pick i aims at p[at[i]]) and the candidates asked for each. */
struct targets {
	struct recommend_point p[MAX_TARGETS];
	size_t k[MAX_TARGETS];
	size_t n;
	unsigned char *at;
};

/* 0, or RECOMMEND_EINVAL when there are more than MAX_TARGETS (never for
 * the strategies there are). */
static int targets_of(const struct recommend_lib_query *q, size_t n, size_t k, struct targets *tg)
{
	struct recommend_point m = recommend_mood_point(q->probs);
	tg->n = 0;
	for (size_t i = 0; i < n; i++) {
		struct recommend_point t = recommend_target(q->par.strategy, m, q->par.step + (int)i);
		if (!tg->n || t.valence != tg->p[tg->n - 1].valence || t.arousal != tg->p[tg->n - 1].arousal) {
			if (tg->n == MAX_TARGETS)
				return RECOMMEND_EINVAL;
			tg->k[tg->n] = k;
			tg->p[tg->n++] = t;
		}
		tg->at[i] = (unsigned char)(tg->n - 1);
	}
	return 0;
}

/* The row of path into the pool when it qualifies. */
static int take_path(struct lib_db *db, const struct recommend_lib_query *q, const char *path,
		     struct pool *p)
{
	struct lib_track *t = calloc(1, sizeof *t);
	if (!t)
		return RECOMMEND_ENOMEM;
	int err = lib_db_find(db, path, t);
	if (err) {
		free(t);
		return err == LIB_DB_ENOTFOUND ? 0 : err == LIB_DB_ENOMEM ? RECOMMEND_ENOMEM : RECOMMEND_EDB;
	}
	return pool_take(p, q, t, 1);
}

/* The K nearest of every target (radius[t]: the K-th one's distance,
 * INFINITY when fewer came: the whole index), the last two played and
 * the liked tracks (*all_liked: every one of them). */
static int gather(struct lib_db *db, const struct recommend_lib_query *q, const struct targets *tg,
		   double *radius, struct pool *p, int *all_liked)
{
	for (size_t j = 0; j < tg->n; j++) {
		struct lib_track *t;
		size_t got, k = tg->k[j];
		if (lib_db_nearest(db, tg->p[j].valence, tg->p[j].arousal, k, &t, &got))
			return RECOMMEND_EDB;
		radius[j] = got < k ? INFINITY
			: hypot(t[got - 1].valence - tg->p[j].valence, t[got - 1].arousal - tg->p[j].arousal);
		int err = pool_take(p, q, t, got);
		if (err)
			return err;
	}
	for (size_t b = 0; b < 2 && b < q->nh; b++) {
		int err = take_path(db, q, q->history[q->nh - 1 - b], p);
		if (err)
			return err;
	}
	/* the liked tracks: the only ones a learned term can bring closer */
	char **liked = NULL;
	size_t nliked = 0;
	struct sqlite3 *sq = lib_db_sqlite(db);
	*all_liked = sq && feedback_liked(sq, &liked, &nliked) == 0;
	for (size_t i = 0; i < nliked; i++) {
		int err = take_path(db, q, liked[i], p);
		if (err) {
			feedback_history_free(liked, nliked);
			return err;
		}
	}
	feedback_history_free(liked, nliked);
	pool_settle(p);
	return 0;
}

enum { PROVEN, UNPROVEN, EATEN };

/* For each target, how[j]: PROVEN when each of its picks is the one a scan
 * of the whole index makes; EATEN when one came from the recently played
 * (or too few came) while the index holds more; else UNPROVEN: a track
 * left out might still have won. */
static void proven(const struct recommend_lib_picks *o, size_t n, const struct recommend_lib_query *q,
		   const double *radius, const struct targets *tg, int all_liked, int *how)
{
	/* what the learned term can take off the cost of a track left out:
	 * nothing when every liked track is a candidate (the others' term is
	 * 0 or negative) */
	double w = isfinite(q->par.w_feedback) ? q->par.w_feedback : 1;
	double bonus = all_liked && w >= 0 ? 0 : fabs(w);
	for (size_t j = 0; j < tg->n; j++)
		how[j] = PROVEN;
	for (size_t i = 0; i < n; i++) {
		size_t j = tg->at[i];
		if (isinf(radius[j]))
			continue;
		if (i >= o->n || (o->picks[i].flags & RECOMMEND_F_REPEAT))
			how[j] = EATEN;
		else if (how[j] == PROVEN && 1 - (double)o->picks[i].score >= radius[j] - bonus - SLACK)
			how[j] = UNPROVEN;
	}
}

void recommend_lib_picks_free(struct recommend_lib_picks *p)
{
	if (!p)
		return;
	lib_tracks_free(p->rows, p->nrows);
	free(p->tr);
	free(p->picks);
	memset(p, 0, sizeof *p);
}

/* One plan over the tg->k[j] nearest of each target; how[j]: proven(). */
static int plan_once(struct lib_db *db, const struct recommend_lib_query *q, size_t n,
		     const struct targets *tg, struct recommend_lib_picks *o, int *how)
{
	double radius[MAX_TARGETS];
	struct pool p = { 0 };
	int all_liked = 0;
	int err = gather(db, q, tg, radius, &p, &all_liked);
	o->rows = p.v;
	o->nrows = p.n;
	if (!err && !(o->tr = calloc(p.n ? p.n : 1, sizeof *o->tr)))
		err = RECOMMEND_ENOMEM;
	for (size_t i = 0; !err && i < p.n; i++)
		o->tr[i] = (struct recommend_track){
			.path = p.v[i].path, .artist = p.v[i].artist, .album = p.v[i].album,
			.valence = p.v[i].valence, .arousal = p.v[i].arousal,
		};
	struct sqlite3 *sq = lib_db_sqlite(db);
	if (!err && sq && p.n)
		o->feedback_err = feedback_terms(sq, recommend_mood_point(q->probs), o->tr, p.n);
	if (!err)
		err = recommend_plan(q->probs, o->tr, p.n, q->history, q->nh, &q->par, o->picks, n, &o->n);
	if (!err)
		proven(o, n, q, radius, tg, all_liked, how);
	o->rounds++;
	return err;
}

/* Widens the targets that need it (eaten: up to the whole index; not
 * proven: up to kmax); 0 when none does. */
static int widen(struct targets *tg, const int *how, size_t kmax, size_t total)
{
	int more = 0;
	for (size_t j = 0; j < tg->n; j++)
		if (tg->k[j] < total && (how[j] == EATEN || (how[j] == UNPROVEN && tg->k[j] < kmax))) {
			tg->k[j] = tg->k[j] > total / 4 ? total : tg->k[j] * 4;
			more = 1;
		}
	return more;
}

int recommend_lib_pick(struct lib_db *db, const struct recommend_lib_query *q, size_t n,
		       struct recommend_lib_picks *out)
{
	struct targets tg = { .n = 0 };
	int how[MAX_TARGETS];
	size_t total = 0, k;
	int err;
	if (!out)
		return RECOMMEND_EINVAL;
	memset(out, 0, sizeof *out);
	if (!db || !q || (!q->history && q->nh))
		return RECOMMEND_EINVAL;
	if (n == 0)
		return 0;
	if (lib_db_count_mood(db, &total))
		return RECOMMEND_EDB;
	/* enough for every pick even if the whole history lies among them */
	k = q->k ? q->k : RECOMMEND_LIB_K;
	if (k < 2 * (n + q->nh))
		k = 2 * (n + q->nh);
	if (!(out->picks = calloc(n, sizeof *out->picks)) || !(tg.at = malloc(n))) {
		free(tg.at);
		return RECOMMEND_ENOMEM;
	}
	if ((err = targets_of(q, n, k, &tg)) == 0)
		while ((err = plan_once(db, q, n, &tg, out, how)) == 0 &&
		       widen(&tg, how, k * RECOMMEND_LIB_WIDEN, total)) {
			/* again with more candidates */
			struct recommend_pick *picks = out->picks;
			int rounds = out->rounds;
			out->picks = NULL;
			recommend_lib_picks_free(out);
			memset(picks, 0, n * sizeof *picks);
			out->picks = picks;
			out->rounds = rounds;
		}
	free(tg.at);
	return err;
}
