/* emo: the emotion classifier. See emo.h. */
#include "emo.h"
#include "dn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct emo_net {
	struct dn_net *dn;
	int w, h;
	int tta;
	float *in;        /* w*h, reused: no allocation per face */
};

int emo_argmax(const float probs[VOCAB_NCLASSES])
{
	int best = 0;
	for (int i = 1; i < VOCAB_NCLASSES; i++)
		if (probs[i] > probs[best])
			best = i;
	return best;
}

int emo_load(const char *cfg, const char *weights, struct emo_net **out, char *why, size_t n)
{
	struct emo_net *e = calloc(1, sizeof *e);
	int c, outputs, err;
	*out = NULL;
	if (!e)
		return EMO_ENOMEM;
	if ((err = dn_load(cfg, weights, 1, &e->dn, why, n))) {
		free(e);
		return err == DN_ENOMEM ? EMO_ENOMEM : EMO_EMODEL;
	}
	dn_shape(e->dn, &e->w, &e->h, &c, &outputs);
	if (c != 1 || outputs != VOCAB_NCLASSES) {
		snprintf(why, n, "%s: the network takes %d channel(s) and gives %d outputs; "
			 "an emotion network takes 1 (grayscale) and gives %d", cfg, c, outputs, VOCAB_NCLASSES);
		emo_free(e);
		return EMO_EMODEL;
	}
	e->in = malloc((size_t)e->w * (size_t)e->h * sizeof(float));
	if (!e->in) {
		emo_free(e);
		return EMO_ENOMEM;
	}
	e->tta = 1;
	*out = e;
	return 0;
}

void emo_free(struct emo_net *e)
{
	if (!e)
		return;
	dn_free(e->dn);
	free(e->in);
	free(e);
}

void emo_set_tta(struct emo_net *e, int on)
{
	e->tta = on;
}

static float sample(const struct img *im, float x, float y)
{
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x > (float)(im->w - 1))
		x = (float)(im->w - 1);
	if (y > (float)(im->h - 1))
		y = (float)(im->h - 1);
	int x0 = (int)x, y0 = (int)y;
	int x1 = x0 + 1 < im->w ? x0 + 1 : x0, y1 = y0 + 1 < im->h ? y0 + 1 : y0;
	float fx = x - (float)x0, fy = y - (float)y0;
	const uint8_t *r0 = im->px + (size_t)y0 * (size_t)im->stride;
	const uint8_t *r1 = im->px + (size_t)y1 * (size_t)im->stride;
	float top = (float)r0[x0] + fx * (float)(r0[x1] - r0[x0]);
	float bot = (float)r1[x0] + fx * (float)(r1[x1] - r1[x0]);
	return top + fy * (bot - top);
}

void emo_preprocess(const struct img *frame, const struct vocab_box *box,
		    const struct emo_aug *aug, float *out, int ow, int oh)
{
	float cx, cy, rw, rh;
	if (box) {
		float side = (float)(box->w > box->h ? box->w : box->h) * EMO_CROP_SCALE;
		cx = (float)box->x + (float)box->w * 0.5f;
		cy = (float)box->y + (float)box->h * 0.5f;
		rw = rh = side;
	} else {
		cx = (float)frame->w * 0.5f;
		cy = (float)frame->h * 0.5f;
		rw = (float)frame->w;
		rh = (float)frame->h;
	}
	float ca = 1, sa = 0, scale = 1, dx = 0, dy = 0, bright = 0, contrast = 1;
	int flip = 0;
	if (aug) {
		ca = cosf(aug->angle);
		sa = sinf(aug->angle);
		scale = aug->scale > 0 ? aug->scale : 1;
		dx = aug->dx;
		dy = aug->dy;
		flip = aug->flip;
		bright = aug->brightness;
		contrast = aug->contrast > 0 ? aug->contrast : 1;
	}
	/* Supersample when shrinking so large faces are not aliased. */
	float step = rw / ((float)ow * scale);
	int k = step > 1.5f ? (int)ceilf(step) : 1;
	if (k > 4)
		k = 4;
	const float inv_k = 1.0f / (float)k, norm = 1.0f / (255.0f * (float)(k * k));
	for (int v = 0; v < oh; v++) {
		for (int u = 0; u < ow; u++) {
			float acc = 0;
			for (int j = 0; j < k; j++) {
				for (int i = 0; i < k; i++) {
					/* output point in [-0.5, 0.5]^2 */
					float px = ((float)u + ((float)i + 0.5f) * inv_k) / (float)ow - 0.5f;
					float py = ((float)v + ((float)j + 0.5f) * inv_k) / (float)oh - 0.5f;
					if (flip)
						px = -px;
					float qx = (ca * px - sa * py) / scale + dx;
					float qy = (sa * px + ca * py) / scale + dy;
					acc += sample(frame, cx + qx * rw - 0.5f, cy + qy * rh - 0.5f);
				}
			}
			float val = acc * norm;
			if (aug) {
				val = (val - 0.5f) * contrast + 0.5f + bright;
				val = val < 0 ? 0 : (val > 1 ? 1 : val);
			}
			out[v * ow + u] = val;
		}
	}
}

int emo_classify(struct emo_net *e, const struct img *frame, const struct vocab_box *box,
		 float probs[VOCAB_NCLASSES])
{
	if (!frame || frame->w < 1 || frame->h < 1 || (box && (box->w < 1 || box->h < 1)))
		return EMO_EINVAL;
	emo_preprocess(frame, box, NULL, e->in, e->w, e->h);
	const float *p = dn_predict(e->dn, e->in);
	float sum = 0;
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		probs[i] = p[i];
	if (e->tta) {
		static const struct emo_aug mirror = { .scale = 1, .contrast = 1, .flip = 1 };
		/* aug with unit contrast and no brightness leaves values unchanged */
		emo_preprocess(frame, box, &mirror, e->in, e->w, e->h);
		p = dn_predict(e->dn, e->in);
		for (int i = 0; i < VOCAB_NCLASSES; i++)
			probs[i] = 0.5f * (probs[i] + p[i]);
	}
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		sum += probs[i];
	if (!(sum > 0) || !isfinite(sum)) {
		for (int i = 0; i < VOCAB_NCLASSES; i++)
			probs[i] = 1.0f / VOCAB_NCLASSES;
	} else {
		for (int i = 0; i < VOCAB_NCLASSES; i++)
			probs[i] /= sum;
	}
	return 0;
}

const char *emo_strerror(int err)
{
	switch (err) {
	case EMO_OK: return "success";
	case EMO_ENOMEM: return "out of memory";
	case EMO_EMODEL: return "emotion model refused";
	case EMO_EINVAL: return "empty image or face box";
	}
	return "unknown error";
}
