/*
 * cmd_train_mood_opts: the command line of `emotune train-mood` (the
 * options of cmd_train_mood.c's help) into a struct cmd_tm_opts, checked,
 * with the paths derived from it. Private to train-mood
 * (cmd_train_mood_priv.h).
 */
#include "analysis.h"
#include "cmd.h"
#include "cmd_train_mood_priv.h"
#include "config.h"
#include "dn.h"
#include "musicmood.h"
#include "musicmood_aux.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void norm_path(const char *weights, char *buf, size_t n)
{
	snprintf(buf, n, "%s", weights);
	char *dot = strrchr(buf, '.');
	char *slash = strrchr(buf, '/');
	if (dot && (!slash || dot > slash))
		*dot = 0;
	size_t l = strlen(buf);
	snprintf(buf + l, n - l, ".norm");
}

enum { O_DATA = 1, O_OUT, O_FOLDS, O_CACHE, O_EPOCHS, O_LR, O_CFG, O_EXCERPT, O_NOFINAL,
       O_NOISE, O_REPEATS, O_MODEL, O_TARGET, O_C, O_GAMMA, O_FEATURES, O_AUX, O_META,
       O_AUXW, O_SELECT, O_NORM, O_AUGMENT, O_TTA, O_PRED };

/* --model or --target: 0 or CMD_USAGE. */
static int parse_choice(int o, const char *arg, struct cmd_tm_hyper *h)
{
	int k = o == O_MODEL ? musicmood_model_index(arg) : musicmood_target_index(arg);
	if (k < 0) {
		cmd_error(o == O_MODEL ? "--model" : "--target", "'%s': %s", arg,
			  o == O_MODEL ? "mlp, svm or ensemble" : "quad, heads or reg");
		return CMD_USAGE;
	}
	if (o == O_MODEL)
		h->model = k;
	else
		h->target = k;
	return 0;
}

/* One option with a number or a name for its value: 0 or CMD_USAGE. */
static int parse_value(int o, const char *arg, struct cmd_tm_opts *t)
{
	struct cmd_tm_hyper *h = &t->h;
	char *end = NULL;
	const char *name, *what;
	int bad;
	switch (o) {
	case O_FOLDS:
		t->folds = (int)strtol(arg, &end, 10);
		bad = t->folds < 0 || t->folds == 1 || t->folds > 50;
		name = "--folds", what = "0 (none) or 2..50";
		break;
	case O_REPEATS:
		t->repeats = (int)strtol(arg, &end, 10);
		bad = t->repeats < 1 || t->repeats > 100;
		name = "--repeats", what = "1..100";
		break;
	case O_EPOCHS:
		h->epochs = (int)strtol(arg, &end, 10);
		bad = h->epochs < 1 || h->epochs > 100000;
		name = "--epochs", what = "1..100000";
		break;
	case O_LR:
		h->lr = strtof(arg, &end);
		bad = !(h->lr > 0 && h->lr < 10);
		name = "--lr", what = "a positive number";
		break;
	case O_NOISE:
		h->noise = strtof(arg, &end);
		bad = !(h->noise >= 0 && h->noise < 10);
		name = "--noise", what = "0..10";
		break;
	case O_C:
		h->svm_c = strtod(arg, &end);
		bad = !(h->svm_c > 0 && h->svm_c < 1e6);
		name = "--svm-c", what = "a positive number";
		break;
	case O_GAMMA:
		h->svm_gamma = strtod(arg, &end);
		bad = !(h->svm_gamma >= 0 && h->svm_gamma < 1e6);
		name = "--svm-gamma", what = "0 (grid) or a multiple of 1/features";
		break;
	case O_EXCERPT:
		t->excerpt = strtod(arg, &end);
		bad = !(t->excerpt >= 0);
		name = "--excerpt", what = "seconds, 0 for whole tracks";
		break;
	case O_AUXW:
		h->aux_weight = strtof(arg, &end);
		bad = !(h->aux_weight > 0 && h->aux_weight <= 100);
		name = "--aux-weight", what = "a positive number up to 100";
		break;
	case O_AUGMENT:
		t->augment = !strcmp(arg, "halves");
		end = (char *)arg + strlen(arg);
		bad = !t->augment;
		name = "--augment", what = "halves";
		break;
	case O_TTA:
		t->tta = !strcmp(arg, "halves");
		end = (char *)arg + strlen(arg);
		bad = !t->tta;
		name = "--tta", what = "halves";
		break;
	case O_NORM:
		t->qnorm = !strcmp(arg, "quantile");
		end = (char *)arg + strlen(arg);
		bad = !t->qnorm && strcmp(arg, "z") != 0;
		name = "--norm", what = "z or quantile";
		break;
	case O_SELECT:
		h->select = 1;
		end = (char *)arg + strlen(arg);
		bad = strcmp(arg, "groups") != 0;
		name = "--select", what = "groups";
		break;
	default:
		return parse_choice(o, arg, h);
	}
	if (*end || bad) {
		cmd_error(name, "'%s': %s", arg, what);
		return CMD_USAGE;
	}
	return 0;
}

