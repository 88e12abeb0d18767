/* Unit tests for the player: bit-exact output, gapless concatenation,
 * format conversion, seek, pause, gain, faults, controls. Output goes to
 * wav:FILE (libao's file driver) and is read back with libsndfile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "player.h"
#include "player_util.h"

static char dir[64];
static char path_a[128], path_b[128], path_c[128], path_24[128], path_long[128],
	path_48m[128], path_bad[128], path_trunc[128], path_missing[128], out[128];

#define A_FRAMES 100003L   /* not a multiple of the block size */
#define B_FRAMES 77777L
#define C_FRAMES 4410L
#define LONG_FRAMES (8L * 44100)

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/emotune-player-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path_a, sizeof path_a, "%s/a.flac", dir);
	snprintf(path_b, sizeof path_b, "%s/b.flac", dir);
	snprintf(path_c, sizeof path_c, "%s/c.wav", dir);
	snprintf(path_24, sizeof path_24, "%s/d24.flac", dir);
	snprintf(path_long, sizeof path_long, "%s/long.flac", dir);
	snprintf(path_48m, sizeof path_48m, "%s/m48.wav", dir);
	snprintf(path_bad, sizeof path_bad, "%s/bad.flac", dir);
	snprintf(path_trunc, sizeof path_trunc, "%s/trunc.flac", dir);
	snprintf(path_missing, sizeof path_missing, "%s/missing.flac", dir);
	snprintf(out, sizeof out, "%s/out.wav", dir);
	tu_write(path_a, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, A_FRAMES, 1, 0.9);
	tu_write(path_b, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, B_FRAMES, 2, 0.5);
	tu_write(path_c, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, C_FRAMES, 3, 0.7);
	tu_write(path_24, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 44100, 2, 50000, 4, 0.9);
	tu_write(path_long, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, LONG_FRAMES, 5, 0.5);
	tu_write(path_48m, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 1, 48000, 6, 0.5);
	/* garbage with a .flac name */
	FILE *f = fopen(path_bad, "wb");
	for (int i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	/* the first half of a FLAC: fails in the middle */
	FILE *in = fopen(path_long, "rb");
	f = fopen(path_trunc, "wb");
	struct stat st;
	stat(path_long, &st);
	for (long i = 0; i < st.st_size / 2; i++)
		fputc(fgetc(in), f);
	fclose(in);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	const char *files[] = { path_a, path_b, path_c, path_24, path_long, path_48m, path_bad,
				path_trunc, out };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(files[i]);
	rmdir(dir);
	return 0;
}

static struct player *new_wav(double pace)
{
	char spec[160];
	struct player *p = NULL;
	struct player_opts o = { .pace = pace, .retry_ms = 20 };
	snprintf(spec, sizeof spec, "wav:%s", out);
	unlink(out);
	assert_int_equal(player_new_opts(spec, &o, &p), 0);
	return p;
}

static void enqueue(struct player *p, const char *path, double lufs)
{
	struct player_item it = { .path = path, .lufs = lufs };
	assert_int_equal(player_enqueue(p, &it), 0);
}

/* Plays to the end (with a deadline: a hang fails instead of blocking). */
static void play_out(struct player *p)
{
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_stopped, 0, 60));
	assert_int_equal(player_wait_idle(p), 0);
}

static int count_messages(struct player *p, const char *needle)
{
	char m[512];
	int n = 0;
	while (player_next_message(p, m, sizeof m))
		if (strstr(m, needle))
			n++;
	return n;
}

/* Bit-exact: a 16-bit FLAC, normalisation and volume off -> the decoded samples. */
static void bitexact_flac16(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	enqueue(p, path_a, -5);
	play_out(p);
	player_free(p);
	struct pcm src = tu_read(path_a, 0), got = tu_read(out, 0);
	assert_int_equal(got.frames, A_FRAMES);
	assert_int_equal(got.channels, 2);
	assert_int_equal(got.rate, 44100);
	assert_int_equal(got.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_16);
	assert_int_equal(tu_diff(&src, 0, &got, 0, A_FRAMES), -1);
	free(src.v);
	free(got.v);
}

