/* Unit tests for analysis: features of synthetic signals with known tempo,
 * loudness, key and mode; decoding of good and bad files. */
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
#include <unistd.h>

#include "analysis.h"

#define SR ANALYSIS_RATE

static float *alloc_sig(size_t n)
{
	float *x = calloc(n, sizeof *x);
	assert_non_null(x);
	return x;
}

/* Adds a harmonic tone (3 partials) of MIDI note m (fractional: detuned)
 * over [t0, t1) seconds. */
static void tone(float *x, size_t n, double t0, double t1, double m, double amp)
{
	double hz = 440.0 * pow(2.0, (m - 69) / 12.0);
	for (size_t i = (size_t)(t0 * SR); i < (size_t)(t1 * SR) && i < n; i++) {
		double t = (double)i / SR;
		x[i] += (float)(amp * (sin(2 * M_PI * hz * t) + 0.5 * sin(4 * M_PI * hz * t) +
				       0.25 * sin(6 * M_PI * hz * t)));
	}
}

/* Chords (root position triads) of a progression, 1 s each, every note
 * moved by shift semitones. */
static float *progression(const int (*chords)[3], int nchords, int repeat, double shift, size_t *n)
{
	*n = (size_t)(nchords * repeat) * SR;
	float *x = alloc_sig(*n);
	for (int r = 0; r < repeat; r++)
		for (int c = 0; c < nchords; c++)
			for (int k = 0; k < 3; k++)
				tone(x, *n, r * nchords + c, r * nchords + c + 0.95, chords[c][k] + shift, 0.08);
	return x;
}

static void loudness_of_sine(void **state)
{
	/* EBU Tech 3341: a 997 Hz sine at -20 dBFS in one channel reads
	 * -23 LUFS (-3.01 dB for a full-scale sine). */
	size_t n = 48000 * 10;
	float *x = alloc_sig(n);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(0.1 * sin(2 * M_PI * 997 * i / 48000.0));
	double lufs, lra;
	assert_int_equal(analysis_loudness(x, n, 1, 48000, &lufs, &lra), 0);
	assert_true(fabs(lufs - (-23.01)) < 0.2);
	assert_true(lra < 0.5);
	free(x);
}

static void tempo_of_clicks(void **state)
{
	/* Clicks (short decaying noise bursts) at 120 BPM for 20 s over a -60 dB
	 * noise floor (aubio ignores onsets in digital silence). */
	size_t n = (size_t)SR * 20;
	float *x = alloc_sig(n);
	unsigned s = 1;
	for (size_t b = 0; b < 40; b++)
		for (size_t i = 0; i < 400; i++) {
			s = s * 1103515245u + 12345u;
			x[b * SR / 2 + i] = (float)(((s >> 16) & 0x7fff) / 16384.0 - 1) * expf(-(float)i / 80);
		}
	for (size_t i = 0; i < n; i++) {
		s = s * 1103515245u + 12345u;
		x[i] += (float)(((s >> 16) & 0x7fff) / 16384.0 - 1) * 0.001f;
	}
	struct analysis_result r;
	assert_int_equal(analysis_signal(x, n, &r), 0);
	/* Tolerance: 3 BPM. */
	assert_true(fabs(r.tempo - 120) < 3);
	/* 2 onsets a second, within 0.3. */
	assert_true(fabs(r.onset_rate - 2) < 0.3);
	free(x);
}

/* C major: I IV V I. */
static const int cmaj[4][3] = { { 60, 64, 67 }, { 65, 69, 72 }, { 67, 71, 74 }, { 60, 64, 67 } };
/* A minor: i iv v i. */
static const int amin[4][3] = { { 57, 60, 64 }, { 62, 65, 69 }, { 64, 67, 71 }, { 57, 60, 64 } };

static void mode_and_key(void **state)
{
	size_t n;
	struct analysis_result r;
	float *x = progression(cmaj, 4, 3, 0, &n);
	assert_int_equal(analysis_signal(x, n, &r), 0);
	assert_true(r.mode > 0.05);
	assert_int_equal(r.key, 0);
	assert_true(r.key_clarity > 0.6);
	free(x);
	x = progression(amin, 4, 3, 0, &n);
	assert_int_equal(analysis_signal(x, n, &r), 0);
	assert_true(r.mode < -0.05);
	assert_int_equal(r.key, 9);
	free(x);
}

static int find_feature(const char *name)
{
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		if (strcmp(analysis_feature_name(i), name) == 0)
			return i;
	fail_msg("no feature %s", name);
	return -1;
}

