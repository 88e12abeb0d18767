/*
 * recommend: from a mood (7 emotion probabilities) to ranked library
 * tracks. Pure functions: plain structs in, picks out; no database, no
 * threads, no allocation beyond what a call frees itself. The reasoning
 * behind the numbers is in doc/recommendation.md.
 *
 * Emotion classes are always in the order of cli.md:
 *   angry disgust fear happy neutral sad surprise   (VOCAB_NCLASSES)
 *
 * Mood point. Each class has a fixed point on Russell's valence/arousal
 * plane (recommend_emotion_point); the mood point is the probability-
 * weighted mean of those points (recommend_mood_point). recommend_ranking()
 * keeps the paper's view alongside: classes ordered by probability.
 *
 * Strategies (target point for the k-th upcoming pick, recommend_target):
 *   match   the mood point itself; by construction each class's point lies
 *           in the quadrant of cli.md's table (happy, surprise -> Q1; angry,
 *           fear, disgust -> Q2; sad -> Q3; neutral -> Q4).
 *   uplift  the iso principle: start at the mood point and move the target
 *           a fixed fraction per pick toward RECOMMEND_UPLIFT_GOAL
 *           (positive valence, moderate arousal); valence never decreases.
 *   calm    RECOMMEND_CALM_GOAL (low arousal, positive valence) at once.
 *
 * Ranking (recommend_plan): picks are chosen greedily, one position at a
 * time. The cost of a candidate for position k is
 *     distance(track, target_k)
 *   + repeat penalty   (played within the last no_repeat plays: such
 *                       tracks come last, only when nothing else is left,
 *                       the least recently played of them first; a track
 *                       is picked at most once per plan)
 *   + w_artist         when the artist equals the one just before it
 *                      (history or previous pick), doubled for a third in a row
 *   - w_feedback * f   f in [-1, 1]: the learned term (see feedback.h)
 *   + w_diversity      scaled by closeness to picks already made (same
 *                      album counts as close)
 *   + jitter           uniform [0, jitter) from a hash of (seed, path, k):
 *                      same inputs and seed, same picks
 * and the score printed is 1 - cost, the repeat penalty left out (higher is
 * better).
 *
 * Refill (recommend_refill): decides when the player's queue of upcoming
 * picks is recomputed. Never cuts the current track.
 */
#ifndef EMOTUNE_RECOMMEND_H
#define EMOTUNE_RECOMMEND_H

#include <stddef.h>
#include <stdint.h>

#include "vocab.h"

enum recommend_err {
	RECOMMEND_OK = 0,
	RECOMMEND_ENOMEM = -1,
	RECOMMEND_EINVAL = -2,  /* bad argument: unknown name, malformed probabilities */
	RECOMMEND_EDB = -3,     /* the library index could not be read (recommend_lib.h) */
};

struct recommend_point {
	float valence, arousal;       /* each in [-1, 1] */
};

#define RECOMMEND_UPLIFT_GOAL ((struct recommend_point){ 0.70f, 0.30f })
#define RECOMMEND_CALM_GOAL   ((struct recommend_point){ 0.50f, -0.60f })

/* --- emotions and mood ------------------------------------------------ */

/* The class's fixed point on the valence/arousal plane. */
struct recommend_point recommend_emotion_point(int cls);

/* "P,P,P,P,P,P,P" (7 non-negative numbers, not all 0) into probs,
 * normalised to sum 1. 0 or RECOMMEND_EINVAL. */
int recommend_parse_probs(const char *s, float probs[VOCAB_NCLASSES]);
/* One-hot probabilities for a class. */
void recommend_onehot(int cls, float probs[VOCAB_NCLASSES]);

/* Probability-weighted mean of the class points (probs need not sum to 1;
 * all zero gives neutral's point). */
struct recommend_point recommend_mood_point(const float probs[VOCAB_NCLASSES]);
/* Classes by decreasing probability (ties: lower index first). */
void recommend_ranking(const float probs[VOCAB_NCLASSES], int ranking[VOCAB_NCLASSES]);
/* The most probable class. */
int recommend_top(const float probs[VOCAB_NCLASSES]);

/* 1..4 as in cli.md: Q1 (v>=0,a>=0), Q2 (v<0,a>=0), Q3 (v<0,a<0), Q4 (v>=0,a<0). */
int recommend_quadrant(float valence, float arousal);
/* The quadrant strategy match aims at for a class (cli.md's table). */
int recommend_match_quadrant(int cls);

/* --- strategies ------------------------------------------------------- */

/* Names and parsing of classes and strategies: vocab.h. */

/* Fraction of the way to the uplift goal covered per pick. */
#define RECOMMEND_UPLIFT_RATE 0.25f