/* 24-bit sources give a 24-bit output, bit-exact; normalisation on but the
 * loudness unknown (NAN) means 0 dB: still untouched. */
static void bitexact_flac24(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	enqueue(p, path_24, NAN);
	play_out(p);
	player_free(p);
	struct pcm src = tu_read(path_24, 0), got = tu_read(out, 0);
	assert_int_equal(got.frames, 50000);
	assert_int_equal(got.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_24);
	assert_int_equal(tu_diff(&src, 0, &got, 0, 50000), -1);
	free(src.v);
	free(got.v);
}

/* Gapless: three tracks in a row (same format) -> exactly the concatenation. */
static void gapless_concat(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	enqueue(p, path_a, NAN);
	enqueue(p, path_b, NAN);
	enqueue(p, path_c, NAN);
	play_out(p);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_int_equal(s.state, PLAYER_STOPPED);
	assert_string_equal(s.path, "");
	assert_int_equal(s.underruns, 0);
	player_free(p);
	struct pcm a = tu_read(path_a, 0), b = tu_read(path_b, 0), c = tu_read(path_c, 0),
		   got = tu_read(out, 0);
	assert_int_equal(got.frames, A_FRAMES + B_FRAMES + C_FRAMES);
	assert_int_equal(tu_diff(&a, 0, &got, 0, A_FRAMES), -1);
	assert_int_equal(tu_diff(&b, 0, &got, A_FRAMES, B_FRAMES), -1);
	assert_int_equal(tu_diff(&c, 0, &got, A_FRAMES + B_FRAMES, C_FRAMES), -1);
	free(a.v);
	free(b.v);
	free(c.v);
	free(got.v);
}

/* A different rate and channel count follows: converted to the open
 * format (the file is not reopened), first track untouched, length
 * scaled by the rate ratio. */
static void gapless_convert(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	enqueue(p, path_c, NAN);
	enqueue(p, path_48m, NAN);
	enqueue(p, path_c, NAN);
	play_out(p);
	assert_int_equal(count_messages(p, "skipped"), 0);
	player_free(p);
	struct pcm c = tu_read(path_c, 0), got = tu_read(out, 0);
	assert_int_equal(got.rate, 44100);
	assert_int_equal(got.channels, 2);
	long conv = got.frames - 2 * C_FRAMES;
	assert_true(labs(conv - 44100) <= 2);
	assert_int_equal(tu_diff(&c, 0, &got, 0, C_FRAMES), -1);
	assert_int_equal(tu_diff(&c, 0, &got, C_FRAMES + conv, C_FRAMES), -1);
	/* mono -> stereo: both channels equal, and not silent */
	double e = 0;
	for (long f = C_FRAMES; f < C_FRAMES + conv; f++) {
		assert_int_equal(got.v[2 * f], got.v[2 * f + 1]);
		e += fabs((double)got.v[2 * f]);
	}
	assert_true(e / conv > 0.1 * 2147483648.0);
	free(c.v);
	free(got.v);
}

/* Seeking while stopped: playback starts exactly at the target frame. */
static void seek_before_play(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	enqueue(p, path_a, NAN);
	assert_int_equal(player_seek(p, 1.0, 0), 0);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_true(fabs(s.position - 1.0) < 1e-9);
	play_out(p);
	player_free(p);
	struct pcm a = tu_read(path_a, 0), got = tu_read(out, 0);
	assert_int_equal(got.frames, A_FRAMES - 44100);
	assert_int_equal(tu_diff(&a, 44100, &got, 0, got.frames), -1);
	free(a.v);
	free(got.v);
}

/* Seeking while playing: the output goes on exactly from the target frame,
 * and the position reported lands within one block of the target. */
