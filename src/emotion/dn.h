/*
 * dn: the only module that talks to libdarknet (Debian's darknet package).
 *
 * Darknet calls exit() on a bad cfg and reads weights blindly, so dn checks
 * both first: the cfg's sections and keys against what this build supports,
 * the input size, and the weights file's size against the network's
 * parameter count. A bad file is refused with a reason naming it, never a
 * crash. dn.c also provides faster gemm/im2col_cpu/col2im_cpu than
 * libdarknet's (OpenBLAS), which the dynamic linker picks over darknet's own
 * because the program is linked with -rdynamic.
 *
 * Both libraries are opened (dlopen) by the first dn_load(), not at start:
 * commands that load no network never map them. OpenBLAS is then set to one
 * thread, whatever OPENBLAS_NUM_THREADS says: each thread running a network
 * computes on its own core time.
 *
 * A struct dn_net is not thread-safe: one thread uses it at a time.
 * Ownership: dn_load() returns a net the caller frees with dn_free().
 */
#ifndef EMOTUNE_DN_H
#define EMOTUNE_DN_H

#include <stddef.h>

enum dn_err {
	DN_OK = 0,
	DN_ENOMEM = -1,    /* out of memory */
	DN_EIO = -2,       /* a file could not be read or written (errno) */
	DN_ECFG = -3,      /* the cfg is malformed or unsupported (see why) */
	DN_EWEIGHTS = -4,  /* the weights file does not fit the cfg (see why) */
	DN_ESHAPE = -5,    /* input or output size not what the caller expects */
	DN_ELIB = -6,      /* libdarknet or OpenBLAS cannot be opened (see why) */
};

struct dn_net;

/*
 * What dn does to every input before the network sees it, in prediction and
 * training alike (dn_predict*, dn_train_batch*, dn_bn_restat), so the two
 * cannot differ: the cfg's [net] key input_norm (emotune's own; darknet
 * never sees it). Each image (w*h per channel) separately:
 *   none   as given;
 *   crop   x -> 0.5 + 0.25 (x - mean) / max(sd, 1/64) over the image;
 *   local  the same with the mean and sd of a Gaussian window (sigma w/6)
 *          around each pixel, the sd floored at half the image's: shading
 *          across the face is taken out too (w, h <= 256).
 */
enum dn_norm { DN_NORM_NONE, DN_NORM_CROP, DN_NORM_LOCAL };
#define DN_NORM_LOCAL_MAXSIDE 256

/*
 * Checks cfg (and weights, when not NULL) and loads the network with the
 * given batch size (1 for inference). weights == NULL: fresh random weights.
 * On error, why (size n) says what is wrong, e.g. "nets/x.cfg:12: unknown
 * section [foo]" or "weights/x.weights: 1234 bytes, expected 5678".
 */
int dn_load(const char *cfg, const char *weights, int batch, struct dn_net **out,
	    char *why, size_t n);
void dn_free(struct dn_net *net);

/* Only the checks of dn_load(), loading nothing. */
int dn_check_cfg(const char *cfg, char *why, size_t n);
int dn_check_weights(const char *cfg, const char *weights, char *why, size_t n);

/* Applies norm to n images of w x h x c floats in place: what dn does to
 * its inputs, for tests and tools that look at what the network sees. ws
 * holds DN_NORM_WS(w, h) floats when norm is DN_NORM_LOCAL (else NULL). */
#define DN_NORM_WS(w, h) (3 * (size_t)(w) * (size_t)(h))
void dn_normalize(enum dn_norm norm, float *x, int n, int w, int h, int c, float *ws);

/* Input geometry and output count. */
void dn_shape(const struct dn_net *net, int *w, int *h, int *c, int *outputs);

/* Forward pass on one input (w*h*c floats, planar, as darknet wants).
 * Returns the output vector, borrowed until the next call on net. */
const float *dn_predict(struct dn_net *net, const float *input);

/* One SGD step on a batch (batch inputs, batch*outputs targets) at the given
 * learning rate; returns the mean loss. */
float dn_train_batch(struct dn_net *net, const float *x, const float *y, float lr);

