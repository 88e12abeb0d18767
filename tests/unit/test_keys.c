/* keys (key table, help), ui_list, ui_library search, ui_picker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "keys.h"
#include "ui_bars.h"
#include "ui_draw.h"
#include "ui_help.h"
#include "ui_library.h"
#include "ui_list.h"
#include "ui_picker.h"

static void test_defaults(void **state)
{
	(void)state;
	struct keys *k = keys_new();
	assert_non_null(k);
	assert_string_equal(keys_lookup(k, 'j'), "down");
	assert_string_equal(keys_lookup(k, KEY_DOWN), "down");
	assert_string_equal(keys_lookup(k, 'n'), "next");
	assert_string_equal(keys_lookup(k, ' '), "toggle");
	assert_string_equal(keys_lookup(k, KEY_RIGHT), "seek +5");
	assert_string_equal(keys_lookup(k, '-'), "volume -5");
	assert_string_equal(keys_lookup(k, '\r'), "activate");
	assert_string_equal(keys_lookup(k, KEY_ENTER), "activate");
	assert_string_equal(keys_lookup(k, 'q'), "quit");
	assert_string_equal(keys_lookup(k, '2'), "view library");
	assert_null(keys_lookup(k, 'Z'));
	assert_true(keys_is_ui_command("down"));
	assert_true(keys_is_ui_command("view shows"));
	assert_false(keys_is_ui_command("next"));
	assert_false(keys_is_ui_command("seek +5"));
	keys_free(k);
}

static void test_names(void **state)
{
	(void)state;
	char buf[32];
	assert_int_equal(keys_parse("x"), 'x');
	assert_int_equal(keys_parse("space"), ' ');
	assert_int_equal(keys_parse("Enter"), '\n');
	assert_int_equal(keys_parse("up"), KEY_UP);
	assert_int_equal(keys_parse("^L"), 12);
	assert_int_equal(keys_parse("^l"), 12);
	assert_int_equal(keys_parse("F5"), KEY_F(5));
	assert_int_equal(keys_parse("f13"), -1);
	assert_int_equal(keys_parse("nosuchkey"), -1);
	assert_int_equal(keys_parse(""), -1);
	keys_name(KEY_DOWN, buf, sizeof buf);
	assert_string_equal(buf, "Down");
	keys_name(' ', buf, sizeof buf);
	assert_string_equal(buf, "Space");
	keys_name(12, buf, sizeof buf);
	assert_string_equal(buf, "^L");
	keys_name(KEY_F(3), buf, sizeof buf);
	assert_string_equal(buf, "F3");
	for (int c = 33; c < 127; c++) {
		keys_name(c, buf, sizeof buf);
		assert_int_equal(keys_parse(buf), c);
	}
}

static void test_bind_config(void **state)
{
	(void)state;
	struct keys *k = keys_new();
	struct config *cfg = config_new();
	char err[128];
	assert_int_equal(config_set(cfg, "bind.x", "next"), 0);
	assert_int_equal(config_set(cfg, "bind.n", "none"), 0);
	assert_int_equal(config_set(cfg, "bind.F2", "volume +10"), 0);
	assert_int_equal(config_set(cfg, "bind.nosuch", "next"), 0);
	assert_int_equal(keys_load(k, cfg, err, sizeof err), KEYS_EKEY);
	assert_non_null(strstr(err, "bind.nosuch"));
	assert_string_equal(keys_lookup(k, 'x'), "next");
	assert_null(keys_lookup(k, 'n'));
	assert_string_equal(keys_lookup(k, KEY_F(2)), "volume +10");
	assert_int_equal(keys_bind(k, "y", "   "), KEYS_ECMD);
	assert_int_equal(keys_bind(k, "space", "pause"), 0);
	assert_string_equal(keys_lookup(k, ' '), "pause");
	config_free(cfg);
	keys_free(k);
}

/* The help overlay lists every bound command once, with all its keys. */
static void test_help(void **state)
{
	(void)state;
	struct keys *k = keys_new();
	char line[256];
	int total = ui_help_line(k, -1, line, sizeof line);
	assert_true(total > 20);
	int found_down = 0, found_quit = 0, found_x = 0;
	for (int i = 0; i < total; i++) {
		ui_help_line(k, i, line, sizeof line);
		if (strstr(line, "j, Down") && strstr(line, "move down"))
			found_down++;
		if (strstr(line, "quit"))
			found_quit++;
	}
	assert_int_equal(found_down, 1);
	assert_int_equal(found_quit, 1);
	/* The playlists view's own keys follow the table. */
	int found_pl = 0;
	for (int i = 0; i < total; i++) {
		ui_help_line(k, i, line, sizeof line);
		found_pl += strstr(line, "In 5 playlists:") != NULL || strstr(line, "p/P move the track") != NULL;
	}
	assert_int_equal(found_pl, 2);
	/* A new binding shows up in the help. */
	assert_int_equal(keys_bind(k, "x", "strategy calm"), 0);
	total = ui_help_line(k, -1, line, sizeof line);
	for (int i = 0; i < total; i++) {
		ui_help_line(k, i, line, sizeof line);
		if (strstr(line, "strategy calm") && line[0] == 'x')
			found_x++;
	}
	assert_int_equal(found_x, 1);
	keys_free(k);
}

