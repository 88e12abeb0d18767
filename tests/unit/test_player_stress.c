/* Stress test for the player: 1,000 random commands (play, pause, resume,
 * stop, next, seek, volume, normalise, enqueue, add/remove by id, play
 * now, clear) in quick succession from two threads while a third reads
 * snapshots, on tracks that include missing and corrupt files. Passes
 * when nothing crashes, nothing deadlocks (an alarm fails the test) and
 * the snapshots stay sane.
 * Also built with -fsanitize=thread by `make check-tsan`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "player.h"
#include "player_util.h"

#define NCMDS 1000

static char dir[64];
static char paths[6][128];
static struct player *pl;
static atomic_int reader_stop;
static int reader_bad;  /* written by the reader thread only, read after join */

static void on_alarm(int sig)
{
	(void)sig;
	static const char m[] = "player stress: deadlock (no progress in 120 s)\n";
	ssize_t r = write(2, m, sizeof m - 1);
	(void)r;
	_exit(1);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/emotune-stress-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(paths[0], sizeof paths[0], "%s/a.flac", dir);
	snprintf(paths[1], sizeof paths[1], "%s/b.wav", dir);
	snprintf(paths[2], sizeof paths[2], "%s/c48.wav", dir);
	snprintf(paths[3], sizeof paths[3], "%s/missing.flac", dir);
	snprintf(paths[4], sizeof paths[4], "%s/bad.flac", dir);
	snprintf(paths[5], sizeof paths[5], "%s/d24.flac", dir);
	tu_write(paths[0], SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 44100 * 3, 1, 0.5);
	tu_write(paths[1], SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 30000, 2, 0.5);
	tu_write(paths[2], SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 1, 48000, 3, 0.5);
	tu_write(paths[5], SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 44100, 2, 40000, 4, 0.5);
	FILE *f = fopen(paths[4], "wb");
	for (int i = 0; i < 3000; i++)
		fputc((i * 31) & 0xff, f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 6; i++)
		unlink(paths[i]);
	char out[128];
	snprintf(out, sizeof out, "%s/out.wav", dir);
	unlink(out);
	rmdir(dir);
	return 0;
}

static void *reader(void *arg)
{
	struct player_snapshot s;
	char m[512];
	(void)arg;
	while (!reader_stop) {
		player_snapshot(pl, &s);
		/* no cmocka asserts off the main thread: count instead */
		if (!(s.state == PLAYER_STOPPED || s.state == PLAYER_PLAYING || s.state == PLAYER_PAUSED) ||
		    s.volume < 0 || s.volume > 100 || s.queue_len < 0 || s.position < 0 ||
		    (s.state != PLAYER_STOPPED && !s.path[0]))
			reader_bad++;
		player_drain_wake(pl);
		while (player_next_message(pl, m, sizeof m))
			;
		tu_sleep_ms(1);
	}
	return NULL;
}

static void commands(unsigned seed, int n)
{
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		int r = (int)((seed >> 16) % 100);
		struct player_item it = { .path = paths[(seed >> 8) % 6], .lufs = (seed & 1) ? -14.0 : NAN };
		if (r < 12)
			player_play(pl);
		else if (r < 20)
			player_pause(pl);
		else if (r < 26)
			/* pause or resume, as the app does (app_pb_pause) */
			((seed >> 9) & 1 ? player_pause : player_play)(pl);
		else if (r < 30)
			player_stop(pl);
		else if (r < 52)
			player_next(pl);
		else if (r < 62)
			player_seek(pl, (double)((seed >> 4) % 400) / 100.0, 0);
		else if (r < 70)
			player_seek(pl, (double)((int)((seed >> 4) % 400) - 200) / 100.0, 1);
		else if (r < 78)
			player_set_volume(pl, (int)((seed >> 3) % 101));
		else if (r < 82)
			player_set_normalize(pl, (int)(seed >> 5) & 1);
		else if (r < 88)
			player_enqueue(pl, &it);
		else if (r < 92) {
			/* by id: before, or instead of, an upcoming item */
			unsigned long ids[4];
			int k = player_queue_ids(pl, ids, 4);
			if (k && (seed & 4))
				player_remove(pl, ids[(seed >> 7) % (unsigned)k]);
			else
				player_add(pl, &it, k ? ids[(seed >> 7) % (unsigned)k] : 0, NULL);
		}
		else if (r < 94) {
			/* play now, as the app does: the queue cleared, the item
			 * added and skipped to */
			player_clear_queue(pl);
			if (player_add(pl, &it, 0, NULL) == 0)
				player_next(pl);
		}
		else if (r < 97)
			player_clear_queue(pl);
		else
			player_set_target_lufs(pl, -23 + (double)((seed >> 6) % 10));
		if ((seed >> 12) % 4 == 0)
			tu_sleep_ms((int)((seed >> 20) % 3));
	}
}

