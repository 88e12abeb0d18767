/* Unit tests for haar: integral images, feature evaluation on hand-made
 * cascades, grouping, loader errors, the real cascades. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "haar.h"
#include "img.h"

static unsigned lcg(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* integral, squared integral and tilted integral against their definitions */
static void integrals(void **state)
{
	(void)state;
	const int w = 13, h = 9, stride = 17;
	struct img im;
	assert_int_equal(img_alloc(&im, w, h), 0);
	unsigned seed = 7;
	for (int i = 0; i < w * h; i++)
		im.px[i] = (uint8_t)(lcg(&seed) & 255);
	unsigned *sum = calloc((size_t)stride * (h + 1), sizeof *sum);
	unsigned *sq = calloc((size_t)stride * (h + 1), sizeof *sq);
	unsigned *tl = calloc((size_t)stride * (h + 1), sizeof *tl);
	unsigned *scratch = calloc(2 * (size_t)(w + 1), sizeof *scratch);
	haar_integral(&im, sum, sq, tl, stride, scratch);
	for (int Y = 0; Y <= h; Y++)
		for (int X = 0; X <= w; X++) {
			unsigned s = 0, q = 0, t = 0;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					unsigned v = im.px[y * w + x];
					if (y < Y && x < X) {
						s += v;
						q += v * v;
					}
					int dx = x - X + 1;
					if (dx < 0)
						dx = -dx;
					if (y < Y && dx <= Y - y - 1)
						t += v;
				}
			assert_int_equal(sum[Y * stride + X], s);
			assert_int_equal(sq[Y * stride + X], q);
			assert_int_equal(tl[Y * stride + X], t);
		}
	/* a known answer: all ones */
	memset(im.px, 1, (size_t)(w * h));
	haar_integral(&im, sum, sq, NULL, stride, scratch);
	assert_int_equal(sum[h * stride + w], w * h);
	assert_int_equal(sum[3 * stride + 5], 15);
	free(sum);
	free(sq);
	free(tl);
	free(scratch);
	img_free(&im);
}

/* A 6x6 Haar cascade: one stump on "bottom half brighter than top half". */
static const char haar6[] =
	"<?xml version=\"1.0\"?>\n<opencv_storage>\n"
	"<cascade type_id=\"opencv-cascade-classifier\"><stageType>BOOST</stageType>\n"
	"<featureType>HAAR</featureType><height>6</height><width>6</width>\n"
	"<stageParams><maxWeakCount>1</maxWeakCount></stageParams>\n"
	"<featureParams><maxCatCount>0</maxCatCount></featureParams>\n"
	"<stageNum>1</stageNum><stages><_><maxWeakCount>1</maxWeakCount>\n"
	"<stageThreshold>0.</stageThreshold><weakClassifiers>\n"
	"<!-- the only tree -->\n"
	"<_><internalNodes>0 -1 0 0.1</internalNodes><leafValues>-1. 1.</leafValues></_>\n"
	"</weakClassifiers></_></stages>\n"
	"<features><_><rects><_>0 0 6 6 -1.</_><_>0 3 6 3 2.</_></rects><tilted>0</tilted></_></features>\n"
	"</cascade></opencv_storage>\n";

static struct img make(int w, int h, int (*f)(int x, int y))
{
	struct img im;
	assert_int_equal(img_alloc(&im, w, h), 0);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			im.px[y * w + x] = (uint8_t)f(x, y);
	return im;
}

static int bottom_bright(int x, int y) { (void)x; return y >= 3 ? 200 : 0; }
static int top_bright(int x, int y) { (void)x; return y < 3 ? 200 : 0; }
static int flat(int x, int y) { (void)x; (void)y; return 90; }
static int weak_edge(int x, int y) { (void)x; return y >= 3 ? 102 : 100; }

static int raw_hits(const char *xml, const struct img *im, struct haar_rect *r, int max)
{
	struct haar_cascade *c;
	char why[200];
	int err = haar_load_mem(xml, strlen(xml), &c, why, sizeof why);
	if (err)
		fail_msg("load: %s", why);
	struct haar_detector *d;
	assert_int_equal(haar_detector_new(c, im->w, im->h, &d), 0);
	struct haar_params p;
	haar_params_default(&p);
	p.min_neighbors = 0;
	p.min_size = 0;
	int n = -1;
	assert_int_equal(haar_detect(d, im, &p, r, max, &n), 0);
	int nraw;
	haar_detector_raw(d, &nraw);
	assert_int_equal(nraw, n); /* no grouping with min_neighbors 0 */
	haar_detector_free(d);
	haar_free(c);
	return n;
}

