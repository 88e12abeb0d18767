/* analysis_signal: the feature vector of a mono signal at ANALYSIS_RATE:
 * per-frame descriptors (FFTW) and their summaries. See analysis.h. */
#include "analysis_priv.h"

#include <fftw3.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t analysis_plan_lock = PTHREAD_MUTEX_INITIALIZER;

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
};

static void ctx_free(struct feat_ctx *c)
{
	pthread_mutex_lock(&analysis_plan_lock);
	if (c->plan)
		fftwf_destroy_plan(c->plan);
	pthread_mutex_unlock(&analysis_plan_lock);
	fftwf_free(c->in);
	fftwf_free(c->out);
	free(c->win);
	free(c->mel);
}

static int ctx_init(struct feat_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->in = fftwf_malloc(sizeof(float) * ANALYSIS_FRAME);
	c->out = fftwf_malloc(sizeof(fftwf_complex) * NBINS);
	c->win = malloc(sizeof(float) * ANALYSIS_FRAME);
	c->mel = calloc(NMEL, sizeof *c->mel);
	if (!c->in || !c->out || !c->win || !c->mel) {
		ctx_free(c);
		return ANALYSIS_ENOMEM;
	}
	pthread_mutex_lock(&analysis_plan_lock);
	c->plan = fftwf_plan_dft_r2c_1d(ANALYSIS_FRAME, c->in, c->out, FFTW_ESTIMATE);
	pthread_mutex_unlock(&analysis_plan_lock);
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
	return 0;
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
void analysis_sort_floats(float *a, size_t n)
{
	while (n > 16) {
		size_t j = partition_floats(a, n);
		if (j + 1 < n - j - 1) {
			analysis_sort_floats(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			analysis_sort_floats(a + j + 1, n - j - 1);
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
 * (in any order) and a[k, n) the others (quickselect, as analysis_sort_floats). */
void analysis_select_floats(float *a, size_t n, size_t k)
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
		analysis_sort_floats(a, n);
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
		double f = (k + analysis_peak_vertex(pw, k, NULL)) * binhz;
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

/* Working state of analysis_signal: the frames' descriptors and what the
 * clip-level summaries take from them. */
struct frames {
	size_t nf;
	float *pw;                /* power spectrum of the current frame, NBINS */
	float *prevmag;           /* magnitudes of the previous frame (flux) */
	float *d;                 /* nf x ND descriptors */
	float (*chroma)[12];      /* nf chroma vectors, each summing to 1 (or 0) */
	float *rmsv;              /* nf frame RMS */
	float *sortbuf;           /* NBINS scratch (spectral contrast) */
	float *xd;                /* nf x NX band-limited descriptors */
	float (*mb)[NMB];         /* nf x NMB log band energies (mel filter groups) */
	float prevmfcc[NMFCC];
	struct stats dm[NMFCC];   /* |delta MFCC| between frames */
	double chroma_sum[12];    /* chroma weighted by the frames' RMS */
	float *pk;                /* nf x HPCP_MAXPEAKS x 2 spectral peaks (analysis_hpcp_peaks) */
	int *npk;                 /* nf peak counts */
	double tun[2];            /* the excerpt's tuning phasor */
};

static void frames_free(struct frames *fr)
{
	free(fr->pw);
	free(fr->prevmag);
	free(fr->d);
	free(fr->chroma);
	free(fr->rmsv);
	free(fr->sortbuf);
	free(fr->xd);
	free(fr->mb);
	free(fr->pk);
	free(fr->npk);
}

static int frames_alloc(struct frames *fr, size_t nf)
{
	memset(fr, 0, sizeof *fr);
	fr->nf = nf;
	fr->pw = malloc(sizeof(float) * NBINS);
	fr->prevmag = calloc(NBINS, sizeof(float));
	fr->d = malloc(sizeof(float) * nf * ND);
	fr->chroma = calloc(nf, sizeof *fr->chroma);
	fr->rmsv = malloc(sizeof(float) * nf);
	fr->sortbuf = malloc(sizeof(float) * NBINS);
	fr->xd = malloc(sizeof(float) * nf * NX);
	fr->mb = calloc(nf, sizeof *fr->mb);
	fr->pk = malloc(sizeof(float) * nf * HPCP_MAXPEAKS * 2);
	fr->npk = malloc(sizeof(int) * nf);
	if (!fr->pw || !fr->prevmag || !fr->d || !fr->chroma || !fr->rmsv || !fr->sortbuf || !fr->xd ||
	    !fr->mb || !fr->pk || !fr->npk) {
		frames_free(fr);
		return ANALYSIS_ENOMEM;
	}
	return 0;
}

#define BINHZ ((double)ANALYSIS_RATE / ANALYSIS_FRAME)

/* Level and zero crossings of frame s; the windowed frame into c->in.
 * Returns the frame's RMS. */
static double frame_level(struct feat_ctx *c, const float *s, float *dv)
{
	double e = 0;
	int zc = 0;
	for (int i = 0; i < ANALYSIS_FRAME; i++) {
		e += (double)s[i] * s[i];
		if (i && ((s[i] >= 0) != (s[i - 1] >= 0)))
			zc++;
		c->in[i] = s[i] * c->win[i];
	}
	double rms = sqrt(e / ANALYSIS_FRAME);
	dv[D_RMS] = (float)(20 * log10(rms + 1e-5));
	dv[D_ZCR] = (float)zc / ANALYSIS_FRAME;
	return rms;
}

/* Power spectrum (fr->pw) of the FFT output and the spectral shape:
 * centroid, spread, roll-off, flatness, flux, bands, crest. */
static void frame_shape(const struct feat_ctx *c, struct frames *fr, size_t fi, float *dv)
{
	float *pw = fr->pw, *prevmag = fr->prevmag;
	double tot = 0, cen = 0, logsum = 0, pmax = 0, low = 0, mid = 0, high = 0, flux = 0;
	for (int k = 0; k < NBINS; k++) {
		float re = c->out[k][0], im = c->out[k][1];
		pw[k] = re * re + im * im;
		double f = k * BINHZ, mag = sqrt(pw[k]);
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
		double f = k * BINHZ;
		spread += (f - cen) * (f - cen) * pw[k];
	}
	for (int k = 0; k < NBINS; k++) {
		acc += pw[k];
		if (acc >= 0.85 * tot) {
			roll = k * BINHZ;
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
}

/* MFCCs of the frame and their change from the previous frame. */
static void frame_mfcc(const struct feat_ctx *c, struct frames *fr, size_t fi, float *dv)
{
	/* The modulation bands: mel filters [mbedge[b], mbedge[b + 1]), 30 Hz
	 * to 4.8 kHz (filter 28 ends at 4,832 Hz). */
	static const int mbedge[NMB + 1] = { 0, 7, 14, 21, 29 };
	double lm[NMEL], bsum[NMB] = { 0 };
	for (int m = 0; m < NMEL; m++) {
		double v = 0;
		for (int k = c->mel0[m]; k < c->mel1[m]; k++)
			if (c->mel[m][k] != 0)
				v += c->mel[m][k] * fr->pw[k];
		lm[m] = log10(v + 1e-8);
		for (int b = 0; b < NMB; b++)
			if (m >= mbedge[b] && m < mbedge[b + 1])
				bsum[b] += v;
	}
	for (int b = 0; b < NMB; b++)
		fr->mb[fi][b] = (float)(10 * log10(bsum[b] + 1e-8));
	for (int q = 0; q < NMFCC; q++) {
		double v = 0;
		for (int m = 0; m < NMEL; m++)
			v += lm[m] * c->dct[q][m];
		v *= sqrt((q ? 2.0 : 1.0) / NMEL);
		dv[D_MFCC + q] = (float)v;
		if (fi)
			st_add(&fr->dm[q], fabs(v - fr->prevmfcc[q]));
		fr->prevmfcc[q] = (float)v;
	}
}

/* Spectral contrast: peak (top 20%) over valley (bottom 20%) in octave
 * bands from 200 Hz, below 200 Hz one band. */
static void frame_contrast(struct frames *fr, float *dv)
{
	static const double edges[8] = { 20, 200, 400, 800, 1600, 3200, 6400, 11025 };
	float *sortbuf = fr->sortbuf;
	for (int band = 0; band < 7; band++) {
		int k0 = (int)(edges[band] / BINHZ), k1 = (int)(edges[band + 1] / BINHZ);
		if (k1 > NBINS - 1)
			k1 = NBINS - 1;
		int m = k1 - k0;
		if (m < 2) {
			dv[D_CONTRAST + band] = 0;
			continue;
		}
		memcpy(sortbuf, fr->pw + k0, sizeof(float) * (size_t)m);
		int q = m / 5 > 0 ? m / 5 : 1;
		/* only the q smallest and the q largest, in order */
		analysis_select_floats(sortbuf, (size_t)m, (size_t)q);
		if (m - q > q)
			analysis_select_floats(sortbuf + q, (size_t)(m - q), (size_t)(m - 2 * q));
		analysis_sort_floats(sortbuf, (size_t)q);
		analysis_sort_floats(sortbuf + m - q, (size_t)q);
		double lo = 0, hi = 0;
		for (int i = 0; i < q; i++) {
			lo += sortbuf[i];
			hi += sortbuf[m - 1 - i];
		}
		dv[D_CONTRAST + band] = (float)(10 * log10((hi + 1e-10) / (lo + 1e-10)) / 10);
	}
}

/* Chroma (HPCP) of every frame once the excerpt's tuning is known,
 * normalised; its change and tonality (descriptors of each frame); the
 * RMS-weighted sum for the key. */
static void chroma_all(struct frames *fr)
{
	double tuning = analysis_hpcp_tuning(fr->tun);
	for (size_t fi = 0; fi < fr->nf; fi++) {
		float *ch = fr->chroma[fi], *dv = fr->d + fi * ND;
		analysis_hpcp(fr->pk + fi * HPCP_MAXPEAKS * 2, fr->npk[fi], tuning, ch);
		float cs = 0, cmax = 0;
		for (int i = 0; i < 12; i++) {
			cs += ch[i];
			if (ch[i] > cmax)
				cmax = ch[i];
		}
		double tf = 0;
		for (int i = 0; i < 12; i++) {
			ch[i] = cs > 0 ? ch[i] / cs : 0;
			fr->chroma_sum[i] += ch[i] * fr->rmsv[fi];    /* loud frames count more */
			if (fi)
				tf += fabs(ch[i] - fr->chroma[fi - 1][i]);
		}
		dv[D_TONALFLUX] = (float)tf;
		dv[D_TONALITY] = cs > 0 ? cmax / cs : 0;
	}
}

/* Means and standard deviations of the frame descriptors. */
static void summarise_frames(const struct frames *fr, float *feat)
{
	const size_t nf = fr->nf;
	for (int j = 0; j < NX; j++) {
		struct stats s = { 0 };
		for (size_t fi = 0; fi < nf; fi++)
			st_add(&s, fr->xd[fi * NX + j]);
		feat[F_X_MEAN + j] = (float)st_mean(&s);
		feat[F_X_STD + j] = (float)st_std(&s);
	}
	for (int j = 0; j < ND; j++) {
		struct stats s = { 0 };
		for (size_t fi = 0; fi < nf; fi++)
			st_add(&s, fr->d[fi * ND + j]);
		feat[F_MEAN + j] = (float)st_mean(&s);
		feat[F_STD + j] = (float)st_std(&s);
	}
	for (int q = 0; q < NMFCC; q++)
		feat[F_DMFCC + q] = (float)st_mean(&fr->dm[q]);
}

/* Key and mode (Krumhansl-Kessler profiles) of the clip, the chroma
 * rotated to the key, harmony over time. */
static void key_and_mode(struct frames *fr, struct analysis_result *r)
{
	float cm[12];
	double csum = 0;
	for (int i = 0; i < 12; i++)
		csum += fr->chroma_sum[i];
	for (int i = 0; i < 12; i++)
		cm[i] = csum > 0 ? (float)(fr->chroma_sum[i] / csum) : 1.0f / 12;
	double bmaj, bmin;
	int kmaj, kmin;
	analysis_best_key(cm, &bmaj, &kmaj, &bmin, &kmin);
	int key = bmaj >= bmin ? kmaj : kmin;
	analysis_harmony(fr->chroma, fr->rmsv, fr->nf, key, bmaj >= bmin, r->feat);
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
}

/* Pulse clarity: peak of the normalised autocorrelation of the flux
 * envelope for beat periods of 0.25 .. 2 s. */
static double pulse_clarity(const struct frames *fr)
{
	const size_t nf = fr->nf;
	const float *d = fr->d;
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
	return best;
}

/* Share of frames below the mean RMS, the 10th-95th percentile range of
 * the frames' level. */
static int dynamics_levels(const struct frames *fr, float *feat)
{
	const size_t nf = fr->nf;
	double rm = 0;
	for (size_t fi = 0; fi < nf; fi++)
		rm += fr->rmsv[fi];
	rm /= nf;
	size_t lowc = 0;
	for (size_t fi = 0; fi < nf; fi++)
		if (fr->rmsv[fi] < rm)
			lowc++;
	feat[F_LOWENERGY] = (float)lowc / nf;
	float *db = malloc(sizeof(float) * nf);
	if (!db)
		return ANALYSIS_ENOMEM;
	for (size_t fi = 0; fi < nf; fi++)
		db[fi] = fr->d[fi * ND + D_RMS];
	analysis_sort_floats(db, nf);
	feat[F_DYNRANGE] = (db[nf * 95 / 100] - db[nf * 10 / 100]) / 10;
	free(db);
	return 0;
}

/* Over the clip: loudness trend (dB per second, regression), range of ~3 s
 * segment loudness, mean rise and fall between frames. */
static void dynamics_trend(const struct frames *fr, float *feat)
{
	const size_t nf = fr->nf;
	const float *d = fr->d;
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
	feat[F_DYN_SLOPE] = den > 0 ? (float)((nf * sty - st * sy) / den) : 0;
	feat[F_ATTACK] = nup ? (float)(up / nup / 10) : 0;
	feat[F_DECAY] = ndown ? (float)(down / ndown / 10) : 0;
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
	feat[F_SEG_LOUD_RANGE] = smax > smin ? (float)((smax - smin) / 10) : 0;
}

/* Texture: the spread of ~1 s means of level, centroid and flux. */
static int textures(const struct frames *fr, float *feat)
{
	static const struct { int d, f; } tex[] = {
		{ D_RMS, F_TEX_RMS }, { D_CENTROID, F_TEX_CENTROID }, { D_FLUX, F_TEX_FLUX },
	};
	const size_t nf = fr->nf, blk = ANALYSIS_RATE / ANALYSIS_HOP;   /* ~1 s */
	float *tmp = malloc(sizeof(float) * nf);
	if (!tmp)
		return ANALYSIS_ENOMEM;
	for (size_t i = 0; i < sizeof tex / sizeof tex[0]; i++) {
		for (size_t fi = 0; fi < nf; fi++)
			tmp[fi] = fr->d[fi * ND + tex[i].d];
		feat[tex[i].f] = (float)texture_std(tmp, nf, blk);
	}
	free(tmp);
	return 0;
}

/* Modulation spectrum (version 3): how fast the level of each of NMB bands
 * below 4.8 kHz moves. Each band's dB envelope (fr->mb, 21.5 frames/s) in
 * ~3 s Hann windows (MODW frames, hop MODW/2, mean removed); per window the
 * share of its modulation power in 0.34-1, 1-2, 2-4, 4-8 and 8-10.8 Hz
 * (log10), averaged over the windows; for the mean of the bands also the
 * modulation level (log10 power) and its peak-to-mean in 1-8 Hz (a steady
 * pulse has one strong rate). */
#define MODW 64
static void modulation(const struct frames *fr, float *feat)
{
	static const int kb[NMOD + 1] = { 1, 3, 6, 12, 24, MODW / 2 + 1 };
	double cs[MODW / 2 + 1][MODW], sn[MODW / 2 + 1][MODW], w[MODW];
	for (int t = 0; t < MODW; t++) {
		w[t] = 0.5 - 0.5 * cos(2 * M_PI * t / MODW);
		for (int k = 1; k <= MODW / 2; k++) {
			cs[k][t] = w[t] * cos(2 * M_PI * k * t / MODW);
			sn[k][t] = w[t] * sin(2 * M_PI * k * t / MODW);
		}
	}
	double acc[NMB + 1][NMOD] = { { 0 } }, lev = 0, peak = 0;
	int nw = 0;
	for (size_t a = 0; a + MODW <= fr->nf; a += MODW / 2, nw++) {
		for (int b = 0; b <= NMB; b++) {
			double e[MODW], m = 0;
			for (int t = 0; t < MODW; t++) {
				double v = 0;
				if (b < NMB)
					v = fr->mb[a + t][b];
				else
					for (int q = 0; q < NMB; q++)
						v += fr->mb[a + t][q] / NMB;
				e[t] = v;
				m += v / MODW;
			}
			for (int t = 0; t < MODW; t++)
				e[t] -= m;
			double pk[MODW / 2 + 1], tot = 1e-9;
			for (int k = 1; k <= MODW / 2; k++) {
				double re = 0, im = 0;
				for (int t = 0; t < MODW; t++) {
					re += e[t] * cs[k][t];
					im += e[t] * sn[k][t];
				}
				pk[k] = re * re + im * im;
				tot += pk[k];
			}
			for (int q = 0; q < NMOD; q++) {
				double sum = 0;
				for (int k = kb[q]; k < kb[q + 1]; k++)
					sum += pk[k];
				acc[b][q] += log10(sum / tot + 1e-6);
			}
			if (b == NMB) {
				double mx = 0, mean = 0;
				for (int k = kb[1]; k < kb[4]; k++) {
					mx = fmax(mx, pk[k]);
					mean += pk[k] / (kb[4] - kb[1]);
				}
				lev += log10(tot / MODW + 1e-6);
				peak += mean > 0 ? mx / mean : 0;
			}
		}
	}
	if (!nw)
		return;
	for (int b = 0; b < NMB; b++)
		for (int q = 0; q < NMOD; q++)
			feat[F_MOD + b * NMOD + q] = (float)(acc[b][q] / nw);
	feat[F_MOD_LEVEL] = (float)(lev / nw);
	feat[F_MOD_PEAK] = (float)(peak / nw);
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
	struct frames fr;
	err = frames_alloc(&fr, (n - ANALYSIS_FRAME) / ANALYSIS_HOP + 1);
	if (err) {
		ctx_free(&c);
		return err;
	}
	for (size_t fi = 0; fi < fr.nf; fi++) {
		float *dv = fr.d + fi * ND;
		double rms = frame_level(&c, x + fi * ANALYSIS_HOP, dv);
		fr.rmsv[fi] = (float)rms;
		fftwf_execute(c.plan);
		frame_shape(&c, &fr, fi, dv);
		frame_mfcc(&c, &fr, fi, dv);
		frame_contrast(&fr, dv);
		fr.npk[fi] = analysis_hpcp_peaks(fr.pw, fr.pk + fi * HPCP_MAXPEAKS * 2, fr.tun);
		band_descriptors(fr.pw, fr.xd + fi * NX);
	}
	chroma_all(&fr);
	summarise_frames(&fr, r->feat);
	key_and_mode(&fr, r);
	double bpm = 0, conf = 0, orate = 0;
	err = analysis_rhythm(x, n, &bpm, &conf, &orate, r->feat);
	if (!err)
		err = analysis_melody(x, n, r->feat);
	if (!err) {
		r->feat[F_TEMPO] = (float)(bpm / 100);
		r->feat[F_TEMPO_CONF] = (float)conf;
		r->feat[F_ONSET_RATE] = (float)orate;
		r->tempo = bpm;
		r->onset_rate = orate;
		r->feat[F_PULSE] = (float)pulse_clarity(&fr);
		err = dynamics_levels(&fr, r->feat);
	}
	if (!err) {
		dynamics_trend(&fr, r->feat);
		err = textures(&fr, r->feat);
	}
	if (!err)
		modulation(&fr, r->feat);
	frames_free(&fr);
	ctx_free(&c);
	return err;
}
