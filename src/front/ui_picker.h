/*
 * ui_picker: the small mood picker (`m`): the seven emotions and
 * "automatic". Up/down (or j/k) and Enter, a digit 1-8, or the first
 * letter picks; Esc cancels.
 */
#ifndef EMOTUNE_UI_PICKER_H
#define EMOTUNE_UI_PICKER_H

#include <stddef.h>

#include "ui_draw.h"

#define UI_PICKER_ITEMS 8

void ui_picker_draw(const struct ui_draw *d, struct ui_rect screen, int sel);

/* A key while the picker is open. Returns 1 when it stays open, 0 when it
 * closes; on a pick, cmd (size n) gets the app command ("mood happy" or
 * "auto"), else empty. */
int ui_picker_key(int key, int *sel, char *cmd, size_t n);

#endif