static void haar_feature(void **state)
{
	(void)state;
	struct haar_rect r[8];
	struct img a = make(6, 6, bottom_bright), b = make(6, 6, top_bright);
	struct img c = make(6, 6, flat), e = make(6, 6, weak_edge);
	/* value = (bottom - top) / stddev-norm >= 0.1: accepted at (0,0), 6x6 */
	assert_int_equal(raw_hits(haar6, &a, r, 8), 1);
	assert_int_equal(r[0].box.x, 0);
	assert_int_equal(r[0].box.y, 0);
	assert_int_equal(r[0].box.w, 6);
	assert_int_equal(r[0].box.h, 6);
	assert_int_equal(raw_hits(haar6, &b, r, 8), 0);
	/* no variance: OpenCV rejects the window before any stage */
	assert_int_equal(raw_hits(haar6, &c, r, 8), 0);
	/* too little variance too: 484-style area * 1/stddev >= 0.1 */
	assert_int_equal(raw_hits(haar6, &e, r, 8), 0);
	img_free(&a);
	img_free(&b);
	img_free(&c);
	img_free(&e);

	/* in a larger frame: the 2-pixel step finds the edge at even rows */
	struct img big;
	assert_int_equal(img_alloc(&big, 20, 12), 0);
	for (int y = 0; y < 12; y++)
		for (int x = 0; x < 20; x++)
			big.px[y * 20 + x] = (uint8_t)(y >= 5 ? 220 : 10);
	int n = raw_hits(haar6, &big, r, 8);
	assert_true(n > 0);
	/* windows at y = 0 and 4 have a flat inner part: only y = 2 at scale 1 */
	assert_int_equal(r[0].box.x, 0);
	assert_int_equal(r[0].box.y, 2);
	assert_int_equal(r[0].box.w, 6);
	assert_int_equal(r[1].box.x, 2);
	for (int i = 0; i < n && i < 8; i++)
		assert_true(r[i].box.y <= 5 && r[i].box.y + r[i].box.h > 5);
	img_free(&big);
}

/* A 3x3 LBP cascade: code 0 (centre brighter than all 8 cells) is a hit. */
static const char lbp3[] =
	"<opencv_storage><cascade><stageType>BOOST</stageType>"
	"<featureType>LBP</featureType><height>3</height><width>3</width>"
	"<featureParams><maxCatCount>256</maxCatCount></featureParams>"
	"<stages><_><stageThreshold>0.</stageThreshold><weakClassifiers>"
	"<_><internalNodes>0 -1 0 1 0 0 0 0 0 0 0</internalNodes>"
	"<leafValues>1. -1.</leafValues></_></weakClassifiers></_></stages>"
	"<features><_><rect>0 0 1 1</rect></_></features></cascade></opencv_storage>";

static int centre_bright(int x, int y) { return x == 1 && y == 1 ? 255 : 3 * x + y; }
static int centre_dark(int x, int y) { return x == 1 && y == 1 ? 0 : 100 + x; }

static void lbp_feature(void **state)
{
	(void)state;
	struct haar_rect r[4];
	struct img a = make(3, 3, centre_bright), b = make(3, 3, centre_dark);
	/* factors 1 and 1.1 both give a 3-pixel window (3.3 rounds to 3) and a
	 * 3x3 image (3 / 1.1 rounds to 3): two hits, as OpenCV finds */
	assert_int_equal(raw_hits(lbp3, &a, r, 4), 2);
	assert_int_equal(r[0].box.w, 3);
	assert_int_equal(r[1].box.w, 3);
	assert_int_equal(raw_hits(lbp3, &b, r, 4), 0);
	img_free(&a);
	img_free(&b);
}

