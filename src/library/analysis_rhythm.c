/* analysis_rhythm: tempo, onsets and predominant pitch with libaubio,
 * opened with dlopen at the first analysis. See analysis_priv.h. */
#include "analysis_priv.h"

/* peak picker and beat tracker: "unstable" API of aubio 0.4 */
#define AUBIO_UNSTABLE 1
#include <aubio/aubio.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#ifndef ANALYSIS_AUBIO_SO
#define ANALYSIS_AUBIO_SO "libaubio.so.5"
#endif

/* libaubio is opened (dlopen) on the first analysis, not linked: it pulls
 * in FFmpeg's libraries (~110 shared objects), which commands that analyse
 * nothing (remote, tracks, --version) should not map. */
static struct {
	__typeof__(new_fvec) *new_fvec;
	__typeof__(del_fvec) *del_fvec;
	__typeof__(new_cvec) *new_cvec;
	__typeof__(del_cvec) *del_cvec;
	__typeof__(cvec_logmag) *cvec_logmag;
	__typeof__(new_aubio_window) *new_window;
	__typeof__(new_aubio_fft) *new_fft;
	__typeof__(del_aubio_fft) *del_fft;
	__typeof__(aubio_fft_do_complex) *fft_do_complex;
	__typeof__(aubio_fft_get_norm) *fft_get_norm;
	__typeof__(new_aubio_specdesc) *new_specdesc;
	__typeof__(aubio_specdesc_do) *specdesc_do;
	__typeof__(del_aubio_specdesc) *del_specdesc;
	__typeof__(new_aubio_peakpicker) *new_peakpicker;
	__typeof__(aubio_peakpicker_set_threshold) *peakpicker_set_threshold;
	__typeof__(aubio_peakpicker_do) *peakpicker_do;
	__typeof__(aubio_peakpicker_get_thresholded_input) *peakpicker_get_thresholded_input;
	__typeof__(del_aubio_peakpicker) *del_peakpicker;
	__typeof__(new_aubio_beattracking) *new_beattracking;
	__typeof__(aubio_beattracking_do) *beattracking_do;
	__typeof__(aubio_beattracking_get_bpm) *beattracking_get_bpm;
	__typeof__(aubio_beattracking_get_confidence) *beattracking_get_confidence;
	__typeof__(del_aubio_beattracking) *del_beattracking;
	__typeof__(aubio_silence_detection) *silence_detection;
	__typeof__(new_aubio_onset) *new_onset;
	__typeof__(aubio_onset_get_threshold) *onset_get_threshold;
	__typeof__(aubio_onset_get_minioi) *onset_get_minioi;
	__typeof__(aubio_onset_get_delay) *onset_get_delay;
	__typeof__(aubio_onset_get_compression) *onset_get_compression;
	__typeof__(aubio_onset_get_awhitening) *onset_get_awhitening;
	__typeof__(del_aubio_onset) *del_onset;
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
	/* every entry of au, in order: name, then its slot */
	static const struct { const char *name; size_t off; } sym[] = {
#define AU_SYM(field, name) { #name, offsetof(__typeof__(au), field) }
		AU_SYM(new_fvec, new_fvec), AU_SYM(del_fvec, del_fvec),
		AU_SYM(new_cvec, new_cvec), AU_SYM(del_cvec, del_cvec),
		AU_SYM(cvec_logmag, cvec_logmag), AU_SYM(new_window, new_aubio_window),
		AU_SYM(new_fft, new_aubio_fft), AU_SYM(del_fft, del_aubio_fft),
		AU_SYM(fft_do_complex, aubio_fft_do_complex), AU_SYM(fft_get_norm, aubio_fft_get_norm),
		AU_SYM(new_specdesc, new_aubio_specdesc), AU_SYM(specdesc_do, aubio_specdesc_do),
		AU_SYM(del_specdesc, del_aubio_specdesc),
		AU_SYM(new_peakpicker, new_aubio_peakpicker),
		AU_SYM(peakpicker_set_threshold, aubio_peakpicker_set_threshold),
		AU_SYM(peakpicker_do, aubio_peakpicker_do),
		AU_SYM(peakpicker_get_thresholded_input, aubio_peakpicker_get_thresholded_input),
		AU_SYM(del_peakpicker, del_aubio_peakpicker),
		AU_SYM(new_beattracking, new_aubio_beattracking),
		AU_SYM(beattracking_do, aubio_beattracking_do),
		AU_SYM(beattracking_get_bpm, aubio_beattracking_get_bpm),
		AU_SYM(beattracking_get_confidence, aubio_beattracking_get_confidence),
		AU_SYM(del_beattracking, del_aubio_beattracking),
		AU_SYM(silence_detection, aubio_silence_detection),
		AU_SYM(new_onset, new_aubio_onset),
		AU_SYM(onset_get_threshold, aubio_onset_get_threshold),
		AU_SYM(onset_get_minioi, aubio_onset_get_minioi),
		AU_SYM(onset_get_delay, aubio_onset_get_delay),
		AU_SYM(onset_get_compression, aubio_onset_get_compression),
		AU_SYM(onset_get_awhitening, aubio_onset_get_awhitening),
		AU_SYM(del_onset, del_aubio_onset),
		AU_SYM(new_pitch, new_aubio_pitch), AU_SYM(pitch_set_unit, aubio_pitch_set_unit),
		AU_SYM(pitch_set_silence, aubio_pitch_set_silence), AU_SYM(pitch_do, aubio_pitch_do),
		AU_SYM(pitch_get_confidence, aubio_pitch_get_confidence),
		AU_SYM(del_pitch, del_aubio_pitch),
#undef AU_SYM
	};
	for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++) {
		void *f = dlsym(h, sym[i].name);
		if (!f)
			return;
		memcpy((char *)&au + sym[i].off, &f, sizeof f);
	}
	au.ok = 1;
}

