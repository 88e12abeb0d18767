/* cmd_classify: `emotune classify [--no-detect] IMAGE...`. */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "emo.h"
#include "img.h"
#include "cmd_face.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_emo_open(struct cmd_ctx *ctx, const char *who, struct emo_net **net)
{
	char cfg[PATH_MAX], weights[PATH_MAX], why[1024];
	if (config_path_setting(ctx->cfg, "net", "nets/emotion.cfg", cfg, sizeof cfg) ||
	    config_path_setting(ctx->cfg, "weights", "weights/emotion.weights", weights, sizeof weights)) {
		cmd_error(who, "model path too long");
		return CMD_FAIL;
	}
	int err = emo_load(cfg, weights, net, why, sizeof why);
	if (err) {
		fprintf(stderr, "emotune: %s\n", err == EMO_EMODEL ? why : emo_strerror(err));
		return CMD_FAIL;
	}
	return CMD_OK;
}

static void print_row(struct cmd_ctx *ctx, const char *path, int x, int y, int w, int h,
		      const float p[VOCAB_NCLASSES])
{
	int best = emo_argmax(p);
	if (ctx->json) {
		printf("{\"path\":");
		esc_json(stdout, path);
		printf(",\"box\":[%d,%d,%d,%d],\"label\":\"%s\",\"confidence\":%.6f,\"probs\":{",
		       x, y, w, h, vocab_class_name(best), p[best]);
		for (int i = 0; i < VOCAB_NCLASSES; i++)
			printf("%s\"%s\":%.6f", i ? "," : "", vocab_class_name(i), p[i]);
		printf("}}\n");
		return;
	}
	esc_tsv(stdout, path);
	printf("\t%d\t%d\t%d\t%d\t%s\t%.6f", x, y, w, h, vocab_class_name(best), p[best]);
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		printf("\t%.6f", p[i]);
	putchar('\n');
}

int cmd_emo_options(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
		    struct cmd_emo_opts *eo)
{
	enum { O_NODETECT = 0x100, O_NOTTA, O_CAPTURE };
	static const struct option own[] = {
		{ "no-detect", 0, NULL, O_NODETECT },
		{ "no-tta", 0, NULL, O_NOTTA },
		{ "capture", 1, NULL, O_CAPTURE },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	*eo = (struct cmd_emo_opts){ .capture = CAPSIM_NONE };
	while ((o = cmd_getopt(ctx, c, argc, argv, NULL, own)) != -1) {
		if (o == O_NODETECT) {
			eo->nodetect = 1;
		} else if (o == O_NOTTA) {
			eo->notta = 1;
		} else if (o == O_CAPTURE) {
			if (capsim_parse(optarg, &eo->capture) == 0)
				continue;
			fprintf(stderr, "emotune: %s: --capture %s: expected none, dark, bright, flat, side "
				"or soft\n", c->name, optarg);
			return CMD_USAGE;
		} else {
			return o == CMD_HELP ? CMD_OK : CMD_USAGE;
		}
	}
	return -1;
}

/* FNV-1a of the file's name (not its folder), so a copied set renders alike. */
static uint32_t name_seed(const char *path)
{
	const char *base = strrchr(path, '/');
	uint32_t h = 2166136261u;
	for (const char *p = base ? base + 1 : path; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

int cmd_emo_load(const struct cmd_emo_opts *o, const char *path, struct img *im)
{
	int err = img_load(path, im);
	if (err) {
		cmd_error(path, "%s", img_strerror(err));
		return err;
	}
	if (o->capture != CAPSIM_NONE && (err = capsim_apply(o->capture, im, name_seed(path)))) {
		cmd_error(path, "%s", capsim_strerror(err));
		img_free(im);
		return err;
	}
	return 0;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_emo_opts eo;
	int rc = cmd_emo_options(ctx, &cmd_classify, argc, argv, &eo);
	if (rc != -1)
		return rc;
	rc = CMD_OK;
	if (optind >= argc) {
		cmd_print_usage(&cmd_classify, stderr);
		return CMD_USAGE;
	}
	struct emo_net *net;
	if (cmd_emo_open(ctx, "classify", &net))
		return CMD_FAIL;
	emo_set_tta(net, !eo.notta);
	struct cmd_face *faces = NULL;
	if (!eo.nodetect && cmd_face_open(ctx, "classify", &faces)) {
		emo_free(net);
		return CMD_FAIL;
	}
	if (!ctx->json) {
		printf("# path\tx\ty\tw\th\tlabel\tconfidence");
		for (int i = 0; i < VOCAB_NCLASSES; i++)
			printf("\t%s", vocab_class_name(i));
		putchar('\n');
	}
	for (int i = optind; i < argc; i++) {
		struct img im;
		float p[VOCAB_NCLASSES];
		int err;
		if (cmd_emo_load(&eo, argv[i], &im)) {
			rc = CMD_FAIL;
			continue;
		}
		struct vocab_box boxes[16] = { { 0, 0, im.w, im.h } };
		int n = faces ? cmd_face_find(faces, &im, boxes, 16) : 1;
		if (n == 0)
			fprintf(stderr, "emotune: %s: no face found\n", argv[i]);
		for (int k = 0; k < n; k++) {
			if ((err = emo_classify(net, &im, faces ? &boxes[k] : NULL, p)) == 0) {
				print_row(ctx, argv[i], boxes[k].x, boxes[k].y, boxes[k].w, boxes[k].h, p);
			} else {
				cmd_error(argv[i], "%s", emo_strerror(err));
				rc = CMD_FAIL;
			}
		}
		if (n < 0) {
			cmd_error(argv[i], "face detection failed");
			rc = CMD_FAIL;
		}
		img_free(&im);
	}
	cmd_face_close(faces);
	emo_free(net);
	return rc;
}

const struct cmd cmd_classify = {
	.name = "classify",
	.summary = "the emotion of each face in images",
	.run = run,
	.usage = "classify [--no-detect] [--no-tta] [--capture COND] [--json] IMAGE...",
	.help = "Classifies the emotion of every face found in each image (with --no-detect, of the\n"
		"whole image, as for FER2013 crops). One line per face: path x y w h label confidence\n"
		"and the probabilities of angry disgust fear happy neutral sad surprise. --no-tta turns\n"
		"off the mirrored second look (test-time augmentation). --capture renders a poor\n"
		"webcam's picture of each image first: dark, bright, flat, side (light from one side)\n"
		"or soft (blur and noise). An image that cannot be read is reported and the others\n"
		"are still classified (exit 1).",
};
