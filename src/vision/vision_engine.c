/*
 * vision_engine: the real models behind the vision thread: the Haar face
 * detector (haar.h) and the emotion network (emo.h). See vision.h.
 */
#include "vision.h"
#include "config.h"
#include "emo.h"
#include "haar.h"
#include "facetrack.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A face classified recently: its box, a thumbnail of the picture under it
 * and the result. A face whose box is close to one classified before, and
 * the picture under that box has not changed (camera noise and an overall
 * brightness change aside), gets the same result without the network, at
 * most REUSE_MAX times in a row. */
#define THUMB 16
#define THUMB_DIFF 6          /* max change of a cell, levels, mean change removed */
#define REUSE_MAX 14          /* then classified again (~0.5 s at 30 fps) */
#define REUSE_IOU 0.8         /* overlap of the boxes for the same face */
struct seen {
	int used, reuses;
	unsigned last;        /* call counter: the least recent is replaced */
	struct vocab_box box;
	uint8_t thumb[THUMB * THUMB];
	float probs[VOCAB_NCLASSES];
};

struct engine {
	struct haar_cascade *cascade;
	struct haar_detector *det;
	int det_w, det_h;
	struct haar_params hp;
	struct emo_net *net;
	struct seen seen[VISION_MAX_FACES];
	unsigned calls;
};

static int eng_detect_sized(void *ctx, const struct img *gray, int min_size, int max_size,
			    struct vocab_box *out, int max)
{
	struct engine *e = ctx;
	if (gray->w > e->det_w || gray->h > e->det_h) {
		/* a bigger frame than before: new scratch (not per frame) */
		struct haar_detector *d;
		int w = gray->w > e->det_w ? gray->w : e->det_w;
		int h = gray->h > e->det_h ? gray->h : e->det_h;
		if (haar_detector_new(e->cascade, w, h, &d))
			return -1;
		haar_detector_free(e->det);
		e->det = d;
		e->det_w = w;
		e->det_h = h;
	}
	struct haar_rect r[VISION_MAX_FACES];
	struct haar_params hp = e->hp;
	int nfound = 0;
	if (min_size > hp.min_size)
		hp.min_size = min_size;
	if (max_size > 0)
		hp.max_size = max_size;
	if (max > VISION_MAX_FACES)
		max = VISION_MAX_FACES;
	if (haar_detect(e->det, gray, &hp, r, max, &nfound))
		return -1;
	int n = nfound < max ? nfound : max;
	for (int i = 0; i < n; i++)
		out[i] = r[i].box;
	return n;
}

static int eng_detect(void *ctx, const struct img *gray, struct vocab_box *out, int max)
{
	return eng_detect_sized(ctx, gray, 0, 0, out, max);
}

/* Mean of each of THUMB x THUMB cells of the box (clipped to the image). */
static void thumbnail(const struct img *g, const struct vocab_box *b, uint8_t *th)
{
	for (int cy = 0; cy < THUMB; cy++)
		for (int cx = 0; cx < THUMB; cx++) {
			int x0 = b->x + b->w * cx / THUMB, x1 = b->x + b->w * (cx + 1) / THUMB;
			int y0 = b->y + b->h * cy / THUMB, y1 = b->y + b->h * (cy + 1) / THUMB;
			x0 = x0 < 0 ? 0 : x0 >= g->w ? g->w - 1 : x0;
			y0 = y0 < 0 ? 0 : y0 >= g->h ? g->h - 1 : y0;
			x1 = x1 <= x0 ? x0 + 1 : x1 > g->w ? g->w : x1;
			y1 = y1 <= y0 ? y0 + 1 : y1 > g->h ? g->h : y1;
			int sx = (x1 - x0 + 3) / 4, sy = (y1 - y0 + 3) / 4;   /* <= 16 samples */
			unsigned sum = 0, n = 0;
			for (int y = y0; y < y1; y += sy)
				for (int x = x0; x < x1; x += sx, n++)
					sum += g->px[(size_t)y * (size_t)g->stride + (size_t)x];
			th[cy * THUMB + cx] = (uint8_t)(sum / n);
		}
}

static int thumb_same(const uint8_t *a, const uint8_t *b)
{
	int mean = 0;
	for (int i = 0; i < THUMB * THUMB; i++)
		mean += a[i] - b[i];
	mean /= THUMB * THUMB;
	for (int i = 0; i < THUMB * THUMB; i++) {
		int d = a[i] - b[i] - mean;
		if (d > THUMB_DIFF || d < -THUMB_DIFF)
			return 0;
	}
	return 1;
}

