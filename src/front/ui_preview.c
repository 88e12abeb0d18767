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

void ui_preview_draw(const struct ui_draw *d, struct ui_rect r, struct ui_preview *pv,
		     const struct app_snapshot *img, const struct app_snapshot *s, int enabled)
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
	struct ui_rect in = ui_draw_frame(d, r, "", UI_DRAW_BORDER);
	if (r.w > 6)
		ui_draw_textf(d, r.y, r.x + 2, r.w - 4, live ? UI_DRAW_LIVE : UI_DRAW_DIM, A_BOLD,
			      " %s ", title);
	if (in.w < 4 || in.h < 2)
		return;
	if (!enabled) {
		const char *l[] = { "preview off", "press v to show the camera" };
		message(d, in, l, 2);
		return;
	}
	if (!live || img->preview_w <= 0 || img->preview_h <= 0) {
		const char *first = s->camera_msg[0] ? s->camera_msg
				    : s->camera_on ? "no camera picture" : "camera off";
		const char *l[] = { first, "press m to pick a mood by hand", "c: camera on/off" };
		message(d, in, l, 3);
		return;
	}

	enum ui_preview_mode mode = ui_preview_mode(d);
	/* Grid pixels: square in half-block mode, twice as tall as wide else. */
	int gw = in.w, gh = mode == UI_PREVIEW_HALF ? in.h * 2 : in.h;
	double aspect = mode == UI_PREVIEW_HALF ? 1.0 : 2.0;
	int pw = img->preview_w, ph = img->preview_h;
	double sc = (double)gw / pw;
	if (gh * aspect / ph < sc)
		sc = gh * aspect / ph;
	int ow = (int)(pw * sc), oh = (int)(ph * sc / aspect);
	if (ow < 1 || oh < 1)
		return;
	if (ow > gw)
		ow = gw;
	if (oh > gh)
		oh = gh;
	if (ow * oh > UI_PREVIEW_GRID)
		return;
	unsigned char *grid = pv->grid, *box = pv->box;
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
	memset(box, 0, (size_t)(ow * oh));

	/* Face boxes in grid coordinates. */
	double fx = img->frame_w > 0 ? (double)pw / img->frame_w : 1.0;
	double fy = img->frame_h > 0 ? (double)ph / img->frame_h : 1.0;
	int bx[APP_MAX_FACES][4];
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

	int cw = ow, ch = mode == UI_PREVIEW_HALF ? (oh + 1) / 2 : oh;
	int ox = in.x + (in.w - cw) / 2, oy = in.y + (in.h - ch) / 2;
	if (mode == UI_PREVIEW_HALF) {
		for (int cy = 0; cy < ch; cy++) {
			move(oy + cy, ox);
			for (int cx = 0; cx < cw; cx++) {
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
	} else {
		static const char ramp[] = " .:-=+*#%@";
		static const wchar_t shade[] = { L' ', 0x2591, 0x2592, 0x2593, 0x2588 };
		attr_set(A_NORMAL, 0, NULL);
		for (int cy = 0; cy < ch; cy++) {
			move(oy + cy, ox);
			for (int cx = 0; cx < cw; cx++) {
				int v = grid[cy * ow + cx];
				if (mode == UI_PREVIEW_SHADE) {
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
			ui_draw_box(d, oy + y0, ox + x0, oy + y1, ox + x1);
			attr_set(A_NORMAL, 0, NULL);
		}
	}
	/* Labels: each face's top emotion just above (or inside) its box. */
	for (int i = 0; i < nf; i++) {
		int x0 = bx[i][0], y0 = bx[i][1];
		int row = mode == UI_PREVIEW_HALF ? y0 / 2 : y0;
		row = row > 0 ? row - 1 : row;
		const struct app_face *f = &img->faces[i];
		int c = top_class(f->probs);
		ui_draw_textf(d, oy + row, ox + x0, cw - x0, UI_DRAW_ACCENT, A_BOLD, "%s %.0f%%",
			      ui_draw_emotion(c), (double)(f->probs[c] * 100));
	}
}