static void seek_while_playing(void **state)
{
	(void)state;
	struct player *p = new_wav(2);
	player_set_normalize(p, 0);
	enqueue(p, path_long, NAN);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_pos_past, 0.5, 20));
	assert_int_equal(player_seek(p, 4.0, 0), 0);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_int_equal(s.state, PLAYER_PLAYING);
	assert_true(s.position >= 4.0 && s.position <= 4.0 + (double)PLAYER_BLOCK_FRAMES / 44100 + 1e-9);
	/* relative seek backwards, while paused: exact */
	assert_true(tu_wait(p, tu_pos_past, 4.3, 20));
	assert_int_equal(player_pause(p), 0);
	tu_sleep_ms(20);
	player_snapshot(p, &s);
	double x = s.position;
	assert_true(x > 4.3 && x < 8.0);
	assert_int_equal(player_seek(p, -1.5, 1), 0);
	player_snapshot(p, &s);
	assert_true(fabs(s.position - (x - 1.5)) < 1e-9);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_stopped, 0, 30));
	player_free(p);

	struct pcm src = tu_read(path_long, 0), got = tu_read(out, 0);
	/* got = src[0, a) + src[4 s, 4 s + b) + src[x - 1.5 s, end) */
	long a = tu_diff(&src, 0, &got, 0, got.frames < LONG_FRAMES ? got.frames : LONG_FRAMES);
	assert_true(a > 0);
	long t6 = 4 * 44100;
	long b = tu_diff(&src, t6, &got, a, LONG_FRAMES - t6 < got.frames - a ? LONG_FRAMES - t6 : got.frames - a);
	assert_true(b > 0);
	long from = lround((x - 1.5) * 44100);
	assert_int_equal(got.frames, a + b + LONG_FRAMES - from);
	assert_int_equal(tu_diff(&src, from, &got, a + b, LONG_FRAMES - from), -1);
	free(src.v);
	free(got.v);
}

/* Pause and resume lose nothing: the output is still the whole track. */
static void pause_resume(void **state)
{
	(void)state;
	struct player *p = new_wav(4);
	player_set_normalize(p, 0);
	enqueue(p, path_long, NAN);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_pos_past, 0.5, 20));
	assert_int_equal(player_pause(p), 0);
	struct player_snapshot s1, s2;
	tu_sleep_ms(50);
	player_snapshot(p, &s1);
	assert_int_equal(s1.state, PLAYER_PAUSED);
	tu_sleep_ms(200);
	player_snapshot(p, &s2);
	assert_int_equal(s2.state, PLAYER_PAUSED);
	assert_true(s1.position == s2.position);
	assert_true(s1.position < 8.0);
	assert_int_equal(player_play(p), 0);   /* resume */
	player_snapshot(p, &s2);
	assert_int_equal(s2.state, PLAYER_PLAYING);
	assert_true(tu_wait(p, tu_pos_past, s1.position + 0.5, 20));
	assert_int_equal(player_pause(p), 0);
	tu_sleep_ms(30);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_stopped, 0, 30));
	player_free(p);
	struct pcm src = tu_read(path_long, 0), got = tu_read(out, 0);
	assert_int_equal(got.frames, LONG_FRAMES);
	assert_int_equal(tu_diff(&src, 0, &got, 0, LONG_FRAMES), -1);
	free(src.v);
	free(got.v);
}

/* Volume 50 scales by 0.125 (cubic curve); normalisation applies target -
 * lufs; a boost is limited below full scale. */
static void gain_and_limiter(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	player_set_volume(p, 50);
	enqueue(p, path_b, NAN);
	play_out(p);
	player_free(p);
	struct pcm src = tu_read(path_b, 0), got = tu_read(out, 0);
	assert_int_equal(got.frames, B_FRAMES);
	for (long i = 0; i < B_FRAMES * 2; i++) {
		double want = (src.v[i] >> 16) * 0.125;
		assert_true(fabs((got.v[i] >> 16) - want) <= 1.0);
	}
	free(got.v);

	/* normalisation: lufs -30 toward -18 = +12 dB on a track peaking at
	 * 0.5 + noise: the limiter keeps every sample under -0.2 dBFS */
	p = new_wav(0);
	player_set_target_lufs(p, -18);
	enqueue(p, path_b, -30);
	assert_int_equal(player_play(p), 0);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_true(fabs(s.gain_db - 12.0) < 1e-9 || s.state == PLAYER_STOPPED);
	assert_true(tu_wait(p, tu_stopped, 0, 60));
	player_free(p);
	got = tu_read(out, 0);
	assert_int_equal(got.frames, B_FRAMES);
	int32_t peak = 0;
	long louder = 0;
	for (long i = 0; i < B_FRAMES * 2; i++) {
		int32_t v = got.v[i] >> 16;
		if (abs(v) > peak)
			peak = abs(v);
		if (abs(v) > abs(src.v[i] >> 16))
			louder++;
	}
	assert_true(peak <= 32767 * 0.978);
	assert_true(peak > 32767 * 0.9);
	assert_true(louder > B_FRAMES);  /* it did get louder */
	free(src.v);
	free(got.v);
}