/* Version 4's chroma (HPCP from spectral peaks, tuned to the excerpt):
 * the key, the mode and the chords stay where they are when the whole
 * progression is 40 cents flat or sharp (a detuned recording or an
 * instrument tuned to 432 Hz) and when it is played two octaves down
 * (roots from 65 Hz), where FFT bins are wider than a semitone. The chroma
 * of earlier versions (each bin to the nearest pitch class, 100-4000 Hz)
 * read the flat C major as E and the low one as mostly minor chords. */
static void chroma_tuning_and_register(void **state)
{
	(void)state;
	int fmaj = find_feature("chord_major"), fmin = find_feature("chord_minor");
	static const double shifts[] = { -0.4, 0.4, -24 };
	for (int s = 0; s < 3; s++) {
		size_t n;
		struct analysis_result r;
		float *x = progression(cmaj, 4, 3, shifts[s], &n);
		assert_int_equal(analysis_signal(x, n, &r), 0);
		if (s < 2) {   /* two octaves down the key may be read as the dominant */
			assert_int_equal(r.key, 0);
			assert_true(r.mode > 0.05);
			assert_true(r.key_clarity > 0.6);
		}
		assert_true(r.feat[fmaj] > 0.9);
		free(x);
		x = progression(amin, 4, 3, shifts[s], &n);
		assert_int_equal(analysis_signal(x, n, &r), 0);
		if (s < 2) {
			assert_int_equal(r.key, 9);
			assert_true(r.mode < -0.05);
		}
		assert_true(r.feat[fmin] > 0.8);
		free(x);
	}
}

static void brightness(void **state)
{
	/* White noise is brighter, flatter and crosses zero more than a low tone. */
	size_t n = (size_t)SR * 5;
	float *a = alloc_sig(n), *b = alloc_sig(n);
	unsigned s = 7;
	for (size_t i = 0; i < n; i++) {
		s = s * 1103515245u + 12345u;
		a[i] = (float)(((s >> 16) & 0x7fff) / 16384.0 - 1) * 0.1f;
	}
	tone(b, n, 0, 5, 45, 0.1);
	struct analysis_result ra, rb;
	assert_int_equal(analysis_signal(a, n, &ra), 0);
	assert_int_equal(analysis_signal(b, n, &rb), 0);
	int c = find_feature("centroid_mean"), f = find_feature("flatness_mean"), z = find_feature("zcr_mean");
	assert_true(ra.feat[c] > 4 && rb.feat[c] < 0.5);   /* kHz */
	assert_true(ra.feat[f] > rb.feat[f] + 10);         /* dB */
	assert_true(ra.feat[z] > rb.feat[z] * 5);
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		assert_true(isfinite(ra.feat[i]) && isfinite(rb.feat[i]));
	free(a);
	free(b);
}

/* A 1.5 kHz tone whose amplitude swings at am Hz (am 0: steady) under a
 * steady 110 Hz tone, 20 s. */
static float *tremolo(double am, size_t *n)
{
	*n = (size_t)SR * 20;
	float *x = alloc_sig(*n);
	for (size_t i = 0; i < *n; i++) {
		double t = (double)i / SR, g = am > 0 ? 0.5 + 0.5 * sin(2 * M_PI * am * t) : 0.5;
		x[i] = (float)(0.1 * g * sin(2 * M_PI * 1500 * t) + 0.05 * sin(2 * M_PI * 110 * t));
	}
	return x;
}

static void modulation(void **state)
{
	/* The mid band (1.2-2.5 kHz) has most of its level changes at the
	 * tremolo's rate; the steady signal has far less modulation. */
	static const char *const rates[] = { "0.3hz", "1hz", "2hz", "4hz", "8hz" };
	static const struct { double am; int rate; } cases[] = { { 5.5, 3 }, { 1.5, 1 }, { 3, 2 } };
	char name[32];
	struct analysis_result r, steady;
	size_t n;
	float *x = tremolo(0, &n);
	assert_int_equal(analysis_signal(x, n, &steady), 0);
	free(x);
	int lev = find_feature("mod_level");
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		x = tremolo(cases[c].am, &n);
		assert_int_equal(analysis_signal(x, n, &r), 0);
		free(x);
		int best = 0;
		float bestv = -INFINITY;
		for (int q = 0; q < 5; q++) {
			snprintf(name, sizeof name, "mod_mid_%s", rates[q]);
			float v = r.feat[find_feature(name)];
			assert_true(v <= 0 && isfinite(v));   /* log10 of a share */
			if (v > bestv) {
				best = q;
				bestv = v;
			}
		}
		assert_int_equal(best, cases[c].rate);
		assert_true(bestv > -0.3);   /* over half the power */
		assert_true(r.feat[lev] > steady.feat[lev] + 1);
	}
}

