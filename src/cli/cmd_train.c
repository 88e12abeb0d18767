/* cmd_train: `emotune train`, the emotion network trainer (train.h). */
#include "cmd.h"
#include "config.h"
#include "train.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int parse_num(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || v < lo || v > hi) {
		cmd_error("train", "%s: '%s' is not a number in %g..%g", opt, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum { O_DATA = 0x100, O_OUT, O_EPOCHS, O_HOURS, O_RESUME, O_INIT, O_LR, O_BATCH, O_OVER,
	       O_CALIB, O_FLOOR, O_AVERAGE, O_RESTAT, O_PLAIN, O_MIRROR, O_TEACHER, O_TNET, O_ALPHA,
	       O_TEMP, O_WEBCAM };
	static const struct option own[] = {
		{ "data", 1, NULL, O_DATA }, { "out", 1, NULL, O_OUT },
		{ "epochs", 1, NULL, O_EPOCHS }, { "hours", 1, NULL, O_HOURS },
		{ "resume", 0, NULL, O_RESUME }, { "init", 1, NULL, O_INIT },
		{ "lr", 1, NULL, O_LR }, { "batch", 1, NULL, O_BATCH },
		{ "oversample", 1, NULL, O_OVER }, { "calibrate", 1, NULL, O_CALIB },
		{ "floor", 1, NULL, O_FLOOR }, { "average", 1, NULL, O_AVERAGE },
		{ "restat", 1, NULL, O_RESTAT }, { "restat-plain", 0, NULL, O_PLAIN },
		{ "mirror-only", 0, NULL, O_MIRROR }, { "webcam", 0, NULL, O_WEBCAM },
		{ "teacher", 1, NULL, O_TEACHER }, { "teacher-net", 1, NULL, O_TNET },
		{ "alpha", 1, NULL, O_ALPHA }, { "temperature", 1, NULL, O_TEMP },
		{ NULL, 0, NULL, 0 },
	};
	struct train_opts o = { .out = "train-out", .epochs = 60, .lr = 0.025f, .batch = 64,
				.oversample = 4, .alpha = 0.5f, .temperature = 2, .log = stderr };
	char cfg[PATH_MAX], why[1024];
	const char *calibrate = NULL, *average = NULL;
	double v, floor = 0.42;
	int restat = 0, restat_plain = 0;
	int opt;
	while ((opt = cmd_getopt(ctx, &cmd_train, argc, argv, NULL, own)) != -1) {
		switch (opt) {
		case O_DATA: o.data = optarg; break;
		case O_OUT: o.out = optarg; break;
		case O_INIT: o.init = optarg; break;
		case O_RESUME: o.resume = 1; break;
		case O_EPOCHS:
			if (parse_num("--epochs", optarg, 1, 10000, &v)) return CMD_USAGE;
			o.epochs = (int)v;
			break;
		case O_HOURS:
			if (parse_num("--hours", optarg, 0, 1000, &v)) return CMD_USAGE;
			o.hours = v;
			break;
		case O_LR:
			if (parse_num("--lr", optarg, 1e-6, 10, &v)) return CMD_USAGE;
			o.lr = (float)v;
			break;
		case O_BATCH:
			if (parse_num("--batch", optarg, 1, 1024, &v)) return CMD_USAGE;
			o.batch = (int)v;
			break;
		case O_OVER:
			if (parse_num("--oversample", optarg, 1, 100, &v)) return CMD_USAGE;
			o.oversample = (int)v;
			break;
		case O_CALIB: calibrate = optarg; break;
		case O_FLOOR:
			if (parse_num("--floor", optarg, 0, 1, &v)) return CMD_USAGE;
			floor = v;
			break;
		case O_AVERAGE: average = optarg; break;
		case O_RESTAT:
			if (parse_num("--restat", optarg, 0, 100000, &v)) return CMD_USAGE;
			restat = (int)v;
			break;
		case O_PLAIN: restat_plain = 1; break;
		case O_MIRROR: o.mirror_only = 1; break;
		case O_WEBCAM: o.webcam = 1; break;
		case O_TEACHER:
			if (o.nteacher == TRAIN_MAX_TEACHERS) {
				cmd_error("--teacher", "at most %d teachers", TRAIN_MAX_TEACHERS);
				return CMD_USAGE;
			}
			o.teacher[o.nteacher++].weights = optarg;
			break;
		case O_TNET: /* the cfg of the teacher named just before */
			if (!o.nteacher || o.teacher[o.nteacher - 1].cfg) {
				cmd_error("--teacher-net", "follows the --teacher it describes, once");
				return CMD_USAGE;
			}
			o.teacher[o.nteacher - 1].cfg = optarg;
			break;
		case O_ALPHA:
			if (parse_num("--alpha", optarg, 0, 1, &v)) return CMD_USAGE;
			o.alpha = (float)v;
			break;
		case O_TEMP:
			if (parse_num("--temperature", optarg, 0.1, 100, &v)) return CMD_USAGE;
			o.temperature = (float)v;
			break;
		case CMD_HELP: return CMD_OK;
		default: return CMD_USAGE;
		}
	}
	if (!o.data || (optind != argc && !average) || (average && (optind == argc || calibrate ||
	    o.init || o.resume)) || (calibrate && (!o.init || o.resume)) ||
	    ((o.nteacher || o.webcam) && (average || calibrate))) {
		cmd_print_usage(&cmd_train, stderr);
		return CMD_USAGE;
	}
	o.seed = (unsigned)config_get_int(ctx->cfg, "seed", 1);
	const char *net = config_get(ctx->cfg, "net");
	if (!net) {
		if (config_path_share(cfg, sizeof cfg, "nets/emotion.cfg")) return CMD_FAIL;
		net = cfg;
	}
	o.cfg = net;
	int err = average ? train_average(&o, (const char *const *)argv + optind, argc - optind,
					  restat, restat_plain, average, why, sizeof why)
		  : calibrate ? train_calibrate(&o, calibrate, floor, why, sizeof why)
			      : train_run(&o, why, sizeof why);
	if (err) {
		fprintf(stderr, "emotune: train: %s\n", why);
		return CMD_FAIL;
	}
	return CMD_OK;
}

