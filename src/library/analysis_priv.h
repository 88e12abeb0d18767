/* analysis_priv.h: what the analysis module's files share (analysis.c:
 * decode, loudness, resampling, analysis_file; analysis_signal.c: frame
 * descriptors and their summaries; analysis_tonal.c: key, chords and
 * harmony; analysis_rhythm.c: libaubio, tempo, onsets and pitch). Private
 * to those files. The feature vector's layout (F_*) is ANALYSIS_VERSION's:
 * changing it changes every stored vector. Thread rules: as analysis.h;
 * FFTW plans and aubio objects are created and destroyed under
 * analysis_plan_lock. */
#ifndef EMOTUNE_ANALYSIS_PRIV_H
#define EMOTUNE_ANALYSIS_PRIV_H

#include "analysis.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>

#define NBINS (ANALYSIS_FRAME / 2 + 1)
#define NMEL 40
#define NMFCC 13
#define NMB 4   /* modulation bands (analysis_signal.c) */
#define NMOD 5  /* modulation rate ranges per band */

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
	/* Version 3: modulation spectrum (how fast the level moves) of NMB
	 * bands below 4.8 kHz, NMOD rates each; then the bands' mean
	 * modulation level and its peak-to-mean (analysis_signal.c). */
	F_MOD,
	F_MOD_LEVEL = F_MOD + NMB * NMOD, F_MOD_PEAK,
	F_N,
};
_Static_assert(F_N == ANALYSIS_NFEAT, "feature vector too long");


struct stats {
	double s, ss;
	size_t n;
};

static inline void st_add(struct stats *s, double v)
{
	s->s += v;
	s->ss += v * v;
	s->n++;
}

static inline double st_mean(const struct stats *s) { return s->n ? s->s / s->n : 0; }

static inline double st_std(const struct stats *s)
{
	if (s->n < 2)
		return 0;
	double m = s->s / s->n, v = s->ss / s->n - m * m;
	return v > 0 ? sqrt(v) : 0;
}



/* A local maximum pw[k] of a power spectrum (k - 1 and k + 1 valid): the
 * vertex of the parabola through the log power of bins k - 1, k, k + 1, as
 * an offset from k in bins (-0.5..0.5); *lp (may be NULL) its log power. */
static inline double analysis_peak_vertex(const float *pw, int k, double *lp)
{
	double l = log(pw[k - 1] + 1e-12), c = log(pw[k] + 1e-12), r = log(pw[k + 1] + 1e-12);
	double d = l - 2 * c + r, off = d < 0 ? 0.5 * (l - r) / d : 0;
	if (lp)
		*lp = c - 0.25 * (l - r) * off;
	return off;
}

/* FFTW's planner and aubio's constructors are not thread-safe. */
extern pthread_mutex_t analysis_plan_lock;

/* analysis_signal.c: n floats (no NaN) ascending; the k smallest first. */
void analysis_sort_floats(float *a, size_t n);
void analysis_select_floats(float *a, size_t n, size_t k);

/* analysis_tonal.c: the chroma of a frame as a harmonic pitch class
 * profile (HPCP, Gomez 2006): analysis_hpcp_peaks() keeps the frame's
 * spectral peaks (HPCP_LO-HPCP_HI Hz, within 40 dB of the strongest, the
 * HPCP_MAXPEAKS strongest; frequency by parabolic interpolation) as
 * (semitones from C4, magnitude) pairs in pk and adds their cents to the
 * excerpt's tuning phasor tun[2]; returns how many. Once every frame is
 * seen, analysis_hpcp() adds one frame's profile to ch[12]: each peak and
 * its HPCP_HARMONICS subharmonics (weight 0.8 each step) spread over the
 * nearest pitch classes by a cos^2 window of 4/3 semitone, centred on the
 * excerpt's tuning (analysis_hpcp_tuning(), -0.5..0.5 semitone). */
#define HPCP_LO 60.0
#define HPCP_HI 3500.0
#define HPCP_MAXPEAKS 60
#define HPCP_HARMONICS 4
int analysis_hpcp_peaks(const float *pw, float *pk, double *tun);
double analysis_hpcp_tuning(const double *tun);
void analysis_hpcp(const float *pk, int np, double tuning, float *ch);

/* analysis_tonal.c: the best major and minor key of a chroma vector
 * (Krumhansl-Kessler correlations and tonics); harmony over time from the
 * frames' chroma weighted by their RMS, gkey/gmajor the clip's key, into
 * feat (F_SEG_*, F_CHORD_*, F_HCDF*, F_TENSION*). */
void analysis_best_key(const float *cm, double *bmaj, int *kmaj, double *bmin, int *kmin);
void analysis_harmony(float (*chroma)[12], const float *rmsv, size_t nf, int gkey, int gmajor,
		      float *feat);

/* analysis_rhythm.c (libaubio): tempo (bpm, confidence), onset rate and
 * inter-onset regularity; predominant pitch. 0 or ANALYSIS_ELIB/ENOMEM. */
int analysis_rhythm(const float *x, size_t n, double *bpm, double *conf, double *onset_rate,
		    float *feat);
int analysis_melody(const float *x, size_t n, float *feat);

#endif
