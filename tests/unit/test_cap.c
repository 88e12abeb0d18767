/* Unit tests for cap: file sources (still image, folder, Y4M), the test
 * source, bad specs and bad files. (V4L2: tests/cli/fakecam.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cap.h"
#include "test_tmp.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/emotune-cap-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

static const char *path(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void write_file(const char *name, const void *data, size_t n)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void write_pgm(const char *name, int w, int h, int v)
{
	char buf[4096];
	int l = snprintf(buf, sizeof buf, "P5\n%d %d\n255\n", w, h);
	memset(buf + l, v, (size_t)(w * h));
	write_file(name, buf, (size_t)l + (size_t)(w * h));
}

/* A Y4M stream: header + nframes frames (luma = frame index * 10), the last
 * one cut to `last` bytes of payload when last >= 0. */
static void write_y4m(const char *name, const char *hdr, int w, int h, size_t chroma,
		      int nframes, long last)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	fputs(hdr, f);
	size_t fb = (size_t)(w * h) + chroma;
	uint8_t *px = malloc(fb);
	for (int i = 0; i < nframes; i++) {
		fputs("FRAME\n", f);
		memset(px, i * 10, (size_t)(w * h));
		memset(px + w * h, 128, chroma);
		size_t n = (i == nframes - 1 && last >= 0) ? (size_t)last : fb;
		fwrite(px, 1, n, f);
	}
	free(px);
	fclose(f);
}

static struct cap *open_ok(const char *spec, int loop)
{
	struct cap_params p;
	struct cap *c;
	char why[256];
	cap_params_default(&p);
	p.loop = loop;
	int err = cap_open(spec, &p, &c, why, sizeof why);
	if (err)
		fail_msg("%s: %s", spec, why);
	return c;
}

static int open_err(const char *spec, char *why, size_t n)
{
	struct cap *c = NULL;
	int err = cap_open(spec, NULL, &c, why, n);
	assert_null(c);
	return err;
}

static void bad_specs(void **state)
{
	char why[256], spec[300];
	assert_int_equal(open_err("nope:x", why, sizeof why), CAP_EINVAL);
	assert_int_equal(open_err("", why, sizeof why), CAP_EINVAL);
	assert_int_equal(open_err("file:", why, sizeof why), CAP_EINVAL);
	assert_int_equal(open_err("file:/nonexistent/x.png", why, sizeof why), CAP_ENOENT);
	assert_non_null(strstr(why, "/nonexistent/x.png"));
	assert_int_equal(open_err("v4l2:/nonexistent/video0", why, sizeof why), CAP_ENOENT);
	assert_int_equal(open_err("test:9x9", why, sizeof why), CAP_EINVAL);
	assert_int_equal(open_err("test:axb", why, sizeof why), CAP_EINVAL);
	write_file("junk.png", "not a png", 9);
	snprintf(spec, sizeof spec, "file:%s", path("junk.png"));
	assert_int_equal(open_err(spec, why, sizeof why), CAP_EDECODE);
	assert_string_not_equal(cap_strerror(CAP_EBUSY), "unknown error");
}

static void still_image(void **state)
{
	char spec[300];
	write_pgm("face.pgm", 48, 48, 77);
	snprintf(spec, sizeof spec, "file:%s", path("face.pgm"));
	struct cap *c = open_ok(spec, 0);
	struct cap_frame f;
	char why[256];
	for (int i = 0; i < 40; i++) {
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
		assert_int_equal(f.img.w, 48);
		assert_int_equal(f.img.h, 48);
		assert_int_equal(f.img.px[0], 77);
		assert_int_equal(f.seq, (uint64_t)i);
		assert_true(f.t > i / 30.0 - 1e-9 && f.t < i / 30.0 + 1e-9);
	}
	assert_true(cap_fps(c) == 30);
	cap_close(c);
}

