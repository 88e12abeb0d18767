/* analysis: decode, loudness, resample, features. See analysis.h. */
#include "analysis.h"

#include "decode.h"

#include <aubio/aubio.h>
#include <dlfcn.h>
#include <ebur128.h>
#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <samplerate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FFTW's planner and aubio's constructors are not thread-safe. */
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

#define NBINS (ANALYSIS_FRAME / 2 + 1)
#define NMEL 40
#define NMFCC 13

/* Frame-level descriptors, each summarised by mean and std. */
enum {
	D_RMS, D_ZCR, D_CENTROID, D_SPREAD, D_ROLLOFF, D_FLATNESS, D_FLUX,
	D_LOW, D_MID, D_HIGH, D_CREST, D_TONALFLUX, D_TONALITY,
	D_MFCC, /* NMFCC of them */
	D_CONTRAST = D_MFCC + NMFCC, /* NCONTRAST octave bands */
	ND = D_CONTRAST + 7,
};

/* Band-limited frame descriptors (version 2): measured below 5 kHz, where a
 * 32 kb/s Opus stream keeps the signal (it folds or drops what is above). */
enum { X_ROUGH, X_NPEAKS, X_BLCENT, X_SLOPE, X_HILO, NX };
static const char *const xnames[NX] = { "roughness", "peaks", "bl_centroid", "bl_slope", "bl_hilo" };

static const char *const dnames[ND] = {
	"rms_db", "zcr", "centroid", "spread", "rolloff", "flatness", "flux",
	"band_low", "band_mid", "band_high", "crest", "tonal_flux", "tonality",
	"mfcc0", "mfcc1", "mfcc2", "mfcc3", "mfcc4", "mfcc5", "mfcc6", "mfcc7",
	"mfcc8", "mfcc9", "mfcc10", "mfcc11", "mfcc12",
	"contrast0", "contrast1", "contrast2", "contrast3", "contrast4", "contrast5", "contrast6",
};

/* Feature vector layout. */
enum {
	F_MEAN = 0,                 /* ND means */
	F_STD = F_MEAN + ND,        /* ND standard deviations */
	F_DMFCC = F_STD + ND,       /* NMFCC mean |delta mfcc| */
	F_CHROMA = F_DMFCC + NMFCC, /* 12, rotated so the key's tonic is first */
	F_MAJOR = F_CHROMA + 12,
	F_MINOR, F_MODE, F_KEYCLAR, F_CHROMA_ENT,
	F_TEMPO, F_TEMPO_CONF, F_ONSET_RATE, F_PULSE,
	F_LUFS, F_LRA, F_PLR, F_LOWENERGY, F_DYNRANGE,
	F_TEX_RMS, F_TEX_CENTROID, F_TEX_FLUX,
	/* Version 2: band-limited (<= 5 kHz) frame descriptors, mean then std. */
	F_X_MEAN,
	F_X_STD = F_X_MEAN + NX,
	/* Version 2: harmony and tonality over time. */
	F_SEG_MODE = F_X_STD + NX, F_SEG_MODE_STD, F_SEG_CLAR, F_SEG_CLAR_STD,
	F_SEG_KEYCHANGE, F_SEG_MAJOR,
	F_CHORD_RATE, F_CHORD_MAJOR, F_CHORD_MINOR, F_CHORD_FIT,
	F_HCDF, F_HCDF_STD, F_TENSION, F_TENSION_STD,
	/* rhythm regularity, predominant pitch, dynamics over the clip */
	F_IOI_MEDIAN, F_IOI_CV,
	F_PITCH_MEDIAN, F_PITCH_RANGE, F_PITCH_STEP, F_VOICED, F_PITCH_CONF,
	F_DYN_SLOPE, F_SEG_LOUD_RANGE, F_ATTACK, F_DECAY,
	F_N,
};
_Static_assert(F_N == ANALYSIS_NFEAT, "feature vector too long");

static const char *const fnames[] = {
	[F_MAJOR] = "key_major_r", [F_MINOR] = "key_minor_r", [F_MODE] = "mode",
	[F_KEYCLAR] = "key_clarity", [F_CHROMA_ENT] = "chroma_entropy",
	[F_TEMPO] = "tempo", [F_TEMPO_CONF] = "tempo_confidence",
	[F_ONSET_RATE] = "onset_rate", [F_PULSE] = "pulse_clarity",
	[F_LUFS] = "lufs", [F_LRA] = "lra", [F_PLR] = "peak_to_loudness",
	[F_LOWENERGY] = "low_energy", [F_DYNRANGE] = "dynamic_range",
	[F_TEX_RMS] = "texture_rms", [F_TEX_CENTROID] = "texture_centroid",
	[F_TEX_FLUX] = "texture_flux",
	[F_SEG_MODE] = "seg_mode", [F_SEG_MODE_STD] = "seg_mode_std",
	[F_SEG_CLAR] = "seg_key_clarity", [F_SEG_CLAR_STD] = "seg_key_clarity_std",
	[F_SEG_KEYCHANGE] = "seg_key_change", [F_SEG_MAJOR] = "seg_major",
	[F_CHORD_RATE] = "chord_rate", [F_CHORD_MAJOR] = "chord_major",
	[F_CHORD_MINOR] = "chord_minor", [F_CHORD_FIT] = "chord_fit",
	[F_HCDF] = "hcdf", [F_HCDF_STD] = "hcdf_std",
	[F_TENSION] = "tension", [F_TENSION_STD] = "tension_std",
	[F_IOI_MEDIAN] = "ioi_median", [F_IOI_CV] = "ioi_cv",
	[F_PITCH_MEDIAN] = "pitch_median", [F_PITCH_RANGE] = "pitch_range",
	[F_PITCH_STEP] = "pitch_step", [F_VOICED] = "voiced", [F_PITCH_CONF] = "pitch_confidence",
	[F_DYN_SLOPE] = "dyn_slope", [F_SEG_LOUD_RANGE] = "seg_loudness_range",
	[F_ATTACK] = "attack", [F_DECAY] = "decay",
};

const char *analysis_feature_name(int i)
{
	static __thread char buf[32];
	static const char *const chroma[12] = { "I", "bII", "II", "bIII", "III", "IV",
		"bV", "V", "bVI", "VI", "bVII", "VII" };
	if (i < 0 || i >= ANALYSIS_NFEAT)
		return "?";
	if (i < F_STD)
		snprintf(buf, sizeof buf, "%s_mean", dnames[i]);
	else if (i < F_DMFCC)
		snprintf(buf, sizeof buf, "%s_std", dnames[i - F_STD]);
	else if (i < F_CHROMA)
		snprintf(buf, sizeof buf, "dmfcc%d", i - F_DMFCC);
	else if (i < F_MAJOR)
		snprintf(buf, sizeof buf, "chroma_%s", chroma[i - F_CHROMA]);
	else if (i >= F_X_MEAN && i < F_X_STD)
		snprintf(buf, sizeof buf, "%s_mean", xnames[i - F_X_MEAN]);
	else if (i >= F_X_STD && i < F_X_STD + NX)
		snprintf(buf, sizeof buf, "%s_std", xnames[i - F_X_STD]);
	else if (i < F_N)
		return fnames[i];
	else
		return "unused";
	return buf;
}

const char *analysis_strerror(int err)
{
	switch (err) {
	case ANALYSIS_OK: return "success";
	case ANALYSIS_ENOMEM: return "out of memory";
	case ANALYSIS_EOPEN: return "not a readable audio file";
	case ANALYSIS_EDECODE: return "decoding failed (corrupt or truncated file)";
	case ANALYSIS_ESHORT: return "no audio or too short";
	case ANALYSIS_ELIB: return "audio library failure";
	case ANALYSIS_EFORMAT: return "unsupported audio layout";
	}
	return "unknown error";
}

/* --- tags ---------------------------------------------------------------- */

