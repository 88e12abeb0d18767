/* recommend: mood point, strategies, ranking, refill. See recommend.h. */
#include "recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Points on Russell's plane; see doc/recommendation.md for the sources.
 * Each lies in the quadrant cli.md's match table gives its class. */
static const struct recommend_point points[] = {
	{ -0.60f,  0.75f },  /* angry    Q2 */
	{ -0.65f,  0.35f },  /* disgust  Q2 */
	{ -0.45f,  0.85f },  /* fear     Q2 */
	{  0.80f,  0.45f },  /* happy    Q1 */
	{  0.25f, -0.30f },  /* neutral  Q4 */
	{ -0.70f, -0.45f },  /* sad      Q3 */
	{  0.35f,  0.80f },  /* surprise Q1 */
};

static const int match_quadrant[] = { 2, 2, 2, 1, 4, 3, 1 };
_Static_assert(sizeof points / sizeof *points == VOCAB_NCLASSES, "one point per class");
_Static_assert(sizeof match_quadrant / sizeof *match_quadrant == VOCAB_NCLASSES, "one quadrant per class");

struct recommend_point recommend_emotion_point(int cls)
{
	if (cls < 0 || cls >= VOCAB_NCLASSES)
		return (struct recommend_point){ 0, 0 };
	return points[cls];
}

int recommend_parse_probs(const char *s, float probs[VOCAB_NCLASSES])
{
	double v[VOCAB_NCLASSES], sum = 0;
	const char *p = s;
	if (!s)
		return RECOMMEND_EINVAL;
	for (int i = 0; i < VOCAB_NCLASSES; i++) {
		char *end;
		v[i] = strtod(p, &end);
		if (end == p || !isfinite(v[i]) || v[i] < 0)
			return RECOMMEND_EINVAL;
		sum += v[i];
		p = end;
		while (*p == ' ')
			p++;
		if (i < VOCAB_NCLASSES - 1) {
			if (*p != ',')
				return RECOMMEND_EINVAL;
			p++;
		}
	}
	if (*p || !(sum > 0) || !isfinite(sum))
		return RECOMMEND_EINVAL;
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		probs[i] = (float)(v[i] / sum);
	return 0;
}

void recommend_onehot(int cls, float probs[VOCAB_NCLASSES])
{
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		probs[i] = i == cls ? 1.0f : 0.0f;
}

struct recommend_point recommend_mood_point(const float probs[VOCAB_NCLASSES])
{
	double v = 0, a = 0, sum = 0;
	for (int i = 0; i < VOCAB_NCLASSES; i++) {
		double p = probs[i] > 0 && isfinite(probs[i]) ? probs[i] : 0;
		v += p * points[i].valence;
		a += p * points[i].arousal;
		sum += p;
	}
	if (!(sum > 0))
		return points[4];
	return (struct recommend_point){ (float)(v / sum), (float)(a / sum) };
}

void recommend_ranking(const float probs[VOCAB_NCLASSES], int ranking[VOCAB_NCLASSES])
{
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		ranking[i] = i;
	/* insertion sort, stable: ties keep the lower index first */
	for (int i = 1; i < VOCAB_NCLASSES; i++) {
		int c = ranking[i], j = i;
		while (j > 0 && probs[ranking[j - 1]] < probs[c]) {
			ranking[j] = ranking[j - 1];
			j--;
		}
		ranking[j] = c;
	}
}

int recommend_top(const float probs[VOCAB_NCLASSES])
{
	int best = 0;
	for (int i = 1; i < VOCAB_NCLASSES; i++)
		if (probs[i] > probs[best])
			best = i;
	return best;
}

int recommend_quadrant(float valence, float arousal)
{
	if (valence >= 0)
		return arousal >= 0 ? 1 : 4;
	return arousal >= 0 ? 2 : 3;
}

int recommend_match_quadrant(int cls)
{
	return cls >= 0 && cls < VOCAB_NCLASSES ? match_quadrant[cls] : 0;
}

struct recommend_point recommend_target(enum vocab_strategy s, struct recommend_point m, int step)
{
	struct recommend_point g;
	float f;
	switch (s) {
	case VOCAB_UPLIFT:
		g = RECOMMEND_UPLIFT_GOAL;
		f = RECOMMEND_UPLIFT_RATE * (float)(step > 0 ? step : 0);
		if (f > 1)
			f = 1;
		/* the iso principle only lifts: a mood already above the goal's
		 * valence keeps its valence */
		if (m.valence > g.valence)
			g.valence = m.valence;
		return (struct recommend_point){ m.valence + (g.valence - m.valence) * f,
						 m.arousal + (g.arousal - m.arousal) * f };
	case VOCAB_CALM:
		return RECOMMEND_CALM_GOAL;
	case VOCAB_MATCH:
	default:
		return m;
	}
}

void recommend_params_default(struct recommend_params *p)
{
	*p = (struct recommend_params){
		.strategy = VOCAB_MATCH,
		.step = 0,
		.no_repeat = 20,
		.seed = 1,
		.w_feedback = 0.3f,
		.w_artist = 0.15f,
		.w_diversity = 0.05f,
		.jitter = 0.02f,
	};
}