static void grouping(void **state)
{
	(void)state;
	int work[HAAR_GROUP_WORK(8)];
	struct haar_rect r[8] = {
		{ { 100, 100, 50, 50 }, 0 }, { { 102, 101, 50, 50 }, 0 }, { { 98, 99, 52, 52 }, 0 },
		{ { 300, 20, 40, 40 }, 0 },                 /* alone */
		{ { 104, 100, 48, 48 }, 0 },
	};
	int n = haar_group(r, 5, 2, 0.2, work);
	assert_int_equal(n, 1);
	/* mean of the 4 similar ones: x (100+102+98+104)/4 = 101 */
	assert_int_equal(r[0].box.x, 101);
	assert_int_equal(r[0].box.y, 100);
	assert_int_equal(r[0].box.w, 50);
	assert_int_equal(r[0].neighbors, 4);

	/* min_neighbors 0: no grouping at all */
	struct haar_rect s[2] = { { { 1, 1, 10, 10 }, 0 }, { { 1, 1, 10, 10 }, 0 } };
	assert_int_equal(haar_group(s, 2, 0, 0.2, work), 2);
	assert_int_equal(s[1].neighbors, 1);

	/* a small well-supported face inside a larger better-supported one goes */
	struct haar_rect t[8];
	for (int i = 0; i < 5; i++)
		t[i] = (struct haar_rect){ { 0, 0, 100, 100 }, 0 };
	for (int i = 5; i < 8; i++)
		t[i] = (struct haar_rect){ { 30, 30, 30, 30 }, 0 };
	n = haar_group(t, 8, 1, 0.2, work);
	assert_int_equal(n, 1);
	assert_int_equal(t[0].box.w, 100);

	/* halves round to even, like cvRound: (0+1)/2 = 0.5 -> 0, (1+2)/2 -> 2 */
	struct haar_rect u[2] = { { { 0, 1, 40, 40 }, 0 }, { { 1, 2, 40, 40 }, 0 } };
	n = haar_group(u, 2, 1, 0.2, work);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].box.x, 0);
	assert_int_equal(u[0].box.y, 2);

	struct haar_rect v[1] = { { { 10, 20, 30, 40 }, 0 } };
	haar_rects_scale(v, 1, 2.0);
	assert_int_equal(v[0].box.x, 20);
	assert_int_equal(v[0].box.h, 80);
}

