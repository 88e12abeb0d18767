/* ui_preview: the face preview pane. See ui_preview.h. */
#include "ui_preview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


enum ui_preview_mode ui_preview_mode(const struct ui_draw *d)
{
	if (d->utf8 && d->grays)
		return UI_PREVIEW_HALF;
	return d->utf8 ? UI_PREVIEW_SHADE : UI_PREVIEW_ASCII;
}

static void message(const struct ui_draw *d, struct ui_rect in, const char *const *lines, int n)
{
	int y = in.y + (in.h - n) / 2;
	for (int i = 0; i < n; i++, y++) {
		if (y < in.y || y >= in.y + in.h)
			continue;
		int w = ui_draw_width(d, lines[i]);
		if (w > in.w)
			w = in.w;
		ui_draw_text(d, y, in.x + (in.w - w) / 2, in.w, lines[i],
			     i == 0 ? UI_DRAW_ACCENT : UI_DRAW_NORMAL, i == 0 ? A_BOLD : A_NORMAL);
	}
}

/* Box-averages the image into a gw x gh grid of levels (0..255). */
static void scale(const struct app_snapshot *img, int ow, int oh, unsigned char *out)
{
	int pw = img->preview_w, ph = img->preview_h;
	for (int oy = 0; oy < oh; oy++) {
		int y0 = oy * ph / oh, y1 = (oy + 1) * ph / oh;
		if (y1 <= y0)
			y1 = y0 + 1;
		for (int ox = 0; ox < ow; ox++) {
			int x0 = ox * pw / ow, x1 = (ox + 1) * pw / ow;
			if (x1 <= x0)
				x1 = x0 + 1;
			unsigned sum = 0, n = 0;
			for (int y = y0; y < y1 && y < ph; y++)
				for (int x = x0; x < x1 && x < pw; x++, n++)
					sum += img->preview[y * pw + x];
			out[oy * ow + ox] = (unsigned char)(n ? sum / n : 0);
		}
	}
}

static int top_class(const float *p)
{
	int best = 0;
	for (int i = 1; i < VOCAB_NCLASSES; i++)
		if (p[i] > p[best])
			best = i;
	return best;
}

/* The frame, its title and, when there is no picture to show, the message
 * instead; returns 1 when the picture is to be drawn inside *in. */
static int draw_frame(const struct ui_draw *d, struct ui_rect r, const struct app_snapshot *img,
		      const struct app_snapshot *s, int enabled, struct ui_rect *in)
{
	char title[96];
	int live = s->camera_on && s->camera_ok;
	const char *dot = d->utf8 ? "\xe2\x97\x8f" : "*";
	if (live)
		snprintf(title, sizeof title, "%s LIVE %.0f fps%s", dot, (double)s->fps,
			 s->camera_idle ? ", no face: idle" : "");
	else if (s->camera_on)
		snprintf(title, sizeof title, "camera: no picture");
	else
		snprintf(title, sizeof title, "camera off");
	*in = ui_draw_frame(d, r, "", UI_DRAW_BORDER);
	if (r.w > 6)
		ui_draw_textf(d, r.y, r.x + 2, r.w - 4, live ? UI_DRAW_LIVE : UI_DRAW_DIM, A_BOLD,
			      " %s ", title);
	if (in->w < 4 || in->h < 2)
		return 0;
	if (!enabled) {
		const char *l[] = { "preview off", "press v to show the camera" };
		message(d, *in, l, 2);
		return 0;
	}
	if (!live || img->preview_w <= 0 || img->preview_h <= 0) {
		const char *first = s->camera_msg[0] ? s->camera_msg
				    : s->camera_on ? "no camera picture" : "camera off";
		const char *l[] = { first, "press m to pick a mood by hand", "c: camera on/off" };
		message(d, *in, l, 3);
		return 0;
	}
	return 1;
}

/* Where the picture goes: an ow x oh grid scaled by sc from the preview
 * (grid pixels aspect times as tall as wide), centred at (ox, oy) in cw x ch
 * character cells. */
