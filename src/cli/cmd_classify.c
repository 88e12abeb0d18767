/* cmd_classify: `emotune classify [--no-detect] IMAGE...`. */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "emo.h"
#include "img.h"
#include "cmd_face.h"

#include <limits.h>
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
		    int *nodetect, int *notta)
{
	enum { O_NODETECT = 0x100, O_NOTTA };
	static const struct option own[] = {
		{ "no-detect", 0, NULL, O_NODETECT },
		{ "no-tta", 0, NULL, O_NOTTA },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	*nodetect = *notta = 0;
	while ((o = cmd_getopt(ctx, c, argc, argv, NULL, own)) != -1) {
		if (o == O_NODETECT)
			*nodetect = 1;
		else if (o == O_NOTTA)
			*notta = 1;
		else
			return o == CMD_HELP ? CMD_OK : CMD_USAGE;
	}
	return -1;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int nodetect, notta, rc = cmd_emo_options(ctx, &cmd_classify, argc, argv, &nodetect, &notta);
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
	emo_set_tta(net, !notta);
	struct cmd_face *faces = NULL;
	if (!nodetect && cmd_face_open(ctx, "classify", &faces)) {
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
		int err = img_load(argv[i], &im);
		if (err) {
			cmd_error(argv[i], "%s", img_strerror(err));
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
	.run = run,
	.usage = "classify [--no-detect] [--no-tta] [--json] IMAGE...",
	.help = "Classifies the emotion of every face found in each image (with --no-detect, of the\n"
		"whole image, as for FER2013 crops). One line per face: path x y w h label confidence\n"
		"and the probabilities of angry disgust fear happy neutral sad surprise. --no-tta turns\n"
		"off the mirrored second look (test-time augmentation). An image that cannot be read\n"
		"is reported and the others are still classified (exit 1).",
};