static void test_list(void **state)
{
	(void)state;
	struct ui_list l = { 0, 0 };
	assert_true(ui_list_move(&l, "down", 10, 4));
	assert_int_equal(l.sel, 1);
	assert_true(ui_list_move(&l, "up", 10, 4));
	assert_true(ui_list_move(&l, "up", 10, 4));
	assert_int_equal(l.sel, 0);
	assert_true(ui_list_move(&l, "bottom", 10, 4));
	assert_int_equal(l.sel, 9);
	assert_int_equal(l.top, 6);
	assert_true(ui_list_move(&l, "page-up", 10, 4));
	assert_int_equal(l.sel, 5);
	assert_false(ui_list_move(&l, "next", 10, 4));
	ui_list_fit(&l, 0, 4);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
}

/* A library source of three rows, generation 1. */
static struct app_entry test_rows[3];
static unsigned long test_gen = 1;

static int test_src_rows(void *ctx, app_library_keep keep, void *kctx, size_t **rows, size_t *n,
			 size_t *total, unsigned long *gen)
{
	(void)ctx;
	*rows = malloc(3 * sizeof **rows);
	*n = 0;
	*total = 3;
	*gen = test_gen;
	if (!*rows)
		return APP_ENOMEM;
	for (size_t i = 0; i < 3; i++)
		if (!keep || keep(kctx, test_rows[i].title, test_rows[i].artist, test_rows[i].path))
			(*rows)[(*n)++] = i;
	return 0;
}

static int test_src_row(void *ctx, size_t row, unsigned long gen, struct app_entry *e)
{
	(void)ctx;
	if (gen != test_gen || row >= 3)
		return APP_ESTATE;
	*e = test_rows[row];
	return 0;
}

