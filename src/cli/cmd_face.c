/* cmd_face: face detection for one-shot commands. See cmd_face.h. */
#include "cmd_face.h"
#include "config.h"
#include "haar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#define SMALL 160
#define MAXF 64

struct cmd_face {
	struct haar_cascade *cascade;
	struct haar_detector *det;
	int dw, dh;
	struct haar_params params;
};

int cmd_face_open(struct cmd_ctx *ctx, const char *who, struct cmd_face **out)
{
	char path[PATH_MAX], why[1024];
	const char *c = config_get(ctx->cfg, "cascade");
	struct cmd_face *f = calloc(1, sizeof *f);
	*out = NULL;
	if (!f) {
		cmd_error(who, "out of memory");
		return CMD_FAIL;
	}
	if (!c) {
		haar_default_cascade(path, sizeof path);
		c = path;
	}
	why[0] = 0;
	int err = haar_load(c, &f->cascade, why, sizeof why);
	if (err) {
		cmd_error(c, "%s", why[0] ? why : haar_strerror(err));  /* why has no path */
		free(f);
		return CMD_FAIL;
	}
	haar_params_default(&f->params);
	*out = f;
	return CMD_OK;
}

void cmd_face_close(struct cmd_face *f)
{
	if (!f)
		return;
	haar_detector_free(f->det);
	haar_free(f->cascade);
	free(f);
}

static int ensure(struct cmd_face *f, int w, int h)
{
	if (f->det && w <= f->dw && h <= f->dh)
		return 0;
	haar_detector_free(f->det);
	f->det = NULL;
	f->dw = w > f->dw ? w : f->dw;
	f->dh = h > f->dh ? h : f->dh;
	return haar_detector_new(f->cascade, f->dw, f->dh, &f->det);
}

int cmd_face_find(struct cmd_face *f, const struct img *im, struct vocab_box *out, int max)
{
	struct haar_rect r[MAXF];
	struct img big = { 0 };
	const struct img *src = im;
	int side = im->w > im->h ? im->w : im->h, scale = 1, n = 0, err;
	if (side < SMALL) {
		scale = (SMALL + side - 1) / side;
		if ((err = img_alloc(&big, im->w * scale, im->h * scale)))
			return err;
		img_resize(im, &big);
		src = &big;
	}
	if ((err = ensure(f, src->w, src->h)) == 0)
		err = haar_detect(f->det, src, &f->params, r, MAXF, &n);
	img_free(&big);
	if (err)
		return err;
	/* largest first */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && r[j].box.w * r[j].box.h > r[j - 1].box.w * r[j - 1].box.h; j--) {
			struct haar_rect t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		out[i] = (struct vocab_box){ r[i].box.x / scale, r[i].box.y / scale, r[i].box.w / scale,
					     r[i].box.h / scale };
	return n;
}

int cmd_face_largest(struct cmd_face *f, const struct img *im, struct vocab_box *box)
{
	int n = cmd_face_find(f, im, box, 1);
	return n > 0 ? 1 : 0;
}
