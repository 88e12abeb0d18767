/*
 * Soak test: the whole app (vision thread on a file source, library,
 * recommender, player on the null output) runs until N frames have been
 * classified and M short tracks have played; no leak (LeakSanitizer at
 * exit under --enable-sanitizers) and no growth of the resident memory
 * between a checkpoint early in the run and its end.
 *
 * Default: 600 frames and 30 tracks (short enough for CI, twice).
 * The full run: EMOTUNE_SOAK_FRAMES=10000 EMOTUNE_SOAK_TRACKS=200
 * (EMOTUNE_SOAK_SECONDS caps the wall-clock time; default from N and M).
 * Without an emotion model in the tree the frames part is skipped (said
 * on stderr) and only the tracks are soaked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app_util.h"

/* Under ASan, a small quarantine so that freed memory is reused and the
 * resident size means something. Ignored without ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=4:malloc_context_size=8";
}

static char dir[64];

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

struct goal {
	uint64_t frames;
	int tracks;
	int vision;          /* frames are expected */
	long rss_mid;        /* measured at the checkpoint */
	int mid_done;
};

static int soaked(struct app *a, const struct app_snapshot *s, const struct util_seen *n, void *arg)
{
	(void)a;
	struct goal *g = arg;
	int frames_ok = !g->vision || s->frame_seq >= g->frames;
	if (!g->mid_done && n->starts >= g->tracks / 4 && (!g->vision || s->frame_seq >= g->frames / 4)) {
		g->mid_done = 1;
		g->rss_mid = rss_kb();
	}
	return frames_ok && n->starts >= g->tracks;
}

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	return v && atoi(v) > 0 ? atoi(v) : def;
}

static void soak(void **state)
{
	(void)state;
	char music[128], db[128], video[128], empty[128], src[160], buf[160];
	struct goal g = { .frames = (uint64_t)env_int("EMOTUNE_SOAK_FRAMES", 600),
			  .tracks = env_int("EMOTUNE_SOAK_TRACKS", 30) };
	strcpy(dir, "/tmp/emotune-soak-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(buf, sizeof buf, "%s/state", dir);
	setenv("XDG_STATE_HOME", buf, 1);
	snprintf(music, sizeof music, "%s/lib", dir);
	snprintf(db, sizeof db, "%s/lib.db", dir);
	snprintf(video, sizeof video, "%s/faces.y4m", dir);
	snprintf(empty, sizeof empty, "%s/empty", dir);
	mkdir(empty, 0700);
	/* more tracks than plays, so that no-repeat has room; 0.1 s each */
	util_library(music, db, g.tracks + 25, 0.1);
	util_y4m(video, 50);
	snprintf(src, sizeof src, "file:%s", video);

	struct config *cfg = config_new();
	assert_int_equal(config_set(cfg, "audio", "null"), 0);
	assert_int_equal(config_set(cfg, "music", empty), 0);
	assert_int_equal(config_set(cfg, "db", db), 0);
	assert_int_equal(config_set(cfg, "source", src), 0);
	assert_int_equal(config_set(cfg, "pace", "no"), 0);

	struct app *a;
	static struct app_snapshot s;
	struct util_seen seen = { 0 };
	assert_int_equal(app_new(cfg, &a), 0);
	app_set_autoplay(a, 1);
	assert_int_equal(app_start(a), 0);
	/* is the camera pipeline there (emotion model in the tree)? */
	double t0 = util_now();
	while (util_now() - t0 < 30) {
		app_snapshot(a, &s);
		if (s.frame_seq > 0 || strstr(seen.log, "absent"))
			break;
		struct pollfd p = { .fd = app_wake_fd(a), .events = POLLIN };
		poll(&p, 1, 200);
		app_drain(a);
		struct app_event ev;
		while (app_next_event(a, &ev))
			if (ev.type == APP_EV_CAMERA)
				util_log(&seen, ev.text);
	}
	g.vision = s.frame_seq > 0;
	if (!g.vision)
		fprintf(stderr, "# no frames (camera: %s): soaking the tracks only\n", seen.log);
	long rss0 = rss_kb();
	double start = util_now();
	/* a generous cap: a loaded machine under ASan classifies ~5 frames/s */
	double cap = env_int("EMOTUNE_SOAK_SECONDS", 300 + g.tracks * 2 + (int)(g.frames / 5));
	int done = util_run(a, &s, &seen, cap, soaked, &g);
	double secs = util_now() - start;
	long rss1 = rss_kb();
	fprintf(stderr, "# soak: %llu frames (%.0f/s), %d tracks started, %d ended, %d warnings, %d errors in %.1f s; "
		"RSS %ld kB at start, %ld kB at the checkpoint, %ld kB at the end\n",
		(unsigned long long)s.frame_seq, s.frame_seq / (secs > 0 ? secs : 1), seen.starts,
		seen.ends, seen.warnings, seen.errors, secs, rss0, g.rss_mid, rss1);
	if (seen.warnings)
		fprintf(stderr, "# last warning: %s\n", seen.last_warning);
	assert_true(done);
	assert_int_equal(seen.errors, 0);
	assert_true(g.mid_done);
	/* no growth: what the second three quarters of the run added */
	long growth = rss1 - g.rss_mid;
	long allowed = 8192 + g.rss_mid / 10;
	if (growth > allowed)
		fail_msg("resident memory grew by %ld kB (allowed %ld)", growth, allowed);
	app_stop(a);
	app_free(a);
	config_free(cfg);
	snprintf(buf, sizeof buf, "rm -rf '%s'", dir);
	assert_int_equal(system(buf), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(soak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
