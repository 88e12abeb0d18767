/* analysis_tonal: the chroma (HPCP) of frames from their spectral peaks;
 * key, mode, chords and harmony over time from chroma. See analysis_priv.h. */
#include "analysis_priv.h"

#include <string.h>

int analysis_hpcp_peaks(const float *pw, float *pk, double *tun)
{
	const double binhz = (double)ANALYSIS_RATE / ANALYSIS_FRAME;
	int k0 = (int)ceil(HPCP_LO / binhz), k1 = (int)(HPCP_HI / binhz);
	double pmax = 0;
	for (int k = k0; k <= k1; k++)
		if (pw[k] > pmax)
			pmax = pw[k];
	int np = 0;
	for (int k = k0 + 1; k < k1; k++) {
		if (!(pw[k] > pw[k - 1] && pw[k] >= pw[k + 1] && pw[k] > pmax * 1e-4))
			continue;
		double lp, off = analysis_peak_vertex(pw, k, &lp);
		double a = exp(0.5 * lp);   /* magnitude at the vertex */
		float p = (float)(12 * log2((k + off) * binhz / 261.6256));
		int slot = np;
		if (np == HPCP_MAXPEAKS) {   /* full: replace the weakest if weaker */
			slot = 0;
			for (int i = 1; i < np; i++)
				if (pk[2 * i + 1] < pk[2 * slot + 1])
					slot = i;
			if (a <= pk[2 * slot + 1])
				continue;
		} else {
			np++;
		}
		pk[2 * slot] = p;
		pk[2 * slot + 1] = (float)a;
	}
	for (int i = 0; i < np; i++) {
		tun[0] += pk[2 * i + 1] * cos(2 * M_PI * pk[2 * i]);
		tun[1] += pk[2 * i + 1] * sin(2 * M_PI * pk[2 * i]);
	}
	return np;
}

double analysis_hpcp_tuning(const double *tun)
{
	if (!isfinite(tun[0]) || !isfinite(tun[1]) || (tun[0] == 0 && tun[1] == 0))
		return 0;   /* no peaks, or a spectrum that overflowed */
	return atan2(tun[1], tun[0]) / (2 * M_PI);
}

void analysis_hpcp(const float *pk, int np, double tuning, float *ch)
{
	const double win = 4.0 / 3;
	for (int i = 0; i < np; i++) {
		double w = pk[2 * i + 1];
		for (int h = 1; h <= HPCP_HARMONICS + 1; h++, w *= 0.8) {
			double p = pk[2 * i] - tuning - 12 * log2(h), b0 = floor(p);
			for (int j = 0; j < 2; j++) {
				double d = p - (b0 + j);
				if (fabs(d) >= win / 2)
					continue;
				double c = cos(M_PI * d / win);
				ch[(((long)b0 + j) % 12 + 12) % 12] += (float)(w * c * c);
			}
		}
	}
}

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

/* Best major and minor key of a chroma vector: correlations and tonic. */
void analysis_best_key(const float *cm, double *bmaj, int *kmaj, double *bmin, int *kmin)
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
void analysis_harmony(float (*chroma)[12], const float *rmsv, size_t nf, int gkey, int gmajor,
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
		analysis_best_key(cm, &bmaj, &kmaj, &bmin, &kmin);
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