/* Missing, corrupt and truncated files are skipped with a message; the
 * rest plays, gaplessly. */
static void bad_files_skipped(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	enqueue(p, path_missing, NAN);
	enqueue(p, path_c, NAN);
	enqueue(p, path_bad, NAN);
	enqueue(p, path_a, NAN);
	enqueue(p, path_trunc, NAN);
	enqueue(p, path_c, NAN);
	play_out(p);
	char m[512];
	int skipped = 0, failed = 0;
	while (player_next_message(p, m, sizeof m)) {
		if (strstr(m, "missing.flac: cannot open") && strstr(m, "skipped"))
			skipped++;
		if (strstr(m, "bad.flac: not a playable audio file") && strstr(m, "skipped"))
			skipped++;
		if (strstr(m, "trunc.flac: decoding failed"))
			failed++;
	}
	assert_int_equal(skipped, 2);
	assert_int_equal(failed, 1);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_true(s.error_seq >= 3);
	player_free(p);
	struct pcm a = tu_read(path_a, 0), c = tu_read(path_c, 0), lg = tu_read(path_long, 0),
		   got = tu_read(out, 0);
	long tr = got.frames - 2 * C_FRAMES - A_FRAMES;
	assert_true(tr > 0 && tr < LONG_FRAMES);
	assert_int_equal(tu_diff(&c, 0, &got, 0, C_FRAMES), -1);
	assert_int_equal(tu_diff(&a, 0, &got, C_FRAMES, A_FRAMES), -1);
	assert_int_equal(tu_diff(&lg, 0, &got, C_FRAMES + A_FRAMES, tr), -1);
	assert_int_equal(tu_diff(&c, 0, &got, C_FRAMES + A_FRAMES + tr, C_FRAMES), -1);
	free(a.v);
	free(c.v);
	free(lg.v);
	free(got.v);
}

/* An output that cannot be opened: a message naming the driver, retries,
 * commands keep working; with give_up, playback stops with PLAYER_EDEVICE. */
static void device_failure(void **state)
{
	(void)state;
	struct player *p = NULL;
	char spec[160];
	snprintf(spec, sizeof spec, "wav:%s/no-such-dir/out.wav", dir);
	struct player_opts o = { .retry_ms = 10 };
	assert_int_equal(player_new_opts(spec, &o, &p), 0);
	enqueue(p, path_c, NAN);
	enqueue(p, path_a, NAN);
	assert_int_equal(player_play(p), 0);
	struct player_snapshot s;
	double end = tu_now() + 20;
	do {
		player_snapshot(p, &s);
		tu_sleep_ms(5);
	} while (!s.audio_error[0] && tu_now() < end);
	assert_non_null(strstr(s.audio_error, "audio driver 'wav'"));
	assert_int_equal(s.state, PLAYER_PLAYING);
	/* the rest keeps working */
	assert_int_equal(player_set_volume(p, 30), 0);
	assert_int_equal(player_next(p), 0);
	assert_int_equal(player_pause(p), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.volume, 30);
	assert_int_equal(s.index, 1);
	assert_int_equal(s.state, PLAYER_PAUSED);
	assert_int_equal(count_messages(p, "retrying"), 1);
	player_free(p);

	struct player_opts g = { .retry_ms = 10, .give_up = 3 };
	assert_int_equal(player_new_opts(spec, &g, &p), 0);
	enqueue(p, path_c, NAN);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_stopped, 0, 20));
	assert_int_equal(player_wait_idle(p), PLAYER_EDEVICE);
	assert_int_equal(count_messages(p, "giving up"), 1);
	player_free(p);
}

