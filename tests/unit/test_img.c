/* Unit tests for img: decoding (PGM/PPM from memory and file), errors,
 * resize, crop, flip, equalisation, the float-plane blur. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "img.h"

static size_t pnm(uint8_t *buf, const char *magic, int w, int h, const uint8_t *px, size_t n)
{
	int k = sprintf((char *)buf, "%s\n%d %d\n255\n", magic, w, h);
	memcpy(buf + k, px, n);
	return (size_t)k + n;
}

static void decode(void **state)
{
	(void)state;
	uint8_t buf[256];
	const uint8_t gray[6] = { 0, 10, 20, 30, 40, 255 };
	struct img im;
	size_t n = pnm(buf, "P5", 3, 2, gray, 6);
	assert_int_equal(img_load_mem(buf, n, &im), 0);
	assert_int_equal(im.w, 3);
	assert_int_equal(im.h, 2);
	assert_true(im.stride >= 3);
	assert_memory_equal(im.px, gray, 3);
	assert_int_equal(im.px[im.stride + 2], 255);
	img_free(&im);
	assert_null(im.px);

	/* colour: BT.601 luma, rounded */
	const uint8_t rgb[6] = { 255, 0, 0, 10, 200, 30 };
	n = pnm(buf, "P6", 2, 1, rgb, 6);
	assert_int_equal(img_load_mem(buf, n, &im), 0);
	assert_int_equal(im.px[0], 76);   /* 0.299 * 255 = 76.2 */
	assert_int_equal(im.px[1], 124);  /* 2.99 + 117.4 + 3.42 = 123.8 */
	img_free(&im);

	/* the same through a file */
	char path[] = "/tmp/emotune-img-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	n = pnm(buf, "P5", 3, 2, gray, 6);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
	assert_int_equal(img_load(path, &im), 0);
	assert_int_equal(im.w, 3);
	assert_int_equal(im.px[1], 10);
	img_free(&im);

	/* truncated and garbage files are refused, not crashed on */
	for (size_t cut = 0; cut < n; cut++) {
		fd = open(path, O_WRONLY | O_TRUNC);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, buf, cut), (ssize_t)cut);
		close(fd);
		int err = img_load(path, &im);
		if (err == 0) { /* stb accepts a PNM with short pixel data */
			assert_int_equal(im.w, 3);
			assert_int_equal(im.h, 2);
			assert_true(cut >= 6); /* "P5\n3 2" read */
			img_free(&im);
			continue;
		}
		assert_true(err == IMG_EDECODE || err == IMG_EINVAL);
		assert_null(im.px);
		assert_non_null(img_strerror(err));
	}
	unlink(path);
	const char junk[] = "this is not an image at all";
	assert_int_equal(img_load_mem((const uint8_t *)junk, sizeof junk, &im), IMG_EDECODE);
	assert_int_equal(img_load("/nonexistent/x.png", &im), IMG_EIO);
	assert_non_null(strstr(img_strerror(IMG_EIO), "No such file"));
	/* sizes above IMG_MAX_SIDE are refused before decoding */
	int k = sprintf((char *)buf, "P5\n%d 1\n255\n", IMG_MAX_SIDE + 1);
	assert_int_equal(img_load_mem(buf, (size_t)k + 4, &im), IMG_EINVAL);
	assert_int_equal(img_alloc(&im, 0, 5), IMG_EINVAL);
}

/* A 4x4 gray PNG (85 bytes); cut short by 8 to 40 bytes it is refused
 * with a reason that says something (issue 16: the cut inside IEND gave an
 * empty one). */