struct geom {
	enum ui_preview_mode mode;
	double aspect, sc;
	int ow, oh, cw, ch, ox, oy;
};

/* Fits the preview into in; 0, or -1 when it does not fit. */
static int fit(const struct ui_draw *d, struct ui_rect in, const struct app_snapshot *img,
	       struct geom *g)
{
	g->mode = ui_preview_mode(d);
	/* Grid pixels: square in half-block mode, twice as tall as wide else. */
	int gw = in.w, gh = g->mode == UI_PREVIEW_HALF ? in.h * 2 : in.h;
	g->aspect = g->mode == UI_PREVIEW_HALF ? 1.0 : 2.0;
	int pw = img->preview_w, ph = img->preview_h;
	g->sc = (double)gw / pw;
	if (gh * g->aspect / ph < g->sc)
		g->sc = gh * g->aspect / ph;
	g->ow = (int)(pw * g->sc);
	g->oh = (int)(ph * g->sc / g->aspect);
	if (g->ow < 1 || g->oh < 1)
		return -1;
	if (g->ow > gw)
		g->ow = gw;
	if (g->oh > gh)
		g->oh = gh;
	if (g->ow * g->oh > UI_PREVIEW_GRID)
		return -1;
	g->cw = g->ow;
	g->ch = g->mode == UI_PREVIEW_HALF ? (g->oh + 1) / 2 : g->oh;
	g->ox = in.x + (in.w - g->cw) / 2;
	g->oy = in.y + (in.h - g->ch) / 2;
	return 0;
}

/* Scales a new frame into pv->grid: all of it when the size changed, else
 * only the cells that moved by the dead band or more (less flicker). */
static void update_grid(struct ui_preview *pv, const struct app_snapshot *img, int ow, int oh)
{
	unsigned char *grid = pv->grid;
	if (ow != pv->w || oh != pv->h) {
		scale(img, ow, oh, grid);
		pv->w = ow;
		pv->h = oh;
	} else if (img->frame_seq != pv->seq) {
		unsigned char *fresh = pv->fresh;
		scale(img, ow, oh, fresh);
		for (int i = 0; i < ow * oh; i++)
			if (abs(fresh[i] - grid[i]) >= UI_PREVIEW_DEADBAND)
				grid[i] = fresh[i];
	}
	pv->seq = img->frame_seq;
}

/* The face boxes in grid coordinates (bx: x0, y0, x1, y1) and their
 * outlines in box[]; returns the number of faces. */
static int face_boxes(const struct app_snapshot *img, const struct geom *g, unsigned char *box,
		      int bx[APP_MAX_FACES][4])
{
	int ow = g->ow, oh = g->oh;
	memset(box, 0, (size_t)(ow * oh));
	double fx = img->frame_w > 0 ? (double)img->preview_w / img->frame_w : 1.0;
	double fy = img->frame_h > 0 ? (double)img->preview_h / img->frame_h : 1.0;
	double sc = g->sc, aspect = g->aspect;
	int nf = img->nfaces < APP_MAX_FACES ? img->nfaces : APP_MAX_FACES;
	for (int i = 0; i < nf; i++) {
		const struct app_face *f = &img->faces[i];
		const struct vocab_box *b = &f->box;
		int x0 = (int)(b->x * fx * sc), y0 = (int)(b->y * fy * sc / aspect);
		int x1 = (int)((b->x + b->w) * fx * sc), y1 = (int)((b->y + b->h) * fy * sc / aspect);
		if (x0 < 0) x0 = 0;
		if (y0 < 0) y0 = 0;
		if (x1 > ow - 1) x1 = ow - 1;
		if (y1 > oh - 1) y1 = oh - 1;
		bx[i][0] = x0; bx[i][1] = y0; bx[i][2] = x1; bx[i][3] = y1;
		if (x1 <= x0 || y1 <= y0)
			continue;
		for (int x = x0; x <= x1; x++)
			box[y0 * ow + x] = box[y1 * ow + x] = 1;
		for (int y = y0; y <= y1; y++)
			box[y * ow + x0] = box[y * ow + x1] = 1;
	}
	return nf;
}