static void expect_error(const char *xml, int want, const char *needle)
{
	struct haar_cascade *c = (struct haar_cascade *)1;
	char why[256];
	int err = haar_load_mem(xml, strlen(xml), &c, why, sizeof why);
	if (err != want)
		fail_msg("want %d got %d (%s) for %s", want, err, why, xml);
	assert_null(c);
	if (needle && !strstr(why, needle))
		fail_msg("'%s' not in '%s'", needle, why);
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	assert_non_null(at);
	size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *r = malloc(n);
	snprintf(r, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return r;
}

static void loader_errors(void **state)
{
	(void)state;
	struct haar_cascade *c;
	char why[256];
	assert_int_equal(haar_load_mem(haar6, strlen(haar6), &c, why, sizeof why), 0);
	int w, h;
	haar_window(c, &w, &h);
	assert_int_equal(w, 6);
	assert_false(haar_is_lbp(c));
	haar_free(c);

	expect_error("", HAAR_EFORMAT, "XML");
	expect_error("<opencv_storage><cascade>", HAAR_EFORMAT, "XML");
	expect_error("<a/>", HAAR_EFORMAT, "not an OpenCV cascade");
	expect_error("<opencv_storage></opencv_storage>", HAAR_EFORMAT, "no cascade");
	expect_error("<opencv_storage><c type_id=\"opencv-haar-classifier\"/></opencv_storage>",
		     HAAR_EFORMAT, "old-format");
	struct { const char *from, *to; int err; const char *needle; } cases[] = {
		{ "<featureType>HAAR", "<featureType>HOG", HAAR_EUNSUPPORTED, "feature type" },
		{ "<stageType>BOOST", "<stageType>GAB", HAAR_EUNSUPPORTED, "stage type" },
		{ "<width>6", "<width>x", HAAR_EFORMAT, "<width>" },
		{ "<height>6", "<height>100000", HAAR_EFORMAT, "<height>" },
		{ "0 -1 0 0.1", "0 -1 3 0.1", HAAR_EFORMAT, "feature 3" },
		{ "0 -1 0 0.1", "0 -1 0", HAAR_EFORMAT, "internalNodes" },
		{ "0 -1 0 0.1", "0 -5 0 0.1", HAAR_EFORMAT, "child" },
		{ "0 -1 0 0.1", "0 -1 0 zz", HAAR_EFORMAT, "internalNodes" },
		{ "-1. 1.</leafValues>", "-1.</leafValues>", HAAR_EFORMAT, "leafValues" },
		{ "0 3 6 3 2.", "0 4 6 3 2.", HAAR_EFORMAT, "outside" },
		{ "0 3 6 3 2.", "0 3 6 3", HAAR_EFORMAT, "rect" },
		{ "<tilted>0", "<tilted>1", HAAR_EFORMAT, "outside" },
		{ "<stageThreshold>0.", "<stageThreshold>", HAAR_EFORMAT, "stageThreshold" },
		{ "<features><_><rects><_>0 0 6 6 -1.</_><_>0 3 6 3 2.</_></rects><tilted>0</tilted></_></features>",
		  "", HAAR_EFORMAT, "<features> missing" },
		{ "<maxCatCount>0", "<maxCatCount>256", HAAR_EUNSUPPORTED, "maxCatCount" },
		{ "<_>0 0 6 6 -1.</_>", "<_>0 0 6 6 -1.</_><_>0 0 1 1 1</_><_>0 0 1 1 1</_>",
		  HAAR_EFORMAT, "more than 3" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *x = replace(haar6, cases[i].from, cases[i].to);
		expect_error(x, cases[i].err, cases[i].needle);
		free(x);
	}
	/* a tree whose node points back to itself would loop */
	char *x = replace(haar6, "0 -1 0 0.1</internalNodes><leafValues>-1. 1.",
			  "1 -1 0 0.1 1 -2 0 0.2</internalNodes><leafValues>-1. 1. 2.");
	expect_error(x, HAAR_EFORMAT, "child");
	free(x);
	/* every truncation of a valid cascade is refused cleanly */
	for (size_t n = 0; n < strlen(haar6) - 20; n += 7) {
		assert_int_not_equal(haar_load_mem(haar6, n, &c, why, sizeof why), 0);
		assert_null(c);
	}
	assert_int_equal(haar_load("/nonexistent/cascade.xml", &c, why, sizeof why), HAAR_EIO);
	assert_non_null(strstr(why, "No such file"));
	assert_string_equal(haar_strerror(HAAR_EFORMAT), "malformed cascade");
}

static void detector_args(void **state)
{
	(void)state;
	struct haar_cascade *c;
	assert_int_equal(haar_load_mem(haar6, strlen(haar6), &c, NULL, 0), 0);
	struct haar_detector *d;
	assert_int_equal(haar_detector_new(c, 0, 10, &d), HAAR_EINVAL);
	assert_int_equal(haar_detector_new(c, 10, 10, &d), 0);
	struct img big;
	assert_int_equal(img_alloc(&big, 11, 10), 0);
	memset(big.px, 0, 110);
	struct haar_params p;
	haar_params_default(&p);
	assert_true(p.scale > 1.09 && p.scale < 1.11);
	assert_int_equal(p.min_neighbors, 5);
	assert_int_equal(p.min_size, 40);
	struct haar_rect r[4];
	int n;
	assert_int_equal(haar_detect(d, &big, &p, r, 4, &n), HAAR_EINVAL); /* too wide */
	big.w = 10;
	big.stride = 11;
	p.scale = 1.0;
	assert_int_equal(haar_detect(d, &big, &p, r, 4, &n), HAAR_EINVAL); /* scale */
	p.scale = 1.2;
	p.min_size = 0;
	assert_int_equal(haar_detect(d, &big, &p, r, 4, &n), 0);
	assert_int_equal(n, 0);
	img_free(&big);
	haar_detector_free(d);
	haar_free(c);
	char buf[256];
	assert_int_equal(haar_default_cascade(buf, sizeof buf), 0);
	assert_non_null(strstr(buf, "haarcascade_frontalface_default.xml"));
	assert_int_equal(haar_default_cascade(buf, 8), HAAR_ENOMEM);
}

/* Every cascade Debian ships loads (new format) or is refused (old one). */
static void real_cascades(void **state)
{
	(void)state;
	const char *dirs[] = { HAAR_CASCADE_DIR, HAAR_LBP_CASCADE_DIR };
	int loaded = 0;
	for (int k = 0; k < 2; k++) {
		DIR *dir = opendir(dirs[k]);
		if (!dir)
			continue;
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (!strstr(e->d_name, ".xml"))
				continue;
			char path[512], why[256];
			snprintf(path, sizeof path, "%s/%s", dirs[k], e->d_name);
			FILE *f = fopen(path, "r");
			char head[4096] = "";
			size_t got = fread(head, 1, sizeof head - 1, f);
			head[got] = '\0';
			fclose(f);
			int old = strstr(head, "opencv-haar-classifier") != NULL;
			struct haar_cascade *c;
			int err = haar_load(path, &c, why, sizeof why);
			if (old) {
				assert_int_equal(err, HAAR_EFORMAT);
				continue;
			}
			if (err)
				fail_msg("%s: %s", path, why);
			struct haar_detector *d;
			assert_int_equal(haar_detector_new(c, 64, 48, &d), 0);
			haar_detector_free(d);
			haar_free(c);
			loaded++;
		}
		closedir(dir);
	}
	if (!loaded)
		skip(); /* opencv-data not installed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integrals),
		cmocka_unit_test(haar_feature),
		cmocka_unit_test(lbp_feature),
		cmocka_unit_test(grouping),
		cmocka_unit_test(loader_errors),
		cmocka_unit_test(detector_args),
		cmocka_unit_test(real_cascades),
	};
	return cmocka_run_group_tests_name("haar", tests, NULL, NULL);
}
