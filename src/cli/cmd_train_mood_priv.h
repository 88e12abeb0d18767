/*
 * cmd_train_mood_priv.h: private to `emotune train-mood` (cmd_train_mood.c,
 * cmd_train_mood_clips.c, cmd_train_mood_aux.c, cmd_train_mood_opts.c):
 * the music4q clips and their features, the command's options.
 *
 * Ownership: a struct cmd_tm_set owns its clips' path and name strings;
 * cmd_tm_set_free() releases them. Threads: cmd_tm_extract_all() runs its
 * workers and joins them before it returns; the rest is single-threaded.
 */
#ifndef EMOTUNE_CMD_TRAIN_MOOD_PRIV_H
#define EMOTUNE_CMD_TRAIN_MOOD_PRIV_H

#include "analysis.h"
#include "musicmood_aux.h"
#include "musicmood_qnorm.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct cmd_ctx;

/* Features of a clip: the analysis' then the stacked --aux columns. */
#define CMD_TM_NF (ANALYSIS_NFEAT + MUSICMOOD_AUX_MAX)

struct cmd_tm_clip {
	char *path;      /* DIR/Qn/name */
	char *name;      /* Qn/name, the cache key */
	int q;           /* 0..3 */
	int ok;
	float f[CMD_TM_NF];   /* the analysis' features, then the --aux columns */
	float soft[2];        /* --aux soft: tag-derived valence, arousal (training set) */
	float half[2][ANALYSIS_NFEAT];   /* --augment halves: each half of the excerpt */
	int nhalf;            /* 2 when half[] holds them, else 0 */
	int group;            /* the clip's index in its set; a half's copy keeps it */
	int is_half;          /* 1: a copy made from half[] (training only) */
};

struct cmd_tm_set {
	struct cmd_tm_clip *c;
	size_t n, cap;
};

/* Lists DIR/Q1..Q4/<clip> into *s, sorted by name (features not yet
 * read); 0, or -1 after saying why (out of memory: silently). */
int cmd_tm_list_clips(const char *dir, struct cmd_tm_set *s);

/* Reads the features of the clips of *s that the cache file at path holds
 * for this analysis version, feature count and excerpt; a missing or other
 * cache is ignored. */
void cmd_tm_cache_read(const char *path, struct cmd_tm_set *s, double excerpt);
/* The cache also holds the halves' features, as lines "NAME#1" and "NAME#2"
 * (older readers skip them). */

/* Extracts the missing features with jobs threads (clips that fail are
 * reported and skipped), saving the cache (when not NULL) every 64 clips. */
void cmd_tm_extract_all(struct cmd_tm_set *s, double excerpt, int halves, int jobs,
			const char *cache);

/* Frees the clips of *s (not s itself). */
void cmd_tm_set_free(struct cmd_tm_set *s);
/* Mean and standard deviation of the first nf features over the n clips c[]
 * (population std; 0 for a constant feature, below 1e-12 in variance). */
void cmd_tm_stats(struct cmd_tm_clip *const *c, size_t n, int nf, float *mean, float *sd);

/* --aux (cmd_train_mood_aux.c, musicmood_aux.h). */
/* Checks the spec and --metadata (NULL: none) and loads the tags (*tags
 * stays NULL without metadata); model, target and use[] are the command's.
 * 0, or -1 after saying why. */
int cmd_tm_aux_options(const char *aux, const char *meta, int svm, int quad,
		       const unsigned char *use, int final, struct musicmood_aux_spec *as,
		       struct musicmood_tags **tags);
/* soft and cleanT: sets the clips' soft[] from the tags of tr[] and drops
 * from tr[] the clips that cleanT leaves out; 0 or -1. */
int cmd_tm_aux_train_set(const struct musicmood_tags *tags, const struct musicmood_aux_spec *as,
			 struct cmd_tm_clip **tr, size_t *ntr);
/* The stacked columns: SVRs fitted on tr[] (all analysis features,
 * normalised over tr[]) give the out-of-fold predictions of tr[] and the
 * predictions of te[] in f[ANALYSIS_NFEAT + j]; save (not NULL): the
 * weights path next to which the SVRs are written. 0 or -1. */
int cmd_tm_aux_augment(unsigned seed, const struct musicmood_tags *tags,
		       const struct musicmood_aux_spec *as, struct cmd_tm_clip *const *tr, size_t ntr,
		       struct cmd_tm_clip *const *te, size_t nte, const char *save);

/* --features SPEC (cmd_train_mood.c's help) into use[CMD_TM_NF]; 0 or -1. */
int cmd_tm_parse_features(const char *spec, unsigned char *use);
/* --norm quantile: fits q to the training clips' analysis features, then
 * points tr[] and te[] at transformed copies in qc[] (room for ntr + nte;
 * the --aux columns are copied as they are); 0 or -1 (no memory). */
int cmd_tm_qnorm(struct musicmood_qnorm *q, struct cmd_tm_clip **tr, size_t ntr,
		 struct cmd_tm_clip **te, size_t nte, struct cmd_tm_clip *qc);

/* The training's random numbers: a 24-bit LCG step on *s. */
unsigned cmd_tm_rand(unsigned *s);
/* Stratified folds of the n clips: within each quadrant a seeded shuffle of
 * the clips dealt round-robin into fold[k] (0..folds-1); a half
 * (--augment) gets its clip's fold, so it is never on the other side. */
void cmd_tm_make_folds(struct cmd_tm_clip *const *all, size_t n, int folds, unsigned fseed, int *fold);

/* The model's settings (cmd_train_mood.c trains with them). */
struct cmd_tm_hyper {
	const char *cfg;
	int epochs;
	float lr;
	float noise;     /* std of Gaussian noise added to the normalised inputs */
	unsigned seed;
	int model;       /* enum musicmood_model */
	int target;      /* enum musicmood_target, for the SVM */
	double svm_c, svm_gamma;   /* svm_gamma <= 0: chosen by an inner CV */
	unsigned char use[CMD_TM_NF];   /* 0: feature disabled (std 0) */
	float aux_weight;        /* scale of the --aux columns in the kernel */
	int select;              /* --select groups: nested backward group elimination */
	int grid1;               /* svm_grid tries C 1, gamma 0.5 only */
	int soft;                /* --aux soft: regression targets from the tags */
};

/* What the command line asked for, and the paths derived from it. */
struct cmd_tm_opts {
	const char *data, *out, *cache, *cfg, *features, *aux, *meta;
	const char *predictions; /* --predictions FILE: every test clip's probabilities */
	int folds, final, repeats;
	int qnorm;   /* --norm quantile */
	int augment; /* --augment halves */
	int tta;     /* --tta halves: a test clip's probabilities averaged with its halves' */
	struct musicmood_aux_spec as;
	struct musicmood_tags *tags;   /* --metadata: the AllMusic mood tags */
	double excerpt;
	struct cmd_tm_hyper h;
	char cfgbuf[PATH_MAX], outbuf[PATH_MAX], normbuf[PATH_MAX];
};

/* cmd_train_mood_opts.c: parses the command line into *t: -1 to go on,
 * else the command's exit code (CMD_OK for --help, CMD_USAGE after saying
 * why). */
int cmd_tm_parse_opts(struct cmd_ctx *ctx, int argc, char **argv, struct cmd_tm_opts *t);
/* The seed from the settings, the network description and the output
 * paths; 0, or -1 after saying why. */
int cmd_tm_resolve(struct cmd_ctx *ctx, struct cmd_tm_opts *t);

#endif
