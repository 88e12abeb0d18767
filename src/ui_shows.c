/* ui_shows: the films-and-series pane. See ui_shows.h.
 * The catalogue module (shows.h, issue 8) is not in this build yet: the
 * pane says so. */
#include "ui_shows.h"

#include <stdio.h>
#include <string.h>

void ui_shows_init(struct ui_shows *sh, const struct config *cfg)
{
	(void)cfg;
	memset(sh, 0, sizeof(*sh));
	snprintf(sh->msg, sizeof sh->msg,
		 "films and series: the catalogue module is not in this build yet");
}

void ui_shows_free(struct ui_shows *sh)
{
	(void)sh;
}

void ui_shows_update(struct ui_shows *sh, const struct app_snapshot *s)
{
	(void)sh;
	(void)s;
}

void ui_shows_draw(const struct ui_draw *d, struct ui_rect r, struct ui_shows *sh, int focused)
{
	struct ui_rect in = ui_draw_frame(d, r, "films & series", focused ? UI_DRAW_ACCENT : UI_DRAW_BORDER);
	if (in.h > 0)
		ui_draw_text(d, in.y, in.x, in.w, sh->msg, UI_DRAW_DIM, A_NORMAL);
}

int ui_shows_key(struct ui_shows *sh, const char *cmd, int page, char *url, size_t n)
{
	(void)sh;
	(void)page;
	(void)cmd;
	url[0] = '\0';
	return 0;
}