static void folder(void **state)
{
	char spec[400], why[256], sub[300];
	snprintf(sub, sizeof sub, "%s/dir", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_pgm("dir/b.pgm", 16, 16, 20);
	write_pgm("dir/a.pgm", 16, 16, 10);
	write_file("dir/c.txt", "hello", 5);
	write_pgm("dir/d.pgm", 8, 8, 40);          /* another size */
	snprintf(spec, sizeof spec, "file:%s", sub);
	struct cap *c = open_ok(spec, 1);
	struct cap_frame f;
	int want[] = { 10, 20, -1, 40, 10, 20 };
	for (int i = 0; i < 6; i++) {
		int err = cap_read(c, &f, 100, why, sizeof why);
		if (want[i] < 0) {
			assert_int_equal(err, CAP_ESKIP);
			assert_non_null(strstr(why, "c.txt"));
			continue;
		}
		assert_int_equal(err, 0);
		assert_int_equal(f.img.px[0], want[i]);
	}
	cap_close(c);
	/* without --loop: the end */
	c = open_ok(spec, 0);
	int frames = 0, skips = 0, err;
	while ((err = cap_read(c, &f, 100, why, sizeof why)) != CAP_EOF) {
		if (err == CAP_ESKIP)
			skips++;
		else {
			assert_int_equal(err, 0);
			frames++;
		}
	}
	assert_int_equal(frames, 3);
	assert_int_equal(skips, 1);
	cap_close(c);
}

static void folder_without_images(void **state)
{
	char spec[400], why[256], sub[300];
	snprintf(sub, sizeof sub, "%s/junk", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(spec, sizeof spec, "file:%s", sub);
	assert_int_equal(open_err(spec, why, sizeof why), CAP_ENOENT);   /* empty */
	write_file("junk/a.txt", "a", 1);
	write_file("junk/b.txt", "b", 1);
	struct cap *c = open_ok(spec, 1);
	struct cap_frame f;
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_ESKIP);
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EDECODE);
	assert_non_null(strstr(why, "no readable images"));
	cap_close(c);
}

static void y4m_good(void **state)
{
	char spec[300], why[256];
	write_y4m("v.y4m", "YUV4MPEG2 W8 H4 F10:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n", 8, 4,
		  2 * 4 * 2, 3, -1);
	snprintf(spec, sizeof spec, "file:%s", path("v.y4m"));
	struct cap *c = open_ok(spec, 0);
	assert_true(cap_fps(c) == 10);
	struct cap_frame f;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
		assert_int_equal(f.img.w, 8);
		assert_int_equal(f.img.h, 4);
		assert_int_equal(f.img.px[31], i * 10);
		assert_true(f.t > i * 0.1 - 1e-9 && f.t < i * 0.1 + 1e-9);
	}
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EOF);
	cap_close(c);
	/* --loop: round again, time goes on */
	c = open_ok(spec, 1);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
		assert_int_equal(f.img.px[0], (i % 3) * 10);
	}
	assert_true(f.t > 0.6 - 1e-9);
	cap_close(c);
	/* other chroma layouts; no C means 420jpeg */
	write_y4m("m.y4m", "YUV4MPEG2 W5 H3 F25:1 Cmono\n", 5, 3, 0, 2, -1);
	write_y4m("h.y4m", "YUV4MPEG2 W5 H3 F25:1 C444\n", 5, 3, 30, 2, -1);
	write_y4m("o.y4m", "YUV4MPEG2 W5 H3 F25:1\n", 5, 3, 2 * 3 * 2, 2, -1);
	const char *names[] = { "m.y4m", "h.y4m", "o.y4m" };
	for (int k = 0; k < 3; k++) {
		snprintf(spec, sizeof spec, "file:%s", path(names[k]));
		c = open_ok(spec, 0);
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
		assert_int_equal(f.img.px[14], 10);
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EOF);
		cap_close(c);
	}
}

/* Deeper than 8 bits (ffmpeg's C420p10, Cmono16, ...): 2-byte little-endian
 * samples; the frames are read, each pixel their 8 high bits (issue 16: a
 * 10-bit file was read as 8-bit, one garbage frame, then a bad frame header). */
static void write_deep(const char *name, const char *hdr, int depth, int w, int h,
		       size_t chroma_samples, int nframes)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	fputs(hdr, f);
	for (int i = 0; i < nframes; i++) {
		fputs("FRAME\n", f);
		for (int k = 0; k < w * h; k++) {
			unsigned v = (unsigned)(k + i * 40) << (depth - 8) | 1u;   /* low bits: noise */
			fputc((int)(v & 0xff), f);
			fputc((int)(v >> 8), f);
		}
		for (size_t k = 0; k < chroma_samples; k++) {
			fputc(0, f);
			fputc(1 << (depth - 9), f);   /* mid grey */
		}
	}
	fclose(f);
}