static void unknown_driver(void **state)
{
	(void)state;
	struct player *p = (struct player *)1;
	char msg[256] = "";
	struct player_opts o = { .errbuf = msg, .errlen = sizeof msg };
	assert_int_equal(player_new_opts("no-such-driver", &o, &p), PLAYER_EDRIVER);
	assert_null(p);
	assert_non_null(strstr(msg, "no-such-driver"));
	assert_int_equal(player_new_opts("wav:", &o, &p), PLAYER_EDRIVER);
	assert_int_equal(player_new_opts("wav", &o, &p), PLAYER_EDRIVER);   /* a file driver */
	assert_non_null(strstr(msg, "wav:FILE"));
	assert_string_equal(player_strerror(PLAYER_EDRIVER), "no such audio driver");
}

/* Controls and announcements on the null output (real-time paced). */
static void controls_null(void **state)
{
	(void)state;
	struct player *p = NULL;
	struct player_snapshot s;
	unsigned long ids[4];
	assert_int_equal(player_new("null", &p), 0);
	assert_int_equal(player_play(p), PLAYER_EEMPTY);
	assert_int_equal(player_seek(p, 1, 0), PLAYER_EEMPTY);
	player_drain_wake(p);
	enqueue(p, path_long, NAN);
	enqueue(p, path_a, NAN);
	enqueue(p, path_b, NAN);
	struct pollfd pfd = { .fd = player_wake_fd(p), .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 0), 1);
	player_drain_wake(p);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.state, PLAYER_STOPPED);
	assert_int_equal(s.queue_len, 2);
	assert_int_equal(s.index, 0);
	assert_string_equal(s.driver, "null");
	assert_int_equal(player_queue_ids(p, ids, 4), 2);
	assert_true(ids[0] != 0 && ids[1] > ids[0]);

	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_pos_past, 0.05, 20));
	player_snapshot(p, &s);
	assert_int_equal(s.state, PLAYER_PLAYING);
	assert_true(fabs(s.duration - 8.0) < 1e-9);
	unsigned long seq = s.track_seq;
	assert_int_equal(player_next(p), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.index, 1);
	assert_true(s.track_seq > seq);
	assert_int_equal(player_next(p), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.index, 2);
	assert_int_equal(s.queue_len, 0);
	assert_true(s.queue_low_seq > 0);
	assert_int_equal(player_next(p), PLAYER_EEMPTY);
	player_snapshot(p, &s);
	assert_int_equal(s.index, 2);
	assert_string_equal(s.path, path_b);
	assert_int_equal(player_clear_queue(p), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.queue_len, 0);
	assert_int_equal(s.index, 2);
	assert_int_equal(player_set_volume(p, 150), 0);
	assert_int_equal(player_set_normalize(p, 0), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.volume, 100);
	assert_int_equal(s.normalize, 0);
	assert_int_equal(player_stop(p), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.state, PLAYER_STOPPED);
	assert_true(s.position == 0);
	assert_string_equal(s.path, path_b);
	assert_int_equal(player_wait_idle(p), 0);
	player_free(p);
}

/* The output file holds exactly a then b. */
static void check_a_then_b(void)
{
	struct pcm a = tu_read(path_a, 0), b = tu_read(path_b, 0), got = tu_read(out, 0);
	assert_int_equal(got.frames, A_FRAMES + B_FRAMES);
	assert_int_equal(tu_diff(&a, 0, &got, 0, A_FRAMES), -1);
	assert_int_equal(tu_diff(&b, 0, &got, A_FRAMES, B_FRAMES), -1);
	free(a.v);
	free(b.v);
	free(got.v);
}

/* The queue nearly empty is announced, and a track enqueued then follows
 * gaplessly (the player did not stop in between). */