static void copy_tag(char *dst, size_t n, const char *s)
{
	dst[0] = 0;
	if (!s)
		return;
	/* Keep tags printable on one TSV line. */
	size_t j = 0;
	for (size_t i = 0; s[i] && j + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[j++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	dst[j] = 0;
	/* Don't cut a UTF-8 sequence in half. */
	while (j > 0 && ((unsigned char)dst[j - 1] & 0xC0) == 0x80)
		j--;
	if (j > 0 && ((unsigned char)dst[j - 1] & 0x80) && j + 1 >= n)
		dst[j - 1] = 0;
}

static void fill_tags(struct decode *d, struct analysis_tags *t, double *rg_gain)
{
	struct decode_tags dt;
	decode_get_tags(d, &dt);
	const struct decode_format *f = decode_format(d);
	memset(t, 0, sizeof *t);
	copy_tag(t->title, sizeof t->title, dt.title);
	copy_tag(t->artist, sizeof t->artist, dt.artist);
	copy_tag(t->album, sizeof t->album, dt.album);
	t->trackno = dt.track > 0 ? dt.track : 0;
	t->rate = f->rate;
	t->channels = f->channels;
	t->frames = f->frames > 0 ? f->frames : 0;
	t->duration = f->rate > 0 ? (double)t->frames / f->rate : 0;
	if (rg_gain)
		*rg_gain = dt.rg_track_gain;
}

static int open_audio(const char *path, struct decode **d, char *why, size_t n)
{
	char reason[256];
	int err = decode_open(path, d, reason, sizeof reason);
	if (err == DECODE_EFORMAT)
		snprintf(why, n, "unsupported format: %s", reason);
	else if (err)
		snprintf(why, n, "%s", reason);
	if (err)
		return err == DECODE_ENOMEM ? ANALYSIS_ENOMEM : ANALYSIS_EOPEN;
	const struct decode_format *f = decode_format(*d);
	if (f->channels < 1 || f->channels > 32 || f->rate < 1000 || f->rate > 768000) {
		snprintf(why, n, "unsupported layout: %d channels at %d Hz", f->channels, f->rate);
		decode_close(*d);
		*d = NULL;
		return ANALYSIS_EFORMAT;
	}
	/* A length the container does not record (< 0) is found by decoding. */
	if (f->frames == 0 || (f->frames > 0 && (double)f->frames / f->rate < ANALYSIS_MIN_S)) {
		snprintf(why, n, "no audio or shorter than %.0f s", ANALYSIS_MIN_S);
		decode_close(*d);
		*d = NULL;
		return ANALYSIS_ESHORT;
	}
	return 0;
}

int analysis_read_tags(const char *path, struct analysis_tags *t, char *why, size_t n)
{
	struct decode *d;
	int err = open_audio(path, &d, why, n);
	if (err)
		return err;
	fill_tags(d, t, NULL);
	decode_close(d);
	return 0;
}

/* --- loudness ------------------------------------------------------------ */

int analysis_loudness(const float *x, size_t frames, int channels, int rate,
		      double *lufs, double *lra)
{
	ebur128_state *st = ebur128_init((unsigned)channels, (unsigned long)rate,
					 EBUR128_MODE_I | EBUR128_MODE_LRA);
	if (!st)
		return ANALYSIS_ENOMEM;
	int err = ebur128_add_frames_float(st, x, frames) ? ANALYSIS_ELIB : 0;
	if (!err && (ebur128_loudness_global(st, lufs) || ebur128_loudness_range(st, lra)))
		err = ANALYSIS_ELIB;
	if (!err && !isfinite(*lufs))
		*lufs = -70;
	if (!err && !isfinite(*lra))
		*lra = 0;
	ebur128_destroy(&st);
	return err;
}

/* --- features ------------------------------------------------------------ */

static const float kk_major[12] = { 6.35f, 2.23f, 3.48f, 2.33f, 4.38f, 4.09f,
	2.52f, 5.19f, 2.39f, 3.66f, 2.29f, 2.88f };
static const float kk_minor[12] = { 6.33f, 2.68f, 3.52f, 5.38f, 2.60f, 3.53f,
	2.54f, 4.75f, 3.98f, 2.69f, 3.34f, 3.17f };

static double corr12(const float *a, const float *prof, int rot)
{
	double ma = 0, mp = 0;
	for (int i = 0; i < 12; i++) {
		ma += a[(i + rot) % 12];
		mp += prof[i];
	}
	ma /= 12;
	mp /= 12;
	double sab = 0, saa = 0, spp = 0;
	for (int i = 0; i < 12; i++) {
		double da = a[(i + rot) % 12] - ma, dp = prof[i] - mp;
		sab += da * dp;
		saa += da * da;
		spp += dp * dp;
	}
	return saa > 0 && spp > 0 ? sab / sqrt(saa * spp) : 0;
}

static double hz_to_mel(double f) { return 2595.0 * log10(1.0 + f / 700.0); }
static double mel_to_hz(double m) { return 700.0 * (pow(10.0, m / 2595.0) - 1.0); }

struct feat_ctx {
	float *win;          /* Hann window */
	float *in;           /* fftw input */
	fftwf_complex *out;
	fftwf_plan plan;
	float (*mel)[NBINS]; /* NMEL triangular filters */
	int mel0[NMEL], mel1[NMEL];  /* each filter's non-zero bins [mel0, mel1) */
	double dct[NMFCC][NMEL];     /* the MFCCs' cosines */
	int *pc;             /* pitch class of each bin, -1 outside the chroma range */
};

static void ctx_free(struct feat_ctx *c)
{
	pthread_mutex_lock(&plan_lock);
	if (c->plan)
		fftwf_destroy_plan(c->plan);
	pthread_mutex_unlock(&plan_lock);
	fftwf_free(c->in);
	fftwf_free(c->out);
	free(c->win);
	free(c->mel);
	free(c->pc);
}

static int ctx_init(struct feat_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->in = fftwf_malloc(sizeof(float) * ANALYSIS_FRAME);
	c->out = fftwf_malloc(sizeof(fftwf_complex) * NBINS);
	c->win = malloc(sizeof(float) * ANALYSIS_FRAME);
	c->mel = calloc(NMEL, sizeof *c->mel);
	c->pc = malloc(sizeof(int) * NBINS);
	if (!c->in || !c->out || !c->win || !c->mel || !c->pc) {
		ctx_free(c);
		return ANALYSIS_ENOMEM;
	}
	pthread_mutex_lock(&plan_lock);
	c->plan = fftwf_plan_dft_r2c_1d(ANALYSIS_FRAME, c->in, c->out, FFTW_ESTIMATE);
	pthread_mutex_unlock(&plan_lock);
	if (!c->plan) {
		ctx_free(c);
		return ANALYSIS_ELIB;
	}
	for (int i = 0; i < ANALYSIS_FRAME; i++)
		c->win[i] = 0.5f - 0.5f * cosf(2 * (float)M_PI * i / ANALYSIS_FRAME);
	/* Mel filterbank, 30 Hz .. 11 kHz. */
	double m0 = hz_to_mel(30), m1 = hz_to_mel(ANALYSIS_RATE / 2.0 - 100);
	double edges[NMEL + 2];
	for (int i = 0; i < NMEL + 2; i++)
		edges[i] = mel_to_hz(m0 + (m1 - m0) * i / (NMEL + 1));
	double binhz = (double)ANALYSIS_RATE / ANALYSIS_FRAME;
	for (int m = 0; m < NMEL; m++)
		for (int k = 0; k < NBINS; k++) {
			double f = k * binhz, w = 0;
			if (f > edges[m] && f <= edges[m + 1])
				w = (f - edges[m]) / (edges[m + 1] - edges[m]);
			else if (f > edges[m + 1] && f < edges[m + 2])
				w = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
			c->mel[m][k] = (float)w;
		}
	for (int m = 0; m < NMEL; m++) {
		c->mel0[m] = NBINS;
		c->mel1[m] = 0;
		for (int k = 0; k < NBINS; k++)
			if (c->mel[m][k] != 0) {
				if (k < c->mel0[m])
					c->mel0[m] = k;
				c->mel1[m] = k + 1;
			}
	}
	for (int q = 0; q < NMFCC; q++)
		for (int m = 0; m < NMEL; m++)
			c->dct[q][m] = cos(M_PI * q * (m + 0.5) / NMEL);
	for (int k = 0; k < NBINS; k++) {
		double f = k * binhz;
		c->pc[k] = -1;
		if (f >= 100 && f <= 4000) {
			long p = lround(12 * log2(f / 261.6256));
			c->pc[k] = (int)(((p % 12) + 12) % 12);
		}
	}
	return 0;
}

struct stats {
	double s, ss;
	size_t n;
};

static void st_add(struct stats *s, double v)
{
	s->s += v;
	s->ss += v * v;
	s->n++;
}

static double st_mean(const struct stats *s) { return s->n ? s->s / s->n : 0; }

static double st_std(const struct stats *s)
{
	if (s->n < 2)
		return 0;
	double m = s->s / s->n, v = s->ss / s->n - m * m;
	return v > 0 ? sqrt(v) : 0;
}


/* Hoare partition of a[0, n) (n > 1, no NaN) around the median of three:
 * returns j with [0, j] <= pivot <= [j + 1, n). */
static size_t partition_floats(float *a, size_t n)
{
	size_t m = n / 2;
	float x = a[0], y = a[m], z = a[n - 1];
	float p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
	size_t i = 0, j = n - 1;
	for (;;) {
		while (a[i] < p)
			i++;
		while (a[j] > p)
			j--;
		if (i >= j)
			return j;
		float t = a[i];
		a[i++] = a[j];
		a[j--] = t;
	}
}

/* Sorts n floats (no NaN) ascending, as qsort would, without a call per
 * comparison (the per-frame spectral contrast sorts ~1,000 bins 7 times a
 * frame). Quicksort, median of three, insertion sort below 16; recursion
 * on the smaller part. */
static void sort_floats(float *a, size_t n)
{
	while (n > 16) {
		size_t j = partition_floats(a, n);
		if (j + 1 < n - j - 1) {
			sort_floats(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_floats(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		float v = a[i];
		size_t k = i;
		while (k > 0 && a[k - 1] > v) {
			a[k] = a[k - 1];
			k--;
		}
		a[k] = v;
	}
}

/* Partitions a[0, n) (no NaN) so that a[0, k) holds the k smallest values
 * (in any order) and a[k, n) the others (quickselect, as sort_floats). */
static void select_floats(float *a, size_t n, size_t k)
{
	while (n > 16 && k > 0 && k < n) {
		size_t j = partition_floats(a, n);
		if (k <= j + 1) {
			n = j + 1;
		} else {
			a += j + 1;
			k -= j + 1;
			n -= j + 1;
		}
	}
	if (k > 0 && k < n)
		sort_floats(a, n);
}

/* Standard deviation of the means of consecutive blocks of `blk` values. */
static double texture_std(const float *v, size_t n, size_t blk)
{
	struct stats s = { 0 };
	for (size_t i = 0; i + blk <= n; i += blk) {
		double m = 0;
		for (size_t j = 0; j < blk; j++)
			m += v[i + j];
		st_add(&s, m / blk);
	}
	return st_std(&s);
}

#ifndef ANALYSIS_AUBIO_SO
#define ANALYSIS_AUBIO_SO "libaubio.so.5"
#endif

/* libaubio is opened (dlopen) on the first analysis, not linked: it pulls
 * in FFmpeg's libraries (~110 shared objects), which commands that analyse
 * nothing (remote, tracks, --version) should not map. */
static struct {
	__typeof__(new_aubio_tempo) *new_tempo;
	__typeof__(new_aubio_onset) *new_onset;
	__typeof__(new_fvec) *new_fvec;
	__typeof__(aubio_onset_set_silence) *onset_set_silence;
	__typeof__(aubio_tempo_set_silence) *tempo_set_silence;
	__typeof__(aubio_tempo_do) *tempo_do;
	__typeof__(aubio_onset_do) *onset_do;
	__typeof__(aubio_tempo_get_bpm) *tempo_get_bpm;
	__typeof__(aubio_tempo_get_confidence) *tempo_get_confidence;
	__typeof__(del_aubio_tempo) *del_tempo;
	__typeof__(del_aubio_onset) *del_onset;
	__typeof__(del_fvec) *del_fvec;
	__typeof__(aubio_onset_get_last_s) *onset_get_last_s;
	__typeof__(new_aubio_pitch) *new_pitch;
	__typeof__(aubio_pitch_set_unit) *pitch_set_unit;
	__typeof__(aubio_pitch_set_silence) *pitch_set_silence;
	__typeof__(aubio_pitch_do) *pitch_do;
	__typeof__(aubio_pitch_get_confidence) *pitch_get_confidence;
	__typeof__(del_aubio_pitch) *del_pitch;
	int ok;
} au;
static pthread_once_t au_once = PTHREAD_ONCE_INIT;

static void au_open(void)
{
	void *h = dlopen(ANALYSIS_AUBIO_SO, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
	au.new_tempo = dlsym(h, "new_aubio_tempo");
	au.new_onset = dlsym(h, "new_aubio_onset");
	au.new_fvec = dlsym(h, "new_fvec");
	au.onset_set_silence = dlsym(h, "aubio_onset_set_silence");
	au.tempo_set_silence = dlsym(h, "aubio_tempo_set_silence");
	au.tempo_do = dlsym(h, "aubio_tempo_do");
	au.onset_do = dlsym(h, "aubio_onset_do");
	au.tempo_get_bpm = dlsym(h, "aubio_tempo_get_bpm");
	au.tempo_get_confidence = dlsym(h, "aubio_tempo_get_confidence");
	au.del_tempo = dlsym(h, "del_aubio_tempo");
	au.del_onset = dlsym(h, "del_aubio_onset");
	au.del_fvec = dlsym(h, "del_fvec");
	au.onset_get_last_s = dlsym(h, "aubio_onset_get_last_s");
	au.new_pitch = dlsym(h, "new_aubio_pitch");
	au.pitch_set_unit = dlsym(h, "aubio_pitch_set_unit");
	au.pitch_set_silence = dlsym(h, "aubio_pitch_set_silence");
	au.pitch_do = dlsym(h, "aubio_pitch_do");
	au.pitch_get_confidence = dlsym(h, "aubio_pitch_get_confidence");
	au.del_pitch = dlsym(h, "del_aubio_pitch");
	au.ok = au.new_tempo && au.new_onset && au.new_fvec && au.onset_set_silence &&
		au.tempo_set_silence && au.tempo_do && au.onset_do && au.tempo_get_bpm &&
		au.tempo_get_confidence && au.del_tempo && au.del_onset && au.del_fvec &&
		au.onset_get_last_s && au.new_pitch && au.pitch_set_unit && au.pitch_set_silence &&
		au.pitch_do && au.pitch_get_confidence && au.del_pitch;
}

/* --- version 2 descriptors ------------------------------------------------ */

#define BL_LO 100.0    /* band of the band-limited descriptors, Hz */
#define BL_HI 5000.0
#define MAXPEAKS 24

/* Roughness of a pair of partials (Sethares' fit of Plomp and Levelt). */
static double pair_roughness(double f1, double a1, double f2, double a2)
{
	if (f2 < f1) {
		double t = f1; f1 = f2; f2 = t;
	}
	double s = 0.24 / (0.021 * f1 + 19), df = f2 - f1;
	return a1 * a2 * (exp(-3.5 * s * df) - exp(-5.75 * s * df));
}

/* Band-limited descriptors of one frame's power spectrum: roughness of the
 * strongest peaks (normalised by their energy, so level-free), the number of
 * peaks within 30 dB of the strongest (voices, texture), centroid, spectral
 * slope (dB per octave, regression) and the 1.5-5 kHz to 0.1-1.5 kHz ratio. */
static void band_descriptors(const float *pw, float *xv)
{
	const double binhz = (double)ANALYSIS_RATE / ANALYSIS_FRAME;
	int k0 = (int)ceil(BL_LO / binhz), k1 = (int)(BL_HI / binhz);
	double pmax = 0, tot = 0, cen = 0, lo = 0, hi = 0;
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int nb = 0;
	for (int k = k0; k <= k1; k++) {
		double f = k * binhz;
		if (pw[k] > pmax)
			pmax = pw[k];
		tot += pw[k];
		cen += f * pw[k];
		if (f < 1500)
			lo += pw[k];
		else
			hi += pw[k];
		double lx = log2(f), ly = 10 * log10(pw[k] + 1e-10);
		sx += lx;
		sy += ly;
		sxx += lx * lx;
		sxy += lx * ly;
		nb++;
	}
	memset(xv, 0, sizeof(float) * NX);
	if (tot < 1e-8)
		return;
	xv[X_BLCENT] = (float)(cen / tot / 1000);
	double den = nb * sxx - sx * sx;
	xv[X_SLOPE] = den > 0 ? (float)((nb * sxy - sx * sy) / den / 10) : 0;
	xv[X_HILO] = (float)log10((hi + 1e-10) / (lo + 1e-10));
	/* Peaks: local maxima within 30 dB of the strongest, frequency by
	 * parabolic interpolation; the MAXPEAKS strongest for roughness. */
	double pf[MAXPEAKS], pa[MAXPEAKS];
	int np = 0, count = 0;
	for (int k = k0 + 1; k < k1; k++) {
		if (!(pw[k] > pw[k - 1] && pw[k] >= pw[k + 1] && pw[k] > pmax * 1e-3))
			continue;
		count++;
		double a = sqrt(pw[k]);
		double l = log(pw[k - 1] + 1e-12), c = log(pw[k] + 1e-12), r = log(pw[k + 1] + 1e-12);
		double d = l - 2 * c + r, off = d < 0 ? 0.5 * (l - r) / d : 0;
		double f = (k + off) * binhz;
		if (np < MAXPEAKS) {
			pf[np] = f;
			pa[np++] = a;
		} else {
			int m = 0;
			for (int i = 1; i < np; i++)
				if (pa[i] < pa[m])
					m = i;
			if (a > pa[m]) {
				pf[m] = f;
				pa[m] = a;
			}
		}
	}
	double rough = 0, e = 0;
	for (int i = 0; i < np; i++) {
		e += pa[i] * pa[i];
		for (int j = i + 1; j < np; j++)
			rough += pair_roughness(pf[i], pa[i], pf[j], pa[j]);
	}
	xv[X_ROUGH] = e > 0 ? (float)(rough / e) : 0;
	xv[X_NPEAKS] = (float)count / 10;
}

/* Best major and minor key of a chroma vector: correlations and tonic. */
static void best_key(const float *cm, double *bmaj, int *kmaj, double *bmin, int *kmin)
{
	*bmaj = *bmin = -2;
	*kmaj = *kmin = 0;
	for (int k = 0; k < 12; k++) {
		double a = corr12(cm, kk_major, k), b = corr12(cm, kk_minor, k);
		if (a > *bmaj) { *bmaj = a; *kmaj = k; }
		if (b > *bmin) { *bmin = b; *kmin = k; }
	}
}

/* Sums frames [a, b) of chroma weighted by their RMS, normalised to sum 1. */
static void chroma_block(float (*chroma)[12], const float *rmsv, size_t a, size_t b, float *out)
{
	double acc[12] = { 0 }, s = 0;
	for (size_t fi = a; fi < b; fi++)
		for (int i = 0; i < 12; i++)
			acc[i] += chroma[fi][i] * rmsv[fi];
	for (int i = 0; i < 12; i++)
		s += acc[i];
	for (int i = 0; i < 12; i++)
		out[i] = s > 0 ? (float)(acc[i] / s) : 1.0f / 12;
}

/* Harmony over time: key and mode per ~3 s segment and their variation,
 * chords (best of 24 triads per ~0.5 s block) and their change rate,
 * harmonic change (distance of Harte's tonal centroid between ~0.25 s
 * blocks) and tension (1 - correlation of each segment with the clip's
 * key profile). gkey/gmajor: the clip's key. */
static void harmony(float (*chroma)[12], const float *rmsv, size_t nf, int gkey, int gmajor,
		    float *feat)
{
	const size_t seg = 64, blk = 10, hblk = 5;
	struct stats mode = { 0 }, clar = { 0 }, ten = { 0 };
	size_t nseg = 0, changes = 0, major = 0;
	int prev = -1;
	float cm[12];
	for (size_t a = 0; a + seg / 2 <= nf; a += seg) {
		size_t b = a + seg < nf ? a + seg : nf;
		chroma_block(chroma, rmsv, a, b, cm);
		double bmaj, bmin;
		int kmaj, kmin;
		best_key(cm, &bmaj, &kmaj, &bmin, &kmin);
		st_add(&mode, bmaj - bmin);
		st_add(&clar, bmaj > bmin ? bmaj : bmin);
		int k = bmaj >= bmin ? kmaj : 12 + kmin;
		major += bmaj >= bmin;
		if (prev >= 0 && k != prev)
			changes++;
		prev = k;
		st_add(&ten, 1 - corr12(cm, gmajor ? kk_major : kk_minor, gkey));
		nseg++;
	}
	feat[F_SEG_MODE] = (float)st_mean(&mode);
	feat[F_SEG_MODE_STD] = (float)st_std(&mode);
	feat[F_SEG_CLAR] = (float)st_mean(&clar);
	feat[F_SEG_CLAR_STD] = (float)st_std(&clar);
	feat[F_SEG_KEYCHANGE] = nseg > 1 ? (float)changes / (nseg - 1) : 0;
	feat[F_SEG_MAJOR] = nseg ? (float)major / nseg : 0;
	feat[F_TENSION] = (float)st_mean(&ten);
	feat[F_TENSION_STD] = (float)st_std(&ten);
	/* Chords: triad templates (root, third, fifth). */
	static const float tmaj[12] = { 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0 };
	static const float tmin[12] = { 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0 };
	size_t nb = 0, cchg = 0, cmaj = 0, cmin = 0;
	double fit = 0;
	prev = -1;
	for (size_t a = 0; a + blk <= nf; a += blk) {
		chroma_block(chroma, rmsv, a, a + blk, cm);
		double best = -2;
		int bi = 0;
		for (int k = 0; k < 24; k++) {
			double c = corr12(cm, k < 12 ? tmaj : tmin, k % 12);
			if (c > best) {
				best = c;
				bi = k;
			}
		}
		fit += best;
		if (best > 0.5) {
			if (bi < 12)
				cmaj++;
			else
				cmin++;
		}
		if (prev >= 0 && bi != prev)
			cchg++;
		prev = bi;
		nb++;
	}
	double secs = (double)nf * ANALYSIS_HOP / ANALYSIS_RATE;
	feat[F_CHORD_RATE] = secs > 0 ? (float)(cchg / secs) : 0;
	feat[F_CHORD_MAJOR] = nb ? (float)cmaj / nb : 0;
	feat[F_CHORD_MINOR] = nb ? (float)cmin / nb : 0;
	feat[F_CHORD_FIT] = nb ? (float)(fit / nb) : 0;
	/* Harmonic change: tonal centroid (fifths, minor thirds, major thirds). */
	struct stats hc = { 0 };
	double tc[6], ptc[6];
	int have = 0;
	for (size_t a = 0; a + hblk <= nf; a += hblk) {
		chroma_block(chroma, rmsv, a, a + hblk, cm);
		memset(tc, 0, sizeof tc);
		for (int l = 0; l < 12; l++) {
			tc[0] += cm[l] * sin(l * 7 * M_PI / 6);
			tc[1] += cm[l] * cos(l * 7 * M_PI / 6);
			tc[2] += cm[l] * sin(l * 3 * M_PI / 2);
			tc[3] += cm[l] * cos(l * 3 * M_PI / 2);
			tc[4] += 0.5 * cm[l] * sin(l * 2 * M_PI / 3);
			tc[5] += 0.5 * cm[l] * cos(l * 2 * M_PI / 3);
		}
		if (have) {
			double dd = 0;
			for (int i = 0; i < 6; i++)
				dd += (tc[i] - ptc[i]) * (tc[i] - ptc[i]);
			st_add(&hc, sqrt(dd));
		}
		memcpy(ptc, tc, sizeof tc);
		have = 1;
	}
	feat[F_HCDF] = (float)st_mean(&hc);
	feat[F_HCDF_STD] = (float)st_std(&hc);
}

/* Predominant pitch (aubio yinfast: the YIN difference function; yinfft
 * reports no confidence in Debian 12's aubio 0.4.9): register (median, MIDI / 100), range
 * (10th to 90th percentile, octaves), mean step between consecutive voiced
 * frames (semitones / 10), share of voiced frames, mean confidence. */
static int melody(const float *x, size_t n, float *feat)
{
	const uint_t win = 2048, hop = 512;
	pthread_once(&au_once, au_open);
	if (!au.ok)
		return ANALYSIS_ELIB;
	pthread_mutex_lock(&plan_lock);
	aubio_pitch_t *p = au.new_pitch("yinfast", win, hop, ANALYSIS_RATE);
	fvec_t *in = au.new_fvec(hop), *out = au.new_fvec(1);
	pthread_mutex_unlock(&plan_lock);
	size_t nfr = n / hop + 1, nv = 0, tot = 0;
	float *v = malloc(sizeof(float) * nfr);
	int err = 0;
	if (!p || !in || !out || !v) {
		err = !v ? ANALYSIS_ENOMEM : ANALYSIS_ELIB;
		goto done;
	}
	au.pitch_set_unit(p, "midi");
	au.pitch_set_silence(p, -60);
	double conf = 0, step = 0;
	size_t nstep = 0;
	float last = -1;
	for (size_t i = 0; i + hop <= n; i += hop) {
		memcpy(in->data, x + i, hop * sizeof(float));
		au.pitch_do(p, in, out);
		float m = out->data[0], c = au.pitch_get_confidence(p);
		tot++;
		if (!isfinite(c))
			c = 0;
		conf += c;
		if (c > 0.7f && isfinite(m) && m >= 30 && m <= 100) {
			v[nv++] = m;
			if (last > 0) {
				step += fmin(fabs(m - last), 12);
				nstep++;
			}
			last = m;
		} else {
			last = -1;
		}
	}
	feat[F_VOICED] = tot ? (float)nv / tot : 0;
	feat[F_PITCH_CONF] = tot ? (float)(conf / tot) : 0;
	feat[F_PITCH_STEP] = nstep ? (float)(step / nstep / 10) : 0;
	if (nv >= 5) {
		sort_floats(v, nv);
		feat[F_PITCH_MEDIAN] = v[nv / 2] / 100;
		feat[F_PITCH_RANGE] = (v[nv * 9 / 10] - v[nv / 10]) / 12;
	}
done:
	free(v);
	pthread_mutex_lock(&plan_lock);
	if (p)
		au.del_pitch(p);
	if (in)
		au.del_fvec(in);
	if (out)
		au.del_fvec(out);
	pthread_mutex_unlock(&plan_lock);
	return err;
}

/* Tempo, onset rate (aubio) over the whole signal; the median and the
 * coefficient of variation of the inter-onset intervals into feat. */
static int rhythm(const float *x, size_t n, double *bpm, double *conf, double *onset_rate,
		  float *feat)
{
	const uint_t win = 1024, hop = 256;   /* ~12 ms: the resolution aubio's beat tracker expects */
	pthread_once(&au_once, au_open);
	if (!au.ok)
		return ANALYSIS_ELIB;
	pthread_mutex_lock(&plan_lock);
	aubio_tempo_t *tempo = au.new_tempo("default", win, hop, ANALYSIS_RATE);
	aubio_onset_t *onset = au.new_onset("default", win, hop, ANALYSIS_RATE);
	fvec_t *in = au.new_fvec(hop), *out = au.new_fvec(1), *oout = au.new_fvec(1);
	pthread_mutex_unlock(&plan_lock);
	int err = 0;
	if (!tempo || !onset || !in || !out || !oout) {
		err = ANALYSIS_ELIB;
		goto done;
	}
	/* aubio drops onsets whose block is below -70 dB; quiet music has them. */
	au.onset_set_silence(onset, -90);
	au.tempo_set_silence(tempo, -90);
	size_t onsets = 0, nioi = 0, cap = n / hop + 1;
	float *ioi = malloc(sizeof(float) * cap);
	if (!ioi) {
		err = ANALYSIS_ENOMEM;
		goto done;
	}
	double last = -1;
	for (size_t i = 0; i + hop <= n; i += hop) {
		memcpy(in->data, x + i, hop * sizeof(float));
		au.tempo_do(tempo, in, out);
		au.onset_do(onset, in, oout);
		if (oout->data[0] != 0) {
			double t = au.onset_get_last_s(onset);
			if (last >= 0 && t > last && nioi < cap)
				ioi[nioi++] = (float)(t - last);
			last = t;
			onsets++;
		}
	}
	if (nioi >= 3) {
		size_t m = nioi;
		struct stats s = { 0 };
		for (size_t i = 0; i < m; i++)
			st_add(&s, ioi[i]);
		sort_floats(ioi, m);
		feat[F_IOI_MEDIAN] = ioi[m / 2];
		feat[F_IOI_CV] = st_mean(&s) > 0 ? (float)(st_std(&s) / st_mean(&s)) : 0;
	}
	free(ioi);
	*bpm = au.tempo_get_bpm(tempo);
	*conf = au.tempo_get_confidence(tempo);
	if (!isfinite(*bpm))
		*bpm = 0;
	if (!isfinite(*conf))
		*conf = 0;
	*onset_rate = (double)onsets / ((double)n / ANALYSIS_RATE);
done:
	pthread_mutex_lock(&plan_lock);
	if (tempo)
		au.del_tempo(tempo);
	if (onset)
		au.del_onset(onset);
	if (in)
		au.del_fvec(in);
	if (out)
		au.del_fvec(out);
	if (oout)
		au.del_fvec(oout);
	pthread_mutex_unlock(&plan_lock);
	return err;
}

int analysis_signal(const float *x, size_t n, struct analysis_result *r)
{
	memset(r->feat, 0, sizeof r->feat);
	if (n < ANALYSIS_FRAME)
		return ANALYSIS_ESHORT;
	struct feat_ctx c;
	int err = ctx_init(&c);
	if (err)
		return err;
	size_t nf = (n - ANALYSIS_FRAME) / ANALYSIS_HOP + 1;
	float *pw = malloc(sizeof(float) * NBINS);
	float *prevmag = calloc(NBINS, sizeof(float));
	float *d = malloc(sizeof(float) * nf * ND);   /* per-frame descriptors */
	float (*chroma)[12] = calloc(nf, sizeof *chroma);
	float *rmsv = malloc(sizeof(float) * nf);
	float *sortbuf = malloc(sizeof(float) * NBINS);
	float *xd = malloc(sizeof(float) * nf * NX);   /* band-limited descriptors */
	if (!pw || !prevmag || !d || !chroma || !rmsv || !sortbuf || !xd) {
		err = ANALYSIS_ENOMEM;
		goto out;
	}
	const double binhz = (double)ANALYSIS_RATE / ANALYSIS_FRAME;
	float prevmfcc[NMFCC] = { 0 };
	struct stats dm[NMFCC] = { { 0 } };
	double chroma_sum[12] = { 0 };
	for (size_t fi = 0; fi < nf; fi++) {
		const float *s = x + fi * ANALYSIS_HOP;
		float *dv = d + fi * ND;
		double e = 0;
		int zc = 0;
		for (int i = 0; i < ANALYSIS_FRAME; i++) {
			e += (double)s[i] * s[i];
			if (i && ((s[i] >= 0) != (s[i - 1] >= 0)))
				zc++;
			c.in[i] = s[i] * c.win[i];
		}
		double rms = sqrt(e / ANALYSIS_FRAME);
		rmsv[fi] = (float)rms;
		dv[D_RMS] = (float)(20 * log10(rms + 1e-5));
		dv[D_ZCR] = (float)zc / ANALYSIS_FRAME;
		fftwf_execute(c.plan);
		double tot = 0, cen = 0, logsum = 0, pmax = 0, low = 0, mid = 0, high = 0, flux = 0;
		for (int k = 0; k < NBINS; k++) {
			float re = c.out[k][0], im = c.out[k][1];
			pw[k] = re * re + im * im;
			double f = k * binhz, mag = sqrt(pw[k]);
			tot += pw[k];
			cen += f * pw[k];
			logsum += log(pw[k] + 1e-12);
			if (pw[k] > pmax)
				pmax = pw[k];
			if (f < 200)
				low += pw[k];
			else if (f < 2000)
				mid += pw[k];
			else if (f >= 4000)
				high += pw[k];
			double df = mag - prevmag[k];
			if (df > 0)
				flux += df;
			prevmag[k] = (float)mag;
		}
		double t = tot + 1e-12;
		cen /= t;
		double spread = 0, acc = 0, roll = 0;
		for (int k = 0; k < NBINS; k++) {
			double f = k * binhz;
			spread += (f - cen) * (f - cen) * pw[k];
		}
		for (int k = 0; k < NBINS; k++) {
			acc += pw[k];
			if (acc >= 0.85 * tot) {
				roll = k * binhz;
				break;
			}
		}
		double amean = tot / NBINS;
		dv[D_CENTROID] = (float)(cen / 1000);
		dv[D_SPREAD] = (float)(sqrt(spread / t) / 1000);
		dv[D_ROLLOFF] = (float)(roll / 1000);
		dv[D_FLATNESS] = (float)(10 * log10(exp(logsum / NBINS) / (amean + 1e-12) + 1e-12));
		dv[D_FLUX] = (float)(fi ? log10(1 + flux / (sqrt(t) + 1e-6)) : 0);
		dv[D_LOW] = (float)(low / t);
		dv[D_MID] = (float)(mid / t);
		dv[D_HIGH] = (float)(high / t);
		dv[D_CREST] = (float)(10 * log10(pmax / (amean + 1e-12) + 1e-12));
		/* MFCC */
		double lm[NMEL];
		for (int m = 0; m < NMEL; m++) {
			double v = 0;
			for (int k = c.mel0[m]; k < c.mel1[m]; k++)
				if (c.mel[m][k] != 0)
					v += c.mel[m][k] * pw[k];
			lm[m] = log10(v + 1e-8);
		}
		for (int q = 0; q < NMFCC; q++) {
			double v = 0;
			for (int m = 0; m < NMEL; m++)
				v += lm[m] * c.dct[q][m];
			v *= sqrt((q ? 2.0 : 1.0) / NMEL);
			dv[D_MFCC + q] = (float)v;
			if (fi)
				st_add(&dm[q], fabs(v - prevmfcc[q]));
			prevmfcc[q] = (float)v;
		}
		/* Spectral contrast: peak (top 20%) over valley (bottom 20%) in
		 * octave bands from 200 Hz, below 200 Hz one band. */
		{
			static const double edges[8] = { 20, 200, 400, 800, 1600, 3200, 6400, 11025 };
			for (int band = 0; band < 7; band++) {
				int k0 = (int)(edges[band] / binhz), k1 = (int)(edges[band + 1] / binhz);
				if (k1 > NBINS - 1)
					k1 = NBINS - 1;
				int m = k1 - k0;
				if (m < 2) {
					dv[D_CONTRAST + band] = 0;
					continue;
				}
				memcpy(sortbuf, pw + k0, sizeof(float) * (size_t)m);
				int q = m / 5 > 0 ? m / 5 : 1;
				/* only the q smallest and the q largest, in order */
				select_floats(sortbuf, (size_t)m, (size_t)q);
				if (m - q > q)
					select_floats(sortbuf + q, (size_t)(m - q), (size_t)(m - 2 * q));
				sort_floats(sortbuf, (size_t)q);
				sort_floats(sortbuf + m - q, (size_t)q);
				double lo = 0, hi = 0;
				for (int i = 0; i < q; i++) {
					lo += sortbuf[i];
					hi += sortbuf[m - 1 - i];
				}
				dv[D_CONTRAST + band] = (float)(10 * log10((hi + 1e-10) / (lo + 1e-10)) / 10);
			}
		}
		/* Chroma */
		float *ch = chroma[fi];
		for (int k = 0; k < NBINS; k++)
			if (c.pc[k] >= 0)
				ch[c.pc[k]] += sqrtf(pw[k]);
		float cs = 0, cmax = 0;
		for (int i = 0; i < 12; i++) {
			cs += ch[i];
			if (ch[i] > cmax)
				cmax = ch[i];
		}
		double tf = 0;
		for (int i = 0; i < 12; i++) {
			ch[i] = cs > 0 ? ch[i] / cs : 0;
			chroma_sum[i] += ch[i] * rms;    /* loud frames count more */
			if (fi)
				tf += fabs(ch[i] - chroma[fi - 1][i]);
		}
		dv[D_TONALFLUX] = (float)tf;
		dv[D_TONALITY] = cs > 0 ? cmax / cs : 0;
		band_descriptors(pw, xd + fi * NX);
	}
	for (int j = 0; j < NX; j++) {
		struct stats s = { 0 };
		for (size_t fi = 0; fi < nf; fi++)
			st_add(&s, xd[fi * NX + j]);
		r->feat[F_X_MEAN + j] = (float)st_mean(&s);
		r->feat[F_X_STD + j] = (float)st_std(&s);
	}
	/* Means and standard deviations of the descriptors. */
	for (int j = 0; j < ND; j++) {
		struct stats s = { 0 };
		for (size_t fi = 0; fi < nf; fi++)
			st_add(&s, d[fi * ND + j]);
		r->feat[F_MEAN + j] = (float)st_mean(&s);
		r->feat[F_STD + j] = (float)st_std(&s);
	}
	for (int q = 0; q < NMFCC; q++)
		r->feat[F_DMFCC + q] = (float)st_mean(&dm[q]);
	/* Key and mode (Krumhansl-Kessler profiles). */
	float cm[12];
	double csum = 0;
	for (int i = 0; i < 12; i++)
		csum += chroma_sum[i];
	for (int i = 0; i < 12; i++)
		cm[i] = csum > 0 ? (float)(chroma_sum[i] / csum) : 1.0f / 12;
	double bmaj, bmin;
	int kmaj, kmin;
	best_key(cm, &bmaj, &kmaj, &bmin, &kmin);
	int key = bmaj >= bmin ? kmaj : kmin;
	harmony(chroma, rmsv, nf, key, bmaj >= bmin, r->feat);
	double ent = 0;
	for (int i = 0; i < 12; i++) {
		r->feat[F_CHROMA + i] = cm[(i + key) % 12];
		if (cm[i] > 0)
			ent -= cm[i] * log2(cm[i]);
	}
	r->feat[F_MAJOR] = (float)bmaj;
	r->feat[F_MINOR] = (float)bmin;
	r->feat[F_MODE] = (float)(bmaj - bmin);
	r->feat[F_KEYCLAR] = (float)(bmaj > bmin ? bmaj : bmin);
	r->feat[F_CHROMA_ENT] = (float)ent;
	r->key = key;
	r->mode = bmaj - bmin;
	r->key_clarity = r->feat[F_KEYCLAR];
	/* Rhythm. */
	double bpm = 0, conf = 0, orate = 0;
	err = rhythm(x, n, &bpm, &conf, &orate, r->feat);
	if (!err)
		err = melody(x, n, r->feat);
	if (err)
		goto out;
	r->feat[F_TEMPO] = (float)(bpm / 100);
	r->feat[F_TEMPO_CONF] = (float)conf;
	r->feat[F_ONSET_RATE] = (float)orate;
	r->tempo = bpm;
	r->onset_rate = orate;
	/* Pulse clarity: peak of the normalised autocorrelation of the flux
	 * envelope for beat periods of 0.25 .. 2 s. */
	{
		double mean = 0, a0 = 0, best = 0;
		for (size_t fi = 0; fi < nf; fi++)
			mean += d[fi * ND + D_FLUX];
		mean /= nf;
		for (size_t fi = 0; fi < nf; fi++) {
			double v = d[fi * ND + D_FLUX] - mean;
			a0 += v * v;
		}
		size_t lo = (size_t)(0.25 * ANALYSIS_RATE / ANALYSIS_HOP), hi = (size_t)(2.0 * ANALYSIS_RATE / ANALYSIS_HOP);
		for (size_t lag = lo; lag <= hi && lag < nf; lag++) {
			double a = 0;
			for (size_t fi = 0; fi + lag < nf; fi++)
				a += (d[fi * ND + D_FLUX] - mean) * (d[(fi + lag) * ND + D_FLUX] - mean);
			if (a0 > 0 && a / a0 > best)
				best = a / a0;
		}
		r->feat[F_PULSE] = (float)best;
	}
	/* Dynamics. */
	{
		double rm = 0;
		for (size_t fi = 0; fi < nf; fi++)
			rm += rmsv[fi];
		rm /= nf;
		size_t lowc = 0;
		for (size_t fi = 0; fi < nf; fi++)
			if (rmsv[fi] < rm)
				lowc++;
		r->feat[F_LOWENERGY] = (float)lowc / nf;
		float *db = malloc(sizeof(float) * nf);
		if (!db) {
			err = ANALYSIS_ENOMEM;
			goto out;
		}
		for (size_t fi = 0; fi < nf; fi++)
			db[fi] = d[fi * ND + D_RMS];
		sort_floats(db, nf);
		r->feat[F_DYNRANGE] = (db[nf * 95 / 100] - db[nf * 10 / 100]) / 10;
		free(db);
		/* Over the clip: loudness trend (dB per second, regression), range
		 * of ~3 s segment loudness, mean rise and fall between frames. */
		double st = 0, sy = 0, stt = 0, sty = 0, up = 0, down = 0;
		size_t nup = 0, ndown = 0;
		const double hop_s = (double)ANALYSIS_HOP / ANALYSIS_RATE;
		for (size_t fi = 0; fi < nf; fi++) {
			double tt = fi * hop_s, y = d[fi * ND + D_RMS];
			st += tt;
			sy += y;
			stt += tt * tt;
			sty += tt * y;
			if (fi) {
				double dd = y - d[(fi - 1) * ND + D_RMS];
				if (dd > 0) {
					up += dd;
					nup++;
				} else if (dd < 0) {
					down -= dd;
					ndown++;
				}
			}
		}
		double den = nf * stt - st * st;
		r->feat[F_DYN_SLOPE] = den > 0 ? (float)((nf * sty - st * sy) / den) : 0;
		r->feat[F_ATTACK] = nup ? (float)(up / nup / 10) : 0;
		r->feat[F_DECAY] = ndown ? (float)(down / ndown / 10) : 0;
		double smin = 1e9, smax = -1e9;
		for (size_t a = 0; a + 32 <= nf; a += 64) {
			size_t b = a + 64 < nf ? a + 64 : nf;
			double m = 0;
			for (size_t fi = a; fi < b; fi++)
				m += d[fi * ND + D_RMS];
			m /= (double)(b - a);
			smin = fmin(smin, m);
			smax = fmax(smax, m);
		}
		r->feat[F_SEG_LOUD_RANGE] = smax > smin ? (float)((smax - smin) / 10) : 0;
		size_t blk = ANALYSIS_RATE / ANALYSIS_HOP;   /* ~1 s */
		float *tmp = malloc(sizeof(float) * nf);
		if (!tmp) {
			err = ANALYSIS_ENOMEM;
			goto out;
		}
		for (size_t fi = 0; fi < nf; fi++)
			tmp[fi] = d[fi * ND + D_RMS];
		r->feat[F_TEX_RMS] = (float)texture_std(tmp, nf, blk);
		for (size_t fi = 0; fi < nf; fi++)
			tmp[fi] = d[fi * ND + D_CENTROID];
		r->feat[F_TEX_CENTROID] = (float)texture_std(tmp, nf, blk);
		for (size_t fi = 0; fi < nf; fi++)
			tmp[fi] = d[fi * ND + D_FLUX];
		r->feat[F_TEX_FLUX] = (float)texture_std(tmp, nf, blk);
		free(tmp);
	}
out:
	free(pw);
	free(prevmag);
	free(d);
	free(chroma);
	free(rmsv);
	free(sortbuf);
	free(xd);
	ctx_free(&c);
	return err;
}

/* Loudness features depend on the whole track, filled after analysis_signal. */
static void loudness_features(struct analysis_result *r)
{
	r->feat[F_LUFS] = (float)(r->lufs / 10);
	r->feat[F_LRA] = (float)(r->lra / 10);
	double pdb = 20 * log10(r->peak + 1e-9);
	r->feat[F_PLR] = (float)((pdb - r->lufs) / 10);
}

/* --- 2:1 decimation, 44.1 kHz to ANALYSIS_RATE -------------------------- */

/* At a ratio of exactly 1/2 libsamplerate's SRC_SINC_FASTEST is a fixed FIR
 * filter: output k is the sum over t in [-DEC_W, DEC_W] of h(t) x(2k - t)
 * (x = 0 before the start), and after n input samples (end of input never
 * signalled) it has given (n - DEC_LAG) / 2 outputs. The taps are taken
 * once from libsamplerate itself (its responses to two impulses) and the
 * sum runs in the same order in double: the output is bit for bit the
 * same (checked at start-up against libsamplerate on a noise signal; if it
 * is not, SRC is used), at a fraction of the cost (the taps are not
 * interpolated again for every output). */
#define DEC_W 38
#define DEC_LAG 38
static struct {
	float h[2 * DEC_W + 1];
	int ok;
} dec;
static pthread_once_t dec_once = PTHREAD_ONCE_INIT;

/* libsamplerate at ratio 1/2 over x[0, n) into y; the number of outputs. */
static long src_half(const float *x, long n, float *y, long ycap)
{
	int e = 0;
	SRC_STATE *st = src_new(SRC_SINC_FASTEST, 1, &e);
	if (!st)
		return -1;
	SRC_DATA d = { .data_in = x, .input_frames = n, .data_out = y, .output_frames = ycap,
		       .src_ratio = 0.5, .end_of_input = 0 };
	long out = 0, done = 0;
	while (done < n) {
		d.data_in = x + done;
		d.input_frames = n - done;
		d.data_out = y + out;
		d.output_frames = ycap - out;
		if (src_process(st, &d)) {
			out = -1;
			break;
		}
		out += d.output_frames_gen;
		done += d.input_frames_used;
		if (!d.input_frames_used && !d.output_frames_gen)
			break;
	}
	src_delete(st);
	return out;
}

static size_t dec_count(size_t n) { return n > DEC_LAG ? (n - DEC_LAG) / 2 : 0; }

/* y[k] for k in [0, dec_count(n)) from x[0, n). */
static void dec_run(const float *x, size_t n, float *y)
{
	const size_t m = dec_count(n);
	size_t k = 0;
	/* Outputs whose taps all fall inside x, 4 at a time (independent sums). */
	for (; k < m; k++) {
		if (2 * k >= DEC_W && 2 * k + 3 * 2 + DEC_W < n && k + 3 < m)
			break;
		double acc = 0;
		for (int t = -DEC_W; t <= DEC_W; t++) {
			long i = (long)(2 * k) - t;
			if (i >= 0 && (size_t)i < n)
				acc += (double)dec.h[t + DEC_W] * x[i];
		}
		y[k] = (float)acc;
	}
	for (; k + 3 < m && 2 * (k + 3) + DEC_W < n; k += 4) {
		double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
		const float *c = x + 2 * k + DEC_W;
		for (int t = -DEC_W; t <= DEC_W; t++, c--) {
			double hh = dec.h[t + DEC_W];
			a0 += hh * c[0];
			a1 += hh * c[2];
			a2 += hh * c[4];
			a3 += hh * c[6];
		}
		y[k] = (float)a0;
		y[k + 1] = (float)a1;
		y[k + 2] = (float)a2;
		y[k + 3] = (float)a3;
	}
	for (; k < m; k++) {
		double acc = 0;
		for (int t = -DEC_W; t <= DEC_W; t++) {
			long i = (long)(2 * k) - t;
			if (i >= 0 && (size_t)i < n)
				acc += (double)dec.h[t + DEC_W] * x[i];
		}
		y[k] = (float)acc;
	}
}

static void dec_init(void)
{
	enum { N = 12000, P = 6000 };
	float *x = calloc(N, sizeof *x), *y = calloc(N, sizeof *y), *z = calloc(N, sizeof *z);
	if (!x || !y || !z)
		goto out;
	/* The taps: responses to an impulse at an even and at an odd sample. */
	for (int odd = 0; odd < 2; odd++) {
		memset(x, 0, sizeof(float) * N);
		x[P + odd] = 1;
		long o = src_half(x, N, y, N);
		if (o < N / 2 - DEC_LAG)
			goto out;
		for (int t = -DEC_W + odd; t <= DEC_W; t += 2)
			dec.h[t + DEC_W] = y[(P + odd + t) / 2];
		/* nothing outside [-DEC_W, DEC_W] */
		for (long k = 0; k < o; k++) {
			long t = 2 * k - (P + odd);
			if ((t < -DEC_W || t > DEC_W) && y[k] != 0)
				goto out;
		}
	}
	/* The check: noise and a tone, an odd length. */
	uint32_t seed = 12345;
	for (int i = 0; i < N - 1; i++) {
		seed = seed * 1664525u + 1013904223u;
		x[i] = (float)((seed >> 8) / 16777216.0 - 0.5) * 0.5f + 0.4f * sinf(i * 0.07f);
	}
	long o = src_half(x, N - 1, y, N);
	if (o != (long)dec_count(N - 1))
		goto out;
	dec_run(x, N - 1, z);
	dec.ok = memcmp(y, z, sizeof(float) * (size_t)o) == 0;
out:
	free(x);
	free(y);
	free(z);
}

/* Decoding state of one file: the loudness meter on the original channels,
 * the resampler to ANALYSIS_RATE and the mono signal gathered so far. */
struct reader {
	struct decode *d;
	int ch, rate;
	double ratio;
	ebur128_state *eb;
	SRC_STATE *src;
	float *buf, *mono, *rs, *sig;
	size_t cap, len;
	int64_t pos;            /* the frame the decoder gives next */
	int half;               /* 2:1 by dec_run() at the end: the mono input kept in sig */
};
enum { BLK = 4096 };

/* Reads frames [from, to) (to < 0: to the end), into the loudness meter
 * when loud; the part inside [x0, x1) goes, mixed to mono and resampled,
 * to sig. Returns the number of frames read, or a negative analysis_err
 * with why. */
static int64_t read_span(struct reader *rd, int64_t from, int64_t to, int64_t x0, int64_t x1,
			 int loud, char *why, size_t n)
{
	const int ch = rd->ch;
	if (from != rd->pos) {
		if (decode_seek(rd->d, from)) {
			snprintf(why, n, "cannot seek to %.1f s: %s", (double)from / rd->rate,
				 decode_error(rd->d));
			return ANALYSIS_EDECODE;
		}
		rd->pos = from;
	}
	int64_t total = 0;
	while (to < 0 || rd->pos < to) {
		long want = to >= 0 && to - rd->pos < BLK ? (long)(to - rd->pos) : BLK;
		long got = decode_read_float(rd->d, rd->buf, want);
		if (got < 0) {
			snprintf(why, n, "decoding failed after %.1f s: %s", (double)rd->pos / rd->rate,
				 got == DECODE_ENOMEM ? "out of memory" : decode_error(rd->d));
			return got == DECODE_ENOMEM ? ANALYSIS_ENOMEM : ANALYSIS_EDECODE;
		}
		if (got == 0)
			break;
		for (long i = 0; i < got * ch; i++)
			if (!isfinite(rd->buf[i]))
				rd->buf[i] = 0;
		if (loud && ebur128_add_frames_float(rd->eb, rd->buf, (size_t)got)) {
			snprintf(why, n, "loudness measurement failed");
			return ANALYSIS_ELIB;
		}
		/* The part of this block inside [x0, x1), mixed to mono. */
		int64_t pos = rd->pos;
		int64_t a = x0 > pos ? x0 - pos : 0, b = x1 - pos < got ? x1 - pos : got;
		if (b > a) {
			for (int64_t i = a; i < b; i++) {
				float s = 0;
				for (int c = 0; c < ch; c++)
					s += rd->buf[i * ch + c];
				rd->mono[i - a] = s / ch;
			}
			if (rd->half) {
				if ((size_t)(b - a) > rd->cap - rd->len) {
					size_t nc = (rd->len + (size_t)(b - a)) * 2;
					float *ns = realloc(rd->sig, sizeof(float) * nc);
					if (!ns) {
						snprintf(why, n, "out of memory");
						return ANALYSIS_ENOMEM;
					}
					rd->sig = ns;
					rd->cap = nc;
				}
				memcpy(rd->sig + rd->len, rd->mono, sizeof(float) * (size_t)(b - a));
				rd->len += (size_t)(b - a);
				rd->pos += got;
				total += got;
				continue;
			}
			SRC_DATA sd = { .data_in = rd->mono, .input_frames = (long)(b - a),
					.data_out = rd->rs, .output_frames = (long)(BLK * rd->ratio) + 64,
					.src_ratio = rd->ratio, .end_of_input = 0 };
			long done_in = 0;
			while (done_in < b - a) {
				sd.data_in = rd->mono + done_in;
				sd.input_frames = (long)(b - a) - done_in;
				if (src_process(rd->src, &sd)) {
					snprintf(why, n, "resampling failed");
					return ANALYSIS_ELIB;
				}
				if ((size_t)sd.output_frames_gen > rd->cap - rd->len) {
					size_t nc = (rd->len + (size_t)sd.output_frames_gen) * 2;
					float *ns = realloc(rd->sig, sizeof(float) * nc);
					if (!ns) {
						snprintf(why, n, "out of memory");
						return ANALYSIS_ENOMEM;
					}
					rd->sig = ns;
					rd->cap = nc;
				}
				memcpy(rd->sig + rd->len, rd->rs, sizeof(float) * (size_t)sd.output_frames_gen);
				rd->len += (size_t)sd.output_frames_gen;
				done_in += sd.input_frames_used;
				if (sd.input_frames_used == 0 && sd.output_frames_gen == 0)
					break;
			}
		}
		rd->pos += got;
		total += got;
	}
	return total;
}

/* Tracks up to this many excerpts long are decoded whole (loudness over the
 * whole track, as the training clips were measured); longer ones only in
 * the excerpt (the features) and LOUD_SEGS spans of LOUD_SEG_S seconds
 * evenly spread over the track (the loudness: each part of the track
 * weighs the same in it). */
#define WHOLE_EXCERPTS 2.0
#define LOUD_SEGS 12
#define LOUD_SEG_S 2.0

int analysis_silent(const float *feat)
{
	return feat[F_LUFS] * 10 < ANALYSIS_SILENT_LUFS;
}

int analysis_file(const char *path, const struct analysis_opts *o,
		  struct analysis_result *r, char *why, size_t n)
{
	double excerpt = o ? o->excerpt_s : ANALYSIS_EXCERPT_S;
	struct reader rd = { 0 };
	memset(r, 0, sizeof *r);
	why[0] = 0;
	int err = open_audio(path, &rd.d, why, n);
	if (err)
		return err;
	double rg_gain;
	fill_tags(rd.d, &r->tags, &rg_gain);
	const struct decode_format *fmt = decode_format(rd.d);
	const int64_t frames = fmt->frames;
	rd.ch = fmt->channels;
	rd.rate = fmt->rate;
	rd.ratio = (double)ANALYSIS_RATE / rd.rate;
	/* Which input frames go to the features (all when the length is unknown). */
	int64_t x0 = 0, x1 = INT64_MAX;
	int whole = 1;
	if (frames > 0 && excerpt > 0 && frames > (int64_t)(excerpt * rd.rate)) {
		int64_t len = (int64_t)(excerpt * rd.rate);
		x0 = (frames - len) / 2;
		x1 = x0 + len;
		whole = frames <= (int64_t)(WHOLE_EXCERPTS * excerpt * rd.rate);
	} else if (frames > 0) {
		x1 = frames;
	}
	/* 44.1 kHz: the exact 2:1 decimator, when the span is known and not too
	 * long to keep (20 minutes) */
	int64_t span = x1 < frames ? x1 - x0 : frames;
	if (rd.rate == 2 * ANALYSIS_RATE && span > 0 && span <= (int64_t)rd.rate * 1200) {
		pthread_once(&dec_once, dec_init);
		rd.half = dec.ok;
	}
	rd.cap = (size_t)((span > 0 ? span : rd.rate * 60) * (rd.half ? 1 : rd.ratio)) + 4096;
	rd.buf = malloc(sizeof(float) * BLK * (size_t)rd.ch);
	rd.mono = malloc(sizeof(float) * BLK);
	rd.rs = malloc(sizeof(float) * ((size_t)(BLK * rd.ratio) + 64));
	rd.sig = malloc(sizeof(float) * rd.cap);
	int serr = 0;
	rd.src = src_new(SRC_SINC_FASTEST, 1, &serr);
	rd.eb = ebur128_init((unsigned)rd.ch, (unsigned long)rd.rate,
			     EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK);
	if (!rd.buf || !rd.mono || !rd.rs || !rd.sig || !rd.src || !rd.eb) {
		err = !rd.src || !rd.eb ? ANALYSIS_ELIB : ANALYSIS_ENOMEM;
		snprintf(why, n, "%s", analysis_strerror(err));
		goto out;
	}
	int64_t pos;
	if (whole) {
		pos = read_span(&rd, 0, -1, x0, x1, 1, why, n);
		if (pos < 0) {
			err = (int)pos;
			goto out;
		}
		if (frames > 0 && pos < frames - frames / 50 - 1) {
			err = ANALYSIS_EDECODE;
			snprintf(why, n, "truncated: %.1f s of %.1f s decoded",
				 (double)pos / rd.rate, (double)frames / rd.rate);
			goto out;
		}
	} else {
		/* The excerpt (features), then the spans (loudness). */
		int64_t got = read_span(&rd, x0, x1, x0, x1, 0, why, n);
		if (got < 0) {
			err = (int)got;
			goto out;
		}
		if (got < (x1 - x0) - (x1 - x0) / 50 - 1) {
			err = ANALYSIS_EDECODE;
			snprintf(why, n, "truncated: decoding stopped at %.1f s of %.1f s",
				 (double)(x0 + got) / rd.rate, (double)frames / rd.rate);
			goto out;
		}
		int64_t seg = (int64_t)(LOUD_SEG_S * rd.rate);
		for (int k = 0; k < LOUD_SEGS; k++) {
			int64_t c = (int64_t)((k + 0.5) * (double)frames / LOUD_SEGS);
			int64_t s0 = c - seg / 2, s1 = s0 + seg;
			if (s0 < 0 || s1 > frames)
				continue;
			got = read_span(&rd, s0, s1, 0, 0, 1, why, n);
			if (got < 0) {
				err = (int)got;
				goto out;
			}
		}
		pos = frames;
	}
	if ((double)pos / rd.rate < ANALYSIS_MIN_S) {
		err = ANALYSIS_ESHORT;
		snprintf(why, n, "no audio or shorter than %.0f s", ANALYSIS_MIN_S);
		goto out;
	}
	r->tags.frames = pos;
	r->tags.duration = (double)pos / rd.rate;
	if (ebur128_loudness_global(rd.eb, &r->lufs) || ebur128_loudness_range(rd.eb, &r->lra)) {
		err = ANALYSIS_ELIB;
		snprintf(why, n, "loudness measurement failed");
		goto out;
	}
	if (!isfinite(r->lufs) || r->lufs < -70)
		r->lufs = -70;
	if (!isfinite(r->lra))
		r->lra = 0;
	r->peak = 0;
	for (int c = 0; c < rd.ch; c++) {
		double p = 0;
		if (!ebur128_sample_peak(rd.eb, (unsigned)c, &p) && p > r->peak)
			r->peak = p;
	}
	if (rd.half) {
		size_t m = dec_count(rd.len);
		float *y = malloc(sizeof(float) * (m ? m : 1));
		if (!y) {
			err = ANALYSIS_ENOMEM;
			snprintf(why, n, "out of memory");
			goto out;
		}
		dec_run(rd.sig, rd.len, y);
		free(rd.sig);
		rd.sig = y;
		rd.len = m;
	}
	err = analysis_signal(rd.sig, rd.len, r);
	if (err) {
		snprintf(why, n, "%s", analysis_strerror(err));
		goto out;
	}
	loudness_features(r);
	r->silent = analysis_silent(r->feat);
	/* The track's loudness for playback: its ReplayGain/R128 tag (relative
	 * to -18 LUFS) when it has one, else what was measured. */
	if (isfinite(rg_gain) && rg_gain > -60 && rg_gain < 60)
		r->lufs = -18 - rg_gain;
out:
	if (rd.eb)
		ebur128_destroy(&rd.eb);
	if (rd.src)
		src_delete(rd.src);
	free(rd.buf);
	free(rd.mono);
	free(rd.rs);
	free(rd.sig);
	decode_close(rd.d);
	return err;
}
