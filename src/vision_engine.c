/*
 * vision_engine: the real models behind the vision thread: the Haar face
 * detector (haar.h) and the emotion network (emo.h). See vision.h.
 */
#include "vision.h"
#include "config.h"
#include "emo.h"
#include "haar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct engine {
	struct haar_cascade *cascade;
	struct haar_detector *det;
	int det_w, det_h;
	struct haar_params hp;
	struct emo_net *net;
};

static int eng_detect(void *ctx, const struct img *gray, struct vision_box *out, int max)
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
	int nfound = 0;
	if (max > VISION_MAX_FACES)
		max = VISION_MAX_FACES;
	if (haar_detect(e->det, gray, &e->hp, r, max, &nfound))
		return -1;
	int n = nfound < max ? nfound : max;
	for (int i = 0; i < n; i++)
		out[i] = (struct vision_box){ r[i].x, r[i].y, r[i].w, r[i].h };
	return n;
}

static int eng_classify(void *ctx, const struct img *gray, const struct vision_box *box,
			float probs[VISION_NCLASSES])
{
	struct engine *e = ctx;
	struct emo_box b;
	if (box)
		b = (struct emo_box){ box->x, box->y, box->w, box->h };
	return emo_classify(e->net, gray, box ? &b : NULL, probs) ? -1 : 0;
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
	out->classify = eng_classify;
	out->free = eng_free;
	return 0;
}
