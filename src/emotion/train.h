/*
 * train: the emotion network trainer (`emotune train`) and the labelled
 * image sets it and `emotune eval` read (DIR/<class>/<images>).
 *
 * Training: FER2013 train/ decoded once (cached as raw bytes in the output
 * directory), the rare class oversampled, random augmentation through
 * emo_preprocess (the same function inference uses), label smoothing,
 * linear warm-up then cosine learning rate over the planned epochs,
 * optional distillation from a teacher network (below),
 * validation after every epoch (plain and mirrored-TTA), checkpoints
 * (last.weights + state) that --resume continues from, best.weights kept.
 */
#ifndef EMOTUNE_TRAIN_H
#define EMOTUNE_TRAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Most teachers of one distillation run (train --teacher, repeated). */
#define TRAIN_MAX_TEACHERS 8

enum train_err {
	TRAIN_OK = 0,
	TRAIN_ENOMEM = -1,
	TRAIN_EIO = -2,       /* a file or folder could not be read/written */
	TRAIN_EDATA = -3,     /* no usable images */
	TRAIN_EMODEL = -4,    /* the cfg or weights were refused */
};

/* A labelled image set, every image resized to w x h. */
struct train_set {
	int w, h;
	size_t n;
	uint8_t *px;          /* n * w * h, owned */
	int8_t *label;        /* n, class index, owned */
	char **path;          /* n paths, owned (NULL when loaded from cache) */
	size_t skipped;       /* files that could not be decoded */
};

/* Lists DIR/<class>/<file> for the 7 class folders, sorted by class then
 * name. *paths (n strings) and *labels are owned by the caller: free with
 * train_list_free(). TRAIN_EDATA when no class folder holds a file. */
int train_list(const char *dir, char ***paths, int8_t **labels, size_t *n);
void train_list_free(char **paths, int8_t *labels, size_t n);

/* Reads DIR/<class>/<file> for the 7 class folders. Files that are not
 * images are counted in skipped and reported on err (may be NULL).
 * keep_paths: also keep each file's path. */
int train_set_load(const char *dir, int w, int h, int keep_paths, struct train_set *set, FILE *err);
void train_set_free(struct train_set *set);

/* The split DATA/SPLIT (train or validation) decoded at w x h into *set,
 * from the raw cache OUT/SPLIT-WxH.u8 when it fits, else from the folders
 * (then cached; a cache that cannot be written is a warning on log). */
int train_load_cached(const char *data, const char *split, const char *out, int w, int h,
		      struct train_set *set, FILE *log);

struct train_opts {
	const char *data;     /* holds train/ and validation/ */
	const char *cfg;
	const char *out;      /* checkpoint folder (created) */
	const char *init;     /* start from these weights (NULL: random) */
	int epochs;           /* planned epochs (schedule length) */
	double hours;         /* stop after this much wall time (0: none) */
	int resume;           /* continue from out/last.weights + out/state */
	unsigned seed;
	float lr;             /* peak learning rate */
	int batch;
	int oversample;       /* copies of each disgust image per epoch */
	int mirror_only;      /* no augmentation but random mirroring (fine-tuning
			       * on the images as inference sees them) */
	int webcam;           /* on top of the augmentation: gamma, blur, noise and
			       * an occluded mouth, at random (webcam-like images) */
	int nteacher;         /* distillation from these networks (0: none) */
	struct train_teacher {
		const char *weights;
		const char *cfg;      /* NULL: the trained network's cfg */
	} teacher[TRAIN_MAX_TEACHERS];
	float alpha;          /* weight of the teacher term (0..1) */
	float temperature;    /* softening of both distributions in that term */
	FILE *log;            /* progress (stderr) */
};

int train_run(const struct train_opts *o, char *why, size_t n);

/*
 * Knowledge distillation (train_run with o->nteacher > 0): before the
 * first epoch each teacher network predicts every training image and its
 * mirror image once; the log of the mean of all these outputs (the
 * teachers' ensemble with test-time augmentation) is cached in
 * o->out/teacher-train.f32, keyed by a hash of every teacher's cfg and
 * weights, in order, and of the training set, and reused on --resume. Each training sample's loss is then
 *
 *   L = (1 - alpha) CE(y, p) + alpha T^2 KL(q_T || p_T)
 *
 * with p the student's output, y the label-smoothed hard target, q_T and
 * p_T the teacher's and the student's distributions softened by the
 * temperature T (softmax of logits / T). The teacher's target is that of
 * the unaugmented image, also for augmented samples.
 *
 * train_distill_loss: L for one sample, from p, the teacher's
 * log-probabilities t and y (7 values each); writes delta, minus the
 * gradient of L with respect to the student's logits:
 * (1 - alpha)(y - p) + alpha T (q_T - p_T).
 */
double train_distill_loss(const float *p, const float *t, const float *y, float alpha,
			  float temperature, float *delta);

/*
 * Output-bias calibration (calib.h) of trained weights: loads o->cfg with
 * o->init, predicts o->data/validation (cached in o->out) with and without
 * the mirror pass, reports a 2-fold cross-fitted estimate (biases fitted on
 * one half of each class, scored on the other), fits the biases on the
 * whole split for the sensitivity floor, bakes them into the last layer
 * (dn_shift_logits), checks the result and writes it to weights_out.
 */
int train_calibrate(const struct train_opts *o, const char *weights_out, double floor,
		    char *why, size_t n);

/*
 * Weight averaging ("model soup") of nweights weights files for o->cfg,
 * typically runs fine-tuned from one start with different seeds: every
 * parameter is averaged (dn_mix). restat > 0: the batch-norm statistics are
 * then re-estimated from that many batches of training images (dn_bn_restat),
 * augmented as in training, or with restat_plain as inference sees them
 * (mirrored at random). Reports validation accuracy of each input and of
 * the result on o->log; writes weights_out.
 */
int train_average(const struct train_opts *o, const char *const *weights, int nweights,
		  int restat, int restat_plain, const char *weights_out, char *why, size_t n);

const char *train_strerror(int err);

#endif
