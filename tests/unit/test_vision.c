/* Unit tests for vision: the thread with a stand-in engine: snapshots,
 * tracking ids, the mood over frames, camera off/on, file end, absent
 * camera, the demo source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vision.h"

struct fake {
	int calls, freed;
};

/* One face, a box at the frame centre; happy before t = 2 s (frame 60),
 * surprise after (by brightness of nothing: by call count). */
static int detect(void *ctx, const struct img *g, struct vocab_box *out, int max)
{
	out[0] = (struct vocab_box){ g->w / 4, g->h / 4, g->w / 2, g->h / 2 };
	return 1;
}

static int classify(void *ctx, const struct img *g, const struct vocab_box *b, float p[VOCAB_NCLASSES])
{
	struct fake *f = ctx;
	int c = f->calls++ < 60 ? 3 : 6;
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		p[i] = 0.05f;
	p[c] = 0.7f;
	return 0;
}

static void fake_free(void *ctx)
{
	((struct fake *)ctx)->freed++;
}

static struct vision_snapshot snap;

static struct vision *start(const char *source, struct fake *f, int lockstep)
{
	struct vision_params p;
	vision_params_default(&p);
	p.source = source;
	p.lockstep = lockstep;
	struct vision_engine e = { .ctx = f, .detect = detect, .classify = classify, .free = fake_free };
	struct vision *v;
	char why[128];
	assert_int_equal(vision_new(NULL, &p, &e, &v, why, sizeof why), 0);
	assert_int_equal(vision_start(v), 0);
	return v;
}

/* Waits for a snapshot satisfying cond (max 5 s). */
static int wait_for(struct vision *v, int (*cond)(void))
{
	for (int i = 0; i < 500; i++) {
		struct pollfd p = { .fd = vision_wake_fd(v), .events = POLLIN };
		poll(&p, 1, 10);
		vision_drain(v);
		vision_snapshot(v, &snap);
		if (cond())
			return 1;
	}
	return 0;
}

static int got_90(void) { return snap.frame_seq >= 90; }
static int is_off(void) { return snap.camera == VISION_CAM_OFF; }
static int got_frame(void) { return snap.frame_seq > 0 && snap.camera == VISION_CAM_OK; }
static int is_done(void) { return snap.done; }

static void frames_and_mood(void **state)
{
	struct fake f = { 0 };
	struct vision *v = start("test:320x240", &f, 1);
	uint64_t last = 0;
	int ids = 0, changes = 0, prev = -1;
	while (last < 150) {
		assert_true(wait_for(v, got_frame));
		if (snap.frame_seq == last)
			continue;
		assert_int_equal(snap.frame_seq, last + 1);   /* lockstep: none missed */
		last = snap.frame_seq;
		assert_int_equal(snap.frame_w, 320);
		assert_int_equal(snap.frame_h, 240);
		assert_int_equal(snap.preview_w, 160);
		assert_int_equal(snap.preview_h, 120);
		assert_int_equal(snap.nfaces, 1);
		/* the tracker's box: square, side the mean of 160x120 */
		assert_int_equal(snap.faces[0].box.x, 90);
		assert_int_equal(snap.faces[0].box.w, 140);
		assert_int_equal(snap.faces[0].box.h, 140);
		ids |= 1 << snap.faces[0].id;
		if (snap.win.mood != prev) {
			changes++;
			prev = snap.win.mood;
		}
	}
	assert_int_equal(ids, 1 << 1);          /* one face, one id */
	assert_int_equal(prev, 6);              /* surprise at the end */
	assert_int_equal(changes, 2);           /* happy, then surprise */
	assert_true(snap.fps > 0);
	assert_string_equal(vision_camera_name(snap.camera), "ok");
	assert_non_null(strstr(snap.source, "synthetic"));
	vision_free(v);
	assert_int_equal(f.freed, 1);
}

