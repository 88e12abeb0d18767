/* analysis: decode, loudness, resample, the features of a file. See
 * analysis.h; the features of the signal are analysis_signal.c's,
 * analysis_tonal.c's and analysis_rhythm.c's (analysis_priv.h). */
#include "analysis_priv.h"

#include "decode.h"
#include "vec.h"

#include <ebur128.h>
#include <samplerate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const xnames[NX] = { "roughness", "peaks", "bl_centroid", "bl_slope", "bl_hilo" };

static const char *const dnames[ND] = {
	"rms_db", "zcr", "centroid", "spread", "rolloff", "flatness", "flux",
	"band_low", "band_mid", "band_high", "crest", "tonal_flux", "tonality",
	"mfcc0", "mfcc1", "mfcc2", "mfcc3", "mfcc4", "mfcc5", "mfcc6", "mfcc7",
	"mfcc8", "mfcc9", "mfcc10", "mfcc11", "mfcc12",
	"contrast0", "contrast1", "contrast2", "contrast3", "contrast4", "contrast5", "contrast6",
};

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
	static const char *const mbands[NMB] = { "bass", "low", "mid", "high" };
	static const char *const mrates[NMOD] = { "0.3hz", "1hz", "2hz", "4hz", "8hz" };
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
	else if (i >= F_MOD && i < F_MOD_LEVEL)
		snprintf(buf, sizeof buf, "mod_%s_%s", mbands[(i - F_MOD) / NMOD], mrates[(i - F_MOD) % NMOD]);
	else if (i == F_MOD_LEVEL)
		return "mod_level";
	else if (i == F_MOD_PEAK)
		return "mod_peak";
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

/* y[k] at an edge: the taps that fall inside x[0, n). */
static float dec_one(const float *x, size_t n, size_t k)
{
	double acc = 0;
	for (int t = -DEC_W; t <= DEC_W; t++) {
		long i = (long)(2 * k) - t;
		if (i >= 0 && (size_t)i < n)
			acc += (double)dec.h[t + DEC_W] * x[i];
	}
	return (float)acc;
}