static int eng_classify(void *ctx, const struct img *gray, const struct vocab_box *box,
			float probs[VOCAB_NCLASSES])
{
	struct engine *e = ctx;
	struct vocab_box whole = { 0, 0, gray->w, gray->h };
	const struct vocab_box *bb = box ? box : &whole;
	uint8_t th[THUMB * THUMB];
	e->calls++;
	struct seen *sl = NULL;      /* the face classified here before, else the oldest slot */
	double best = REUSE_IOU;
	for (int i = 0; i < VISION_MAX_FACES; i++) {
		struct seen *q = &e->seen[i];
		double iou = q->used ? facetrack_iou(&q->box, bb) : 0;
		if (iou > best) {
			best = iou;
			sl = q;
		}
	}
	/* the box jitters by a pixel or two: what matters is whether the
	 * picture under the box that was classified changed */
	if (sl && sl->reuses < REUSE_MAX) {
		thumbnail(gray, &sl->box, th);
		if (thumb_same(th, sl->thumb)) {
			sl->reuses++;
			sl->last = e->calls;
			memcpy(probs, sl->probs, sizeof sl->probs);
			return 1;
		}
	}
	if (!sl)
		for (int i = 0; i < VISION_MAX_FACES; i++)
			if (!sl || !e->seen[i].used || (sl->used && e->seen[i].last < sl->last))
				sl = &e->seen[i];
	if (emo_classify(e->net, gray, box, probs)) {
		sl->used = 0;
		return -1;
	}
	*sl = (struct seen){ .used = 1, .last = e->calls, .box = *bb };
	thumbnail(gray, bb, sl->thumb);
	memcpy(sl->probs, probs, sizeof sl->probs);
	return 0;
}

static void eng_free(void *ctx)
{
	struct engine *e = ctx;
	if (!e)
		return;
	haar_detector_free(e->det);
	haar_free(e->cascade);
	emo_free(e->net);
	free(e);
}

int vision_engine_default(const struct config *cfg, struct vision_engine *out,
			  char *why, size_t n)
{
	memset(out, 0, sizeof *out);
	struct engine *e = calloc(1, sizeof *e);
	if (!e) {
		snprintf(why, n, "out of memory");
		return VISION_ENOMEM;
	}
	char path[PATH_MAX], cfgp[PATH_MAX], wp[PATH_MAX], r[256] = "";
	const char *s = config_get(cfg, "cascade");
	if (s)
		snprintf(path, sizeof path, "%s", s);
	else if (haar_default_cascade(path, sizeof path))
		path[0] = 0;
	int err = haar_load(path, &e->cascade, r, sizeof r);
	if (err) {
		if (strstr(r, path))
			snprintf(why, n, "face detector refused: %s", r);
		else
			snprintf(why, n, "%s: %s%s%s", path, haar_strerror(err), *r ? ": " : "", r);
		eng_free(e);
		return VISION_EMODEL;
	}
	haar_params_default(&e->hp);
	e->hp.scale = 1.2;         /* on the frame scaled to detect_width (320) */
	e->hp.min_size = 30;
	e->hp.min_neighbors = 4;
	s = config_get(cfg, "net");
	if (s)
		snprintf(cfgp, sizeof cfgp, "%s", s);
	else if (config_path_share(cfgp, sizeof cfgp, "nets/emotion.cfg"))
		cfgp[0] = 0;
	s = config_get(cfg, "weights");
	if (s)
		snprintf(wp, sizeof wp, "%s", s);
	else if (config_path_share(wp, sizeof wp, "weights/emotion.weights"))
		wp[0] = 0;
	r[0] = 0;
	err = emo_load(cfgp, wp, &e->net, r, sizeof r);
	if (err) {
		if (strstr(r, wp) || strstr(r, cfgp))
			snprintf(why, n, "emotion model refused: %s", r);
		else
			snprintf(why, n, "%s: %s%s%s", wp, emo_strerror(err), *r ? ": " : "", r);
		eng_free(e);
		return VISION_EMODEL;
	}
	emo_set_tta(e->net, config_get_bool(cfg, "tta", 1));
	out->ctx = e;
	out->detect = eng_detect;
	out->detect_sized = eng_detect_sized;
	out->classify = eng_classify;
	out->free = eng_free;
	return 0;
}