static void y4m_deep(void **state)
{
	static const struct { const char *name, *hdr; int depth; size_t chroma; } v[] = {
		{ "d10.y4m", "YUV4MPEG2 W4 H2 F25:1 Ip A1:1 C420p10 XYSCSS=420P10\n", 10, 2 * 2 * 1 },
		{ "d12.y4m", "YUV4MPEG2 W4 H2 F25:1 C422p12\n", 12, 2 * 2 * 2 },
		{ "d16.y4m", "YUV4MPEG2 W4 H2 F25:1 C444p16\n", 16, 2 * 4 * 2 },
		{ "m16.y4m", "YUV4MPEG2 W4 H2 F25:1 Cmono16\n", 16, 0 },
		{ "m10.y4m", "YUV4MPEG2 W4 H2 F25:1 Cmono10\n", 10, 0 },
	};
	char spec[300], why[256];
	struct cap_frame f;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		write_deep(v[i].name, v[i].hdr, v[i].depth, 4, 2, v[i].chroma, 3);
		snprintf(spec, sizeof spec, "file:%s", path(v[i].name));
		struct cap *c = open_ok(spec, 0);
		for (int fr = 0; fr < 3; fr++) {
			int err = cap_read(c, &f, 100, why, sizeof why);
			if (err)
				fail_msg("%s frame %d: %d %s", v[i].name, fr, err, why);
			assert_int_equal(f.img.w, 4);
			assert_int_equal(f.img.h, 2);
			for (int k = 0; k < 8; k++)
				if (f.img.px[k] != k + fr * 40)
					fail_msg("%s frame %d pixel %d: %d", v[i].name, fr, k, f.img.px[k]);
		}
		assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EOF);
		cap_close(c);
	}
	/* depths outside 9-16 and unknown layouts are refused up front */
	static const char *const bad[] = { "C420p8", "C420p17", "Cmono7", "C420p", "C420foo", "C411p10x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char hdr[80];
		snprintf(hdr, sizeof hdr, "YUV4MPEG2 W4 H2 F25:1 %s\n", bad[i]);
		write_file("bd.y4m", hdr, strlen(hdr));
		snprintf(spec, sizeof spec, "file:%s", path("bd.y4m"));
		if (open_err(spec, why, sizeof why) != CAP_EDECODE || !strstr(why, "unsupported colour space"))
			fail_msg("%s: %s", bad[i], why);
	}
}

static void y4m_truncated(void **state)
{
	char spec[300], why[256];
	write_y4m("t.y4m", "YUV4MPEG2 W8 H4 F30:1 C420jpeg\n", 8, 4, 16, 3, 20);
	snprintf(spec, sizeof spec, "file:%s", path("t.y4m"));
	struct cap *c = open_ok(spec, 0);
	struct cap_frame f;
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_ESKIP);
	assert_non_null(strstr(why, "truncated last frame"));
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EOF);
	cap_close(c);
	/* a frame header cut short */
	write_file("t2.y4m", "YUV4MPEG2 W2 H2 F30:1 Cmono\nFRAME\nabcdFRA", 39);
	snprintf(spec, sizeof spec, "file:%s", path("t2.y4m"));
	c = open_ok(spec, 0);
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_ESKIP);
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EOF);
	cap_close(c);
}

static void y4m_bad(void **state)
{
	static const char *const hdrs[] = {
		"YUV4MPEG3 W8 H4 F30:1\n",
		"YUV4MPEG2 H4 F30:1\n",
		"YUV4MPEG2 W8 H4 F30:0\n",
		"YUV4MPEG2 W0 H4\n",
		"YUV4MPEG2 W8 H-4\n",
		"YUV4MPEG2 W99999 H4\n",
		"YUV4MPEG2 W8 H4 Cfancy\n",
		"YUV4MPEG2 W8 H4",
	};
	char spec[300], why[256];
	for (size_t i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
		write_file("bad.y4m", hdrs[i], strlen(hdrs[i]));
		snprintf(spec, sizeof spec, "file:%s", path("bad.y4m"));
		assert_int_equal(open_err(spec, why, sizeof why), CAP_EDECODE);
		assert_non_null(strstr(why, "bad Y4M header"));
	}
	/* bad frame marker */
	write_file("bf.y4m", "YUV4MPEG2 W2 H2 F30:1 Cmono\nFRAMX\nabcd", 38);
	snprintf(spec, sizeof spec, "file:%s", path("bf.y4m"));
	struct cap *c = open_ok(spec, 0);
	struct cap_frame f;
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), CAP_EDECODE);
	assert_non_null(strstr(why, "bad Y4M frame header"));
	cap_close(c);
}

static void test_source(void **state)
{
	struct cap *c = open_ok("test:320x240", 0);
	struct cap_frame f;
	char why[256], desc[256];
	assert_int_equal(cap_read(c, &f, 100, why, sizeof why), 0);
	assert_int_equal(f.img.w, 320);
	assert_int_equal(f.img.h, 240);
	/* the face is brighter than the background at the centre */
	assert_true(f.img.px[120 * 320 + 160 - 40] > f.img.px[5 * 320 + 5]);
	cap_describe(c, desc, sizeof desc);
	assert_non_null(strstr(desc, "synthetic"));
	assert_string_equal(cap_spec(c), "test:320x240");
	cap_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_specs),
		cmocka_unit_test(still_image),
		cmocka_unit_test(folder),
		cmocka_unit_test(folder_without_images),
		cmocka_unit_test(y4m_good),
		cmocka_unit_test(y4m_deep),
		cmocka_unit_test(y4m_truncated),
		cmocka_unit_test(y4m_bad),
		cmocka_unit_test(test_source),
	};
	return cmocka_run_group_tests_name("cap", tests, setup, teardown);
}
