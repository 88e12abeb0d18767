/*
 * musicmood: the music mood model. A small Darknet network (through dn.h),
 * an RBF SVM (libsvm) or the mean of both maps the normalised feature vector
 * of analysis.h to the probabilities of the four quadrants of Russell's
 * plane (Q1 v+a+, Q2 v-a+, Q3 v-a-, Q4 v+a-); valence and arousal in [-1, 1] are derived from them:
 *     valence = p1 + p4 - p2 - p3,   arousal = p1 + p2 - p3 - p4
 * so that their signs give the most probable half-plane on each axis.
 *
 * Files (defaults under the share dir, config_path_share()):
 *   nets/music_mood.cfg        the network (input: width=ANALYSIS_NFEAT, h=c=1)
 *   weights/music_mood.weights trained weights (emotune train-mood)
 *   weights/music_mood.norm    normalisation sidecar, text:
 *       # comment lines
 *       emotune-music-mood-norm 2
 *       features <N> version <ANALYSIS_VERSION>
 *       model <mlp|svm|ensemble> <quad|heads|reg>
 *       mean <N numbers>
 *       std <N numbers>
 *     Input i is (x_i - mean_i) / std_i, clamped to [-8, 8]; std_i = 0
 *     disables feature i (input 0). Format 1 has no model line (mlp quad).
 *     Format 3 (svm quad only) has a line "stack S" after the model line
 *     and N + S numbers in mean and std: the S stacked inputs are the
 *     predictions of the epsilon-SVRs music_mood.stack0.svr ... (libsvm,
 *     over the N normalised features), normalised in turn and given to the
 *     4-way SVM as inputs N + 1 .. N + S (issue 19; train-mood --aux).
 *     Format 4 (train-mood --norm quantile) always has the stack line (S
 *     may be 0), then "quantiles K" and "knots" with N x K numbers (K per
 *     feature, musicmood_qnorm.h): each raw feature goes through its
 *     quantile table first, the mean/std apply to the result.
 *   SVM models (libsvm text files) next to the weights, the weights path's
 *   extension replaced: music_mood.svm (quad), music_mood.valence.svm and
 *   .arousal.svm (heads), music_mood.valence.svr and .arousal.svr (reg).
 *   An "svm" model needs no cfg or weights; "ensemble" averages the
 *   network's and the SVM's quadrant probabilities.
 *
 * musicmood_predict() is thread-safe (the net is behind a mutex).
 * Ownership: musicmood_open() returns an object freed by musicmood_free().
 */
#ifndef EMOTUNE_MUSICMOOD_H
#define EMOTUNE_MUSICMOOD_H

#include "musicmood_qnorm.h"

#include <stddef.h>

enum musicmood_err {
	MUSICMOOD_OK = 0,
	MUSICMOOD_ENOMEM = -1,
	MUSICMOOD_EMODEL = -2,   /* cfg or weights refused (see why) */
	MUSICMOOD_ENORM = -3,    /* normalisation file missing or malformed (see why) */
	MUSICMOOD_ESHAPE = -4,   /* network input/output does not fit the features */
	MUSICMOOD_EIO = -5,      /* a file could not be written */
};

#define MUSICMOOD_CFG "nets/music_mood.cfg"
#define MUSICMOOD_WEIGHTS "weights/music_mood.weights"
#define MUSICMOOD_NORM "weights/music_mood.norm"

struct musicmood;

/* Any path NULL: the default under the share dir. */
int musicmood_open(const char *cfg, const char *weights, const char *norm,
		   struct musicmood **out, char *why, size_t n);
void musicmood_free(struct musicmood *m);

/* Identifies the model (hash of its files' contents), 16 hex digits.
 * Borrowed. Rows analysed by another model are re-predicted on rescan. */
const char *musicmood_id(const struct musicmood *m);

/* feat: ANALYSIS_NFEAT raw features. probs (may be NULL): 4 quadrant probabilities. */
int musicmood_predict(struct musicmood *m, const float *feat, float *valence, float *arousal,
		      float *probs);

/* Valence/arousal from quadrant probabilities (see above). */
void musicmood_va(const float *probs, float *valence, float *arousal);
/* Quadrant 1..4 of (v, a): Q1 v>=0,a>=0; Q2 v<0,a>=0; Q3 v<0,a<0; Q4 v>=0,a<0. */
int musicmood_quadrant(float valence, float arousal);

enum musicmood_model { MUSICMOOD_MLP, MUSICMOOD_SVM, MUSICMOOD_ENSEMBLE };

/* Normalisation sidecar with the model kind (enum musicmood_model), the
 * target (enum musicmood_target), nstack stacked inputs and an optional
 * quantile table. Written as format 2, 3 when nstack > 0, 4 when q is
 * given. mean and std hold n + nstack values; on read they must have room
 * for n + MUSICMOOD_STACK_MAX. On read (model, target may be NULL): with
 * nstack NULL format 3 is refused, else *nstack gets S (0 for formats 1,
 * 2); with q NULL format 4 is refused, else q->n is 0 for formats 1-3 and
 * the file's N for format 4. */
int musicmood_norm_write(const char *path, const float *mean, const float *std, int n, int nstack,
			 const struct musicmood_qnorm *q, int model, int target, const char *comment);
int musicmood_norm_read(const char *path, float *mean, float *std, int n, int *nstack,
			struct musicmood_qnorm *q, int *model, int *target, char *why, size_t wn);
/* Names: "mlp", "svm", "ensemble"; "quad", "heads", "reg". Index or -1. */
int musicmood_model_index(const char *name);
int musicmood_target_index(const char *name);
extern const char *const musicmood_model_names[3];
extern const char *const musicmood_target_names[3];
/* The path of SVM model h (0, 1) of target next to the weights path;
 * target MUSICMOOD_STACK: stacked input SVR h (0..MUSICMOOD_STACK_MAX-1). */
void musicmood_svm_path(const char *weights, int target, int h, char *buf, size_t n);
/* (x - mean) / std, clamped, in place over n values. */
void musicmood_normalise(float *x, const float *mean, const float *std, int n);

/* --- SVM models (libsvm) ----------------------------------------------
 * target MUSICMOOD_QUAD: one C-SVC over the labels 1..4 (quadrants);
 * MUSICMOOD_HEADS: two C-SVCs over -1/+1, valence sign then arousal sign;
 * MUSICMOOD_REG: two epsilon-SVRs of valence then arousal (targets -1/+1).
 * The quadrant probabilities follow from the heads as products
 * (p1 = P(v+) P(a+), ...) and from a regression as P(v+) = (v + 1) / 2. */
enum musicmood_target { MUSICMOOD_QUAD, MUSICMOOD_HEADS, MUSICMOOD_REG, MUSICMOOD_STACK };
#define MUSICMOOD_STACK_MAX 16
struct svm_model;
struct svm_node;
/* Sparse libsvm input from a normalised vector: features whose std is 0
 * (disabled) are left out. nodes holds n + 1 entries. */
void musicmood_svm_nodes(const float *x, const float *std, int n, struct svm_node *nodes);
/* Quadrant probabilities from the model(s) of the target. A C-SVC trained
 * without probability estimates gives hard (0/1) probabilities. */
void musicmood_svm_probs(int target, struct svm_model *const *m, const struct svm_node *x,
			 float *probs);

const char *musicmood_strerror(int err);

#endif
