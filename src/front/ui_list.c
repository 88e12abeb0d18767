/* ui_list: list selection and scrolling. See ui_list.h. */
#include "ui_list.h"

#include <string.h>

int ui_list_move(struct ui_list *l, const char *cmd, int n, int page)
{
	if (page < 1)
		page = 1;
	if (strcmp(cmd, "up") == 0)
		l->sel--;
	else if (strcmp(cmd, "down") == 0)
		l->sel++;
	else if (strcmp(cmd, "page-up") == 0)
		l->sel -= page;
	else if (strcmp(cmd, "page-down") == 0)
		l->sel += page;
	else if (strcmp(cmd, "top") == 0)
		l->sel = 0;
	else if (strcmp(cmd, "bottom") == 0)
		l->sel = n - 1;
	else
		return 0;
	ui_list_fit(l, n, page);
	return 1;
}

void ui_list_fit(struct ui_list *l, int n, int h)
{
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (h < 1)
		h = 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (l->top > n - h)
		l->top = n - h;
	if (l->top < 0)
		l->top = 0;
}
