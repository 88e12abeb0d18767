/*
 * moodwin: the mood over a time window (pure functions, no threads, no
 * allocation: the window is a fixed ring inside the struct).
 *
 * Each frame with faces adds one sample: the per-face probabilities
 * combined into a group sample (moodwin_group). moodwin_update() then
 * computes, over the samples of the last window_s seconds:
 *   - counts[c]: in how many samples class c was the top label, and the
 *     ranking of the classes by that frequency (ties: by mean probability,
 *     then by class index), as in the paper (30-40 predictions in 2-3 s);
 *   - probs[c]: the mean probabilities;
 *     An empty window has no ranking (every entry -1) and no leader;
 *   - the leader (ranking[0]) and its confidence, its mean probability;
 *     below params.threshold the candidate is "uncertain" (-1), as it is
 *     when the window holds no sample (no face for window_s seconds);
 *   - hysteresis: the reported mood becomes the candidate only once the
 *     candidate has been the same for hysteresis_s seconds. The mood starts
 *     as uncertain (-1).
 * Times are in seconds on any monotonic clock (frame timestamps).
 */
#ifndef EMOTUNE_MOODWIN_H
#define EMOTUNE_MOODWIN_H

#include <stddef.h>

#include "vocab.h"
#define MOODWIN_CAP 1024     /* samples kept (34 s at 30 fps) */

enum moodwin_group { MOODWIN_GROUP_WEIGHTED, MOODWIN_GROUP_MEAN };

struct moodwin_params {
	double window_s;         /* 3 */
	double hysteresis_s;     /* 1 */
	double threshold;        /* 0.4: mean probability of the leader */
	enum moodwin_group group;
};

struct moodwin_sample {
	double t;
	float probs[VOCAB_NCLASSES];
};

struct moodwin_result {
	int n;                            /* samples in the window */
	int counts[VOCAB_NCLASSES];     /* times each class was the top label */
	int ranking[VOCAB_NCLASSES];    /* classes, most frequent first; all -1 when n == 0 */
	float probs[VOCAB_NCLASSES];    /* mean probabilities (0 when n == 0) */
	int candidate;                    /* leader, or -1 when below threshold/empty */
	int mood;                         /* reported mood after hysteresis, -1 uncertain */
	float confidence;                 /* mean probability of ranking[0] */
	int changed;                      /* mood differs from the previous update */
};

struct moodwin {
	struct moodwin_params p;
	struct moodwin_sample ring[MOODWIN_CAP];
	int head, count;                  /* oldest at head */
	int mood, candidate;
	double candidate_since;
};

void moodwin_params_default(struct moodwin_params *p);
/* Parses "weighted" or "mean"; -1 for anything else. */
int moodwin_group_parse(const char *s);

/* Empties the window; mood uncertain. */
void moodwin_init(struct moodwin *w, const struct moodwin_params *p);

/* The result of a window that has seen no sample: n 0, ranking all -1,
 * candidate and mood -1 (for a snapshot published before the first frame). */
void moodwin_result_empty(struct moodwin_result *out);

/* Adds a sample at time t (non-decreasing; an earlier t empties the window
 * first: a looped file or a restarted camera). Full ring: the oldest goes. */
void moodwin_add(struct moodwin *w, double t, const float probs[VOCAB_NCLASSES]);

/* Drops samples older than now - window_s, computes the result at now and
 * advances the hysteresis state. */
void moodwin_update(struct moodwin *w, double now, struct moodwin_result *out);

/* Combines n faces' probabilities into one group sample. sizes: face areas
 * (or NULL). weighted: each face weighs area * top probability; mean: 1.
 * n == 0 leaves out untouched and returns -1; else 0. */
int moodwin_group(enum moodwin_group mode, const float (*probs)[VOCAB_NCLASSES],
		  const float *sizes, int n, float out[VOCAB_NCLASSES]);

/* Index of the largest probability (lowest index on ties). */
int moodwin_argmax(const float probs[VOCAB_NCLASSES]);

#endif
