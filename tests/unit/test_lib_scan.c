/* Unit tests for lib_scan: name checks, and a background scan driven through
 * the snapshot/wake-fd API (rescan, change, prune, cancel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <poll.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib_db.h"
#include "lib_scan.h"
#include "test_tmp.h"

static char dir[] = "/tmp/emotune-scan-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

static void names(void **state)
{
	assert_true(lib_scan_is_audio_name("a.flac"));
	assert_true(lib_scan_is_audio_name("B.FLAC"));
	assert_true(lib_scan_is_audio_name("x.y.opus"));
	assert_false(lib_scan_is_audio_name("cover.jpg"));
	assert_false(lib_scan_is_audio_name(".ogg"));
	assert_false(lib_scan_is_audio_name("flac"));
	assert_true(lib_scan_name_ok("Beyoncé – Halo.mp3"));
	assert_false(lib_scan_name_ok("new\nline.wav"));
	assert_false(lib_scan_name_ok("tab\t.wav"));
	assert_false(lib_scan_name_ok("bad\xff.wav"));
	assert_false(lib_scan_name_ok("overlong\xc0\xaf.wav"));
	assert_false(lib_scan_name_ok("surrogate\xed\xa0\x80.wav"));
	char buf[64];
	lib_scan_escape("a\nb\xff\\c", buf, sizeof buf);
	assert_string_equal(buf, "a\\nb\\xff\\\\c");
	lib_scan_escape("0123456789abcdef", buf, 8);
	assert_true(strlen(buf) < 8);
}

static void tone(const char *path, double seconds, double hz)
{
	SF_INFO info = { .samplerate = 22050, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	assert_non_null(f);
	size_t n = (size_t)(seconds * 22050);
	float *x = malloc(n * sizeof *x);
	assert_non_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(0.2 * sin(2 * M_PI * hz * i / 22050) * (1 + sin(2 * M_PI * 2 * i / 22050)));
	sf_writef_float(f, x, (sf_count_t)n);
	sf_close(f);
	free(x);
}

/* Runs a scan to its end through the poll/snapshot API; returns the last snapshot. */
static struct lib_scan_snapshot run_scan(const char *db, const char *root, int *nmsg)
{
	const char *roots[] = { root, NULL };
	struct lib_scan *s;
	char why[512], msg[1024];
	struct lib_scan_opts o = { .jobs = 2, .excerpt_s = -1 };
	int err = lib_scan_start_opts(db, roots, &o, &s, why, sizeof why);
	if (err)
		fail_msg("lib_scan_start: %s", why);
	struct lib_scan_snapshot snap;
	*nmsg = 0;
	for (;;) {
		struct pollfd pf = { .fd = lib_scan_wake_fd(s), .events = POLLIN };
		poll(&pf, 1, 1000);
		char b[64];
		while (read(pf.fd, b, sizeof b) > 0)
			;
		while (lib_scan_message(s, msg, sizeof msg))
			(*nmsg)++;
		lib_scan_snapshot(s, &snap);
		assert_true(snap.done <= snap.total);
		if (snap.finished)
			break;
	}
	lib_scan_wait(s);
	while (lib_scan_message(s, msg, sizeof msg))
		(*nmsg)++;
	lib_scan_snapshot(s, &snap);
	lib_scan_free(s);
	return snap;
}

