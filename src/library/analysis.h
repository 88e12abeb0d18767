/*
 * analysis: decodes one audio file (decode.h: libsndfile, else FFmpeg),
 * measures its loudness on the original channels (libebur128), mixes it to
 * mono at ANALYSIS_RATE (libsamplerate) and computes the feature vector the
 * mood model reads:
 * spectral shape (centroid, spread, rolloff, flatness, flux, band energies),
 * MFCC statistics, zero-crossing rate, dynamics, chroma (a harmonic pitch
 * class profile of the spectral peaks, tuned to the excerpt) with key and
 * mode clarity, tempo and onset rate (libaubio). Frames are ANALYSIS_FRAME samples
 * with hop ANALYSIS_HOP (FFTW).
 *
 * Only what is needed is decoded: a track up to two excerpts long is
 * decoded whole (loudness over the whole track); a longer one only in its
 * centred excerpt (the features; seek, decode only it) and 12 spans of 2 s
 * evenly spread over the track (the loudness: integrated loudness within
 * ~0.5 dB of the whole track's; LRA and peak are the spans' own, so lower).
 * 44.1 kHz input goes to ANALYSIS_RATE through an exact 2:1 FIR equal bit
 * for bit to libsamplerate's SRC_SINC_FASTEST (its taps, taken from it at
 * the first use and checked), other rates through libsamplerate.
 * The loudness stored for playback (lufs) is the file's ReplayGain/R128
 * track gain when it has one (FFmpeg backend), else the measured one.
 * Silence and near-silence (measured loudness below ANALYSIS_SILENT_LUFS)
 * are flagged: such a track gets no mood.
 *
 * Everything is thread-safe: several workers may analyse files at once
 * (plans and aubio objects are created under a lock private to this module).
 * No allocation survives a call; results are plain structs.
 */
#ifndef EMOTUNE_ANALYSIS_H
#define EMOTUNE_ANALYSIS_H

#include <stddef.h>

#define ANALYSIS_RATE 22050
#define ANALYSIS_FRAME 2048
#define ANALYSIS_HOP 1024
/* Bump when the feature vector changes: stored features are then recomputed. */
#define ANALYSIS_VERSION 4
#define ANALYSIS_NFEAT 165
/* Default analysed excerpt (seconds, centred); 0 analyses the whole track.
 * Loudness is always measured over the whole track. */
#define ANALYSIS_EXCERPT_S 30.0

enum analysis_err {
	ANALYSIS_OK = 0,
	ANALYSIS_ENOMEM = -1,    /* out of memory */
	ANALYSIS_EOPEN = -2,     /* no decoder reads the file (see why) */
	ANALYSIS_EDECODE = -3,   /* decoding failed part-way (corrupt or truncated) */
	ANALYSIS_ESHORT = -4,    /* no audio or shorter than ANALYSIS_MIN_S */
	ANALYSIS_ELIB = -5,      /* a library (samplerate, ebur128, aubio, fftw) failed */
	ANALYSIS_EFORMAT = -6,   /* unsupported layout (channels, rate) */
};
#define ANALYSIS_MIN_S 1.0
/* Below this measured loudness (LUFS) a track is silence: no mood. */
#define ANALYSIS_SILENT_LUFS -50.0

struct analysis_tags {
	char title[256], artist[256], album[256];  /* "" when absent */
	int trackno;                               /* 0 when absent */
	double duration;                           /* seconds */
	int rate, channels;
	long long frames;
};

struct analysis_result {
	struct analysis_tags tags;
	double lufs, lra;        /* integrated loudness (LUFS), loudness range (LU) */
	double peak;             /* sample peak, linear */
	double tempo, onset_rate, mode, key_clarity;   /* convenience copies of features */
	int key;                 /* tonic pitch class 0 = C .. 11 = B */
	int silent;              /* analysis_silent(feat): no mood */
	float feat[ANALYSIS_NFEAT];
};

struct analysis_opts {
	double excerpt_s;        /* 0: whole track; else centred excerpt length */
};

/* Reads only the header and tags. 0 or a negative analysis_err. */
int analysis_read_tags(const char *path, struct analysis_tags *t, char *why, size_t n);

/* Decodes and analyses a file. o may be NULL (defaults). On error why
 * (size n) says what went wrong in words. */
int analysis_file(const char *path, const struct analysis_opts *o,
		  struct analysis_result *r, char *why, size_t n);

/* analysis_file() that also gives the features of the first and the second
 * half of the analysed signal (the excerpt) in half[0] and half[1], with
 * the whole signal's loudness features: train-mood's --augment halves. */
int analysis_file_halves(const char *path, const struct analysis_opts *o,
			 struct analysis_result *r, float (*half)[ANALYSIS_NFEAT], char *why, size_t n);

/* Features of a mono signal already at ANALYSIS_RATE (interleaved input of
 * `channels` channels at `rate` is measured for loudness only when given). */
int analysis_signal(const float *mono, size_t n, struct analysis_result *r);

/* Loudness (integrated LUFS and LRA) of interleaved float frames. */
int analysis_loudness(const float *x, size_t frames, int channels, int rate,
		      double *lufs, double *lra);

/* 1 when a feature vector is of silence or near-silence (its measured
 * loudness is below ANALYSIS_SILENT_LUFS): such a track gets no mood. */
int analysis_silent(const float *feat);

/* Name of feature i ("centroid_mean", ...). */
const char *analysis_feature_name(int i);

const char *analysis_strerror(int err);

#endif
