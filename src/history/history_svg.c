/* history_svg: the mood history as an SVG picture. See history_svg.h. */
#include "history_svg.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define W 960
#define H 400
#define L 60            /* plot area */
#define R 150
#define TOP 40
#define PH 240          /* plot height */
#define BAND_Y (TOP + PH + 12)
#define BAND_H 18

/* angry disgust fear happy neutral sad surprise, uncertain (as the UI's pairs) */
static const char *const colors[HISTORY_NKEYS] = {
	"#d62728", "#2ca02c", "#9467bd", "#e6b800", "#9e9e9e", "#1f77b4", "#17becf", "#dddddd",
};

const char *history_svg_color(int key)
{
	return key >= 0 && key < HISTORY_NKEYS ? colors[key] : "#ffffff";
}

static void esc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			/* XML 1.0 has no place for other control bytes */
			fputc(*p < 0x20 && *p != '\t' && *p != '\n' ? '?' : *p, f);
		}
	}
}

static double xof(double t, double since, double until)
{
	return L + (t - since) / (until - since) * (W - L - R);
}

static double yof(double v)
{
	return TOP + (1.0 - v) / 2.0 * PH;
}

static void series(FILE *f, const struct history_row *rows, size_t n, double since, double until,
		   int arousal, const char *color)
{
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		const struct history_row *r = &rows[i];
		if (r->t < since || r->t >= until || r->state == HISTORY_NOFACE) {
			if (open)
				fputs("\"/>\n", f);
			open = 0;
			continue;
		}
		/* a gap longer than a row stands for breaks the line */
		if (open && i && r->t - rows[i - 1].t > HISTORY_SPAN_S) {
			fputs("\"/>\n", f);
			open = 0;
		}
		double v = arousal ? r->arousal : r->valence;
		if (!open)
			fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", color);
		fprintf(f, "%s%.1f,%.1f", open ? " " : "", xof(r->t, since, until), yof(v));
		open = 1;
	}
	if (open)
		fputs("\"/>\n", f);
}

int history_svg(FILE *f, const struct history_row *rows, size_t n, double since, double until,
		const char *title)
{
	if (!(until > since))
		until = since + 1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
		" font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H);
	fputs("<title>", f);
	esc(f, title ? title : "emotune mood history");
	fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", f);
	fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\">", L);
	esc(f, title ? title : "emotune mood history");
	fputs("</text>\n", f);
	/* grid: -1, -0.5, 0, 0.5, 1 */
	for (int k = -2; k <= 2; k++) {
		double y = yof(k / 2.0);
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n", L, y, W - R, y,
			k == 0 ? "#888888" : "#e0e0e0");
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%+.1f</text>\n", L - 6, y + 4, k / 2.0);
	}
	/* hour ticks: a step that leaves 6 to 12 labels */
	double span = until - since, steps[] = { 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400 };
	double step = 86400;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (span / steps[i] <= 12) {
			step = steps[i];
			break;
		}
	time_t t0 = (time_t)since;
	struct tm tm;
	localtime_r(&t0, &tm);
	double first = since - (tm.tm_min * 60 + tm.tm_sec);   /* the hour before since */
	for (double t = first; t <= until; t += step) {
		if (t < since)
			continue;
		time_t tt = (time_t)t;
		char lab[16];
		localtime_r(&tt, &tm);
		strftime(lab, sizeof lab, "%H:%M", &tm);
		double x = xof(t, since, until);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#f0f0f0\"/>\n", x, TOP, x,
			TOP + PH);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
			BAND_Y + BAND_H + 30, lab);
	}
	/* the mood band */
	fprintf(f, "<g id=\"band\">\n");
	for (size_t i = 0; i < n; i++) {
		int key = history_key(&rows[i]);
		double s = history_row_span(rows, n, i, since, until);
		if (key < 0 || s <= 0)
			continue;
		double t = rows[i].t < since ? since : rows[i].t;
		double x0 = xof(t, since, until), x1 = xof(t + s, since, until);
		fprintf(f, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>\n", x0, BAND_Y,
			x1 - x0 < 0.3 ? 0.3 : x1 - x0, BAND_H, colors[key]);
	}
	fputs("</g>\n", f);
	/* track starts */
	fputs("<g id=\"tracks\" stroke=\"#444444\">\n", f);
	for (size_t i = 0; i < n; i++) {
		const char *tr = rows[i].track;
		if (!tr || rows[i].t < since || rows[i].t >= until)
			continue;
		if (i && rows[i - 1].track && !strcmp(rows[i - 1].track, tr))
			continue;
		double x = xof(rows[i].t, since, until);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"><title>", x, BAND_Y + BAND_H + 2, x,
			BAND_Y + BAND_H + 14);
		esc(f, tr);
		fputs("</title></line>\n", f);
	}
	fputs("</g>\n", f);
	series(f, rows, n, since, until, 0, "#d62728");
	series(f, rows, n, since, until, 1, "#1f77b4");
	/* legend */
	int lx = W - R + 16, ly = TOP + 8;
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-width=\"2\"/>"
		"<text x=\"%d\" y=\"%d\">valence</text>\n", lx, ly, lx + 20, ly, lx + 26, ly + 4);
	ly += 18;
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f77b4\" stroke-width=\"2\"/>"
		"<text x=\"%d\" y=\"%d\">arousal</text>\n", lx, ly, lx + 20, ly, lx + 26, ly + 4);
	ly += 24;
	for (int k = 0; k < HISTORY_NKEYS; k++, ly += 16)
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text>\n", lx, ly - 10, colors[k], lx + 18, ly, history_key_name(k));
	fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#666666\">mood</text>\n", L - 40, BAND_Y + 13);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
