/* recommend_lib: the picks for a mood from the index. See recommend_lib.h. */
#include "recommend_lib.h"
#include "feedback.h"

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
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 512;
		struct lib_track *nv = realloc(p->v, nc * sizeof *nv);
		if (!nv)
			return RECOMMEND_ENOMEM;
		p->v = nv;
		p->cap = nc;
	}
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

/* The targets of picks 0..n-1 (consecutive equal ones merged; target of
 * pick i is tg[at[i]]); the number of them. */
static size_t targets(const struct recommend_lib_query *q, size_t n, struct recommend_point *tg,
		      unsigned char *at)
{
	struct recommend_point m = recommend_mood_point(q->probs);
	size_t nt = 0;
	for (size_t i = 0; i < n; i++) {
		struct recommend_point t = recommend_target(q->par.strategy, m, q->par.step + (int)i);
		if (!nt || t.valence != tg[nt - 1].valence || t.arousal != tg[nt - 1].arousal) {
			if (nt == MAX_TARGETS)  /* never for the strategies there are */
				return 0;
			tg[nt++] = t;
		}
		at[i] = (unsigned char)(nt - 1);
	}
	return nt;
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
static int gather(struct lib_db *db, const struct recommend_lib_query *q, size_t k,
		  const struct recommend_point *tg, size_t nt, double *radius, struct pool *p,
		  int *all_liked)
{
	for (size_t j = 0; j < nt; j++) {
		struct lib_track *t;
		size_t got;
		if (lib_db_nearest(db, tg[j].valence, tg[j].arousal, k, &t, &got))
			return RECOMMEND_EDB;
		radius[j] = got < k ? INFINITY
			: hypot(t[got - 1].valence - tg[j].valence, t[got - 1].arousal - tg[j].arousal);
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

/* PROVEN when every pick is the one a scan of the whole index makes;
 * EATEN when a pick came from the recently played (or too few came)
 * while the index holds more; else UNPROVEN: a track left out might
 * still have won. */
static int proven(const struct recommend_lib_picks *o, size_t n, const struct recommend_lib_query *q,
		  const double *radius, const unsigned char *at, int all_liked)
{
	/* what the learned term can take off the cost of a track left out:
	 * nothing when every liked track is a candidate (the others' term is
	 * 0 or negative) */
	double w = isfinite(q->par.w_feedback) ? q->par.w_feedback : 1;
	double bonus = all_liked && w >= 0 ? 0 : fabs(w);
	int res = PROVEN;
	for (size_t i = 0; i < n; i++) {
		double r = radius[at[i]];
		if (isinf(r))
			continue;
		if (i >= o->n || (o->picks[i].flags & RECOMMEND_F_REPEAT))
			return EATEN;
		if (1 - (double)o->picks[i].score >= r - bonus - SLACK)
			res = UNPROVEN;
	}
	return res;
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

/* One plan over the K nearest; *how: proven() of it. */
static int plan_once(struct lib_db *db, const struct recommend_lib_query *q, size_t n, size_t k,
		     struct recommend_lib_picks *o, int *how)
{
	struct recommend_point tg[MAX_TARGETS];
	double radius[MAX_TARGETS];
	unsigned char *at = malloc(n);
	struct pool p = { 0 };
	size_t nt = at ? targets(q, n, tg, at) : 0;
	int all_liked = 0;
	int err = !at ? RECOMMEND_ENOMEM : !nt ? RECOMMEND_EINVAL
		: gather(db, q, k, tg, nt, radius, &p, &all_liked);
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
	*how = err ? PROVEN : proven(o, n, q, radius, at, all_liked);
	o->rounds++;
	free(at);
	return err;
}

int recommend_lib_pick(struct lib_db *db, const struct recommend_lib_query *q, size_t n,
		       struct recommend_lib_picks *out)
{
	size_t total = 0, k;
	int err, how = PROVEN;
	if (!out)
		return RECOMMEND_EINVAL;
	memset(out, 0, sizeof *out);
	if (!db || !q || (!q->history && q->nh))
		return RECOMMEND_EINVAL;
	if (n == 0)
		return 0;
	if (lib_db_count_mood(db, &total))
		return RECOMMEND_EDB;
	if (!(out->picks = calloc(n, sizeof *out->picks)))
		return RECOMMEND_ENOMEM;
	/* enough for every pick even if the whole history lies among them */
	k = q->k ? q->k : RECOMMEND_LIB_K;
	if (k < 2 * (n + q->nh))
		k = 2 * (n + q->nh);
	size_t kmax = k * RECOMMEND_LIB_WIDEN;
	for (;;) {
		struct recommend_pick *picks = out->picks;
		if ((err = plan_once(db, q, n, k, out, &how)) || how == PROVEN || k >= total ||
		    (how == UNPROVEN && k >= kmax))
			return err;
		int rounds = out->rounds;
		/* not proven: again with more candidates */
		out->picks = NULL;
		recommend_lib_picks_free(out);
		memset(picks, 0, n * sizeof *picks);
		out->picks = picks;
		out->rounds = rounds;
		k = k > total / 4 ? total : k * 4;
	}
}
