/*
 * ui_draw: what every UI pane draws with: the terminal's capabilities
 * (UTF-8, colours, 256-colour grays), colour pairs, width-aware text,
 * frames and bars. Only the UI thread calls these (they draw on stdscr).
 */
#ifndef EMOTUNE_UI_DRAW_H
#define EMOTUNE_UI_DRAW_H

#include <curses.h>

struct ui_rect {
	int y, x, h, w;
};

/* Colour pairs. */
enum ui_draw_color {
	UI_DRAW_NORMAL = 0,
	UI_DRAW_TITLE,
	UI_DRAW_SEL,
	UI_DRAW_DIM,
	UI_DRAW_LIVE,
	UI_DRAW_ERROR,
	UI_DRAW_BORDER,
	UI_DRAW_ACCENT,
	UI_DRAW_EMO,          /* UI_DRAW_EMO + class: the class's bar colour */
	UI_DRAW_GRAY = 32,    /* first pair of the gray-on-gray half-block pairs */
};

struct ui_draw {
	int utf8;             /* the locale is UTF-8: Unicode glyphs */
	int color;            /* colours in use (terminal has them, no NO_COLOR) */
	int grays;            /* gray levels for half-block pairs, 0: none */
};

/* Looks at the locale and the terminal; sets up the pairs. want_color: the
 * `color` setting and NO_COLOR. Call after initscr(). */
void ui_draw_init(struct ui_draw *d, int want_color);

/* Draws s (UTF-8) at y,x in at most w columns; returns the columns used.
 * Bytes that the locale cannot show become '?'. */
int ui_draw_text(const struct ui_draw *d, int y, int x, int w, const char *s,
		 int pair, attr_t attr);
/* printf-style variant. */
int ui_draw_textf(const struct ui_draw *d, int y, int x, int w, int pair, attr_t attr,
		  const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Columns s takes on screen. */
int ui_draw_width(const struct ui_draw *d, const char *s);

/* Blanks a rectangle. */
void ui_draw_clear(struct ui_rect r);
/* A frame around r with title at the top left; returns the inner rect. */
struct ui_rect ui_draw_frame(const struct ui_draw *d, struct ui_rect r, const char *title,
			     int pair);
/* Box lines from (y0,x0) to (y1,x1), corners included, in the current attributes. */
void ui_draw_box(const struct ui_draw *d, int y0, int x0, int y1, int x1);
/* A horizontal bar of w columns filled to frac (0..1). */
void ui_draw_bar(const struct ui_draw *d, int y, int x, int w, double frac, int pair);
/* The pair for a half-block whose top and bottom are gray levels t, b
 * (0..grays-1, or grays for the face-box colour). */
int ui_draw_gray_pair(const struct ui_draw *d, int t, int b);

/* vocab_class_name(i), "?" out of range. */
const char *ui_draw_emotion(int i);

#endif
