/*
 * musicmood_aux: training aids of the music mood model (issue 19), used by
 * `emotune train-mood` only (the tags are never needed at run time; a model
 * with stacked inputs is run by musicmood.c, norm format 3).
 *
 * - The AllMusic mood tags of metadata.csv (columns "song" and "moods",
 *   tags separated by ';') turned into auxiliary targets of a training set:
 *     va:     a soft valence and a soft arousal per clip: each tag scores
 *             the mean valence (arousal) sign (+1/-1 from the quadrant) of
 *             the other training clips that carry it; a clip's target is the
 *             mean score of its tags (its own sign when none of its tags
 *             has another carrier). Leave-one-out, so a clip's target does
 *             not contain its own label through a tag only it carries.
 *     tagsK:  the K most frequent tags of the training set, +1 if the clip
 *             carries the tag, -1 if not.
 * - Stacking: one RBF epsilon-SVR per target fitted on the audio features
 *   of the training clips; the training clips get out-of-fold predictions
 *   (an inner k-fold), the test clips the prediction of the SVR fitted on
 *   all training clips. They become extra inputs of the quadrant SVM, so
 *   at prediction time only audio features are needed.
 * - Feature groups (musical aspects) for --features and the ablation.
 *
 * Thread rules: no shared state; a struct musicmood_tags is read-only after
 * musicmood_tags_load() and may be shared. Ownership: musicmood_tags_load()
 * returns an object freed by musicmood_tags_free().
 */
#ifndef EMOTUNE_MUSICMOOD_AUX_H
#define EMOTUNE_MUSICMOOD_AUX_H

#include <stddef.h>

enum musicmood_aux_err {
	MUSICMOOD_AUX_OK = 0,
	MUSICMOOD_AUX_ENOMEM = -1,
	MUSICMOOD_AUX_EOPEN = -2,     /* metadata file not readable */
	MUSICMOOD_AUX_EFORMAT = -3,   /* no "song" and "moods" columns */
	MUSICMOOD_AUX_ELIBSVM = -4,   /* libsvm refused the parameters */
	MUSICMOOD_AUX_EWRITE = -5,    /* a stacked SVR could not be written */
};

/* Auxiliary columns at most (va: 2, tagsK: K). */
#define MUSICMOOD_AUX_MAX 16

struct musicmood_tags;

int musicmood_tags_load(const char *path, struct musicmood_tags **out);
void musicmood_tags_free(struct musicmood_tags *t);
/* Row of a clip, by its file name with or without directory and extension
 * ("Q1/MT0000040632.opus" -> "MT0000040632"); -1 when it has no row. */
int musicmood_tags_find(const struct musicmood_tags *t, const char *clip);

/* --aux SPEC, comma-separated items: "va", "tagsK" (K 1..MUSICMOOD_AUX_MAX):
 * stacked inputs; "signs": stacked inputs fitted to the valence and arousal
 * signs of the quadrant instead of va (the control: stacking without tags); "soft": the regression targets (--target reg) are the
 * clips' soft valence and arousal (as va) instead of the signs; "cleanT":
 * training clips whose soft valence or arousal times their label's sign
 * is below T (-1..1) are left out of training. 0 or -1 (refused). */
struct musicmood_aux_spec {
	int va;     /* 1: soft valence and arousal; 2 ("signs"): their signs (control) */
	int topk;   /* 0: no tag targets */
	int soft;
	int clean;  /* 1: cleaning at threshold clean_t */
	double clean_t;
};
int musicmood_aux_parse(const char *spec, struct musicmood_aux_spec *s);
/* Number of auxiliary columns of a spec. */
int musicmood_aux_count(const struct musicmood_aux_spec *s);

/* Targets of the n training clips (rows[k]: tag row or -1, q[k]: quadrant
 * 0..3) from these clips only: y[k * nt + j], nt = musicmood_aux_count(). */
int musicmood_aux_targets(const struct musicmood_tags *t, const struct musicmood_aux_spec *s,
			  const int *rows, const int *q, size_t n, double *y);

/* The soft valence and arousal of the n clips (as the va targets) in
 * va[2k], va[2k + 1]; keep[k]: 0 if s->clean and they lean against the
 * clip's quadrant (below clean_t on either axis), else 1. */
int musicmood_aux_soft(const struct musicmood_tags *t, const struct musicmood_aux_spec *s,
		       const int *rows, const int *q, size_t n, double *va, unsigned char *keep);

struct svm_node;
struct svm_model;
/* Fits the nt SVRs (RBF, gamma, C 1, epsilon 0.1) on the libsvm inputs
 * xtr[ntr] and targets y[ntr * nt]; ptr[k * nt + j]: out-of-fold prediction
 * of training clip k (inner `folds`-fold, seeded shuffle; rows with the
 * same group[k] share a fold, group may be NULL), pte[k * nt + j]:
 * prediction of test clip k. keep (may be NULL): gets the nt SVRs fitted
 * on all training clips (svm_free_and_destroy_model(); they point into
 * xtr's nodes). 0 or a negative MUSICMOOD_AUX_ code. */
int musicmood_aux_stack(struct svm_node *const *xtr, size_t ntr, const double *y, int nt,
			struct svm_node *const *xte, size_t nte, double gamma, int folds,
			unsigned seed, const int *group, float *ptr, float *pte, struct svm_model **keep);

/* Feature groups: 1 if feature `name` (analysis_feature_name()) belongs
 * to group `group` ("energy", "spectral", "bands", "tonalframe", "mfcc",
 * "dmfcc", "contrast", "chroma", "key", "rhythm", "texture", "blspectrum",
 * "segkey", "harmony", "pitch", "dynamics", "modulation"), 0 if not, -1
 * if `group` is not a group name. Every feature is in exactly one group. */
#define MUSICMOOD_NGROUPS 17
int musicmood_group_has(const char *group, const char *name);
extern const char *const musicmood_group_names[MUSICMOOD_NGROUPS];

const char *musicmood_aux_strerror(int err);

#endif