/* y[k] for k in [0, dec_count(n)) from x[0, n). */
static void dec_run(const float *x, size_t n, float *y)
{
	const size_t m = dec_count(n);
	size_t k = 0;
	/* Outputs whose taps all fall inside x, 4 at a time (independent sums). */
	for (; k < m; k++) {
		if (2 * k >= DEC_W && 2 * k + 3 * 2 + DEC_W < n && k + 3 < m)
			break;
		y[k] = dec_one(x, n, k);
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
	for (; k < m; k++)
		y[k] = dec_one(x, n, k);
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
	int64_t frames;         /* the track's length as the container says (< 0: unknown) */
	int64_t x0, x1;         /* the frames that go to the features */
	int whole;              /* decoded whole (else x0..x1 and the loudness spans) */
};
enum { BLK = 4096 };

/* Appends k samples to rd->sig. 0, or ANALYSIS_ENOMEM with why. */
static int sig_add(struct reader *rd, const float *x, size_t k, char *why, size_t n)
{
	if (vec_grow(&rd->sig, &rd->cap, rd->len + k, sizeof *rd->sig, 1)) {
		snprintf(why, n, "out of memory");
		return ANALYSIS_ENOMEM;
	}
	memcpy(rd->sig + rd->len, x, sizeof *x * k);
	rd->len += k;
	return 0;
}

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
				if (sig_add(rd, rd->mono, (size_t)(b - a), why, n))
					return ANALYSIS_ENOMEM;
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
				if (sig_add(rd, rd->rs, (size_t)sd.output_frames_gen, why, n))
					return ANALYSIS_ENOMEM;
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

/* What to decode of a track of fmt: the frames [x0, x1) that go to the
 * features (all when the length is unknown), whether the whole track is
 * decoded (else the spans for the loudness), the 2:1 decimator and the
 * signal's first capacity. */
static void reader_plan(struct reader *rd, const struct decode_format *fmt, double excerpt)
{
	const int64_t frames = fmt->frames;
	rd->frames = frames;
	rd->ch = fmt->channels;
	rd->rate = fmt->rate;
	rd->ratio = (double)ANALYSIS_RATE / rd->rate;
	rd->x0 = 0;
	rd->x1 = INT64_MAX;
	rd->whole = 1;
	if (frames > 0 && excerpt > 0 && frames > (int64_t)(excerpt * rd->rate)) {
		int64_t len = (int64_t)(excerpt * rd->rate);
		rd->x0 = (frames - len) / 2;
		rd->x1 = rd->x0 + len;
		rd->whole = frames <= (int64_t)(WHOLE_EXCERPTS * excerpt * rd->rate);
	} else if (frames > 0) {
		rd->x1 = frames;
	}
	/* 44.1 kHz: the exact 2:1 decimator, when the span is known and not too
	 * long to keep (20 minutes) */
	int64_t span = rd->x1 < frames ? rd->x1 - rd->x0 : frames;
	if (rd->rate == 2 * ANALYSIS_RATE && span > 0 && span <= (int64_t)rd->rate * 1200) {
		pthread_once(&dec_once, dec_init);
		rd->half = dec.ok;
	}
	rd->cap = (size_t)((span > 0 ? span : rd->rate * 60) * (rd->half ? 1 : rd->ratio)) + 4096;
}

/* The buffers, the resampler and the loudness meter. */
static int reader_open(struct reader *rd, char *why, size_t n)
{
	rd->buf = malloc(sizeof(float) * BLK * (size_t)rd->ch);
	rd->mono = malloc(sizeof(float) * BLK);
	rd->rs = malloc(sizeof(float) * ((size_t)(BLK * rd->ratio) + 64));
	rd->sig = malloc(sizeof(float) * rd->cap);
	int serr = 0;
	rd->src = src_new(SRC_SINC_FASTEST, 1, &serr);
	rd->eb = ebur128_init((unsigned)rd->ch, (unsigned long)rd->rate,
			      EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK);
	if (!rd->buf || !rd->mono || !rd->rs || !rd->sig || !rd->src || !rd->eb) {
		int err = !rd->src || !rd->eb ? ANALYSIS_ELIB : ANALYSIS_ENOMEM;
		snprintf(why, n, "%s", analysis_strerror(err));
		return err;
	}
	return 0;
}

static void reader_close(struct reader *rd)
{
	if (rd->eb)
		ebur128_destroy(&rd->eb);
	if (rd->src)
		src_delete(rd->src);
	free(rd->buf);
	free(rd->mono);
	free(rd->rs);
	free(rd->sig);
	decode_close(rd->d);
}

/* Decodes what reader_plan chose: the whole track, or the excerpt (the
 * features) then the spans (the loudness). Returns the track's length in
 * frames, or a negative analysis_err with why. */
static int64_t read_track(struct reader *rd, char *why, size_t n)
{
	const int64_t frames = rd->frames, x0 = rd->x0, x1 = rd->x1;
	if (rd->whole) {
		int64_t pos = read_span(rd, 0, -1, x0, x1, 1, why, n);
		if (pos >= 0 && frames > 0 && pos < frames - frames / 50 - 1) {
			snprintf(why, n, "truncated: %.1f s of %.1f s decoded",
				 (double)pos / rd->rate, (double)frames / rd->rate);
			return ANALYSIS_EDECODE;
		}
		return pos;
	}
	int64_t got = read_span(rd, x0, x1, x0, x1, 0, why, n);
	if (got < 0)
		return got;
	if (got < (x1 - x0) - (x1 - x0) / 50 - 1) {
		snprintf(why, n, "truncated: decoding stopped at %.1f s of %.1f s",
			 (double)(x0 + got) / rd->rate, (double)frames / rd->rate);
		return ANALYSIS_EDECODE;
	}
	int64_t seg = (int64_t)(LOUD_SEG_S * rd->rate);
	for (int k = 0; k < LOUD_SEGS; k++) {
		int64_t c = (int64_t)((k + 0.5) * (double)frames / LOUD_SEGS);
		int64_t s0 = c - seg / 2, s1 = s0 + seg;
		if (s0 < 0 || s1 > frames)
			continue;
		got = read_span(rd, s0, s1, 0, 0, 1, why, n);
		if (got < 0)
			return got;
	}
	return frames;
}

/* Integrated loudness, loudness range and sample peak of what was read. */
static int measure_loudness(struct reader *rd, struct analysis_result *r, char *why, size_t n)
{
	if (ebur128_loudness_global(rd->eb, &r->lufs) || ebur128_loudness_range(rd->eb, &r->lra)) {
		snprintf(why, n, "loudness measurement failed");
		return ANALYSIS_ELIB;
	}
	if (!isfinite(r->lufs) || r->lufs < -70)
		r->lufs = -70;
	if (!isfinite(r->lra))
		r->lra = 0;
	r->peak = 0;
	for (int c = 0; c < rd->ch; c++) {
		double p = 0;
		if (!ebur128_sample_peak(rd->eb, (unsigned)c, &p) && p > r->peak)
			r->peak = p;
	}
	return 0;
}

/* 44.1 kHz input kept as it was: to ANALYSIS_RATE now. */
static int decimate(struct reader *rd, char *why, size_t n)
{
	if (!rd->half)
		return 0;
	size_t m = dec_count(rd->len);
	float *y = malloc(sizeof(float) * (m ? m : 1));
	if (!y) {
		snprintf(why, n, "out of memory");
		return ANALYSIS_ENOMEM;
	}
	dec_run(rd->sig, rd->len, y);
	free(rd->sig);
	rd->sig = y;
	rd->len = m;
	return 0;
}

int analysis_file(const char *path, const struct analysis_opts *o,
		  struct analysis_result *r, char *why, size_t n)
{
	return analysis_file_halves(path, o, r, NULL, why, n);
}

/* The features of each half of the analysed signal; the loudness features
 * are the whole signal's. */
static int halves(const struct reader *rd, const struct analysis_result *r,
		  float (*half)[ANALYSIS_NFEAT])
{
	struct analysis_result *hr = malloc(sizeof *hr);
	if (!hr)
		return ANALYSIS_ENOMEM;
	int err = 0;
	for (int h = 0; !err && h < 2; h++) {
		memset(hr, 0, sizeof *hr);
		err = analysis_signal(rd->sig + (size_t)h * (rd->len / 2), rd->len / 2, hr);
		hr->lufs = r->lufs;
		hr->lra = r->lra;
		hr->peak = r->peak;
		loudness_features(hr);
		memcpy(half[h], hr->feat, sizeof hr->feat);
	}
	free(hr);
	return err;
}

int analysis_file_halves(const char *path, const struct analysis_opts *o,
			 struct analysis_result *r, float (*half)[ANALYSIS_NFEAT], char *why, size_t n)
{
	struct reader rd = { 0 };
	memset(r, 0, sizeof *r);
	why[0] = 0;
	int err = open_audio(path, &rd.d, why, n);
	if (err)
		return err;
	double rg_gain;
	fill_tags(rd.d, &r->tags, &rg_gain);
	reader_plan(&rd, decode_format(rd.d), o ? o->excerpt_s : ANALYSIS_EXCERPT_S);
	err = reader_open(&rd, why, n);
	int64_t pos = err ? 0 : read_track(&rd, why, n);
	if (pos < 0)
		err = (int)pos;
	if (!err && (double)pos / rd.rate < ANALYSIS_MIN_S) {
		err = ANALYSIS_ESHORT;
		snprintf(why, n, "no audio or shorter than %.0f s", ANALYSIS_MIN_S);
	}
	if (err)
		goto out;
	r->tags.frames = pos;
	r->tags.duration = (double)pos / rd.rate;
	err = measure_loudness(&rd, r, why, n);
	if (!err)
		err = decimate(&rd, why, n);
	if (err)
		goto out;
	err = analysis_signal(rd.sig, rd.len, r);
	if (err) {
		snprintf(why, n, "%s", analysis_strerror(err));
		goto out;
	}
	loudness_features(r);
	r->silent = analysis_silent(r->feat);
	if (half && (err = halves(&rd, r, half)) != 0) {
		snprintf(why, n, "%s", analysis_strerror(err));
		goto out;
	}
	/* The track's loudness for playback: its ReplayGain/R128 tag (relative
	 * to -18 LUFS) when it has one, else what was measured. */
	if (isfinite(rg_gain) && rg_gain > -60 && rg_gain < 60)
		r->lufs = -18 - rg_gain;
out:
	reader_close(&rd);
	return err;
}
