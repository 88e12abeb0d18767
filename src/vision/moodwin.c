/* moodwin: time window, ranking, hysteresis, group mood. See moodwin.h. */
#include "moodwin.h"

#include <string.h>

void moodwin_params_default(struct moodwin_params *p)
{
	p->window_s = 3;
	p->hysteresis_s = 1;
	p->threshold = 0.4;
	p->group = MOODWIN_GROUP_WEIGHTED;
}

int moodwin_group_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "weighted") == 0)
		return MOODWIN_GROUP_WEIGHTED;
	if (strcmp(s, "mean") == 0)
		return MOODWIN_GROUP_MEAN;
	return -1;
}

void moodwin_init(struct moodwin *w, const struct moodwin_params *p)
{
	w->p = *p;
	if (!(w->p.window_s > 0))
		w->p.window_s = 3;
	if (!(w->p.hysteresis_s >= 0))
		w->p.hysteresis_s = 0;
	w->head = w->count = 0;
	w->mood = -1;
	w->candidate = -1;
	w->candidate_since = 0;
}

void moodwin_result_empty(struct moodwin_result *out)
{
	memset(out, 0, sizeof *out);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		out->ranking[c] = -1;
	out->candidate = out->mood = -1;
}

int moodwin_argmax(const float probs[VOCAB_NCLASSES])
{
	int best = 0;
	for (int i = 1; i < VOCAB_NCLASSES; i++)
		if (probs[i] > probs[best])
			best = i;
	return best;
}

void moodwin_add(struct moodwin *w, double t, const float probs[VOCAB_NCLASSES])
{
	if (w->count) {
		int last = (w->head + w->count - 1) % MOODWIN_CAP;
		if (t < w->ring[last].t) {   /* time went back: start again */
			w->head = w->count = 0;
		}
	}
	int at;
	if (w->count == MOODWIN_CAP) {
		at = w->head;
		w->head = (w->head + 1) % MOODWIN_CAP;
	} else {
		at = (w->head + w->count) % MOODWIN_CAP;
		w->count++;
	}
	w->ring[at].t = t;
	memcpy(w->ring[at].probs, probs, sizeof w->ring[at].probs);
}

void moodwin_update(struct moodwin *w, double now, struct moodwin_result *out)
{
	memset(out, 0, sizeof *out);
	while (w->count && w->ring[w->head].t < now - w->p.window_s) {
		w->head = (w->head + 1) % MOODWIN_CAP;
		w->count--;
	}
	double sum[VOCAB_NCLASSES] = { 0 };
	for (int k = 0; k < w->count; k++) {
		const struct moodwin_sample *s = &w->ring[(w->head + k) % MOODWIN_CAP];
		out->counts[moodwin_argmax(s->probs)]++;
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			sum[c] += s->probs[c];
	}
	out->n = w->count;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		out->probs[c] = w->count ? (float)(sum[c] / w->count) : 0.0f;
		out->ranking[c] = c;
	}
	/* insertion sort: count desc, mean prob desc, index asc */
	for (int i = 1; i < VOCAB_NCLASSES; i++) {
		int x = out->ranking[i], j = i - 1;
		while (j >= 0) {
			int y = out->ranking[j];
			int before = out->counts[x] > out->counts[y] ||
				     (out->counts[x] == out->counts[y] && out->probs[x] > out->probs[y]);
			if (!before)
				break;
			out->ranking[j + 1] = y;
			j--;
		}
		out->ranking[j + 1] = x;
	}
	int lead = out->ranking[0];
	out->confidence = out->probs[lead];
	if (!w->count)   /* no data: no order, no top class */
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			out->ranking[c] = -1;
	int cand = (w->count && out->confidence >= w->p.threshold) ? lead : -1;
	if (cand != w->candidate) {
		w->candidate = cand;
		w->candidate_since = now;
	}
	int prev = w->mood;
	if (w->candidate != w->mood && now - w->candidate_since >= w->p.hysteresis_s - 1e-9)
		w->mood = w->candidate;
	out->candidate = cand;
	out->mood = w->mood;
	out->changed = w->mood != prev;
}

int moodwin_group(enum moodwin_group mode, const float (*probs)[VOCAB_NCLASSES],
		  const float *sizes, int n, float out[VOCAB_NCLASSES])
{
	if (n <= 0)
		return -1;
	double acc[VOCAB_NCLASSES] = { 0 }, wsum = 0;
	for (int i = 0; i < n; i++) {
		double wt = 1;
		if (mode == MOODWIN_GROUP_WEIGHTED) {
			double area = sizes && sizes[i] > 0 ? sizes[i] : 1;
			wt = area * probs[i][moodwin_argmax(probs[i])];
		}
		if (!(wt > 0))
			wt = 1e-12;
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			acc[c] += wt * probs[i][c];
		wsum += wt;
	}
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		out[c] = (float)(acc[c] / wsum);
	return 0;
}
