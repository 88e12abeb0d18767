/* ui_draw: capabilities, colour pairs, text and frames. See ui_draw.h. */
#include "ui_draw.h"
#include "vocab.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

static const short emo_colors[] = {
	COLOR_RED, COLOR_GREEN, COLOR_MAGENTA, COLOR_YELLOW, COLOR_WHITE, COLOR_BLUE, COLOR_CYAN,
};
_Static_assert(sizeof emo_colors / sizeof *emo_colors == VOCAB_NCLASSES, "one colour per class");
_Static_assert(UI_DRAW_EMO + VOCAB_NCLASSES <= UI_DRAW_GRAY, "class colours before the gray pairs");

static int gray_color(const struct ui_draw *d, int level)
{
	if (level >= d->grays)
		return 46; /* bright green: face boxes */
	return 232 + level * 23 / (d->grays > 1 ? d->grays - 1 : 1);
}

void ui_draw_init(struct ui_draw *d, int want_color)
{
	const char *cs = nl_langinfo(CODESET);
	memset(d, 0, sizeof(*d));
	d->utf8 = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
	if (!want_color || !has_colors() || start_color() == ERR)
		return;
	d->color = 1;
	use_default_colors();
	init_pair(UI_DRAW_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_DRAW_SEL, COLOR_BLACK, COLOR_YELLOW);
	init_pair(UI_DRAW_DIM, COLORS >= 16 ? 8 : COLOR_BLUE, -1);
	init_pair(UI_DRAW_LIVE, COLOR_RED, -1);
	init_pair(UI_DRAW_ERROR, COLOR_RED, -1);
	init_pair(UI_DRAW_BORDER, COLOR_CYAN, -1);
	init_pair(UI_DRAW_ACCENT, COLOR_YELLOW, -1);
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		init_pair((short)(UI_DRAW_EMO + i), emo_colors[i], -1);
	if (!d->utf8 || COLORS < 256)
		return;
	int levels = 24;
	while (levels > 4 && UI_DRAW_GRAY + (levels + 1) * (levels + 1) > COLOR_PAIRS)
		levels--;
	if (UI_DRAW_GRAY + (levels + 1) * (levels + 1) > COLOR_PAIRS)
		return;
	d->grays = levels;
	for (int t = 0; t <= levels; t++)
		for (int b = 0; b <= levels; b++)
			init_pair((short)ui_draw_gray_pair(d, t, b), (short)gray_color(d, t),
				  (short)gray_color(d, b));
}

int ui_draw_gray_pair(const struct ui_draw *d, int t, int b)
{
	return UI_DRAW_GRAY + t * (d->grays + 1) + b;
}

static void set_attr(const struct ui_draw *d, int pair, attr_t attr)
{
	if (!d->color) {
		/* Without colours: selection and titles in reverse video. */
		if (pair == UI_DRAW_SEL || pair == UI_DRAW_TITLE)
			attr |= A_REVERSE;
		if (pair == UI_DRAW_LIVE || pair == UI_DRAW_ERROR)
			attr |= A_BOLD;
		pair = 0;
	}
	attr_set(attr, (short)pair, NULL);
}

/* Walks s one shown character at a time. */
static int next_char(const struct ui_draw *d, const char **s, mbstate_t *st, wchar_t *wc)
{
	const unsigned char *p = (const unsigned char *)*s;
	if (!*p)
		return 0;
	if (!d->utf8) {
		*wc = (*p >= ' ' && *p < 127) ? *p : '?';
		(*s)++;
		return 1;
	}
	size_t r = mbrtowc(wc, *s, strlen(*s), st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		memset(st, 0, sizeof(*st));
		*wc = '?';
		r = 1;
	}
	*s += r;
	if (*wc < ' ' || *wc == 127 || wcwidth(*wc) < 0)
		*wc = '?';
	return 1;
}

int ui_draw_width(const struct ui_draw *d, const char *s)
{
	mbstate_t st;
	wchar_t wc;
	int w = 0;
	memset(&st, 0, sizeof st);
	while (next_char(d, &s, &st, &wc))
		w += d->utf8 ? wcwidth(wc) : 1;
	return w;
}