/* One SGD step with a loss of the caller's: the forward pass in training
 * mode, then delta(out, d, batch, ctx) receives the batch's softmax
 * outputs (batch*outputs) and writes d, minus the gradient of the loss
 * with respect to the logits (darknet's sign: target - output for cross
 * entropy), and returns the summed loss; then the backward pass and the
 * update at rate lr. *loss: that loss over the batch size. DN_ESHAPE,
 * nothing done, when the net does not end in [softmax groups=1
 * temperature=1]. */
int dn_train_batch_delta(struct dn_net *net, const float *x,
			 float (*delta)(const float *out, float *d, int batch, void *ctx),
			 void *ctx, float lr, float *loss);

/* Batch mode (net loaded with batch B): B inputs at once; returns B output
 * vectors one after the other, borrowed until the next call. Dropout off,
 * batch norm with its rolling statistics: same results as dn_predict. */
const float *dn_predict_batch(struct dn_net *net, const float *inputs);
int dn_batch(const struct dn_net *net);

/* After dn_train_batch: the batch's outputs (batch*outputs), borrowed. */
const float *dn_train_output(const struct dn_net *net);

/* Adds delta[i] to logit i (the biases of the linear layer that feeds the
 * final softmax through optional avgpool/dropout): the outputs become
 * p[i] e^delta[i] / sum_k p[k] e^delta[k]. DN_ESHAPE when n is not the
 * output count or the net does not end in [linear conv/connected without
 * batch norm] [avgpool]? [softmax groups=1 temperature=1]. */
int dn_shift_logits(struct dn_net *net, const float *delta, int n);

/* Moves every stored parameter of dst (weights, biases, batch-norm scales
 * and rolling statistics: what the weights file holds) the fraction t of
 * the way to src's: dst = (1 - t) dst + t src. With t = 1/k for the k-th
 * of several nets fine-tuned from one start this averages them (a "model
 * soup"). src is borrowed. DN_ESHAPE, dst untouched, when the two nets'
 * layers differ in type or size. */
int dn_mix(struct dn_net *dst, const struct dn_net *src, float t);

/* Re-estimates the batch-norm rolling statistics of net (loaded with batch
 * B) as the mean, over nbatches batches, of each batch's mean and variance
 * in training mode (which is what the network saw while it trained).
 * fill(x, i, ctx) writes batch i's B inputs to x. Weights are unchanged. */
int dn_bn_restat(struct dn_net *net, int nbatches, void (*fill)(float *x, int i, void *ctx),
		 void *ctx);

/* Writes the weights (darknet format, with the images-seen counter). */
int dn_save(const struct dn_net *net, const char *path);
/* Sets the images-seen counter stored in the weights. */
void dn_set_seen(struct dn_net *net, size_t seen);
/* Floats in the weights file. */
long long dn_params(const struct dn_net *net);
/* Multiply-accumulates of one forward pass (for benchmarks). */
double dn_flops(const struct dn_net *net);

const char *dn_strerror(int err);

/* The kernels dn.c exports under libdarknet's own names (row-major, as
 * darknet's gemm.h and im2col.h declare them); see the top of this file. */
void gemm(int TA, int TB, int M, int N, int K, float ALPHA, float *A, int lda,
	  float *B, int ldb, float BETA, float *C, int ldc);
void im2col_cpu(float *data_im, int channels, int height, int width, int ksize,
		int stride, int pad, float *data_col);
void col2im_cpu(float *data_col, int channels, int height, int width, int ksize,
		int stride, int pad, float *data_im);
/* darknet's activations.c and blas.c (ACTIVATION as an int: LINEAR 3, LEAKY
 * 7): leaky and linear without a call per element, other activations by
 * darknet's own code; the batch-norm mean and variance of four filters at
 * a time.
 * Each gives darknet's results bit for bit (test_dn compares them). */
void activate_array(float *x, const int n, const int a);
void gradient_array(const float *x, const int n, const int a, float *delta);
void mean_cpu(float *x, int batch, int filters, int spatial, float *mean);
void variance_cpu(float *x, float *mean, int batch, int filters, int spatial, float *variance);

#endif