/* Predominant pitch (aubio yinfast: the YIN difference function; yinfft
 * reports no confidence in Debian 12's aubio 0.4.9): register (median, MIDI / 100), range
 * (10th to 90th percentile, octaves), mean step between consecutive voiced
 * frames (semitones / 10), share of voiced frames, mean confidence. */
int analysis_melody(const float *x, size_t n, float *feat)
{
	const uint_t win = 2048, hop = 512;
	pthread_once(&au_once, au_open);
	if (!au.ok)
		return ANALYSIS_ELIB;
	pthread_mutex_lock(&analysis_plan_lock);
	aubio_pitch_t *p = au.new_pitch("yinfast", win, hop, ANALYSIS_RATE);
	fvec_t *in = au.new_fvec(hop), *out = au.new_fvec(1);
	pthread_mutex_unlock(&analysis_plan_lock);
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
		analysis_sort_floats(v, nv);
		feat[F_PITCH_MEDIAN] = v[nv / 2] / 100;
		feat[F_PITCH_RANGE] = (v[nv * 9 / 10] - v[nv / 10]) / 12;
	}
done:
	free(v);
	pthread_mutex_lock(&analysis_plan_lock);
	if (p)
		au.del_pitch(p);
	if (in)
		au.del_fvec(in);
	if (out)
		au.del_fvec(out);
	pthread_mutex_unlock(&analysis_plan_lock);
	return err;
}

/* Tempo and onsets (aubio) over the whole signal. aubio_tempo_do and
 * aubio_onset_do each run a phase vocoder of their own on the same blocks
 * and compute every bin's phase (atan2f, ~15% of a scan) for descriptors
 * that read only magnitudes (specflux, hfc). Here one window + FFT +
 * magnitudes per block feeds both, through aubio's own functions in the
 * order those two calls use them (aubio 0.4.9 tempo.c and onset.c): the
 * same numbers, bit for bit, for less than half the work. */
struct rhy {
	aubio_onset_t *onset;          /* parameters only (threshold, min IOI, delay, compression) */
	aubio_fft_t *fft;
	aubio_specdesc_t *flux, *hfc;  /* tempo's and onset's descriptors */
	aubio_peakpicker_t *tpp, *opp;
	aubio_beattracking_t *bt;
	fvec_t *win, *frame, *spec, *tdesc, *odesc, *pick, *df, *beats;
	cvec_t *mag;
	/* aubio_tempo's state: detection-function buffer of winlen, a beat
	 * tracking every step blocks */
	uint_t winlen, step;
	int blockpos;
	/* aubio_onset's state and parameters, in samples */
	uint_t total, last_onset, minioi, delay;
	float lambda;
};

