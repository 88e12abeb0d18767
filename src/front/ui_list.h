/*
 * ui_list: selection and scrolling of a list pane (queue, library, films
 * and series), and the movement commands they share.
 */
#ifndef EMOTUNE_UI_LIST_H
#define EMOTUNE_UI_LIST_H

struct ui_list {
	int sel;   /* selected row */
	int top;   /* first row shown */
};

/* Applies a movement command ("up", "down", "page-up", "page-down",
 * "top", "bottom") to a list of n rows of which page are visible.
 * Returns 1 when cmd was a movement command. */
int ui_list_move(struct ui_list *l, const char *cmd, int n, int page);

/* Keeps sel within 0..n-1 and visible in h rows. */
void ui_list_fit(struct ui_list *l, int n, int h);

#endif