struct cmdarg {
	unsigned seed;
	int n;
};

static void *commander(void *arg)
{
	struct cmdarg *c = arg;
	commands(c->seed, c->n);
	return NULL;
}

static void run_stress(const char *spec, double pace)
{
	struct player_opts o = { .pace = pace, .retry_ms = 5 };
	pthread_t rd, cm;
	struct cmdarg second = { 4242u, NCMDS / 2 };

	signal(SIGALRM, on_alarm);
	alarm(120);
	assert_int_equal(player_new_opts(spec, &o, &pl), 0);
	for (int i = 0; i < 6; i++) {
		struct player_item it = { .path = paths[i], .lufs = -20 };
		assert_int_equal(player_enqueue(pl, &it), 0);
	}
	player_play(pl);
	reader_stop = 0;
	assert_int_equal(pthread_create(&rd, NULL, reader, NULL), 0);
	assert_int_equal(pthread_create(&cm, NULL, commander, &second), 0);
	commands(1234u, NCMDS / 2);
	pthread_join(cm, NULL);

	/* still alive: it plays what is left to the end */
	struct player_item it = { .path = paths[1], .lufs = NAN };
	assert_int_equal(player_clear_queue(pl), 0);
	assert_int_equal(player_enqueue(pl, &it), 0);
	player_next(pl);
	assert_int_equal(player_play(pl), 0);
	assert_true(tu_wait(pl, tu_stopped, 0, 60));
	reader_stop = 1;
	pthread_join(rd, NULL);
	assert_int_equal(reader_bad, 0);
	player_free(pl);
	pl = NULL;
	alarm(0);
}

static void stress_null(void **state)
{
	(void)state;
	run_stress("null", 16);
}

static void stress_wav(void **state)
{
	(void)state;
	char spec[160];
	snprintf(spec, sizeof spec, "wav:%s/out.wav", dir);
	run_stress(spec, 0);
}

/* the device never opens: the retry path under the same storm */
static void stress_failing_device(void **state)
{
	(void)state;
	char spec[160];
	snprintf(spec, sizeof spec, "wav:%s/no/such/dir/out.wav", dir);
	struct player_opts o = { .retry_ms = 2 };
	pthread_t rd;
	signal(SIGALRM, on_alarm);
	alarm(120);
	assert_int_equal(player_new_opts(spec, &o, &pl), 0);
	for (int i = 0; i < 6; i++) {
		struct player_item it = { .path = paths[i], .lufs = NAN };
		assert_int_equal(player_enqueue(pl, &it), 0);
	}
	player_play(pl);
	reader_stop = 0;
	assert_int_equal(pthread_create(&rd, NULL, reader, NULL), 0);
	commands(777u, NCMDS);
	reader_stop = 1;
	pthread_join(rd, NULL);
	assert_int_equal(reader_bad, 0);
	player_free(pl);
	pl = NULL;
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stress_null),
		cmocka_unit_test(stress_wav),
		cmocka_unit_test(stress_failing_device),
	};
	return cmocka_run_group_tests_name("player_stress", tests, setup, teardown);
}
