/* ui_help: the help overlay. See ui_help.h. */
#include "ui_help.h"
#include "ui_playlists.h"

#include <stdio.h>
#include <string.h>

/* The i-th distinct command of the table (index of its first binding). */
static int nth_command(const struct keys *k, int i)
{
	size_t n = keys_count(k);
	int seen = 0;
	for (size_t j = 0; j < n; j++) {
		const char *c = keys_at(k, j)->command;
		int dup = 0;
		for (size_t p = 0; p < j && !dup; p++)
			dup = strcmp(keys_at(k, p)->command, c) == 0;
		if (dup)
			continue;
		if (seen++ == i)
			return (int)j;
	}
	return -1;
}

int ui_help_line(const struct keys *k, int i, char *buf, size_t n)
{
	int total = 0, nview = 0;
	while (nth_command(k, total) >= 0)
		total++;
	while (ui_playlists_help[nview])
		nview++;
	/* After the key table: a blank line, then the keys views have of their own. */
	if (i > total && i <= total + nview) {
		snprintf(buf, n, "%s", ui_playlists_help[i - total - 1]);
		return total + 1 + nview;
	}
	if (i < 0 || i >= total) {
		if (n)
			buf[0] = '\0';
		return total + 1 + nview;
	}
	int j = nth_command(k, i);
	const char *cmd = keys_at(k, (size_t)j)->command;
	char names[64] = "";
	size_t o = 0;
	for (size_t p = (size_t)j; p < keys_count(k); p++) {
		const struct keys_binding *b = keys_at(k, p);
		if (strcmp(b->command, cmd))
			continue;
		char one[16];
		keys_name(b->key, one, sizeof one);
		if (o < sizeof names)
			o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", o ? ", " : "", one);
	}
	snprintf(buf, n, "%-14s %-18s %s", names, cmd, keys_describe(cmd));
	return total + 1 + nview;
}

void ui_help_draw(const struct ui_draw *d, struct ui_rect screen, const struct keys *k,
		  int *scroll)
{
	char line[256];
	int total = ui_help_line(k, -1, line, sizeof line);
	int w = screen.w - 4 < 78 ? screen.w - 4 : 78;
	int h = screen.h - 2 < total + 4 ? screen.h - 2 : total + 4;
	if (w < 20 || h < 5)
		return;
	struct ui_rect r = { screen.y + (screen.h - h) / 2, screen.x + (screen.w - w) / 2, h, w };
	ui_draw_clear(r);
	struct ui_rect in = ui_draw_frame(d, r, "keys (bind.KEY = COMMAND in the settings file)",
					  UI_DRAW_ACCENT);
	int rows = in.h - 1;
	if (*scroll > total - rows)
		*scroll = total - rows;
	if (*scroll < 0)
		*scroll = 0;
	for (int i = 0; i < rows && *scroll + i < total; i++) {
		ui_help_line(k, *scroll + i, line, sizeof line);
		ui_draw_text(d, in.y + i, in.x + 1, in.w - 2, line, UI_DRAW_NORMAL, A_NORMAL);
	}
	ui_draw_textf(d, in.y + in.h - 1, in.x + 1, in.w - 2, UI_DRAW_DIM, A_NORMAL,
		      "%s any other key closes", total > rows ? "j/k scroll," : "");
}

int ui_help_key(const struct keys *k, int key, int *scroll)
{
	const char *cmd = keys_lookup(k, key);
	if (cmd && (strcmp(cmd, "down") == 0 || strcmp(cmd, "page-down") == 0)) {
		*scroll += strcmp(cmd, "down") == 0 ? 1 : 10;
		return 1;
	}
	if (cmd && (strcmp(cmd, "up") == 0 || strcmp(cmd, "page-up") == 0)) {
		*scroll -= strcmp(cmd, "up") == 0 ? 1 : 10;
		if (*scroll < 0)
			*scroll = 0;
		return 1;
	}
	return 0;
}