/* Half blocks: two grid rows per cell in gray pairs, boxes at full level. */
static void draw_half(const struct ui_draw *d, const struct geom *g, const unsigned char *grid,
		      const unsigned char *box)
{
	int ow = g->ow, oh = g->oh;
	for (int cy = 0; cy < g->ch; cy++) {
		move(g->oy + cy, g->ox);
		for (int cx = 0; cx < g->cw; cx++) {
			int y0 = cy * 2, y1 = cy * 2 + 1;
			int t = box[y0 * ow + cx] ? d->grays : grid[y0 * ow + cx] * d->grays / 256;
			int b = y1 >= oh ? 0 : box[y1 * ow + cx] ? d->grays
				: grid[y1 * ow + cx] * d->grays / 256;
			cchar_t cc;
			wchar_t wc[2] = { 0x2580, 0 }; /* upper half block */
			setcchar(&cc, wc, A_NORMAL, (short)ui_draw_gray_pair(d, t, b), NULL);
			add_wch(&cc);
		}
	}
}

/* Shade blocks or an ASCII ramp, one grid pixel per cell, then the boxes
 * drawn with line characters. */
static void draw_chars(const struct ui_draw *d, const struct geom *g, const unsigned char *grid,
		       int bx[APP_MAX_FACES][4], int nf)
{
	static const char ramp[] = " .:-=+*#%@";
	static const wchar_t shade[] = { L' ', 0x2591, 0x2592, 0x2593, 0x2588 };
	attr_set(A_NORMAL, 0, NULL);
	for (int cy = 0; cy < g->ch; cy++) {
		move(g->oy + cy, g->ox);
		for (int cx = 0; cx < g->cw; cx++) {
			int v = grid[cy * g->ow + cx];
			if (g->mode == UI_PREVIEW_SHADE) {
				wchar_t one[2] = { shade[v * 5 / 256], 0 };
				addnwstr(one, 1);
			} else {
				addch((chtype)ramp[v * 10 / 256]);
			}
		}
	}
	for (int i = 0; i < nf; i++) {
		int x0 = bx[i][0], y0 = bx[i][1], x1 = bx[i][2], y1 = bx[i][3];
		if (x1 <= x0 || y1 <= y0)
			continue;
		attr_set(A_BOLD, (short)(d->color ? UI_DRAW_ACCENT : 0), NULL);
		ui_draw_box(d, g->oy + y0, g->ox + x0, g->oy + y1, g->ox + x1);
		attr_set(A_NORMAL, 0, NULL);
	}
}

void ui_preview_draw(const struct ui_draw *d, struct ui_rect r, struct ui_preview *pv,
		     const struct app_snapshot *img, const struct app_snapshot *s, int enabled)
{
	struct ui_rect in;
	struct geom g;
	if (!draw_frame(d, r, img, s, enabled, &in) || fit(d, in, img, &g))
		return;
	update_grid(pv, img, g.ow, g.oh);
	int bx[APP_MAX_FACES][4];
	int nf = face_boxes(img, &g, pv->box, bx);
	if (g.mode == UI_PREVIEW_HALF)
		draw_half(d, &g, pv->grid, pv->box);
	else
		draw_chars(d, &g, pv->grid, bx, nf);
	/* Labels: each face's top emotion just above (or inside) its box. */
	for (int i = 0; i < nf; i++) {
		int x0 = bx[i][0], y0 = bx[i][1];
		int row = g.mode == UI_PREVIEW_HALF ? y0 / 2 : y0;
		row = row > 0 ? row - 1 : row;
		const struct app_face *f = &img->faces[i];
		int c = top_class(f->probs);
		ui_draw_textf(d, g.oy + row, g.ox + x0, g.cw - x0, UI_DRAW_ACCENT, A_BOLD, "%s %.0f%%",
			      ui_draw_emotion(c), (double)(f->probs[c] * 100));
	}
}