static void test_library_search(void **state)
{
	(void)state;
	struct ui_library lib;
	memset(&lib, 0, sizeof lib);
	struct app_entry *v = test_rows;
	snprintf(v[0].path, sizeof v[0].path, "/m/a.flac");
	snprintf(v[0].title, sizeof v[0].title, "Blue Monday");
	snprintf(v[0].artist, sizeof v[0].artist, "New Order");
	snprintf(v[1].path, sizeof v[1].path, "/m/b.flac");
	snprintf(v[1].title, sizeof v[1].title, "Monday Morning");
	snprintf(v[2].path, sizeof v[2].path, "/m/zebra.ogg");
	const struct ui_library_src src = { .rows = test_src_rows, .row = test_src_row };
	ui_library_set(&lib, &src);
	assert_int_equal(lib.n, 3);
	assert_int_equal(lib.nmatch, 3);
	ui_library_search(&lib);
	assert_true(ui_library_type(&lib, 'm'));
	assert_true(ui_library_type(&lib, 'O'));
	assert_true(ui_library_type(&lib, 'n'));
	assert_int_equal(lib.nmatch, 2);
	assert_true(ui_library_type(&lib, ' '));
	assert_true(ui_library_type(&lib, 'o'));
	assert_true(ui_library_type(&lib, 'r'));
	assert_true(ui_library_type(&lib, 'd'));
	assert_int_equal(lib.nmatch, 1); /* "mon ord": both words */
	assert_true(ui_library_type(&lib, KEY_BACKSPACE));
	assert_string_equal(lib.query, "mOn or");
	assert_false(ui_library_type(&lib, KEY_DOWN)); /* still moves */
	assert_true(ui_library_type(&lib, '\r'));
	assert_false(lib.searching);
	char path[64];
	assert_true(ui_library_key(&lib, "activate", 5, path, sizeof path));
	assert_string_equal(path, "/m/a.flac");
	ui_library_filter(&lib, "ZEBRA");
	assert_int_equal(lib.nmatch, 1);
	assert_true(ui_library_key(&lib, "enqueue-selected", 5, path, sizeof path));
	assert_string_equal(path, "/m/zebra.ogg");
	ui_library_search(&lib);
	assert_true(ui_library_type(&lib, 27)); /* Esc clears */
	assert_int_equal(lib.nmatch, 3);
	/* the source's rows replaced: the old numbers are refused, the view
	 * asks to be set again, and is right once it is */
	test_gen = 2;
	assert_true(ui_library_key(&lib, "activate", 5, path, sizeof path));
	assert_string_equal(path, "");
	assert_true(lib.stale);
	ui_library_set(&lib, &src);
	assert_false(lib.stale);
	assert_true(ui_library_key(&lib, "activate", 5, path, sizeof path));
	assert_string_equal(path, "/m/a.flac");
	test_gen = 1;
	ui_library_free(&lib);
}

static void test_picker(void **state)
{
	(void)state;
	char cmd[64];
	int sel = 0;
	assert_int_equal(ui_picker_key('4', &sel, cmd, sizeof cmd), 0);
	assert_string_equal(cmd, "mood happy");
	assert_int_equal(ui_picker_key(KEY_DOWN, &sel, cmd, sizeof cmd), 1);
	assert_int_equal(sel, 1);
	assert_int_equal(ui_picker_key('\r', &sel, cmd, sizeof cmd), 0);
	assert_string_equal(cmd, "mood disgust");
	assert_int_equal(ui_picker_key('8', &sel, cmd, sizeof cmd), 0);
	assert_string_equal(cmd, "auto");
	assert_int_equal(ui_picker_key('s', &sel, cmd, sizeof cmd), 0);
	assert_string_equal(cmd, "mood sad");
	assert_int_equal(ui_picker_key(27, &sel, cmd, sizeof cmd), 0);
	assert_string_equal(cmd, "");
}

/* Screen widths: UTF-8 aware in a UTF-8 locale, bytes shown as '?' else. */
static void test_text(void **state)
{
	(void)state;
	struct ui_draw d = { .utf8 = 0 };
	assert_int_equal(ui_draw_width(&d, "h\xc3\xa9llo"), 6);
	if (!setlocale(LC_ALL, "C.UTF-8"))
		skip();
	d.utf8 = 1;
	assert_int_equal(ui_draw_width(&d, "h\xc3\xa9llo"), 5);
	assert_int_equal(ui_draw_width(&d, "\xe6\x97\xa5\xe6\x9c\xac"), 4); /* two wide CJK */
	assert_int_equal(ui_draw_width(&d, "a\xff" "b"), 3);                   /* invalid byte */
	assert_int_equal(ui_draw_width(&d, "a\tb"), 3);                       /* control */
	assert_int_equal(ui_draw_width(&d, ""), 0);
	setlocale(LC_ALL, "C");
}

static void test_names_misc(void **state)
{
	(void)state;
	assert_string_equal(ui_draw_emotion(0), "angry");
	assert_string_equal(ui_draw_emotion(6), "surprise");
	assert_string_equal(ui_draw_emotion(7), "?");
	assert_string_equal(ui_bars_quadrant(0.5f, 0.5f), "Q1");
	assert_string_equal(ui_bars_quadrant(-0.5f, 0.5f), "Q2");
	assert_string_equal(ui_bars_quadrant(-0.5f, -0.5f), "Q3");
	assert_string_equal(ui_bars_quadrant(0.5f, -0.5f), "Q4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bind_config),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_library_search),
		cmocka_unit_test(test_picker),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_names_misc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
