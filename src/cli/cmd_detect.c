/* cmd_detect: `emotune detect`: faces in image files (issue 3). */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "haar.h"
#include "img.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_SCALE = 0x100, OPT_MIN_NEIGHBORS, OPT_MIN_SIZE, OPT_MAX_SIZE };

static const struct option opts[] = {
	{ "scale", 1, NULL, OPT_SCALE },
	{ "min-neighbors", 1, NULL, OPT_MIN_NEIGHBORS },
	{ "min-size", 1, NULL, OPT_MIN_SIZE },
	{ "max-size", 1, NULL, OPT_MAX_SIZE },
	{ NULL, 0, NULL, 0 },
};

static int parse_int(const char *opt, const char *s, int lo, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < lo || v > INT_MAX) {
		cmd_error(opt, "'%s': expected an integer >= %d", s, lo);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static void print_face(const struct cmd_ctx *ctx, const char *path, const struct haar_rect *r)
{
	if (ctx->json) {
		fputs("{\"path\":", stdout);
		esc_json(stdout, path);
		printf(",\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d}\n", r->box.x, r->box.y, r->box.w, r->box.h);
	} else {
		esc_tsv(stdout, path);
		printf("\t%d\t%d\t%d\t%d\n", r->box.x, r->box.y, r->box.w, r->box.h);
	}
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct haar_params p;
	haar_params_default(&p);
	int o;
	while ((o = cmd_getopt(ctx, &cmd_detect, argc, argv, NULL, opts)) != -1) {
		switch (o) {
		case OPT_SCALE: {
			char *end;
			errno = 0;
			double v = strtod(optarg, &end);
			if (end == optarg || *end || errno || !(v > 1.0) || v > 10.0) {
				cmd_error("--scale", "'%s': expected a number in (1, 10]", optarg);
				return CMD_USAGE;
			}
			p.scale = v;
			break;
		}
		case OPT_MIN_NEIGHBORS:
			if (parse_int("--min-neighbors", optarg, 0, &p.min_neighbors))
				return CMD_USAGE;
			break;
		case OPT_MIN_SIZE:
			if (parse_int("--min-size", optarg, 0, &p.min_size))
				return CMD_USAGE;
			break;
		case OPT_MAX_SIZE:
			if (parse_int("--max-size", optarg, 0, &p.max_size))
				return CMD_USAGE;
			break;
		case CMD_HELP:
			return CMD_OK;
		default:
			return CMD_USAGE;
		}
	}
	if (optind >= argc) {
		cmd_error("detect", "no image given");
		cmd_print_usage(&cmd_detect, stderr);
		return CMD_USAGE;
	}

	char defpath[512];
	const char *path = config_get(ctx->cfg, "cascade");
	if (!path || !*path) {
		if (haar_default_cascade(defpath, sizeof defpath) != 0) {
			cmd_error("detect", "cascade path too long");
			return CMD_FAIL;
		}
		path = defpath;
	}
	struct haar_cascade *cascade;
	char why[256];
	int err = haar_load(path, &cascade, why, sizeof why);
	if (err) {
		cmd_error(path, "%s", why[0] ? why : haar_strerror(err));
		return CMD_FAIL;
	}

	int status = CMD_OK;
	struct haar_detector *det = NULL;
	int det_w = 0, det_h = 0;
	int cap = 256;
	struct haar_rect *faces = malloc((size_t)cap * sizeof *faces);
	if (!faces) {
		haar_free(cascade);
		cmd_error("detect", "out of memory");
		return CMD_FAIL;
	}
	if (!ctx->json)
		printf("# path\tx\ty\tw\th\n");
	for (int i = optind; i < argc; i++) {
		struct img im;
		err = img_load(argv[i], &im);
		if (err) {
			cmd_error(argv[i], "%s", img_strerror(err));
			status = CMD_FAIL;
			continue;
		}
		if (!det || im.w > det_w || im.h > det_h) {
			haar_detector_free(det);
			det_w = im.w > det_w ? im.w : det_w;
			det_h = im.h > det_h ? im.h : det_h;
			err = haar_detector_new(cascade, det_w, det_h, &det);
			if (err) {
				cmd_error(argv[i], "%s", haar_strerror(err));
				img_free(&im);
				det_w = det_h = 0;
				status = CMD_FAIL;
				continue;
			}
		}
		int n = 0;
		err = haar_detect(det, &im, &p, faces, cap, &n);
		if (!err && n > cap) { /* more faces than room (min-neighbors 0): again */
			struct haar_rect *more = realloc(faces, (size_t)n * sizeof *faces);
			if (more) {
				faces = more;
				cap = n;
				err = haar_detect(det, &im, &p, faces, cap, &n);
			}
		}
		img_free(&im);
		if (err) {
			cmd_error(argv[i], "%s", haar_strerror(err));
			status = CMD_FAIL;
			continue;
		}
		if (n > cap)
			n = cap;
		for (int k = 0; k < n; k++)
			print_face(ctx, argv[i], &faces[k]);
		fflush(stdout);
	}
	free(faces);
	haar_detector_free(det);
	haar_free(cascade);
	return status;
}

const struct cmd cmd_detect = {
	.name = "detect",
	.summary = "find faces in images",
	.run = run,
	.usage = "detect [--cascade XML] [--scale F] [--min-neighbors N] [--min-size PX] [--max-size PX] IMAGE...",
	.help = "Finds faces with an OpenCV cascade (default: the frontal-face Haar cascade of\n"
		"opencv-data); prints one line per face: path x y w h. Defaults: --scale 1.1,\n"
		"--min-neighbors 5, --min-size 40, no --max-size.",
};