const struct cmd cmd_train = {
	.name = "train",
	.summary = "train the emotion network (FER2013)",
	.run = run,
	.usage = "train --data DIR [--out DIR] [--epochs N] [--hours H] [--resume] [--init WEIGHTS] "
		 "[--lr F] [--batch N] [--oversample N] [--mirror-only] [--webcam]\n"
		 "       [--teacher WEIGHTS [--teacher-net CFG]]... [--alpha F] [--temperature T] [--net CFG] [--seed N]\n"
		 "       emotune train --data DIR --init WEIGHTS --calibrate OUT [--floor F] [--net CFG]\n"
		 "       emotune train --data DIR --average OUT [--restat N [--restat-plain]] [--net CFG] WEIGHTS...",
	.help = "Trains the emotion network on FER2013: DIR holds train/<class>/ and validation/<class>/\n"
		"(make fer-data unpacks ../shared/datasets/fer2013 into the build tree's fer2013/).\n"
		"Checkpoints go to --out (default train-out): last.weights, best.weights, state, the decoded\n"
		"image caches; --resume continues from there. Progress and per-epoch validation on stderr.\n"
		"--mirror-only: no augmentation but random mirroring (a short fine-tune on the images\n"
		"as inference sees them).\n"
		"--webcam: on top of the augmentation, webcam-like changes at random: gamma, blur, noise,\n"
		"a flat patch over the mouth.\n"
		"--teacher WEIGHTS: distillation: the teacher (--teacher-net CFG right after it, default\n"
		"the trained network's cfg) predicts every training image and its mirror once (cached in\n"
		"--out as teacher-train.f32); up to 8 --teacher options make an ensemble, whose output is\n"
		"the mean of all; the loss is (1 - alpha) x cross entropy with the label plus\n"
		"alpha x T^2 x KL divergence from the teachers' to the student's output, both softened\n"
		"by the temperature T (--alpha, default 0.5; --temperature, default 2). Give the same\n"
		"options again with --resume.\n"
		"--calibrate OUT: instead of training, fit one bias per class on DIR/validation so that\n"
		"every class keeps a sensitivity of at least --floor (default 0.42) at the best accuracy,\n"
		"report a 2-fold cross-fitted estimate, bake the biases into the last layer of --init\n"
		"and write the result to OUT.\n"
		"--average OUT: instead of training, average the parameters of the WEIGHTS files (runs\n"
		"fine-tuned from one start), re-estimate batch-norm statistics from --restat N batches of\n"
		"training images (default 0: keep the averaged ones), augmented as in training or with\n"
		"--restat-plain unaugmented (mirrored at random); report validation accuracy of each\n"
		"input and of the result, and write it to OUT.",
};
