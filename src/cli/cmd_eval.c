/* cmd_eval: `emotune eval [--no-detect] [--no-tta] [--capture COND] [--json] DIR`: the
 * paper's Table 1. */
#include "cmd.h"
#include "emo.h"
#include "img.h"
#include "train.h"

#include <stdlib.h>
#include <string.h>

#include "cmd_face.h"

/* conf[true][predicted]; column VOCAB_NCLASSES counts images without a face. */
#define NCOL (VOCAB_NCLASSES + 1)

static void print_report(struct cmd_ctx *ctx, const size_t conf[VOCAB_NCLASSES][NCOL],
			 size_t n, size_t detected, int detect)
{
	size_t right = 0, rows[VOCAB_NCLASSES] = { 0 }, cols[NCOL] = { 0 };
	const int ncol = detect ? NCOL : VOCAB_NCLASSES;
	double prec[VOCAB_NCLASSES], sens[VOCAB_NCLASSES], spec[VOCAB_NCLASSES], acc[VOCAB_NCLASSES];
	for (int t = 0; t < VOCAB_NCLASSES; t++)
		for (int p = 0; p < NCOL; p++) {
			rows[t] += conf[t][p];
			cols[p] += conf[t][p];
			if (t == p)
				right += conf[t][p];
		}
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		double tp = (double)conf[c][c], fn = (double)rows[c] - tp, fp = (double)cols[c] - tp;
		double tn = (double)n - tp - fn - fp;
		prec[c] = tp + fp > 0 ? tp / (tp + fp) : 0;
		sens[c] = tp + fn > 0 ? tp / (tp + fn) : 0;
		spec[c] = tn + fp > 0 ? tn / (tn + fp) : 0;
		acc[c] = n ? (tp + tn) / (double)n : 0;
	}
	double total = n ? (double)right / (double)n : 0;
	if (ctx->json) {
		printf("{\"confusion\":{");
		for (int t = 0; t < VOCAB_NCLASSES; t++) {
			printf("%s\"%s\":[", t ? "," : "", vocab_class_name(t));
			for (int p = 0; p < ncol; p++)
				printf("%s%zu", p ? "," : "", conf[t][p]);
			printf("]");
		}
		printf("},\"classes\":{");
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			printf("%s\"%s\":{\"n\":%zu,\"precision\":%.4f,\"sensitivity\":%.4f,"
			       "\"specificity\":%.4f,\"accuracy\":%.4f}", c ? "," : "", vocab_class_name(c),
			       rows[c], prec[c], sens[c], spec[c], acc[c]);
		printf("},\"accuracy\":%.4f,\"n\":%zu,\"detected\":%zu}\n", total, n, detected);
	} else {
		printf("# true\\predicted");
		for (int p = 0; p < VOCAB_NCLASSES; p++)
			printf("\t%s", vocab_class_name(p));
		printf("%s\n", detect ? "\tno_face" : "");
		for (int t = 0; t < VOCAB_NCLASSES; t++) {
			printf("%s", vocab_class_name(t));
			for (int p = 0; p < ncol; p++)
				printf("\t%zu", conf[t][p]);
			putchar('\n');
		}
		printf("# class\tn\tprecision\tsensitivity\tspecificity\taccuracy\n");
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			printf("%s\t%zu\t%.4f\t%.4f\t%.4f\t%.4f\n", vocab_class_name(c), rows[c], prec[c], sens[c],
			       spec[c], acc[c]);
	}
	printf("accuracy=%.4f n=%zu detected=%zu\n", total, n, detected);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_emo_opts eo;
	int rc = cmd_emo_options(ctx, &cmd_eval, argc, argv, &eo);
	if (rc != -1)
		return rc;
	rc = CMD_OK;
	if (optind != argc - 1) {
		cmd_print_usage(&cmd_eval, stderr);
		return CMD_USAGE;
	}
	char **paths;
	int8_t *labels;
	size_t n;
	int err = train_list(argv[optind], &paths, &labels, &n);
	if (err) {
		cmd_error(argv[optind], "%s", err == TRAIN_EDATA ?
			  "no images in class folders (angry, disgust, fear, ...)" : train_strerror(err));
		return CMD_FAIL;
	}
	struct emo_net *net;
	struct cmd_face *faces = NULL;
	if (cmd_emo_open(ctx, "eval", &net)) {
		train_list_free(paths, labels, n);
		return CMD_FAIL;
	}
	emo_set_tta(net, !eo.notta);
	if (!eo.nodetect && cmd_face_open(ctx, "eval", &faces)) {
		emo_free(net);
		train_list_free(paths, labels, n);
		return CMD_FAIL;
	}
	size_t conf[VOCAB_NCLASSES][NCOL] = { { 0 } }, used = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		struct img im;
		float p[VOCAB_NCLASSES];
		struct vocab_box box;
		if (cmd_emo_load(&eo, paths[i], &im)) {
			rc = CMD_FAIL; /* named and skipped */
			continue;
		}
		total++;
		int have = 1;
		if (faces)
			have = cmd_face_largest(faces, &im, &box) > 0;
		if (have && emo_classify(net, &im, faces ? &box : NULL, p) == 0) {
			conf[labels[i]][emo_argmax(p)]++;
			used++;
		} else {
			conf[labels[i]][VOCAB_NCLASSES]++; /* no face: wrong */
		}
		img_free(&im);
	}
	print_report(ctx, (const size_t(*)[NCOL])conf, total, used, faces != NULL);
	cmd_face_close(faces);
	emo_free(net);
	train_list_free(paths, labels, n);
	return rc;
}

const struct cmd cmd_eval = {
	.name = "eval",
	.summary = "evaluate the emotion network on labelled images",
	.run = run,
	.usage = "eval [--no-detect] [--no-tta] [--capture COND] [--json] DIR",
	.help = "Evaluates the emotion network on DIR/<class>/<images> (class: angry disgust fear happy\n"
		"neutral sad surprise). Prints the confusion matrix (rows: true class, columns:\n"
		"predicted), then per class: n, precision, sensitivity (recall), specificity and\n"
		"one-vs-rest accuracy; the last line is accuracy=A n=N detected=D. With detection, the\n"
		"largest face of each image is classified and an image without a face counts as wrong.\n"
		"--capture COND renders each image as a poor webcam would take it first (dark, bright,\n"
		"flat, side, soft; emotune(1)), detection included.",
};
