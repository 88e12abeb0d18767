/* facetrack: face identity and box smoothing between frames. See facetrack.h. */
#include "facetrack.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct facetrack {
	struct facetrack_params p;
	struct facetrack_face f[FACETRACK_MAX];
	int n;
	int next_id;
	double last_t;
	int have_t;
};

void facetrack_params_default(struct facetrack_params *p)
{
	p->tau = 0.1;
	p->min_iou = 0.3;
	p->max_missed = 5;
	p->max_gap = 1.0;
}

struct facetrack *facetrack_new_params(const struct facetrack_params *p)
{
	struct facetrack *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->p = *p;
	t->next_id = 1;
	return t;
}

struct facetrack *facetrack_new(void)
{
	struct facetrack_params p;
	facetrack_params_default(&p);
	return facetrack_new_params(&p);
}

void facetrack_free(struct facetrack *t)
{
	free(t);
}

void facetrack_reset(struct facetrack *t)
{
	t->n = 0;
	t->have_t = 0;
}

double facetrack_iou(const struct vocab_box *a, const struct vocab_box *b)
{
	int ax = a->x, ay = a->y, aw = a->w, ah = a->h, bx = b->x, by = b->y, bw = b->w, bh = b->h;
	double x0 = ax > bx ? ax : bx, y0 = ay > by ? ay : by;
	double x1 = ax + aw < bx + bw ? ax + aw : bx + bw;
	double y1 = ay + ah < by + bh ? ay + ah : by + bh;
	if (x1 <= x0 || y1 <= y0)
		return 0.0;
	double inter = (x1 - x0) * (y1 - y0);
	double uni = (double)aw * ah + (double)bw * bh - inter;
	return uni > 0 ? inter / uni : 0.0;
}

static void set_box(struct facetrack_face *f)
{
	f->box.w = f->box.h = (int)lround(f->size);
	f->box.x = (int)lround(f->cx - f->size / 2);
	f->box.y = (int)lround(f->cy - f->size / 2);
}

/* How well detection d fits face f: IoU, or a small score when the centre
 * moved by less than half the face size (fast motion between searches);
 * < 0: no match. */
static double fit(const struct facetrack_params *p, const struct facetrack_face *f,
		  const struct vocab_box *d)
{
	double iou = facetrack_iou(&f->box, d);
	if (iou >= p->min_iou)
		return iou;
	double dx = d->x + d->w / 2.0 - f->cx, dy = d->y + d->h / 2.0 - f->cy;
	double ds = d->w > d->h ? d->w : d->h;
	if (sqrt(dx * dx + dy * dy) < 0.5 * f->size && ds < 1.5 * f->size && ds > f->size / 1.5)
		return 0.01 * iou + 0.001;
	return -1;
}

int facetrack_update(struct facetrack *tr, const struct vocab_box *dets, int n, double t)
{
	const struct facetrack_params *p = &tr->p;
	double dt = tr->have_t ? t - tr->last_t : 0;
	if (dt < 0)
		dt = 0;
	tr->last_t = t;
	tr->have_t = 1;
	double alpha = p->tau > 0 ? 1.0 - exp(-dt / p->tau) : 1.0;
	if (alpha < 0.2) /* back-to-back updates still move the box */
		alpha = 0.2;
	if (n < 0)
		n = 0;
	if (n > 4 * FACETRACK_MAX)
		n = 4 * FACETRACK_MAX;

	/* greedy assignment, best fit first */
	int used_d[4 * FACETRACK_MAX] = { 0 }, used_f[FACETRACK_MAX] = { 0 };
	for (;;) {
		double best = -1;
		int bf = -1, bd = -1;
		for (int i = 0; i < tr->n; i++) {
			if (used_f[i])
				continue;
			for (int j = 0; j < n; j++) {
				if (used_d[j])
					continue;
				double s = fit(p, &tr->f[i], &dets[j]);
				if (s > best) {
					best = s;
					bf = i;
					bd = j;
				}
			}
		}
		if (bf < 0)
			break;
		used_f[bf] = used_d[bd] = 1;
		struct facetrack_face *f = &tr->f[bf];
		const struct vocab_box *d = &dets[bd];
		double cx = d->x + d->w / 2.0, cy = d->y + d->h / 2.0;
		double size = (d->w + d->h) / 2.0;
		f->cx += alpha * (cx - f->cx);
		f->cy += alpha * (cy - f->cy);
		f->size += alpha * (size - f->size);
		set_box(f);
		f->hits++;
		f->missed = 0;
		f->last = t;
	}
	/* age the rest, drop the lost */
	int k = 0;
	for (int i = 0; i < tr->n; i++) {
		struct facetrack_face *f = &tr->f[i];
		f->age++;
		if (!used_f[i])
			f->missed++;
		if (f->missed > p->max_missed || t - f->last > p->max_gap)
			continue;
		tr->f[k++] = *f;
	}
	tr->n = k;
	/* new faces */
	for (int j = 0; j < n && tr->n < FACETRACK_MAX; j++) {
		if (used_d[j])
			continue;
		const struct vocab_box *d = &dets[j];
		struct facetrack_face *f = &tr->f[tr->n++];
		memset(f, 0, sizeof *f);
		f->id = tr->next_id++;
		f->cx = d->x + d->w / 2.0;
		f->cy = d->y + d->h / 2.0;
		f->size = (d->w + d->h) / 2.0;
		set_box(f);
		f->age = 1;
		f->hits = 1;
		f->first = f->last = t;
	}
	return tr->n;
}

int facetrack_faces(const struct facetrack *tr, struct facetrack_face *out, int max)
{
	for (int i = 0; i < tr->n && i < max; i++)
		out[i] = tr->f[i];
	return tr->n;
}
