/* Unit tests for emo: names, the shared pre-processing, model checks,
 * deterministic classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emo.h"

static void argmax(void **state)
{
	float p[VOCAB_NCLASSES] = { 0.1f, 0, 0, 0.5f, 0.2f, 0.2f, 0 };
	assert_int_equal(emo_argmax(p), 3);
}

static void gradient(struct img *im, int w, int h)
{
	assert_int_equal(img_alloc(im, w, h), 0);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			im->px[y * im->stride + x] = (uint8_t)((x * 5 + y * 3) % 256);
}

static void preprocess_identity_and_flip(void **state)
{
	struct img im;
	float out[48 * 48];
	gradient(&im, 48, 48);
	emo_preprocess(&im, NULL, NULL, out, 48, 48);
	for (int y = 0; y < 48; y++)
		for (int x = 0; x < 48; x++)
			assert_float_equal(out[y * 48 + x], im.px[y * 48 + x] / 255.0, 1e-5);
	struct emo_aug flip = { .scale = 1, .contrast = 1, .flip = 1 };
	emo_preprocess(&im, NULL, &flip, out, 48, 48);
	for (int y = 0; y < 48; y++)
		for (int x = 0; x < 48; x++)
			assert_float_equal(out[y * 48 + x], im.px[y * 48 + 47 - x] / 255.0, 1e-5);
	/* brightness and contrast act around mid-gray and clamp to [0,1] */
	struct emo_aug bc = { .scale = 1, .contrast = 2, .brightness = 0.1f };
	emo_preprocess(&im, NULL, &bc, out, 48, 48);
	for (int i = 0; i < 48 * 48; i++) {
		float v = (im.px[i] / 255.0f - 0.5f) * 2 + 0.6f;
		v = v < 0 ? 0 : (v > 1 ? 1 : v);
		assert_float_equal(out[i], v, 1e-5);
	}
	img_free(&im);
}

static void preprocess_box(void **state)
{
	/* a 96x96 box in a bigger frame, shrunk to 48x48 by 2x2 averaging */
	struct img im;
	float out[48 * 48];
	assert_int_equal(img_alloc(&im, 200, 160), 0);
	memset(im.px, 0, 200 * 160);
	for (int y = 30; y < 126; y++)
		for (int x = 50; x < 146; x++)
			im.px[y * im.stride + x] = (uint8_t)(x < 98 ? 100 : 200);
	struct vocab_box box = { 50, 30, 96, 96 };
	emo_preprocess(&im, &box, NULL, out, 48, 48);
	assert_float_equal(out[10 * 48 + 5], 100 / 255.0, 1e-4);
	assert_float_equal(out[10 * 48 + 40], 200 / 255.0, 1e-4);
	img_free(&im);
}

static const char *datadir(void)
{
	const char *d = getenv("EMOTUNE_DATADIR");
	return d ? d : "..";
}

static void refuses_wrong_networks(void **state)
{
	char cfg[] = "/tmp/emotune-emo-XXXXXX", why[512];
	int fd = mkstemp(cfg);
	const char *text = "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=3\nsize=1\n[avgpool]\n[softmax]\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct emo_net *n;
	assert_int_equal(emo_load(cfg, NULL, &n, why, sizeof why), EMO_EMODEL);
	assert_non_null(strstr(why, "outputs"));
	assert_int_equal(emo_load("/nonexistent.cfg", NULL, &n, why, sizeof why), EMO_EMODEL);
	assert_non_null(strstr(why, "/nonexistent.cfg"));
	unlink(cfg);
}

static void classify_deterministic(void **state)
{
	char cfg[4096], weights[4096], why[512];
	snprintf(cfg, sizeof cfg, "%s/nets/emotion.cfg", datadir());
	snprintf(weights, sizeof weights, "%s/weights/emotion.weights", datadir());
	/* the weights are part of the repository: missing is a failure */
	struct emo_net *n;
	assert_int_equal(emo_load(cfg, weights, &n, why, sizeof why), 0);
	struct img im;
	gradient(&im, 64, 64);
	float a[VOCAB_NCLASSES], b[VOCAB_NCLASSES], s = 0;
	struct vocab_box box = { 8, 8, 48, 48 };
	assert_int_equal(emo_classify(n, &im, &box, a), 0);
	assert_int_equal(emo_classify(n, &im, &box, b), 0);
	for (int i = 0; i < VOCAB_NCLASSES; i++) {
		assert_memory_equal(&a[i], &b[i], sizeof a[i]);
		s += a[i];
	}
	assert_float_equal(s, 1.0, 1e-5);
	struct vocab_box empty = { 0, 0, 0, 0 };
	assert_int_equal(emo_classify(n, &im, &empty, a), EMO_EINVAL);
	img_free(&im);
	emo_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(argmax),
		cmocka_unit_test(preprocess_identity_and_flip),
		cmocka_unit_test(preprocess_box),
		cmocka_unit_test(refuses_wrong_networks),
		cmocka_unit_test(classify_deterministic),
	};
	return cmocka_run_group_tests_name("emo", tests, NULL, NULL);
}
