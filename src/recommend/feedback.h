/*
 * feedback: what the listener said about tracks (like, dislike, skip) and
 * what was played, stored with the mood at the time in the library's
 * SQLite file (table feedback_events, created by feedback_init), and the
 * learned term that recommend_plan() weighs (recommend_track.feedback).
 *
 * Each event has a weight (feedback_weight):
 *   like +1, dislike -1, skip before FEEDBACK_EARLY_SKIP seconds -0.5,
 *   a later skip 0 (recorded, not held against the track), play 0
 *   (a play only feeds the no-repeat history).
 * The term of a track for the current mood point m is
 *   tanh( sum over its events e of weight(e) * similarity(mood(e), m) )
 * with similarity = exp(-d^2 / (2 * FEEDBACK_SIGMA^2)), d the distance of
 * the two mood points on the valence/arousal plane: feedback given in the
 * same mood counts fully, in a far mood almost not at all (per track and
 * per mood).
 *
 * Tracks are identified by path (stable across rescans, unlike row ids).
 * The database handle is borrowed (lib_db_sqlite()); no function keeps it.
 */
#ifndef EMOTUNE_FEEDBACK_H
#define EMOTUNE_FEEDBACK_H

#include <stddef.h>

#include "recommend.h"

struct sqlite3;

enum feedback_err {
	FEEDBACK_OK = 0,
	FEEDBACK_ENOMEM = -1,
	FEEDBACK_EDB = -2,      /* SQLite failed (see sqlite3_errmsg on the handle) */
	FEEDBACK_EINVAL = -3,
};

enum feedback_kind { FEEDBACK_LIKE, FEEDBACK_DISLIKE, FEEDBACK_SKIP, FEEDBACK_PLAY };

#define FEEDBACK_EARLY_SKIP 30.0   /* seconds: a skip before this counts against */
#define FEEDBACK_SIGMA 0.4         /* mood similarity width on the plane */

struct feedback_event {
	const char *path;             /* borrowed */
	enum feedback_kind kind;
	double position;              /* seconds into the track when it happened */
	int mood;                     /* class index, -1 uncertain */
	struct recommend_point point; /* the mood point then */
	double t;                     /* unix time; 0: now */
};

/* Creates the table and its index if missing. Idempotent. */
int feedback_init(struct sqlite3 *db);

/* Stores one event (calls feedback_init first if needed). */
int feedback_record(struct sqlite3 *db, const struct feedback_event *ev);

/* The weight of an event (pure; see above). */
double feedback_weight(enum feedback_kind kind, double position);
/* Similarity of two mood points in (0, 1] (pure). */
double feedback_similarity(struct recommend_point a, struct recommend_point b);

/* Sets tracks[i].feedback for mood point m from the stored events (0 for
 * tracks without any). The tracks' paths are borrowed. Readers (this and
 * feedback_history) never create the table: without it there are no events. */
int feedback_terms(struct sqlite3 *db, struct recommend_point m,
		   struct recommend_track *tracks, size_t n);

/* The paths of the last max plays, oldest first, in *out (n entries); the
 * caller frees them with feedback_history_free(). */
int feedback_history(struct sqlite3 *db, size_t max, char ***out, size_t *n);
void feedback_history_free(char **paths, size_t n);
/* The paths with a like (the only tracks whose learned term can be
 * positive), each once; free with feedback_history_free(). */
int feedback_liked(struct sqlite3 *db, char ***out, size_t *n);

/* "like", "dislike", "skip", "play" and back (RECOMMEND-style: -1 if none). */
const char *feedback_kind_name(enum feedback_kind kind);
int feedback_kind_parse(const char *name);

const char *feedback_strerror(int err);

#endif