static void camera_off_on(void **state)
{
	struct fake f = { 0 };
	struct vision *v = start("test:320x240", &f, 0);
	assert_true(wait_for(v, got_frame));
	vision_set_camera(v, 0);
	assert_true(wait_for(v, is_off));
	assert_int_equal(snap.nfaces, 0);
	vision_set_camera(v, 1);
	uint64_t seq = snap.frame_seq;
	assert_true(wait_for(v, got_frame));
	assert_true(wait_for(v, got_90));
	assert_true(snap.frame_seq > seq);
	vision_stop(v);
	vision_free(v);
}

/* A gray Y4M file at path (a mkstemp template): n frames of w x h at fps,
 * black, and of luma lit from frame lit_from on. */
static void write_y4m(char *path, int w, int h, int fps, int n, int lit_from, int lit)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char head[64];
	int len = snprintf(head, sizeof head, "YUV4MPEG2 W%d H%d F%d:1 Cmono\n", w, h, fps);
	assert_int_equal(write(fd, head, (size_t)len), len);
	uint8_t *px = malloc((size_t)w * (size_t)h);
	assert_non_null(px);
	for (int i = 0; i < n; i++) {
		memset(px, i < lit_from ? 20 : lit, (size_t)w * (size_t)h);
		assert_int_equal(write(fd, "FRAME\n", 6), 6);
		assert_int_equal(write(fd, px, (size_t)w * (size_t)h), (ssize_t)w * h);
	}
	free(px);
	close(fd);
}

static void file_end_and_errors(void **state)
{
	struct fake f = { 0 };
	char path[] = "/tmp/emotune-vision-XXXXXX";
	write_y4m(path, 128, 100, 10, 3, 0, 0);
	char spec[64];
	snprintf(spec, sizeof spec, "file:%s", path);
	struct vision *v = start(spec, &f, 0);
	assert_true(wait_for(v, is_done));
	assert_int_equal(snap.camera, VISION_CAM_ENDED);
	assert_int_equal(snap.frame_seq, 3);
	vision_free(v);
	unlink(path);

	v = start("file:/nonexistent.y4m", &f, 0);
	assert_true(wait_for(v, is_done));
	assert_int_equal(snap.camera, VISION_CAM_ERROR);
	assert_non_null(strstr(snap.camera_msg, "/nonexistent.y4m"));
	vision_free(v);
}

static int absent_or_lost(void) { return snap.camera == VISION_CAM_ABSENT; }

static void absent_camera(void **state)
{
	struct fake f = { 0 };
	struct vision *v = start("v4l2:/dev/nonexistent-video", &f, 0);
	assert_true(wait_for(v, absent_or_lost));
	assert_non_null(strstr(snap.camera_msg, "No such file"));
	assert_int_equal(snap.done, 0);   /* keeps retrying */
	vision_free(v);
}

static void demo_without_camera(void **state)
{
	char buf[64];
	FILE *p = popen("ls /dev/video* 2>/dev/null", "r");
	int any = p && fgets(buf, sizeof buf, p) != NULL;
	if (p)
		pclose(p);
	if (any)
		skip();   /* a real camera here: the demo is not used */
	struct fake f = { 0 };
	struct vision *v = start(NULL, &f, 0);
	assert_true(wait_for(v, got_frame));
	assert_int_equal(snap.demo, 1);
	assert_non_null(strstr(snap.camera_msg, "demo source"));
	vision_free(v);
}

/* An engine that sees a face in bright frames only (mean luma > 100) and
 * has detect_sized: counts whole-frame and near-face searches. */
struct lit {
	int full, sized, roi_ok, no_face;
};

static int bright(const struct img *g)
{
	long sum = 0;
	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++)
			sum += g->px[(size_t)y * (size_t)g->stride + (size_t)x];
	return sum > 100L * g->w * g->h;
}

static int lit_detect(void *ctx, const struct img *g, struct vocab_box *out, int max)
{
	struct lit *l = ctx;
	l->full++;
	if (l->no_face || !bright(g))
		return 0;
	out[0] = (struct vocab_box){ g->w / 2 - 20, g->h / 2 - 20, 40, 40 };
	return 1;
}