static void rhy_free(struct rhy *h)
{
	pthread_mutex_lock(&analysis_plan_lock);
	if (h->onset)
		au.del_onset(h->onset);
	if (h->fft)
		au.del_fft(h->fft);
	if (h->flux)
		au.del_specdesc(h->flux);
	if (h->hfc)
		au.del_specdesc(h->hfc);
	if (h->tpp)
		au.del_peakpicker(h->tpp);
	if (h->opp)
		au.del_peakpicker(h->opp);
	if (h->bt)
		au.del_beattracking(h->bt);
	fvec_t *v[] = { h->win, h->frame, h->spec, h->tdesc, h->odesc, h->pick, h->df, h->beats };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i])
			au.del_fvec(v[i]);
	if (h->mag)
		au.del_cvec(h->mag);
	pthread_mutex_unlock(&analysis_plan_lock);
}

/* winlen: aubio_tempo's detection-function buffer (~6 s of blocks). */
static int rhy_init(struct rhy *h, uint_t win, uint_t hop, uint_t winlen)
{
	memset(h, 0, sizeof *h);
	pthread_mutex_lock(&analysis_plan_lock);
	h->onset = au.new_onset("default", win, hop, ANALYSIS_RATE);
	h->fft = au.new_fft(win);
	h->flux = au.new_specdesc("specflux", win);   /* aubio_tempo's "default" */
	h->hfc = au.new_specdesc("default", win);
	h->tpp = au.new_peakpicker();
	h->opp = au.new_peakpicker();
	h->bt = au.new_beattracking(winlen, hop, ANALYSIS_RATE);
	char hz[] = "hanningz";                      /* aubio_pvoc's window */
	h->win = au.new_window(hz, win);
	h->frame = au.new_fvec(win);
	h->spec = au.new_fvec(win);
	h->tdesc = au.new_fvec(1);
	h->odesc = au.new_fvec(1);
	h->pick = au.new_fvec(1);
	h->df = au.new_fvec(winlen);
	h->beats = au.new_fvec(winlen / 4);
	h->mag = au.new_cvec(win);
	pthread_mutex_unlock(&analysis_plan_lock);
	if (!h->onset || !h->fft || !h->flux || !h->hfc || !h->tpp || !h->opp || !h->bt ||
	    !h->win || !h->frame || !h->spec || !h->tdesc || !h->odesc || !h->pick || !h->df ||
	    !h->beats || !h->mag || au.onset_get_awhitening(h->onset) != 0)
		return ANALYSIS_ELIB;   /* whitening (not aubio 0.4.9's "default") is not reproduced */
	au.peakpicker_set_threshold(h->tpp, 0.3f);   /* aubio_tempo's threshold */
	au.peakpicker_set_threshold(h->opp, au.onset_get_threshold(h->onset));
	h->winlen = winlen;
	h->step = winlen / 4;
	h->minioi = au.onset_get_minioi(h->onset);
	h->delay = au.onset_get_delay(h->onset);
	h->lambda = au.onset_get_compression(h->onset);
	return 0;
}

/* The block that ends at x[end]: aubio_pvoc's last win samples (zeros
 * before the start), weighted by the window and rotated by half
 * (fvec_weight, fvec_shift), then the FFT's magnitudes into h->mag. */
static void rhy_spectrum(struct rhy *h, const float *x, size_t end)
{
	const uint_t win = h->frame->length, half = win / 2;
	const float *w = h->win->data;
	float *f = h->frame->data;
	for (uint_t j = 0; j < win; j++) {
		float v = end + j >= win ? x[end + j - win] * w[j] : 0;
		f[j < half ? j + half : j - half] = v;
	}
	au.fft_do_complex(h->fft, h->frame, h->spec);
	au.fft_get_norm(h->spec, h->mag);
}

/* aubio_tempo_do on h->mag: specflux, peak picking into the beat
 * tracker's buffer, a beat tracking every step blocks. */