static void truncated_png(void **state)
{
	(void)state;
	static const uint8_t png[] =
		"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x04"
		"\x00\x00\x00\x04\x08\x00\x00\x00\x00\x8c\x9a\xc1\xa2\x00\x00\x00\x1c\x49\x44\x41"
		"\x54\x78\xda\x63\x60\xd0\x08\xa8\x60\xe0\x32\x8a\x6a\x62\x10\xb1\x49\xe9\x61\x90"
		"\x73\xcb\x9b\x06\x00\x27\xec\x04\xb1\xda\x10\x7f\xb6\x00\x00\x00\x00\x49\x45\x4e"
		"\x44\xae\x42\x60\x82";
	const size_t len = sizeof png - 1;
	struct img im;
	assert_int_equal(len, 85);
	assert_int_equal(img_load_mem(png, len, &im), 0);
	assert_int_equal(im.w, 4);
	assert_int_equal(im.px[5], 50);
	img_free(&im);
	for (size_t cut = 8; cut <= 40; cut++) {
		int err = img_load_mem(png, len - cut, &im);
		if (err != IMG_EDECODE)
			fail_msg("cut by %zu: %d", cut, err);
		const char *why = img_strerror(err);
		if (strlen(why) < 8)
			fail_msg("cut by %zu: reason '%s'", cut, why);
		for (const char *p = why; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				fail_msg("cut by %zu: raw byte in the reason", cut);
	}
}

static void resize_crop_flip(void **state)
{
	(void)state;
	struct img a, b, c;
	assert_int_equal(img_alloc(&a, 4, 2), 0);
	const uint8_t px[8] = { 0, 100, 200, 50, 10, 20, 30, 40 };
	memcpy(a.px, px, 8);
	/* same size: identity */
	assert_int_equal(img_alloc(&b, 4, 2), 0);
	img_resize(&a, &b);
	assert_memory_equal(b.px, px, 8);
	img_free(&b);
	/* constant images stay constant at any size */
	assert_int_equal(img_alloc(&b, 7, 5), 0);
	memset(b.px, 77, 35);
	assert_int_equal(img_alloc(&c, 3, 9), 0);
	img_resize(&b, &c);
	for (int i = 0; i < 27; i++)
		assert_int_equal(c.px[i], 77);
	img_free(&b);
	img_free(&c);
	/* halving averages pixel pairs: (0+100+10+20)/4 = 32.5 -> 33 */
	assert_int_equal(img_alloc(&b, 2, 1), 0);
	img_resize(&a, &b);
	assert_int_equal(b.px[0], 33);
	assert_int_equal(b.px[1], 80); /* (200+50+30+40)/4 */
	img_free(&b);

	/* crop with edge replication outside */
	assert_int_equal(img_crop(&a, -1, 1, 3, 2, &b), 0);
	assert_int_equal(b.w, 3);
	const uint8_t want[6] = { 10, 10, 20, 10, 10, 20 };
	assert_memory_equal(b.px, want, 6);
	img_free(&b);

	img_flip(&a);
	const uint8_t flipped[8] = { 50, 200, 100, 0, 40, 30, 20, 10 };
	assert_memory_equal(a.px, flipped, 8);
	img_free(&a);
}

static void equalize(void **state)
{
	(void)state;
	struct img a;
	assert_int_equal(img_alloc(&a, 2, 2), 0);
	const uint8_t px[4] = { 10, 20, 30, 40 };
	memcpy(a.px, px, 4);
	img_equalize(&a);
	/* OpenCV: lut[i] = round(cdf_excluding_first(i) * 255 / (N - n_first)) */
	const uint8_t want[4] = { 0, 85, 170, 255 };
	assert_memory_equal(a.px, want, 4);
	memset(a.px, 9, 4); /* flat image: unchanged */
	img_equalize(&a);
	assert_int_equal(a.px[3], 9);
	img_free(&a);
}

/* img_blur_plane: an impulse spreads into the normalised kernel along both
 * axes, a constant plane stays constant, and at the edge the border pixel
 * repeats (a step at the border is not darkened by zeros outside). */
static void blur_plane(void **state)
{
	(void)state;
	enum { W = 9, H = 7, R = 2 };
	float x[W * H] = { 0 }, ws[IMG_BLUR_WS(W, H, 8)], k[2 * R + 1], sum = 0;
	const float sigma = 1.0f;
	for (int j = -R; j <= R; j++)
		sum += k[j + R] = expf(-(float)(j * j) / (2 * sigma * sigma));
	x[3 * W + 4] = 1;
	img_blur_plane(x, W, H, sigma, R, ws);
	float total = 0;
	for (int y = 0; y < H; y++)
		for (int i = 0; i < W; i++) {
			int dy = y - 3, dx = i - 4;
			float want = abs(dx) <= R && abs(dy) <= R ? k[dx + R] * k[dy + R] / (sum * sum) : 0;
			assert_float_equal(x[y * W + i], want, 1e-6);
			total += x[y * W + i];
		}
	assert_float_equal(total, 1, 1e-5);

	for (int i = 0; i < W * H; i++)
		x[i] = 0.25f;
	img_blur_plane(x, W, H, 3.0f, 8, ws); /* a radius wider than the plane */
	for (int i = 0; i < W * H; i++)
		assert_float_equal(x[i], 0.25f, 1e-6);

	for (int y = 0; y < H; y++) /* columns 0-1 bright, the rest dark */
		for (int i = 0; i < W; i++)
			x[y * W + i] = i < 2 ? 1.0f : 0.0f;
	img_blur_plane(x, W, H, sigma, R, ws);
	float want0 = (k[0] + k[1] + k[2] + k[3]) / sum; /* j = -2..1 fall on columns 0-1 */
	assert_float_equal(x[0], want0, 1e-6);
	assert_float_equal(x[(H - 1) * W], want0, 1e-6);
	assert_float_equal(x[W - 1], 0, 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode),
		cmocka_unit_test(truncated_png),
		cmocka_unit_test(resize_crop_flip),
		cmocka_unit_test(equalize),
		cmocka_unit_test(blur_plane),
	};
	return cmocka_run_group_tests_name("img", tests, NULL, NULL);
}
