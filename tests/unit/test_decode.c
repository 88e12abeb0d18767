/* Unit tests for decode: WAV and FLAC through libsndfile bit-exact; M4A
 * (AAC, ALAC), MP3 and Matroska through FFmpeg against the `ffmpeg` tool's
 * own decode (same length, same samples), AAC gapless length, seeking,
 * tags and ReplayGain, and files that must be refused without blocking
 * (FIFO, folder, text, truncated). The FFmpeg cases are skipped when the
 * `ffmpeg` program (or one of its encoders) is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode.h"
#include "test_tmp.h"

#define RATE 44100
#define LEN RATE                 /* 1 s: 44100 frames, not a multiple of 1024 */

static char dir[256];
static int16_t src[LEN * 2];     /* the stereo 16-bit original */

static void path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static int have_ffmpeg(void)
{
	return system("ffmpeg -version >/dev/null 2>&1") == 0;
}

/* Runs `ffmpeg -y -v error ARGS` in dir; 0 when it worked. */
static int ffmpeg(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cd '%s' && ffmpeg -nostdin -y -v error %s >/dev/null 2>&1", dir, args);
	return system(cmd);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/emotune-decode-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	uint32_t r = 1;
	for (int i = 0; i < LEN; i++) {
		r = r * 1103515245u + 12345u;
		double t = (double)i / RATE;
		src[2 * i] = (int16_t)lrint(12000 * sin(2 * M_PI * 440 * t) + (int)((r >> 16) & 255) - 128);
		src[2 * i + 1] = (int16_t)lrint(9000 * sin(2 * M_PI * 660 * t));
	}
	char p[512];
	SF_INFO info = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	path_in(p, sizeof p, "x.wav");
	SNDFILE *sf = sf_open(p, SFM_WRITE, &info);
	if (!sf || sf_writef_short(sf, src, LEN) != LEN)
		return -1;
	sf_close(sf);
	info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
	path_in(p, sizeof p, "x.flac");
	sf = sf_open(p, SFM_WRITE, &info);
	if (!sf || sf_writef_short(sf, src, LEN) != LEN)
		return -1;
	sf_close(sf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

/* Decodes all of name; *frames set; the samples are malloc'd. */
static int32_t *decode_all(const char *name, long *frames, const char **backend)
{
	char p[512], why[256] = "";
	path_in(p, sizeof p, name);
	struct decode *d;
	int rc = decode_open(p, &d, why, sizeof why);
	if (rc)
		fail_msg("%s: %s", p, why);
	const struct decode_format *f = decode_format(d);
	assert_int_equal(f->channels, 2);
	assert_int_equal(f->rate, RATE);
	long cap = 4096, n = 0;
	int32_t *v = malloc((size_t)cap * 2 * sizeof *v);
	for (;;) {
		if (n + 1000 > cap) {
			cap *= 2;
			v = realloc(v, (size_t)cap * 2 * sizeof *v);
		}
		long got = decode_read(d, v + n * 2, 1000);
		assert_true(got >= 0);
		if (got == 0)
			break;
		n += got;
	}
	*backend = decode_backend(d);
	decode_close(d);
	*frames = n;
	return v;
}

/* The `ffmpeg` tool's decode of name as s32le stereo. */
static int32_t *ffmpeg_all(const char *name, long *frames)
{
	char args[600], p[512];
	snprintf(args, sizeof args, "-i '%s' -f s32le -c:a pcm_s32le ref.raw", name);
	assert_int_equal(ffmpeg(args), 0);
	path_in(p, sizeof p, "ref.raw");
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long bytes = ftell(f);
	fseek(f, 0, SEEK_SET);
	int32_t *v = malloc((size_t)bytes + 8);
	assert_int_equal(fread(v, 1, (size_t)bytes, f), (size_t)bytes);
	fclose(f);
	*frames = bytes / 8;
	return v;
}

static void exact_against_source(const char *name, const char *want_backend)
{
	long n;
	const char *b;
	int32_t *v = decode_all(name, &n, &b);
	assert_string_equal(b, want_backend);
	assert_int_equal(n, LEN);
	for (long i = 0; i < LEN * 2; i++)
		if (v[i] != (int32_t)((uint32_t)(int32_t)src[i] << 16))
			fail_msg("%s: sample %ld: %d, want %d", name, i, v[i], src[i] << 16);
	free(v);
}

static void wav_and_flac_bit_exact(void **state)
{
	(void)state;
	exact_against_source("x.wav", "sndfile");
	exact_against_source("x.flac", "sndfile");
}

/* Encodes x.wav with args into name and compares our decode with ffmpeg's. */
static void against_ffmpeg(const char *name, const char *enc, int exact_len)
{
	char args[600];
	snprintf(args, sizeof args, "-i x.wav %s '%s'", enc, name);
	if (ffmpeg(args) != 0) {
		print_message("# skip %s: ffmpeg cannot encode it here\n", name);
		return;
	}
	long n, rn;
	const char *b;
	int32_t *v = decode_all(name, &n, &b);
	int32_t *ref = ffmpeg_all(name, &rn);
	assert_string_equal(b, "ffmpeg");
	if (exact_len)
		assert_int_equal(n, LEN);                  /* delay and padding trimmed */
	else
		assert_int_equal(n, rn);
	assert_true(rn >= n);      /* the tool (FFmpeg 5) keeps MP4 end padding */
	long diff = 0;
	for (long i = 0; i < n * 2; i++)
		diff += v[i] != ref[i];
	if (diff)
		fail_msg("%s: %ld of %ld samples differ from ffmpeg's decode", name, diff, n * 2);
	free(v);
	free(ref);
}

static void ffmpeg_formats(void **state)
{
	(void)state;
	if (!have_ffmpeg())
		skip();
	against_ffmpeg("aac.m4a", "-c:a aac -b:a 128k", 1);        /* gapless */
	against_ffmpeg("alac.m4a", "-c:a alac", 1);
	exact_against_source("alac.m4a", "ffmpeg");                   /* lossless */
	against_ffmpeg("aac.mka", "-c:a aac -b:a 96k", 0);
}

/* MP3 goes to libsndfile (mpg123): not FFmpeg's decoder, so not the same
 * samples, but the same length (both trim LAME's delay and padding) and
 * the same signal to within a small error. */
static void mp3_against_ffmpeg(void **state)
{
	(void)state;
	if (!have_ffmpeg() || ffmpeg("-i x.wav -c:a libmp3lame -b:a 192k x.mp3") != 0)
		skip();
	long n, rn;
	const char *b;
	int32_t *v = decode_all("x.mp3", &n, &b);
	int32_t *ref = ffmpeg_all("x.mp3", &rn);
	assert_int_equal(n, rn);
	double err = 0, sig = 0;
	for (long i = 0; i < n * 2; i++) {
		double a = v[i] / 2147483648.0, r = ref[i] / 2147483648.0;
		err += (a - r) * (a - r);
		sig += r * r;
	}
	print_message("# mp3 (%s): %ld frames, error %.1f dB below the signal\n", b,
		      n, 10 * log10(sig / (err + 1e-30)));
	assert_true(10 * log10(sig / (err + 1e-30)) > 60);
	free(v);
	free(ref);
}

static void ffmpeg_seek(void **state)
{
	(void)state;
	if (!have_ffmpeg() || ffmpeg("-i x.wav -c:a alac seek.m4a") != 0)
		skip();
	char p[512], why[256];
	path_in(p, sizeof p, "seek.m4a");
	struct decode *d;
	assert_int_equal(decode_open(p, &d, why, sizeof why), 0);
	assert_int_equal(decode_seek(d, 30001), 0);
	int32_t buf[2000];
	assert_int_equal(decode_read(d, buf, 1000), 1000);
	for (long i = 0; i < 2000; i++)
		assert_int_equal(buf[i], (int32_t)((uint32_t)(int32_t)src[30001 * 2 + i] << 16));
	assert_int_equal(decode_seek(d, 0), 0);
	assert_int_equal(decode_read(d, buf, 10), 10);
	assert_int_equal(buf[0], (int32_t)((uint32_t)(int32_t)src[0] << 16));
	float fb[20];
	assert_int_equal(decode_read_float(d, fb, 10), 10);
	assert_float_equal(fb[0], src[20] / 32768.0, 1e-6);
	decode_close(d);
}

static void tags_and_gain(void **state)
{
	(void)state;
	if (!have_ffmpeg() ||
	    ffmpeg("-i x.wav -c:a aac -metadata title=' Song ' -metadata artist=Band "
		   "-metadata album=LP -metadata track=3/9 "
		   "-metadata REPLAYGAIN_TRACK_GAIN='-6.50 dB' tags.mka") != 0)
		skip();
	char p[512], why[256];
	path_in(p, sizeof p, "tags.mka");
	struct decode *d;
	assert_int_equal(decode_open(p, &d, why, sizeof why), 0);
	struct decode_tags t;
	decode_get_tags(d, &t);
	assert_string_equal(t.title, "Song");
	assert_string_equal(t.artist, "Band");
	assert_string_equal(t.album, "LP");
	assert_int_equal(t.track, 3);
	assert_float_equal(t.rg_track_gain, -6.5, 1e-9);
	decode_close(d);
	path_in(p, sizeof p, "x.wav");
	assert_int_equal(decode_open(p, &d, why, sizeof why), 0);
	decode_get_tags(d, &t);
	assert_true(isnan(t.rg_track_gain));
	decode_close(d);
}

static void refused(void **state)
{
	(void)state;
	char p[512], why[256];
	struct decode *d;
	path_in(p, sizeof p, "fifo.flac");
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(decode_open(p, &d, why, sizeof why), DECODE_ENOTREG);   /* no block */
	assert_string_equal(why, "not a regular file");
	assert_int_equal(decode_open(dir, &d, why, sizeof why), DECODE_ENOTREG);
	assert_string_equal(why, "is a directory");
	path_in(p, sizeof p, "nosuch.flac");
	assert_int_equal(decode_open(p, &d, why, sizeof why), DECODE_EOPEN);
	path_in(p, sizeof p, "text.m4a");
	FILE *f = fopen(p, "w");
	fputs("this is not audio\n", f);
	fclose(f);
	assert_int_equal(decode_open(p, &d, why, sizeof why), DECODE_EFORMAT);
	assert_true(why[0] != 0);
	assert_null(d);
	if (!have_ffmpeg() || ffmpeg("-i x.wav -c:a aac cut.m4a") != 0)
		return;
	/* a truncated M4A: refused or decoded in part, never a crash */
	path_in(p, sizeof p, "cut.m4a");
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size / 2), 0);
	if (decode_open(p, &d, why, sizeof why) == 0) {
		int32_t buf[2048];
		long got;
		while ((got = decode_read(d, buf, 1024)) > 0)
			;
		decode_close(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wav_and_flac_bit_exact),
		cmocka_unit_test(ffmpeg_formats),
		cmocka_unit_test(mp3_against_ffmpeg),
		cmocka_unit_test(ffmpeg_seek),
		cmocka_unit_test(tags_and_gain),
		cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