/* Target point of the pick `step` picks after the strategy started from
 * mood point m (step 0 = the first pick). uplift: m + (goal - m) *
 * min(1, RECOMMEND_UPLIFT_RATE * step), so its valence is monotone in step. */
struct recommend_point recommend_target(enum vocab_strategy s, struct recommend_point m, int step);

/* --- ranking ---------------------------------------------------------- */

/* A candidate track. Strings are borrowed and may be NULL (unknown). */
struct recommend_track {
	const char *path;             /* identity: compared with history[] */
	const char *artist;
	const char *album;
	float valence, arousal;
	float feedback;               /* learned term in [-1, 1] for this mood (0: none) */
};

struct recommend_params {
	enum vocab_strategy strategy;
	int step;                     /* picks already made under this strategy and mood
	                                 (uplift continues from here on a refill) */
	int no_repeat;                /* plays inside which a track is not picked again */
	uint64_t seed;
	float w_feedback;             /* weight of the learned term */
	float w_artist;               /* same artist as the track before */
	float w_diversity;            /* closeness to earlier picks in this plan */
	float jitter;                 /* width of the seeded random term */
};

/* Defaults: match, step 0, no_repeat 20, seed 1, w_feedback 0.3,
 * w_artist 0.15, w_diversity 0.05, jitter 0.02. */
void recommend_params_default(struct recommend_params *p);

enum {
	RECOMMEND_F_LIKED = 1,        /* feedback > 0 */
	RECOMMEND_F_DISLIKED = 2,     /* feedback < 0 */
	RECOMMEND_F_REPEAT = 4,       /* inside the no-repeat window (nothing else was left) */
	RECOMMEND_F_SAME_ARTIST = 8,  /* same artist as the track before */
};

struct recommend_pick {
	size_t track;                 /* index into the tracks array */
	float score;                  /* 1 - cost (without the repeat penalty), higher is better */
	float distance;               /* to the target */
	struct recommend_point target;
	int flags;                    /* RECOMMEND_F_* */
	char reason[192];             /* one line, see recommend_reason() */
};

/*
 * Chooses up to n picks (fewer when there are fewer tracks) for the mood
 * probs into out[0..*nout). history: paths played so far, oldest first,
 * most recent last (may be NULL with nh 0). Deterministic for the same
 * inputs and p->seed. Returns 0, RECOMMEND_EINVAL or RECOMMEND_ENOMEM.
 */
int recommend_plan(const float probs[VOCAB_NCLASSES],
		   const struct recommend_track *tracks, size_t ntracks,
		   const char *const *history, size_t nh,
		   const struct recommend_params *p,
		   struct recommend_pick *out, size_t n, size_t *nout);

/* The one-line reason for a pick, e.g. "you look sad (62%), calm strategy:
 * low arousal, positive valence; liked before". Always NUL-terminated. */
void recommend_reason(char *buf, size_t n, const float probs[VOCAB_NCLASSES],
		      enum vocab_strategy s, int step, int flags);

/* --- queue refill ----------------------------------------------------- */

/* What the front end knows when it asks whether to recompute the queue. */
struct recommend_refill_in {
	double now;                   /* seconds on any monotonic clock */
	int playing;                  /* a track is playing or paused */
	double remaining;             /* seconds left in it */
	int queued;                   /* upcoming picks in the queue */
	int mood;                     /* current mood class, -1 uncertain */
	double mood_since;            /* now-clock time the current mood began */
	enum vocab_strategy strategy;
	int queue_mood;               /* mood class the queue was planned for, -1 none */
	enum vocab_strategy queue_strategy;
};

struct recommend_refill_params {
	double near_end;              /* seconds before the end that count as "near" (15) */
	double hold;                  /* seconds a new mood must last (8) */
	int low;                      /* refill when fewer upcoming picks than this (2) */
};

void recommend_refill_default(struct recommend_refill_params *p);

enum recommend_refill {
	RECOMMEND_KEEP = 0,           /* nothing to do */
	RECOMMEND_APPEND,             /* plan more picks after the queue (same mood) */
	RECOMMEND_REPLACE,            /* re-plan the upcoming queue; the current
	                                 track plays on, step restarts at 0 */
};

/*
 * The decision, in this order:
 *   strategy changed by the user                          -> REPLACE
 *   mood != queue_mood, mood != -1 (uncertain never
 *   counts), and now - mood_since >= hold                 -> REPLACE
 *   nothing playing and queue empty                       -> APPEND
 *   queued < low and (not playing or remaining <= near_end) -> APPEND
 *   otherwise                                             -> KEEP
 * After acting, the caller records queue_mood = mood and queue_strategy
 * = strategy. p may be NULL (defaults).
 */
enum recommend_refill recommend_refill(const struct recommend_refill_in *in,
				       const struct recommend_refill_params *p);

const char *recommend_strerror(int err);

#endif
