/* musicmood_qnorm: rank-Gauss normalisation of the mood features; see musicmood_qnorm.h. */
#include "musicmood_qnorm.h"

#include <math.h>
#include <stdlib.h>

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

int musicmood_qnorm_fit(struct musicmood_qnorm *q, const float *const *rows, size_t nrows, int n)
{
	float *v = malloc(sizeof(float) * (nrows ? nrows : 1));
	if (!v)
		return -1;
	q->n = n;
	for (int j = 0; j < n; j++) {
		size_t m = 0;
		for (size_t r = 0; r < nrows; r++)
			if (rows[r][j] == rows[r][j])
				v[m++] = rows[r][j];
		qsort(v, m, sizeof *v, cmp_float);
		for (int k = 0; k < MUSICMOOD_QKNOTS; k++) {
			if (!m) {
				q->knot[j][k] = 0;
				continue;
			}
			double pos = (double)k * (double)(m - 1) / (MUSICMOOD_QKNOTS - 1);
			size_t lo = (size_t)pos;
			if (lo >= m - 1) {
				q->knot[j][k] = v[m - 1];
				continue;
			}
			double fr = pos - (double)lo;
			q->knot[j][k] = (float)(v[lo] + fr * ((double)v[lo + 1] - v[lo]));
		}
		/* Rounding must not break the order. */
		for (int k = 1; k < MUSICMOOD_QKNOTS; k++)
			if (q->knot[j][k] < q->knot[j][k - 1])
				q->knot[j][k] = q->knot[j][k - 1];
	}
	free(v);
	return 0;
}

/* Knot position t in [0, K-1] of x among the non-decreasing knots kn[]. */
static double position(const float *kn, float x)
{
	const int K = MUSICMOOD_QKNOTS;
	if (x < kn[0])
		return 0;
	if (x > kn[K - 1])
		return K - 1;
	int lo = 0, hi = K;   /* lo: first knot >= x */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (kn[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (kn[lo] == x) {   /* a run of knots equal to x: its middle */
		int end = lo;
		while (end + 1 < K && kn[end + 1] == x)
			end++;
		return 0.5 * (lo + end);
	}
	/* kn[lo - 1] < x < kn[lo] (lo >= 1 since x >= kn[0]) */
	return lo - 1 + ((double)x - kn[lo - 1]) / ((double)kn[lo] - kn[lo - 1]);
}

void musicmood_qnorm_apply(const struct musicmood_qnorm *q, float *x)
{
	for (int j = 0; j < q->n; j++) {
		if (x[j] != x[j])
			continue;
		double t = position(q->knot[j], x[j]);
		x[j] = (float)musicmood_qnorm_probit((t + 0.5) / MUSICMOOD_QKNOTS);
	}
}

/* Acklam's rational approximation (relative error < 1.2e-9). */
double musicmood_qnorm_probit(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
				    -2.759285104469687e+02, 1.383577518672690e+02,
				    -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
				    -1.556989798598866e+02, 6.680131188771972e+01,
				    -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
				    -2.400758277161838e+00, -2.549732539343734e+00,
				    4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
				    2.445134137142996e+00, 3.754408661907416e+00 };
	const double pl = 0.02425;
	if (!(p > 0))
		return -HUGE_VAL;
	if (!(p < 1))
		return HUGE_VAL;
	if (p < pl || p > 1 - pl) {
		double s = sqrt(-2 * log(p < pl ? p : 1 - p));
		double r = (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]) /
			   ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1);
		return p < pl ? r : -r;
	}
	double u = p - 0.5, r = u * u;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