static void rhy_tempo(struct rhy *h)
{
	const uint_t winlen = h->winlen, step = h->step;
	au.specdesc_do(h->flux, h->mag, h->tdesc);
	if (h->blockpos == (int)step - 1) {
		au.beattracking_do(h->bt, h->df, h->beats);
		memmove(h->df->data, h->df->data + step, sizeof(float) * (winlen - step));
		for (uint_t j = winlen - step; j < winlen; j++)
			h->df->data[j] = 0.;
		h->blockpos = -1;
	}
	h->blockpos++;
	au.peakpicker_do(h->tpp, h->tdesc, h->pick);
	h->df->data[winlen - step + h->blockpos] = au.peakpicker_get_thresholded_input(h->tpp)->data[0];
}

/* aubio_onset_do on h->mag (then log magnitudes) for the block in: hfc,
 * peak picking, silence gate, minimum inter-onset interval, the delay at
 * the start. Non-zero when an onset was marked (at h->last_onset). */
static float rhy_onset(struct rhy *h, fvec_t *in, uint_t hop)
{
	/* aubio drops onsets whose block is below -70 dB; quiet music has them. */
	const float silence = -90;
	const uint_t total = h->total, minioi = h->minioi, delay = h->delay;
	if (h->lambda > 0)
		au.cvec_logmag(h->mag, h->lambda);
	au.specdesc_do(h->hfc, h->mag, h->odesc);
	au.peakpicker_do(h->opp, h->odesc, h->pick);
	float isonset = h->pick->data[0];
	if (isonset > 0) {
		if (au.silence_detection(in, silence) == 1) {
			isonset = 0;
		} else {
			uint_t new_onset = total + (uint_t)floorf(isonset * hop + .5);
			if (h->last_onset + minioi < new_onset) {
				if (h->last_onset > 0 && delay > new_onset)
					isonset = 0;
				else
					h->last_onset = delay > new_onset ? delay : new_onset;
			} else {
				isonset = 0;
			}
		}
	} else if (total <= delay && au.silence_detection(in, silence) == 0) {
		if (total == 0 || h->last_onset + minioi < total) {
			isonset = delay / hop;
			h->last_onset = total + delay;
		}
	}
	h->total += hop;
	return isonset;
}

/* Tempo, onset rate over the whole signal; the median and the coefficient
 * of variation of the inter-onset intervals into feat. */
int analysis_rhythm(const float *x, size_t n, double *bpm, double *conf, double *onset_rate,
		    float *feat)
{
	const uint_t win = 1024, hop = 256;   /* ~12 ms: the resolution aubio's beat tracker expects */
	uint_t winlen = 1;                     /* aubio_tempo: next power of two of ~5.8 s of blocks */
	while (winlen < (uint_t)(5.8 * ANALYSIS_RATE / hop))
		winlen <<= 1;
	pthread_once(&au_once, au_open);
	if (!au.ok)
		return ANALYSIS_ELIB;
	struct rhy h;
	int err = rhy_init(&h, win, hop, winlen);
	size_t onsets = 0, nioi = 0, cap = n / hop + 1;
	float *ioi = err ? NULL : malloc(sizeof(float) * cap);
	if (!err && !ioi)
		err = ANALYSIS_ENOMEM;
	if (err)
		goto done;
	double last = -1;
	for (size_t i = 0; i + hop <= n; i += hop) {
		fvec_t in = { hop, (float *)(x + i) };
		rhy_spectrum(&h, x, i + hop);
		rhy_tempo(&h);   /* first: rhy_onset takes the log of the magnitudes */
		if (rhy_onset(&h, &in, hop) != 0) {
			double t = (float)(h.last_onset - h.delay) / (float)ANALYSIS_RATE;
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
		analysis_sort_floats(ioi, m);
		feat[F_IOI_MEDIAN] = ioi[m / 2];
		feat[F_IOI_CV] = st_mean(&s) > 0 ? (float)(st_std(&s) / st_mean(&s)) : 0;
	}
	*bpm = au.beattracking_get_bpm(h.bt);
	*conf = au.beattracking_get_confidence(h.bt);
	if (!isfinite(*bpm))
		*bpm = 0;
	if (!isfinite(*conf))
		*conf = 0;
	*onset_rate = (double)onsets / ((double)n / ANALYSIS_RATE);
done:
	free(ioi);
	rhy_free(&h);
	return err;
}
