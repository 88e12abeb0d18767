/* ui_picker: the mood picker. See ui_picker.h. */
#include "ui_picker.h"
#include "vocab.h"

#include <stdio.h>
#include <string.h>

_Static_assert(UI_PICKER_ITEMS == VOCAB_NCLASSES + 1, "the picker: each class, then automatic");

void ui_picker_draw(const struct ui_draw *d, struct ui_rect screen, int sel)
{
	int w = 34, h = UI_PICKER_ITEMS + 3;
	if (screen.w < w || screen.h < h)
		return;
	struct ui_rect r = { screen.y + (screen.h - h) / 2, screen.x + (screen.w - w) / 2, h, w };
	ui_draw_clear(r);
	struct ui_rect in = ui_draw_frame(d, r, "set the mood", UI_DRAW_ACCENT);
	for (int i = 0; i < UI_PICKER_ITEMS; i++) {
		int pair = i == sel ? UI_DRAW_SEL : i < VOCAB_NCLASSES ? UI_DRAW_EMO + i : UI_DRAW_NORMAL;
		if (i == sel)
			ui_draw_textf(d, in.y + i, in.x, in.w, UI_DRAW_SEL, A_NORMAL, "%*s", in.w, "");
		ui_draw_textf(d, in.y + i, in.x + 1, in.w - 2, pair, i == sel ? A_BOLD : A_NORMAL,
			      "%d  %s", i + 1, i < VOCAB_NCLASSES ? ui_draw_emotion(i) : "automatic (camera)");
	}
	ui_draw_text(d, in.y + in.h - 1, in.x + 1, in.w - 2, "Enter pick, Esc cancel", UI_DRAW_DIM,
		     A_NORMAL);
}

static void pick(int i, char *cmd, size_t n)
{
	if (i < VOCAB_NCLASSES)
		snprintf(cmd, n, "mood %s", ui_draw_emotion(i));
	else
		snprintf(cmd, n, "auto");
}

int ui_picker_key(int key, int *sel, char *cmd, size_t n)
{
	cmd[0] = '\0';
	if (key == KEY_UP || key == 'k') {
		*sel = (*sel + UI_PICKER_ITEMS - 1) % UI_PICKER_ITEMS;
		return 1;
	}
	if (key == KEY_DOWN || key == 'j' || key == '\t') {
		*sel = (*sel + 1) % UI_PICKER_ITEMS;
		return 1;
	}
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		pick(*sel, cmd, n);
		return 0;
	}
	if (key >= '1' && key < '1' + UI_PICKER_ITEMS) {
		pick(key - '1', cmd, n);
		return 0;
	}
	/* First letter: a(ngry), d(isgust), f(ear), h(appy), n(eutral), s(ad), u (surprise). */
	static const char letters[] = "adfhnsu";
	const char *p = key > 0 && key < 128 ? strchr(letters, key) : NULL;
	if (p && *p) {
		pick((int)(p - letters), cmd, n);
		return 0;
	}
	if (key == 'A' || key == 'm') {
		pick(7, cmd, n);
		return 0;
	}
	if (key == KEY_RESIZE)
		return 1;
	return 0; /* Esc, q, anything else: cancel */
}
