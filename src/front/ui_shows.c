/* ui_shows: the films-and-series pane on the shows catalogue (shows.h,
 * data/shows.tsv). See ui_shows.h. */
#include "ui_shows.h"
#include "config.h"
#include "shows.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPICKS 30

struct ui_shows_state {
	struct shows_catalogue *cat;
	struct shows_pick picks[NPICKS];
	size_t npicks;
	uint64_t seed;
	int key;              /* mood the picks are for: class, -1 none yet */
	int manual;
};

void ui_shows_init(struct ui_shows *sh, const struct config *cfg)
{
	char path[PATH_MAX];
	int line = 0, err;
	memset(sh, 0, sizeof(*sh));
	sh->st = calloc(1, sizeof(*sh->st));
	if (!sh->st) {
		snprintf(sh->msg, sizeof sh->msg, "films and series: out of memory");
		return;
	}
	sh->st->key = -2;
	sh->st->seed = (uint64_t)(int64_t)config_get_int(cfg, "seed", 1);
	if (config_path_share(path, sizeof path, "data/shows.tsv")) {
		snprintf(sh->msg, sizeof sh->msg, "films and series: catalogue path too long");
		return;
	}
	err = shows_load(path, &sh->st->cat, &line);
	if (err == SHOWS_ESYNTAX)
		snprintf(sh->msg, sizeof sh->msg, "films and series: %.180s: line %d: %s", path, line,
			 shows_strerror(err));
	else if (err)
		snprintf(sh->msg, sizeof sh->msg, "films and series: %.180s: %s", path,
			 err == SHOWS_EIO ? strerror(errno) : shows_strerror(err));
}

void ui_shows_free(struct ui_shows *sh)
{
	if (sh->st)
		shows_free(sh->st->cat);
	free(sh->st);
	sh->st = NULL;
}

static int top_class(const float *p)
{
	int best = 0;
	float sum = 0;
	for (int i = 0; i < VOCAB_NCLASSES; i++) {
		sum += p[i];
		if (p[i] > p[best])
			best = i;
	}
	return sum > 0 ? best : -1;
}

void ui_shows_update(struct ui_shows *sh, const struct app_snapshot *s)
{
	struct ui_shows_state *st = sh->st;
	if (!st || !st->cat)
		return;
	/* Re-pick only when the mood's leading emotion changes: the list
	 * does not shuffle with every frame. */
	int key = s->mood >= 0 ? s->mood : top_class(s->probs);
	if (key == st->key && s->mood_manual == st->manual)
		return;
	st->key = key;
	st->manual = s->mood_manual;
	st->npicks = 0;
	if (key < 0) {
		snprintf(sh->msg, sizeof sh->msg,
			 "waiting for a mood (the camera, or m to pick one by hand)");
		return;
	}
	float probs[VOCAB_NCLASSES];
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		probs[i] = s->probs[i];
	if (s->mood >= 0 && probs[s->mood] <= 0) {
		memset(probs, 0, sizeof probs);
		probs[s->mood] = 1;
	}
	int err = shows_suggest(st->cat, probs, st->seed, st->picks, NPICKS, &st->npicks);
	if (err)
		snprintf(sh->msg, sizeof sh->msg, "films and series: %s", shows_strerror(err));
	else
		snprintf(sh->msg, sizeof sh->msg, "%s", st->npicks ? "" : "no title fits this mood");
	sh->list.sel = sh->list.top = 0;
}

void ui_shows_draw(const struct ui_draw *d, struct ui_rect r, struct ui_shows *sh, int focused)
{
	struct ui_shows_state *st = sh->st;
	char title[96];
	snprintf(title, sizeof title, "films & series for %s",
		 st && st->key >= 0 ? ui_draw_emotion(st->key) : "the mood");
	struct ui_rect in = ui_draw_frame(d, r, title, focused ? UI_DRAW_ACCENT : UI_DRAW_BORDER);
	if (in.h < 1 || in.w < 20)
		return;
	if (!st || !st->npicks) {
		ui_draw_text(d, in.y, in.x, in.w, sh->msg, UI_DRAW_DIM, A_NORMAL);
		return;
	}
	int h = in.h - 1;
	ui_list_fit(&sh->list, (int)st->npicks, h);
	int wtitle = in.w / 3, wkind = 8, wgen = in.w / 4;
	int wreason = in.w - wtitle - wkind - wgen - 2;
	for (int row = 0; row < h && sh->list.top + row < (int)st->npicks; row++) {
		int i = sh->list.top + row;
		const struct shows_pick *p = &st->picks[i];
		const struct shows_title *t = &st->cat->v[p->title];
		int sel = focused && i == sh->list.sel, y = in.y + row, x = in.x;
		int pair = sel ? UI_DRAW_SEL : UI_DRAW_NORMAL;
		char genres[160];
		if (sel)
			ui_draw_textf(d, y, x, in.w, UI_DRAW_SEL, A_NORMAL, "%*s", in.w, "");
		ui_draw_textf(d, y, x, wtitle, pair, A_NORMAL, "%s (%d)", t->title, t->year);
		x += wtitle + 1;
		ui_draw_text(d, y, x, wkind, t->series ? "series" : "film", sel ? UI_DRAW_SEL : UI_DRAW_ACCENT,
			     A_NORMAL);
		x += wkind;
		shows_genres_string(t->genres, genres, sizeof genres);
		ui_draw_text(d, y, x, wgen, genres, pair, A_NORMAL);
		x += wgen + 1;
		if (wreason > 0)
			ui_draw_text(d, y, x, wreason, p->reason, sel ? UI_DRAW_SEL : UI_DRAW_DIM, A_NORMAL);
	}
	ui_draw_text(d, in.y + in.h - 1, in.x, in.w, "Enter: web search address of the title",
		     UI_DRAW_DIM, A_NORMAL);
}

int ui_shows_key(struct ui_shows *sh, const char *cmd, int page, char *url, size_t n)
{
	struct ui_shows_state *st = sh->st;
	int count = st ? (int)st->npicks : 0;
	url[0] = '\0';
	if (ui_list_move(&sh->list, cmd, count, page))
		return 1;
	if (strcmp(cmd, "activate") == 0) {
		if (sh->list.sel >= 0 && sh->list.sel < count &&
		    shows_search_url(&st->cat->v[st->picks[sh->list.sel].title], url, n))
			url[0] = '\0';
		return 1;
	}
	return 0;
}
