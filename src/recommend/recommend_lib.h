/*
 * recommend_lib: the picks for a mood from the library index, the one
 * candidate function of `emotune recommend`, `emotune playlist` and the
 * running program (app_queue.c).
 *
 * Candidates come from the index, not from a copy of it: for each target
 * point the strategy gives the picks (one for match and calm, up to five
 * for uplift), the K nearest tracks with a mood (lib_db_nearest; K =
 * RECOMMEND_LIB_K, or more for many picks or a long history), merged,
 * plus the last two played tracks (their artists start the artist-run
 * penalty). recommend_plan() ranks them. The result is checked against
 * the tracks left out: one outside the K nearest of target t lies at
 * least R_t (the K-th nearest distance) from it and, every liked track
 * being a candidate, costs at least R_t; a pick that costs less is the
 * pick a scan of the whole index makes. When a pick of target t is not so
 * proven, t's K grows fourfold and the plan is made again: up to the whole
 * index when the pick came from the recently played or the caller's
 * exclusions ate the candidates, once (RECOMMEND_LIB_WIDEN) when only the
 * artist-run or diversity penalties could let a farther track win. The
 * picks are then those of recommend_plan() over every track with a mood
 * that exclude() keeps, in index (path) order, as before the index was
 * used, unless those penalties reach past the widened candidates (large
 * libraries; doc/recommendation.md).
 *
 * Thread rules: one call uses db from the calling thread only (lib_db's
 * rule); the result is owned by the caller. No global state.
 */
#ifndef EMOTUNE_RECOMMEND_LIB_H
#define EMOTUNE_RECOMMEND_LIB_H

#include <stddef.h>

#include "lib_db.h"
#include "recommend.h"

/* Candidates asked for per target point at first, and how many times
 * that a pick not proven is widened to (tracks left out by the caller or
 * recently played are widened over until the whole index). */
#define RECOMMEND_LIB_K 300
#define RECOMMEND_LIB_WIDEN 4

struct recommend_lib_query {
	float probs[VOCAB_NCLASSES];  /* the mood */
	struct recommend_params par;  /* strategy, step, seed, no_repeat, weights */
	const char *const *history;   /* played, oldest first (borrowed; NULL with nh 0) */
	size_t nh;
	/* Tracks the caller cannot use (e.g. the app: its folder is gone);
	 * NULL: every track with a mood is a candidate. */
	int (*exclude)(void *ctx, const struct lib_track *t);
	void *exclude_ctx;
	size_t k;                     /* first K; 0: RECOMMEND_LIB_K */
};

struct recommend_lib_picks {
	struct lib_track *rows;       /* the candidates, by path (owned) */
	struct recommend_track *tr;   /* the same, as ranked (strings borrowed from rows) */
	size_t nrows;
	struct recommend_pick *picks; /* picks[i].track indexes rows and tr */
	size_t n;
	int feedback_err;             /* feedback_terms() failed: no learned term (0: fine) */
	int rounds;                   /* plans made (1: the first K sufficed) */
};

/* Plans up to n picks (fewer when fewer tracks qualify) for q into *out
 * (zeroed first; free with recommend_lib_picks_free() whatever the
 * result). The learned feedback term comes from the index's file. 0,
 * RECOMMEND_EINVAL, RECOMMEND_ENOMEM or RECOMMEND_EDB (lib_db failed:
 * see lib_db_errmsg). */
int recommend_lib_pick(struct lib_db *db, const struct recommend_lib_query *q, size_t n,
		       struct recommend_lib_picks *out);
void recommend_lib_picks_free(struct recommend_lib_picks *p);

#endif