static int lit_sized(void *ctx, const struct img *g, int min_size, int max_size,
		     struct vocab_box *out, int max)
{
	struct lit *l = ctx;
	l->sized++;
	/* a margin around the 40 px face, for faces of about its size */
	l->roi_ok += g->w < 100 && g->w > 40 && min_size < 40 && max_size > 40;
	if (!bright(g))
		return 0;
	out[0] = (struct vocab_box){ g->w / 2 - 20, g->h / 2 - 20, 40, 40 };
	return 1;
}

static int lit_classify(void *ctx, const struct img *g, const struct vocab_box *b, float p[VOCAB_NCLASSES])
{
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		p[i] = 1.0f / VOCAB_NCLASSES;
	return 0;
}

static struct vision *start_lit(const char *source, struct lit *l, int realtime)
{
	struct vision_params p;
	vision_params_default(&p);
	p.source = source;
	p.lockstep = 1;
	p.realtime = realtime;
	struct vision_engine e = { .ctx = l, .detect = lit_detect, .classify = lit_classify,
				   .detect_sized = lit_sized };
	struct vision *v;
	char why[128];
	assert_int_equal(vision_new(NULL, &p, &e, &v, why, sizeof why), 0);
	assert_int_equal(vision_start(v), 0);
	return v;
}

/* 120 frames at 30 fps: dark until frame 45 (t = 1.5 s), then a face. The
 * whole frame is searched every 0.2 s, the face's surroundings in between;
 * the face is found within 0.3 s and kept on every frame after. */
static void search_schedule(void **state)
{
	char path[] = "/tmp/emotune-vision-XXXXXX";
	write_y4m(path, 160, 120, 30, 120, 45, 200);
	char spec[64];
	snprintf(spec, sizeof spec, "file:%s", path);
	struct lit l = { 0 };
	struct vision *v = start_lit(spec, &l, 0);
	uint64_t last = 0;
	double found = -1;
	while (last < 120) {
		assert_true(wait_for(v, got_frame));
		if (snap.frame_seq == last)
			continue;
		last = snap.frame_seq;
		if (found < 0 && snap.nfaces)
			found = snap.t;
		if (found >= 0)
			assert_int_equal(snap.nfaces, 1);
		assert_int_equal(snap.idle, 0);
	}
	assert_true(found >= 1.5 && found <= 1.5 + 0.3);
	assert_in_range(l.full, 19, 21);       /* 4 s, every 0.2 s */
	assert_true(l.sized >= 55);            /* the other frames with a face */
	assert_int_equal(l.roi_ok, l.sized);
	assert_true(l.full + l.sized <= 120);
	vision_free(v);
	unlink(path);
}

static int past_12s(void) { return snap.t >= 12.0; }

/* No face for 10 s: idle; a live source is then processed 5 times a
 * second (frame times 0.2 s apart), each frame searched whole. Takes 12 s. */
static void idle_without_face(void **state)
{
	struct lit l = { .no_face = 1 };
	struct vision *v = start_lit("test:160x120", &l, 1);
	uint64_t last = 0;
	double prev = -1;
	int idle_frames = 0;
	while (!past_12s()) {
		assert_true(wait_for(v, got_frame));
		if (snap.frame_seq == last)
			continue;
		last = snap.frame_seq;
		assert_int_equal(snap.idle, snap.t >= 10.0 - 1e-6);
		if (snap.idle && prev >= 10.0) {
			assert_true(snap.t - prev >= 0.19);
			idle_frames++;
		}
		prev = snap.t;
	}
	assert_in_range(idle_frames, 8, 11);   /* 2 s at 5 a second */
	vision_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(search_schedule),
		cmocka_unit_test(idle_without_face),
		cmocka_unit_test(frames_and_mood),
		cmocka_unit_test(camera_off_on),
		cmocka_unit_test(file_end_and_errors),
		cmocka_unit_test(absent_camera),
		cmocka_unit_test(demo_without_camera),
	};
	return cmocka_run_group_tests_name("vision", tests, NULL, NULL);
}