static void enqueue_while_playing(void **state)
{
	(void)state;
	struct player *p = new_wav(2);
	player_set_normalize(p, 0);
	enqueue(p, path_a, NAN);
	assert_int_equal(player_play(p), 0);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_true(s.queue_low_seq >= 1);
	assert_true(tu_wait(p, tu_pos_past, 0.1, 20));
	assert_int_equal(player_pause(p), 0);
	player_snapshot(p, &s);
	assert_int_equal(s.state, PLAYER_PAUSED);
	enqueue(p, path_b, NAN);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_stopped, 0, 60));
	player_free(p);
	check_a_then_b();
}

/* Played items are dropped: a playlist that has gone through more than
 * 100,000 tracks still takes more, and the snapshot's index still counts
 * every item before the current one. */
static void played_bounded(void **state)
{
	(void)state;
	struct player *p = NULL;
	struct player_snapshot s;
	struct player_item a = { .path = path_a, .lufs = NAN };
	assert_int_equal(player_new("null", &p), 0);
	assert_int_equal(player_enqueue(p, &a), 0);
	for (int i = 0; i < 100100; i++) {
		assert_int_equal(player_enqueue(p, &a), 0);
		assert_int_equal(player_next(p), 0);
	}
	player_snapshot(p, &s);
	assert_int_equal(s.queue_len, 0);
	assert_int_equal(s.index, 100100);
	assert_string_equal(s.path, path_a);
	assert_int_equal(player_play(p), 0);
	assert_true(tu_wait(p, tu_pos_past, 0.05, 20));
	player_free(p);
}

/* More tracks than are dropped at a time, played gaplessly: the output
 * thread drops played items while the decoder works ahead, and every
 * sample still arrives once. */
static void gapless_trim(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	player_set_normalize(p, 0);
	for (int i = 0; i < 250; i++)
		enqueue(p, path_c, NAN);
	play_out(p);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_int_equal(s.index, -1);
	player_free(p);
	struct pcm got = tu_read(out, 0);
	assert_int_equal(got.frames, 250 * C_FRAMES);
	free(got.v);
}

/* Items by id: one added before an upcoming item, one removed; the
 * order of the ids follows, and what is heard is exactly a then b. */
static void add_remove_ids(void **state)
{
	(void)state;
	struct player *p = new_wav(0);
	struct player_item a = { .path = path_a, .lufs = NAN }, b = { .path = path_b, .lufs = NAN },
		c = { .path = path_c, .lufs = NAN };
	unsigned long ia = 0, ib = 0, ic = 0, ids[4];
	player_set_normalize(p, 0);
	assert_int_equal(player_add(p, &a, 0, &ia), 0);
	assert_int_equal(player_add(p, &c, 0, &ic), 0);
	assert_int_equal(player_add(p, &b, ic, &ib), 0);
	assert_true(ia && ib && ic && ia != ib && ib != ic);
	assert_int_equal(player_add(p, &b, ia, NULL), PLAYER_EEMPTY);  /* current, not upcoming */
	assert_int_equal(player_queue_ids(p, ids, 4), 2);
	assert_true(ids[0] == ib && ids[1] == ic);
	struct player_snapshot s;
	player_snapshot(p, &s);
	assert_true(s.id == ia);
	assert_int_equal(player_remove(p, ic), 0);
	assert_int_equal(player_remove(p, ic), PLAYER_EEMPTY);
	assert_int_equal(player_queue_ids(p, ids, 4), 1);
	play_out(p);
	player_free(p);
	check_a_then_b();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bitexact_flac16),
		cmocka_unit_test(bitexact_flac24),
		cmocka_unit_test(gapless_concat),
		cmocka_unit_test(gapless_convert),
		cmocka_unit_test(seek_before_play),
		cmocka_unit_test(seek_while_playing),
		cmocka_unit_test(pause_resume),
		cmocka_unit_test(gain_and_limiter),
		cmocka_unit_test(bad_files_skipped),
		cmocka_unit_test(device_failure),
		cmocka_unit_test(unknown_driver),
		cmocka_unit_test(controls_null),
		cmocka_unit_test(enqueue_while_playing),
		cmocka_unit_test(played_bounded),
		cmocka_unit_test(gapless_trim),
		cmocka_unit_test(add_remove_ids),
	};
	return cmocka_run_group_tests_name("player", tests, setup, teardown);
}