int ui_draw_text(const struct ui_draw *d, int y, int x, int w, const char *s, int pair,
		 attr_t attr)
{
	mbstate_t st;
	wchar_t wc;
	int used = 0;
	if (w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	memset(&st, 0, sizeof st);
	set_attr(d, pair, attr);
	move(y, x);
	while (next_char(d, &s, &st, &wc)) {
		int cw = d->utf8 ? wcwidth(wc) : 1;
		if (used + cw > w)
			break;
		if (d->utf8) {
			wchar_t one[2] = { wc, 0 };
			addnwstr(one, 1);
		} else {
			addch((chtype)wc);
		}
		used += cw;
	}
	attr_set(A_NORMAL, 0, NULL);
	return used;
}

int ui_draw_textf(const struct ui_draw *d, int y, int x, int w, int pair, attr_t attr,
		  const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_draw_text(d, y, x, w, buf, pair, attr);
}

void ui_draw_clear(struct ui_rect r)
{
	attr_set(A_NORMAL, 0, NULL);
	for (int y = r.y; y < r.y + r.h; y++)
		mvhline(y, r.x, ' ', r.w);
}

void ui_draw_box(const struct ui_draw *d, int y0, int x0, int y1, int x1)
{
	if (y1 <= y0 || x1 <= x0)
		return;
	if (d->utf8) {
		/* Unicode box drawing: no alternate charset switching needed. */
		mvhline_set(y0, x0 + 1, WACS_HLINE, x1 - x0 - 1);
		mvhline_set(y1, x0 + 1, WACS_HLINE, x1 - x0 - 1);
		mvvline_set(y0 + 1, x0, WACS_VLINE, y1 - y0 - 1);
		mvvline_set(y0 + 1, x1, WACS_VLINE, y1 - y0 - 1);
		mvadd_wch(y0, x0, WACS_ULCORNER);
		mvadd_wch(y0, x1, WACS_URCORNER);
		mvadd_wch(y1, x0, WACS_LLCORNER);
		mvadd_wch(y1, x1, WACS_LRCORNER);
		return;
	}
	/* ACS lines: curses picks what the terminal can draw (+-| on dumb ones). */
	mvhline(y0, x0 + 1, ACS_HLINE, x1 - x0 - 1);
	mvhline(y1, x0 + 1, ACS_HLINE, x1 - x0 - 1);
	mvvline(y0 + 1, x0, ACS_VLINE, y1 - y0 - 1);
	mvvline(y0 + 1, x1, ACS_VLINE, y1 - y0 - 1);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvaddch(y0, x1, ACS_URCORNER);
	mvaddch(y1, x0, ACS_LLCORNER);
	mvaddch(y1, x1, ACS_LRCORNER);
}

struct ui_rect ui_draw_frame(const struct ui_draw *d, struct ui_rect r, const char *title,
			     int pair)
{
	struct ui_rect in = { r.y + 1, r.x + 1, r.h - 2, r.w - 2 };
	if (r.h < 2 || r.w < 2)
		return (struct ui_rect){ r.y, r.x, 0, 0 };
	set_attr(d, pair, A_NORMAL);
	ui_draw_box(d, r.y, r.x, r.y + r.h - 1, r.x + r.w - 1);
	attr_set(A_NORMAL, 0, NULL);
	if (title && *title && r.w > 4) {
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		ui_draw_text(d, r.y, r.x + 2, r.w - 4, t, pair, A_BOLD);
	}
	return in;
}

void ui_draw_bar(const struct ui_draw *d, int y, int x, int w, double frac, int pair)
{
	if (w <= 0)
		return;
	if (frac < 0 || frac != frac)
		frac = 0;
	if (frac > 1)
		frac = 1;
	if (d->utf8) {
		/* Eighth blocks for a smooth bar. */
		static const wchar_t part[] = { 0, 0x258f, 0x258e, 0x258d, 0x258c, 0x258b, 0x258a, 0x2589 };
		int eighths = (int)(frac * w * 8 + 0.5);
		set_attr(d, pair, A_NORMAL);
		move(y, x);
		for (int i = 0; i < w; i++) {
			int e = eighths - i * 8;
			wchar_t c[2] = { e >= 8 ? 0x2588 : e > 0 ? part[e] : L' ', 0 };
			if (e <= 0 && !d->color)
				c[0] = 0x00b7; /* middle dot marks the empty part */
			addnwstr(c, 1);
		}
	} else {
		int n = (int)(frac * w + 0.5);
		set_attr(d, pair, A_NORMAL);
		move(y, x);
		for (int i = 0; i < w; i++)
			addch(i < n ? '#' : '.');
	}
	attr_set(A_NORMAL, 0, NULL);
}

const char *ui_draw_emotion(int i)
{
	const char *s = vocab_class_name(i);
	return s ? s : "?";
}