/* Parses the options into *t: -1 to go on, or the CMD_* code to return. */
int cmd_tm_parse_opts(struct cmd_ctx *ctx, int argc, char **argv, struct cmd_tm_opts *t)
{
	static const struct option own[] = {
		{ "data", 1, NULL, O_DATA }, { "out", 1, NULL, O_OUT },
		{ "folds", 1, NULL, O_FOLDS }, { "cache", 1, NULL, O_CACHE },
		{ "epochs", 1, NULL, O_EPOCHS }, { "lr", 1, NULL, O_LR },
		{ "cfg", 1, NULL, O_CFG }, { "excerpt", 1, NULL, O_EXCERPT },
		{ "no-final", 0, NULL, O_NOFINAL }, { "noise", 1, NULL, O_NOISE },
		{ "repeats", 1, NULL, O_REPEATS }, { "model", 1, NULL, O_MODEL },
		{ "target", 1, NULL, O_TARGET }, { "svm-c", 1, NULL, O_C },
		{ "svm-gamma", 1, NULL, O_GAMMA }, { "features", 1, NULL, O_FEATURES },
		{ "aux", 1, NULL, O_AUX }, { "metadata", 1, NULL, O_META },
		{ "aux-weight", 1, NULL, O_AUXW }, { "select", 1, NULL, O_SELECT },
		{ "norm", 1, NULL, O_NORM }, { "augment", 1, NULL, O_AUGMENT },
		{ "tta", 1, NULL, O_TTA }, { "predictions", 1, NULL, O_PRED }, { NULL, 0, NULL, 0 },
	};
	memset(t, 0, sizeof *t);
	t->features = "all";
	t->folds = 5;
	t->final = 1;
	t->repeats = 1;
	t->h = (struct cmd_tm_hyper){ .epochs = 200, .lr = 0.01f, .seed = 1, .svm_c = 1, .svm_gamma = 0,
			       .aux_weight = 1 };
	t->excerpt = ANALYSIS_EXCERPT_S;
	int o;
	while ((o = cmd_getopt(ctx, &cmd_train_mood, argc, argv, NULL, own)) != -1) {
		switch (o) {
		case CMD_HELP: return CMD_OK;
		case O_DATA: t->data = optarg; break;
		case O_OUT: t->out = optarg; break;
		case O_CACHE: t->cache = optarg; break;
		case O_CFG: t->cfg = optarg; break;
		case O_NOFINAL: t->final = 0; break;
		case O_FEATURES: t->features = optarg; break;
		case O_AUX: t->aux = optarg; break;
		case O_META: t->meta = optarg; break;
		case O_PRED: t->predictions = optarg; break;
		case O_FOLDS: case O_REPEATS: case O_EPOCHS: case O_LR: case O_NOISE:
		case O_C: case O_GAMMA: case O_EXCERPT: case O_MODEL: case O_TARGET: case O_AUXW:
		case O_SELECT: case O_NORM: case O_AUGMENT: case O_TTA:
			if (parse_value(o, optarg, t))
				return CMD_USAGE;
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (!t->data || optind < argc) {
		cmd_print_usage(&cmd_train_mood, stderr);
		return CMD_USAGE;
	}
	if (cmd_tm_parse_features(t->features, t->h.use)) {
		cmd_error("--features", "'%s': all, none, base, new or feature name prefixes, - to remove",
			  t->features);
		return CMD_USAGE;
	}
	if (t->h.model == MUSICMOOD_ENSEMBLE && t->h.target != MUSICMOOD_QUAD) {
		cmd_error("--target", "the ensemble averages 4-way probabilities: --target quad");
		return CMD_USAGE;
	}
	if (t->h.model == MUSICMOOD_MLP && t->h.target != MUSICMOOD_QUAD) {
		cmd_error("--target", "the network gives 4-way probabilities: --target quad");
		return CMD_USAGE;
	}
	if (t->h.select && t->h.model != MUSICMOOD_SVM) {
		cmd_error("--select", "the group selection is for --model svm");
		return CMD_USAGE;
	}
	if (t->aux) {
		if (cmd_tm_aux_options(t->aux, t->meta, t->h.model == MUSICMOOD_SVM,
				       t->h.target == MUSICMOOD_QUAD, t->h.use, t->final, &t->as, &t->tags))
			return CMD_USAGE;
		t->h.soft = t->as.soft;
		memset(t->h.use + ANALYSIS_NFEAT, 1, (size_t)musicmood_aux_count(&t->as));
	}
	return -1;
}

/* The seed from the settings, the network description and the output
 * paths; 0, or -1 after saying why. */
int cmd_tm_resolve(struct cmd_ctx *ctx, struct cmd_tm_opts *t)
{
	const char *sd_seed = config_get(ctx->cfg, "seed");
	if (sd_seed)
		t->h.seed = (unsigned)strtoul(sd_seed, NULL, 10);
	if (!t->cfg) {
		if (config_path_share(t->cfgbuf, sizeof t->cfgbuf, MUSICMOOD_CFG))
			return -1;
		t->cfg = t->cfgbuf;
	}
	t->h.cfg = t->cfg;
	if (!t->out)
		t->out = "music_mood.weights";
	norm_path(t->out, t->normbuf, sizeof t->normbuf);
	snprintf(t->outbuf, sizeof t->outbuf, "%s", t->out);
	char why[512];
	if (dn_check_cfg(t->cfg, why, sizeof why)) {
		cmd_error("train-mood", "%s", why);
		return -1;
	}
	return 0;
}