static void scan_cycle(void **state)
{
	char music[256], db[256], p[300];
	snprintf(music, sizeof music, "%s/music", dir);
	snprintf(db, sizeof db, "%s/lib.db", dir);
	assert_int_equal(mkdir(music, 0755), 0);
	snprintf(p, sizeof p, "%s/sub", music);
	assert_int_equal(mkdir(p, 0755), 0);
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%st%d.wav", music, i % 2 ? "sub/" : "", i);
		tone(p, 3, 220 + 110 * i);
	}
	snprintf(p, sizeof p, "%s/notes.txt", music);
	FILE *f = fopen(p, "w");
	fputs("not music\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/broken.wav", music);
	f = fopen(p, "w");
	fputs("RIFF....WAVEjunk", f);
	fclose(f);
	/* a symlink loop */
	snprintf(p, sizeof p, "%s/sub/loop", music);
	assert_int_equal(symlink("..", p), 0);

	int nmsg;
	struct lib_scan_snapshot s = run_scan(db, music, &nmsg);
	assert_int_equal(s.error, 0);
	assert_int_equal(s.found, 5);
	assert_int_equal(s.added, 4);
	assert_int_equal(s.failed, 1);
	assert_int_equal(nmsg, 1);              /* broken.wav */
	assert_true(s.audio_s > 11.9 && s.audio_s < 12.1);

	/* Nothing changed. */
	s = run_scan(db, music, &nmsg);
	assert_int_equal(s.added + s.updated + s.removed, 0);
	assert_int_equal(s.unchanged, 4);
	assert_int_equal(s.failed, 1);          /* known bad, not retried */
	assert_int_equal(nmsg, 0);

	/* One changed, one removed. */
	snprintf(p, sizeof p, "%s/t0.wav", music);
	tone(p, 4, 300);
	snprintf(p, sizeof p, "%s/sub/t1.wav", music);
	unlink(p);
	s = run_scan(db, music, &nmsg);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.removed, 1);
	assert_int_equal(s.unchanged, 2);

	struct lib_db *d;
	assert_int_equal(lib_db_open(db, &d, NULL, 0), 0);
	struct lib_track *t;
	size_t n;
	assert_int_equal(lib_db_tracks(d, &t, &n), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(strstr(t[i].path, dir));   /* absolute paths */
		assert_true(t[i].valence >= -1 && t[i].valence <= 1);
		assert_true(t[i].title[0]);                 /* file name as fallback */
	}
	/* sorted by path: music/sub/t3.wav, music/t0.wav (re-analysed: 4 s), music/t2.wav */
	assert_non_null(strstr(t[1].path, "/music/t0.wav"));
	assert_true(fabs(t[1].duration - 4) < 0.01);
	assert_true(fabs(t[0].duration - 3) < 0.01);
	lib_tracks_free(t, n);
	lib_db_close(d);

	/* A missing root is reported, prunes nothing. */
	snprintf(p, sizeof p, "%s/none", dir);
	s = run_scan(db, p, &nmsg);
	assert_int_equal(s.bad_roots, 1);
	assert_int_equal(s.removed, 0);
}

static void cancel(void **state)
{
	char music[256], db[256], p[300], why[512];
	snprintf(music, sizeof music, "%s/many", dir);
	snprintf(db, sizeof db, "%s/cancel.db", dir);
	assert_int_equal(mkdir(music, 0755), 0);
	for (int i = 0; i < 12; i++) {
		snprintf(p, sizeof p, "%s/t%02d.wav", music, i);
		tone(p, 6, 200 + 10 * i);
	}
	const char *roots[] = { music, NULL };
	struct lib_scan *s;
	struct lib_scan_opts o = { .jobs = 1, .excerpt_s = -1 };
	assert_int_equal(lib_scan_start_opts(db, roots, &o, &s, why, sizeof why), 0);
	lib_scan_cancel(s);
	lib_scan_wait(s);
	struct lib_scan_snapshot snap;
	lib_scan_snapshot(s, &snap);
	assert_true(snap.finished);
	assert_true(snap.cancelled);
	assert_true(snap.added <= 12);
	assert_int_equal(snap.removed, 0);
	lib_scan_free(s);
	/* Freed while running: cancels and joins. */
	assert_int_equal(lib_scan_start_opts(db, roots, &o, &s, why, sizeof why), 0);
	lib_scan_free(s);
	/* The database is usable and a full scan completes it. */
	int nmsg;
	snap = run_scan(db, music, &nmsg);
	assert_int_equal(snap.added + snap.unchanged, 12);
	/* Bad database path: refused at start with a reason. */
	assert_int_equal(lib_scan_start_opts("/proc/x/y.db", roots, &o, &s, why, sizeof why), LIB_SCAN_EDB);
	assert_non_null(strstr(why, "/proc/x/y.db"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(scan_cycle),
		cmocka_unit_test(cancel),
	};
	return cmocka_run_group_tests_name("lib_scan", tests, setup, teardown);
}