/* FNV-1a then splitmix64: a stable hash of (seed, path, position). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static double unit_hash(uint64_t seed, const char *s, size_t k)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = mix(h ^ mix(seed) ^ mix((uint64_t)k * 0x100000001b3ULL));
	return (double)(h >> 11) / 9007199254740992.0;
}

static int same_str(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

static double dist(struct recommend_point a, float v, float ar)
{
	double dv = a.valence - v, da = a.arousal - ar;
	return sqrt(dv * dv + da * da);
}

static double finite_or(double x, double d)
{
	return isfinite(x) ? x : d;
}

static void describe_strategy(char *buf, size_t n, enum vocab_strategy s, int step)
{
	switch (s) {
	case VOCAB_UPLIFT:
		if (RECOMMEND_UPLIFT_RATE * (float)step >= 1)
			snprintf(buf, n, "uplift strategy: arrived at positive valence");
		else
			snprintf(buf, n, "uplift strategy step %d: from your mood toward positive valence", step + 1);
		break;
	case VOCAB_CALM:
		snprintf(buf, n, "calm strategy: low arousal, positive valence");
		break;
	case VOCAB_MATCH:
	default:
		snprintf(buf, n, "match strategy: music that fits your mood");
		break;
	}
}

void recommend_reason(char *buf, size_t n, const float probs[VOCAB_NCLASSES],
		      enum vocab_strategy s, int step, int flags)
{
	char strat[96];
	size_t len;
	int top = recommend_top(probs);
	double sum = 0;
	if (!buf || n == 0)
		return;
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		sum += probs[i] > 0 ? probs[i] : 0;
	describe_strategy(strat, sizeof strat, s, step);
	if (sum > 0)
		snprintf(buf, n, "you look %s (%.0f%%), %s", vocab_class_name(top), 100.0 * probs[top] / sum, strat);
	else   /* no face seen: no emotion on top */
		snprintf(buf, n, "no emotion seen, %s", strat);
	len = strlen(buf);
	if (flags & RECOMMEND_F_LIKED)
		snprintf(buf + len, n - len, "; liked before");
	else if (flags & RECOMMEND_F_DISLIKED)
		snprintf(buf + len, n - len, "; disliked before (closest fit)");
	len = strlen(buf);
	if (flags & RECOMMEND_F_REPEAT)
		snprintf(buf + len, n - len, "; played recently (nothing else left)");
	len = strlen(buf);
	if (flags & RECOMMEND_F_SAME_ARTIST)
		snprintf(buf + len, n - len, "; same artist again (closest fit)");
}

/* Cost of the repeat penalty per place in the no-repeat window: larger
 * than any other term can make up, so recently played tracks come last,
 * the least recently played of them first. */
#define REPEAT_COST 100.0

/* Recency of each track: for tracks inside the window of recent plays,
 * 1 for the least recent play up to the window's length for the latest
 * one; 0 for the others. */
static void recency(const struct recommend_track *tracks, size_t ntracks, const char *const *history,
		    size_t nh, int no_repeat, size_t *recent)
{
	size_t window = no_repeat > 0 ? (size_t)no_repeat : 0;
	size_t h0 = nh > window ? nh - window : 0;
	for (size_t h = h0; h < nh; h++)
		for (size_t t = 0; t < ntracks; t++)
			if (same_str(tracks[t].path, history[h]))
				recent[t] = h - h0 + 1;
}

/* Artists of the two tracks before the first pick (NULL: unknown). */
static void artists_before(const struct recommend_track *tracks, size_t ntracks,
			   const char *const *history, size_t nh, const char **prev1, const char **prev2)
{
	*prev1 = *prev2 = NULL;
	for (size_t back = 0; back < 2 && back < nh; back++) {
		const char *hp = history[nh - 1 - back];
		for (size_t t = 0; t < ntracks; t++)
			if (same_str(tracks[t].path, hp)) {
				if (back == 0)
					*prev1 = tracks[t].artist;
				else
					*prev2 = tracks[t].artist;
				break;
			}
	}
	if (nh >= 1 && !*prev1)
		*prev2 = NULL; /* unknown track before: no run to extend */
}

/* What the ranking knows while it fills position k. */
struct plan_state {
	const struct recommend_track *tracks;
	const struct recommend_params *p;
	const size_t *recent;
	const size_t *chosen;         /* picks 0..k-1 */
	size_t k;
	const char *prev1, *prev2;    /* artists of the two tracks before */
	struct recommend_point target;
};

/* Cost of track tr for position k (see recommend.h); its distance to the
 * target in *d and its RECOMMEND_F_* in *flags. */
