/* ui_timeline: the timeline view. See ui_timeline.h. */
#include "ui_timeline.h"
#include "app.h"
#include "config.h"
#include "history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXCOLS 512
#define SIDE_W 26

static const double spans[] = { 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400 };
static const char *const span_names[] = { "last hour", "last 3 hours", "last 6 hours",
					  "last 12 hours", "last day" };
#define NSPANS (int)(sizeof spans / sizeof spans[0])
/* band letters: angry disgust fear happy neutral sad surprise uncertain */
static const char band_letter[HISTORY_NKEYS] = { 'A', 'D', 'F', 'H', 'N', 'S', '!', '?' };

struct ui_timeline_state {
	int off;                    /* history = off in the settings */
	int zoom;                   /* index into spans */
	double fetched;             /* wall time of the last fetch, 0: never */
	double until;               /* right edge of the range fetched */
	int err;                    /* app_history's answer */
	struct history_row *rows;
	size_t n;
	struct history_summary sm;
	/* the chart, computed for (w, zoom, fetch) */
	int w, valid;
	int nb;                     /* buckets: 2 per column in braille, 1 in ASCII */
	float val[2 * MAXCOLS], aro[2 * MAXCOLS];
	unsigned char has[2 * MAXCOLS];
	signed char band[MAXCOLS];  /* key, -1: no data */
	unsigned char mark[MAXCOLS];
};

void ui_timeline_init(struct ui_timeline *tl, const struct config *cfg)
{
	tl->st = calloc(1, sizeof *tl->st);
	if (tl->st)
		tl->st->off = !config_get_bool(cfg, "history", 1);
}

void ui_timeline_free(struct ui_timeline *tl)
{
	if (tl->st)
		history_rows_free(tl->st->rows, tl->st->n);
	free(tl->st);
	tl->st = NULL;
}

double ui_timeline_span(const struct ui_timeline *tl)
{
	return tl->st ? spans[tl->st->zoom] : spans[0];
}