static void names_unique(void **state)
{
	for (int i = 0; i < ANALYSIS_NFEAT; i++) {
		char a[64];
		snprintf(a, sizeof a, "%s", analysis_feature_name(i));
		assert_string_not_equal(a, "?");
		assert_string_not_equal(a, "unused");
		for (int j = i + 1; j < ANALYSIS_NFEAT; j++)
			assert_string_not_equal(a, analysis_feature_name(j));
	}
}

static char dir[] = "/tmp/emotune-analysis-XXXXXX";

static void write_wav(const char *path, int rate, int ch, double seconds, int fmt)
{
	SF_INFO info = { .samplerate = rate, .channels = ch, .format = fmt };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	assert_non_null(f);
	sf_set_string(f, SF_STR_TITLE, "Test Tone");
	sf_set_string(f, SF_STR_ARTIST, "Tester");
	size_t n = (size_t)(seconds * rate);
	float *x = alloc_sig(n * (size_t)ch);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < ch; c++)
			x[i * (size_t)ch + (size_t)c] = (float)(0.3 * sin(2 * M_PI * 440 * i / rate));
	assert_int_equal(sf_writef_float(f, x, (sf_count_t)n), (sf_count_t)n);
	sf_close(f);
	free(x);
}

/* Writes a tagged 4 s stereo 44.1 kHz tone in format fmt to path and checks
 * what the analysis reads back; tol: the duration's tolerance in seconds. */
static void tone_file(const char *path, int fmt, double tol, struct analysis_result *r)
{
	char why[256];
	write_wav(path, 44100, 2, 4, fmt);
	assert_int_equal(analysis_file(path, NULL, r, why, sizeof why), 0);
	assert_string_equal(r->tags.title, "Test Tone");
	assert_string_equal(r->tags.artist, "Tester");
	assert_int_equal(r->tags.channels, 2);
	assert_int_equal(r->tags.rate, 44100);
	assert_true(fabs(r->tags.duration - 4) < tol);
	/* 0.3 amplitude 440 Hz sine in both channels: about -10.5+3 LUFS. */
	assert_true(r->lufs > -12 && r->lufs < -6);
}

static void files(void **state)
{
	char p[256], why[256];
	struct analysis_result r;
	assert_non_null(mkdtemp(dir));
	/* Stereo 44.1 kHz FLAC with tags, 4 s. */
	snprintf(p, sizeof p, "%s/a.flac", dir);
	tone_file(p, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 0.01, &r);
	/* An excerpt of 2 s analyses fine too. */
	struct analysis_opts o = { .excerpt_s = 2 };
	assert_int_equal(analysis_file(p, &o, &r, why, sizeof why), 0);
	assert_true(fabs(r.tags.duration - 4) < 0.01);
	/* Truncated FLAC: keep half the bytes. */
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	snprintf(p, sizeof p, "%s/t.flac", dir);
	f = fopen(p, "wb");
	fwrite(buf, 1, len / 2, f);
	fclose(f);
	int err = analysis_file(p, NULL, &r, why, sizeof why);
	assert_true(err == ANALYSIS_EDECODE || err == ANALYSIS_EOPEN);
	assert_true(why[0] != 0);
	/* Not audio at all. */
	snprintf(p, sizeof p, "%s/x.wav", dir);
	f = fopen(p, "wb");
	fputs("this is not a wave file, just text\n", f);
	fclose(f);
	assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), ANALYSIS_EOPEN);
	/* Empty. */
	snprintf(p, sizeof p, "%s/e.wav", dir);
	f = fopen(p, "wb");
	fclose(f);
	assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), ANALYSIS_EOPEN);
	/* Too short (0.2 s). */
	snprintf(p, sizeof p, "%s/s.wav", dir);
	write_wav(p, 8000, 1, 0.2, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), ANALYSIS_ESHORT);
	/* Missing. */
	snprintf(p, sizeof p, "%s/none.wav", dir);
	assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), ANALYSIS_EOPEN);
	const char *names[] = { "a.flac", "t.flac", "x.wav", "e.wav", "s.wav" };
	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* MP3, where libsndfile has it (issue 6: "MP3 where the library has it"). */