static double cost_of(const struct plan_state *st, size_t t, double *d, int *flags)
{
	const struct recommend_track *tr = &st->tracks[t];
	const struct recommend_params *p = st->p;
	double cost, fb;
	*flags = 0;
	*d = dist(st->target, (float)finite_or(tr->valence, 0), (float)finite_or(tr->arousal, 0));
	cost = *d;
	if (st->recent[t]) {
		cost += REPEAT_COST * (double)st->recent[t];
		*flags |= RECOMMEND_F_REPEAT;
	}
	if (same_str(tr->artist, st->prev1)) {
		cost += p->w_artist * (same_str(tr->artist, st->prev2) ? 2 : 1);
		*flags |= RECOMMEND_F_SAME_ARTIST;
	}
	fb = finite_or(tr->feedback, 0);
	if (fb > 1)
		fb = 1;
	if (fb < -1)
		fb = -1;
	cost -= p->w_feedback * fb;
	if (fb > 0.05)
		*flags |= RECOMMEND_F_LIKED;
	else if (fb < -0.05)
		*flags |= RECOMMEND_F_DISLIKED;
	for (size_t j = 0; j < st->k; j++) {
		const struct recommend_track *o = &st->tracks[st->chosen[j]];
		double close = 1 - dist((struct recommend_point){ o->valence, o->arousal },
					tr->valence, tr->arousal) / 0.15;
		if (same_str(o->album, tr->album))
			close = 1;
		if (close > 0)
			cost += p->w_diversity * close;
	}
	return cost + p->jitter * unit_hash(p->seed, tr->path, st->k);
}

int recommend_plan(const float probs[VOCAB_NCLASSES],
		   const struct recommend_track *tracks, size_t ntracks,
		   const char *const *history, size_t nh,
		   const struct recommend_params *p,
		   struct recommend_pick *out, size_t n, size_t *nout)
{
	struct recommend_params def;
	struct recommend_point mood;
	size_t limit, *recent, *chosen;
	unsigned char *taken;
	int err = 0;

	if (nout)
		*nout = 0;
	if (!probs || (!tracks && ntracks) || (!out && n) || (!history && nh))
		return RECOMMEND_EINVAL;
	if (!p) {
		recommend_params_default(&def);
		p = &def;
	}
	if (ntracks == 0 || n == 0)
		return 0;

	recent = calloc(ntracks, sizeof *recent);
	taken = calloc(ntracks, 1);
	chosen = calloc(n, sizeof *chosen);
	if (!recent || !taken || !chosen) {
		err = RECOMMEND_ENOMEM;
		goto done;
	}
	recency(tracks, ntracks, history, nh, p->no_repeat, recent);
	struct plan_state st = { .tracks = tracks, .p = p, .recent = recent, .chosen = chosen };
	artists_before(tracks, ntracks, history, nh, &st.prev1, &st.prev2);

	mood = recommend_mood_point(probs);
	limit = n < ntracks ? n : ntracks;
	for (size_t k = 0; k < limit; k++) {
		int step = p->step + (int)k;
		double best = INFINITY, bestd = 0;
		size_t bi = 0;
		int bflags = 0;
		st.k = k;
		st.target = recommend_target(p->strategy, mood, step);
		for (size_t t = 0; t < ntracks; t++) {
			double d, cost;
			int flags;
			if (taken[t])
				continue;
			cost = cost_of(&st, t, &d, &flags);
			if (cost < best) {
				best = cost;
				bestd = d;
				bi = t;
				bflags = flags;
			}
		}
		taken[bi] = 1;
		chosen[k] = bi;
		out[k].track = bi;
		out[k].score = (float)(1 - best + REPEAT_COST * (double)recent[bi]);
		out[k].distance = (float)bestd;
		out[k].target = st.target;
		out[k].flags = bflags;
		recommend_reason(out[k].reason, sizeof out[k].reason, probs, p->strategy, step, bflags);
		st.prev2 = st.prev1;
		st.prev1 = tracks[bi].artist;
		if (nout)
			*nout = k + 1;
	}
done:
	free(recent);
	free(taken);
	free(chosen);
	return err;
}

void recommend_refill_default(struct recommend_refill_params *p)
{
	*p = (struct recommend_refill_params){ .near_end = 15, .hold = 8, .low = 2 };
}

enum recommend_refill recommend_refill(const struct recommend_refill_in *in,
				       const struct recommend_refill_params *p)
{
	struct recommend_refill_params def;
	if (!p) {
		recommend_refill_default(&def);
		p = &def;
	}
	if (in->strategy != in->queue_strategy)
		return RECOMMEND_REPLACE;
	if (in->mood >= 0 && in->mood != in->queue_mood && in->now - in->mood_since >= p->hold)
		return RECOMMEND_REPLACE;
	if (!in->playing && in->queued <= 0)
		return RECOMMEND_APPEND;
	if (in->queued < p->low && (!in->playing || in->remaining <= p->near_end))
		return RECOMMEND_APPEND;
	return RECOMMEND_KEEP;
}

const char *recommend_strerror(int err)
{
	switch (err) {
	case RECOMMEND_OK: return "success";
	case RECOMMEND_ENOMEM: return "out of memory";
	case RECOMMEND_EINVAL: return "invalid argument";
	case RECOMMEND_EDB: return "library index error";
	default: return "unknown error";
	}
}