int ui_timeline_key(struct ui_timeline *tl, int key)
{
	struct ui_timeline_state *st = tl->st;
	if (!st || (key != '+' && key != '=' && key != '-'))
		return 0;
	int z = st->zoom + (key == '-' ? 1 : -1);
	if (z >= 0 && z < NSPANS && z != st->zoom) {
		st->zoom = z;
		st->fetched = 0;   /* fetch the new range at once */
	}
	return 1;
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fetch(struct ui_timeline_state *st, struct app *a, double now)
{
	double span = spans[st->zoom];
	double every = span / 720 > TIMELINE_REFRESH_S ? span / 720 : TIMELINE_REFRESH_S;
	if (st->fetched > 0 && now - st->fetched < every && now >= st->fetched)
		return;
	history_rows_free(st->rows, st->n);
	st->rows = NULL;
	st->n = 0;
	st->fetched = now;
	st->until = now;
	st->valid = 0;
	st->err = app_history(a, now - span - HISTORY_SPAN_S, now + 1, 0, &st->rows, &st->n);
	if (st->err || history_summarize(st->rows, st->n, now - span, now, &st->sm))
		memset(&st->sm, 0, sizeof st->sm);
}

/* Spreads every row over the buckets its span covers (time-weighted means). */
static void compute(struct ui_timeline_state *st, int w, int per_col)
{
	double span = spans[st->zoom], since = st->until - span;
	double bt = span / (w * per_col), ct = span / w;
	static double wv[2 * MAXCOLS], wsum[2 * MAXCOLS], keyt[MAXCOLS][HISTORY_NKEYS];
	st->w = w;
	st->nb = w * per_col;
	memset(wv, 0, sizeof wv);
	memset(wsum, 0, sizeof wsum);
	memset(keyt, 0, sizeof keyt);
	memset(st->mark, 0, sizeof st->mark);
	memset(st->val, 0, sizeof st->val);
	memset(st->aro, 0, sizeof st->aro);
	for (size_t i = 0; i < st->n; i++) {
		const struct history_row *r = &st->rows[i];
		double len = history_row_span(st->rows, st->n, i, since, st->until);
		int key = history_key(r);
		if (r->t >= since && r->track && (i == 0 || !st->rows[i - 1].track ||
						  strcmp(st->rows[i - 1].track, r->track))) {
			int c = (int)((r->t - since) / ct);
			if (c >= 0 && c < w)
				st->mark[c] = 1;
		}
		if (key < 0 || len <= 0)
			continue;
		double t0 = r->t < since ? since : r->t, t1 = t0 + len;
		for (int b = (int)((t0 - since) / bt); b < st->nb && since + b * bt < t1; b++) {
			double lo = since + b * bt, hi = lo + bt;
			double o = (t1 < hi ? t1 : hi) - (t0 > lo ? t0 : lo);
			if (b < 0 || o <= 0)
				continue;
			wv[b] += o * r->valence;
			st->aro[b] += (float)(o * r->arousal);
			wsum[b] += o;
			keyt[b / per_col][key] += o;
		}
	}
	for (int b = 0; b < st->nb; b++) {
		st->has[b] = wsum[b] > 0;
		if (st->has[b]) {
			st->val[b] = (float)(wv[b] / wsum[b]);
			st->aro[b] = (float)(st->aro[b] / wsum[b]);
		}
	}
	for (int c = 0; c < w; c++) {
		int best = -1;
		for (int k = 0; k < HISTORY_NKEYS; k++)
			if (keyt[c][k] > 0 && (best < 0 || keyt[c][k] > keyt[c][best]))
				best = k;
		st->band[c] = (signed char)best;
	}
	st->valid = 1;
}

/* Dot row (0 at the top) of value v on a chart of `levels` rows of dots. */
static int level(float v, int levels)
{
	int y = (int)lround((1.0 - v) / 2.0 * (levels - 1));
	return y < 0 ? 0 : y >= levels ? levels - 1 : y;
}

/* One chart of h rows at (y, x), w columns, from values v/has. */
static void chart(const struct ui_draw *d, int y, int x, int w, int h, const float *v,
		  const unsigned char *has, int pair)
{
	char line[MAXCOLS * 3 + 1];
	if (d->utf8) {
		/* braille: 2 x 4 dots per cell; a line between neighbouring dots */
		static const unsigned char bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
		int levels = 4 * h, prev = -1;
		static unsigned char cells[64][MAXCOLS];
		if (h > 64)
			h = 64;
		memset(cells, 0, sizeof cells);
		for (int b = 0; b < 2 * w; b++) {
			if (!has[b]) {
				prev = -1;
				continue;
			}
			int ly = level(v[b], levels), a0 = prev < 0 ? ly : prev, lo = a0 < ly ? a0 : ly,
			    hi = a0 < ly ? ly : a0;
			/* the half of the vertical step that belongs to this column */
			if (prev >= 0 && hi - lo > 1) {
				if (a0 < ly)
					lo = (lo + hi + 1) / 2;
				else
					hi = (lo + hi) / 2;
			}
			for (int q = lo; q <= hi; q++)
				cells[q / 4][b / 2] |= bit[b % 2][q % 4];
			prev = ly;
		}
		for (int row = 0; row < h; row++) {
			size_t o = 0;
			for (int c = 0; c < w; c++) {
				unsigned cp = 0x2800u + cells[row][c];
				line[o++] = (char)(0xE0 | (cp >> 12));
				line[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				line[o++] = (char)(0x80 | (cp & 0x3F));
			}
			line[o] = 0;
			ui_draw_text(d, y + row, x, w, line, pair, A_NORMAL);
		}
		return;
	}
	/* ASCII: three levels a row, ' - _ */
	int levels = 3 * h;
	for (int row = 0; row < h; row++) {
		for (int c = 0; c < w; c++) {
			line[c] = ' ';
			if (!has[c])
				continue;
			int ly = level(v[c], levels);
			if (ly / 3 == row)
				line[c] = "'-_"[ly % 3];
		}
		line[w] = 0;
		ui_draw_text(d, y + row, x, w, line, pair, A_NORMAL);
	}
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void fmt_dur(double s, char *buf, size_t n)
{
	long m = s > 0 && s < 1e7 ? lround(s / 60) : 0;
	if (m >= 60)
		snprintf(buf, n, "%ldh%02ld", m / 60, m % 60);
	else if (s >= 60)
		snprintf(buf, n, "%ldm", m);
	else
		snprintf(buf, n, "%lds", lround(s));
}

static void side(const struct ui_draw *d, struct ui_rect r, const struct ui_timeline_state *st)
{
	const struct history_summary *sm = &st->sm;
	int order[HISTORY_NKEYS], row = 0;
	for (int k = 0; k < HISTORY_NKEYS; k++)
		order[k] = k;
	for (int i = 1; i < HISTORY_NKEYS; i++)
		for (int j = i; j > 0 && sm->seconds[order[j]] > sm->seconds[order[j - 1]]; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	ui_draw_text(d, r.y + row++, r.x, r.w, "time per mood", UI_DRAW_DIM, A_NORMAL);
	for (int i = 0; i < HISTORY_NKEYS && row < r.h - 2; i++) {
		int k = order[i];
		char dur[32], letter[2] = { band_letter[k], 0 };
		if (sm->seconds[k] <= 0)
			break;
		fmt_dur(sm->seconds[k], dur, sizeof dur);
		ui_draw_text(d, r.y + row, r.x, 1, letter, k < VOCAB_NCLASSES ? UI_DRAW_EMO + k : UI_DRAW_DIM,
			     A_REVERSE);
		ui_draw_textf(d, r.y + row++, r.x + 2, r.w - 2, UI_DRAW_NORMAL, A_NORMAL, "%-9s %6s %3.0f%%",
			      history_key_name(k), dur, 100 * sm->seconds[k] / sm->total);
	}
	if (sm->total <= 0)
		ui_draw_text(d, r.y + row++, r.x, r.w, "(nothing yet)", UI_DRAW_DIM, A_NORMAL);
	int k = order[0];
	if (sm->total > 0 && sm->ntop[k] && row < r.h) {
		ui_draw_textf(d, r.y + row++, r.x, r.w, UI_DRAW_DIM, A_NORMAL, "most played, %s:",
			      history_key_name(k));
		if (row < r.h)
			ui_draw_text(d, r.y + row++, r.x, r.w, base(sm->top[k][0].track), UI_DRAW_NORMAL, A_NORMAL);
	}
}

void ui_timeline_draw(const struct ui_draw *d, struct ui_rect r, struct ui_timeline *tl,
		      struct app *a)
{
	struct ui_timeline_state *st = tl->st;
	char title[96];
	snprintf(title, sizeof title, "timeline: %s (+/- zoom)", st ? span_names[st->zoom] : "");
	struct ui_rect in = ui_draw_frame(d, r, title, UI_DRAW_ACCENT);
	if (!st || in.h < 1 || in.w < 20)
		return;
	if (st->off) {
		ui_draw_text(d, in.y, in.x + 1, in.w - 1,
			     "mood history is off (history = off in the settings): nothing is recorded",
			     UI_DRAW_DIM, A_NORMAL);
		return;
	}
	fetch(st, a, wall());
	if (st->err) {
		ui_draw_text(d, in.y, in.x + 1, in.w - 1,
			     "no mood history: the library database is not available (see emotune history)",
			     UI_DRAW_ERROR, A_NORMAL);
		return;
	}
	int sw = in.w >= 70 ? SIDE_W : 0;
	int cx = in.x + 3, cw = in.w - 3 - (sw ? sw + 1 : 0);
	if (cw > MAXCOLS)
		cw = MAXCOLS;
	if (in.h < 5 || cw < 10) {
		ui_draw_text(d, in.y, in.x + 1, in.w - 1, "(too small for the chart)", UI_DRAW_DIM, A_NORMAL);
		return;
	}
	int per_col = d->utf8 ? 2 : 1;
	if (!st->valid || st->w != cw || st->nb != cw * per_col)
		compute(st, cw, per_col);
	int hv = (in.h - 3) / 2, ha = in.h - 3 - hv;
	int yv = in.y, ya = in.y + hv, yb = ya + ha, yx = yb + 1, yl = yx + 1;
	ui_draw_text(d, yv, in.x, 2, "V+", UI_DRAW_ACCENT, A_BOLD);
	if (hv > 1)
		ui_draw_text(d, yv + hv - 1, in.x, 2, "V-", UI_DRAW_ACCENT, A_BOLD);
	ui_draw_text(d, ya, in.x, 2, "A+", UI_DRAW_BORDER, A_BOLD);
	if (ha > 1)
		ui_draw_text(d, ya + ha - 1, in.x, 2, "A-", UI_DRAW_BORDER, A_BOLD);
	chart(d, yv, cx, cw, hv, st->val, st->has, UI_DRAW_ACCENT);
	chart(d, ya, cx, cw, ha, st->aro, st->has, UI_DRAW_BORDER);
	/* mood band, track marks, time labels */
	ui_draw_text(d, yb, in.x, 2, "md", UI_DRAW_DIM, A_NORMAL);
	for (int c = 0; c < cw; c++) {
		int k = st->band[c];
		char s[2] = { k < 0 ? ' ' : band_letter[k], 0 };
		if (k >= 0)
			ui_draw_text(d, yb, cx + c, 1, s, k < VOCAB_NCLASSES ? UI_DRAW_EMO + k : UI_DRAW_DIM,
				     A_REVERSE);
	}
	char axis[MAXCOLS * 3 + 1];
	size_t o = 0;
	for (int c = 0; c < cw; c++) {
		const char *g = st->mark[c] ? (d->utf8 ? "\xe2\x94\xb4" : "|") : (d->utf8 ? "\xe2\x94\x80" : "-");
		size_t l = strlen(g);
		memcpy(axis + o, g, l);
		o += l;
	}
	axis[o] = 0;
	ui_draw_text(d, yx, cx, cw, axis, UI_DRAW_DIM, A_NORMAL);
	if (yl < in.y + in.h) {
		char a0[16], a1[16];
		time_t t0 = (time_t)(st->until - spans[st->zoom]), t1 = (time_t)st->until;
		struct tm tm;
		strftime(a0, sizeof a0, "%H:%M", localtime_r(&t0, &tm));
		strftime(a1, sizeof a1, "%H:%M", localtime_r(&t1, &tm));
		ui_draw_text(d, yl, cx, cw, a0, UI_DRAW_DIM, A_NORMAL);
		ui_draw_textf(d, yl, cx + cw / 2 - 8, 16, UI_DRAW_DIM, A_NORMAL, "%s",
			      d->utf8 ? "\xe2\x94\xb4 track" : "| track");
		ui_draw_textf(d, yl, cx + cw - 9, 9, UI_DRAW_DIM, A_NORMAL, "%s now", a1);
	}
	if (sw)
		side(d, (struct ui_rect){ in.y, in.x + in.w - sw, in.h, sw }, st);
}