static void mp3(void **state)
{
	(void)state;
	SF_INFO probe = { .samplerate = 44100, .channels = 2,
			  .format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III };
	if (!sf_format_check(&probe)) {
		skip();
		return;
	}
	char d[] = "/tmp/test_analysis_mp3.XXXXXX", p[256];
	struct analysis_result r;
	assert_non_null(mkdtemp(d));
	snprintf(p, sizeof p, "%s/a.mp3", d);
	/* The encoder's delay and padding may add a frame or two. */
	tone_file(p, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 0.1, &r);
	unlink(p);
	rmdir(d);
}

/* Issue 18: a long track is analysed from its excerpt and loudness spans
 * (duration from the header, loudness of the whole track); silence and
 * near-silence are flagged. */
static void long_and_silent(void **state)
{
	(void)state;
	char d[] = "/tmp/test_analysis_long.XXXXXX", p[256], why[256];
	struct analysis_result r;
	assert_non_null(mkdtemp(d));
	/* 100 s of a 0.3 sine, stereo 44.1 kHz 16-bit FLAC */
	snprintf(p, sizeof p, "%s/long.flac", d);
	write_wav(p, 44100, 2, 100, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
	assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), 0);
	assert_true(fabs(r.tags.duration - 100) < 0.01);
	assert_true(r.lufs > -12 && r.lufs < -6);
	assert_true(r.peak > 0.29 && r.peak < 0.31);
	assert_false(r.silent);
	assert_false(analysis_silent(r.feat));
	unlink(p);
	/* 60 s of digital silence; 30 s at -70 dBFS */
	for (int k = 0; k < 2; k++) {
		snprintf(p, sizeof p, "%s/quiet%d.wav", d, k);
		SF_INFO info = { .samplerate = 44100, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
		SNDFILE *f = sf_open(p, SFM_WRITE, &info);
		assert_non_null(f);
		size_t n = (size_t)(k ? 30 : 60) * 44100;
		float *x = alloc_sig(n * 2);
		for (size_t i = 0; i < n * 2; i++)
			x[i] = k ? (float)(0.000316 * sin(2 * M_PI * 440 * (double)(i / 2) / 44100)) : 0;
		assert_int_equal(sf_writef_float(f, x, (sf_count_t)n), (sf_count_t)n);
		sf_close(f);
		free(x);
		assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), 0);
		assert_true(r.silent);
		assert_true(analysis_silent(r.feat));
		unlink(p);
	}
	rmdir(d);
}

/* analysis_file_halves: the whole excerpt's features as analysis_file()
 * gives them, and each half's own (here a low tone, then a high one). */
static void halves(void **state)
{
	(void)state;
	char d[] = "/tmp/emotune-halves-XXXXXX", p[256], why[256];
	assert_non_null(mkdtemp(d));
	snprintf(p, sizeof p, "%s/halves.wav", d);
	const int rate = 22050;
	const size_t n = (size_t)rate * 8;
	float *x = alloc_sig(n);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(0.3 * sin(2 * M_PI * (i < n / 2 ? 220 : 1760) * (double)i / rate));
	SF_INFO info = { .samplerate = rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
	SNDFILE *f = sf_open(p, SFM_WRITE, &info);
	assert_non_null(f);
	assert_int_equal(sf_writef_float(f, x, (sf_count_t)n), (sf_count_t)n);
	sf_close(f);
	free(x);
	static struct analysis_result r, r2;
	static float half[2][ANALYSIS_NFEAT];
	assert_int_equal(analysis_file(p, NULL, &r, why, sizeof why), 0);
	assert_int_equal(analysis_file_halves(p, NULL, &r2, half, why, sizeof why), 0);
	assert_memory_equal(r.feat, r2.feat, sizeof r.feat);
	int c = find_feature("centroid_mean"), l = find_feature("lufs");
	assert_true(half[0][c] < r.feat[c] && r.feat[c] < half[1][c]);
	assert_true(half[0][l] == r.feat[l] && half[1][l] == r.feat[l]);   /* the whole's loudness */
	unlink(p);
	rmdir(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loudness_of_sine),
		cmocka_unit_test(tempo_of_clicks),
		cmocka_unit_test(mode_and_key),
		cmocka_unit_test(chroma_tuning_and_register),
		cmocka_unit_test(brightness),
		cmocka_unit_test(modulation),
		cmocka_unit_test(names_unique),
		cmocka_unit_test(files),
		cmocka_unit_test(mp3),
		cmocka_unit_test(long_and_silent),
		cmocka_unit_test(halves),
	};
	return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
