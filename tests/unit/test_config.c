/* Unit tests for config: parsing, types, precedence, paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char *write_tmp(const char *text)
{
	static char path[64];
	strcpy(path, "/tmp/emotune-cfg-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void defaults(void **state)
{
	struct config *c = config_new();
	assert_non_null(c);
	assert_string_equal(config_get(c, "strategy"), "match");
	assert_int_equal(config_get_int(c, "volume", -1), 100);
	assert_true(config_get_bool(c, "normalize", 0));
	assert_null(config_get(c, "no-such-key"));
	assert_int_equal(config_get_int(c, "no-such-key", 7), 7);
	config_free(c);
}

static void load_file(void **state)
{
	struct config *c = config_new();
	char *p = write_tmp("# comment\n\n volume = 40 \nstrategy=calm\nnormalize = off\n"
			    "bind.x = quit\nbind.y = pause\nunknown_key = 1\n");
	int line = 0;
	assert_int_equal(config_load(c, p, &line), 0);
	assert_int_equal(config_get_int(c, "volume", -1), 40);
	assert_string_equal(config_get(c, "strategy"), "calm");
	assert_false(config_get_bool(c, "normalize", 1));
	assert_string_equal(config_get(c, "unknown_key"), "1");
	/* the command line (config_set later) wins */
	assert_int_equal(config_set(c, "volume", "55"), 0);
	assert_int_equal(config_get_int(c, "volume", -1), 55);
	unlink(p);
	config_free(c);
}

static int nbinds;
static void count(const char *k, const char *v, void *arg)
{
	(void)k; (void)v; (void)arg;
	nbinds++;
}

static void binds_repeat(void **state)
{
	struct config *c = config_new();
	assert_int_equal(config_set(c, "bind.q", "quit"), 0);
	assert_int_equal(config_set(c, "bind.q", "pause"), 0);
	nbinds = 0;
	config_each(c, "bind.", count, NULL);
	assert_int_equal(nbinds, 2);
	config_free(c);
}

static void bad_values(void **state)
{
	struct config *c = config_new();
	int line = 0;
	assert_int_equal(config_set(c, "volume", "loud"), CONFIG_EVALUE);
	assert_int_equal(config_set(c, "normalize", "maybe"), CONFIG_EVALUE);
	assert_int_equal(config_set(c, "window", "2.5"), 0);
	char *p = write_tmp("volume = 3\nthis line has no equals sign\n");
	assert_int_equal(config_load(c, p, &line), CONFIG_ESYNTAX);
	assert_int_equal(line, 2);
	unlink(p);
	assert_int_equal(config_load(c, "/nonexistent/emotune/config", NULL), CONFIG_ENOENT);
	assert_non_null(config_strerror(CONFIG_ESYNTAX));
	config_free(c);
}

/* Issue 16 item 11: every value checked against its range; a refused
 * file changes nothing; why names the key. */
static void ranges(void **state)
{
	struct config *c = config_new();
	char why[256];
	int line = 0;
	static const char *const bad[][2] = {
		{ "group", "nosuch" }, { "threshold", "2" }, { "threshold", "-0.1" },
		{ "window", "-1" }, { "window", "nan" }, { "window", "0" },
		{ "hysteresis", "1e300" }, { "volume", "-5" }, { "volume", "101" },
		{ "jobs", "-1" }, { "strategy", "loud" }, { "seed", "3000000000" },
		{ "target_lufs", "inf" }, { "preview_fps", "1000" }, { "no_repeat", "-1" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(config_check(bad[i][0], bad[i][1], why, sizeof why), CONFIG_EVALUE);
		assert_int_equal(strncmp(why, bad[i][0], strlen(bad[i][0])), 0);
		assert_int_equal(config_set(c, bad[i][0], bad[i][1]), CONFIG_EVALUE);
		assert_non_null(strstr(config_why(c), bad[i][0]));
	}
	assert_int_equal(config_check("volume", "0", why, sizeof why), 0);
	assert_int_equal(config_check("volume", "100", why, sizeof why), 0);
	assert_int_equal(config_check("threshold", "1", why, sizeof why), 0);
	assert_int_equal(config_check("group", "mean", why, sizeof why), 0);
	assert_int_equal(config_check("seed", "-7", why, sizeof why), 0);
	assert_int_equal(config_check("nosuch", "anything", why, sizeof why), 0);
	/* a refused file leaves every setting as it was */
	char *p = write_tmp("volume = 30\nstrategy = calm\n\nwindow = nan\n");
	assert_int_equal(config_load(c, p, &line), CONFIG_EVALUE);
	assert_int_equal(line, 4);
	assert_string_equal(config_why(c), "window: nan is not a finite number");
	assert_int_equal(config_get_int(c, "volume", -1), 100);
	assert_string_equal(config_get(c, "strategy"), "match");
	unlink(p);
	p = write_tmp("");
	/* write_tmp stops at a NUL: write the bytes by hand */
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fwrite("volume = 30\nvol\0ume = 3\n", 1, 25, f);
	fclose(f);
	assert_int_equal(config_load(c, p, &line), CONFIG_ESYNTAX);
	assert_int_equal(line, 2);
	assert_string_equal(config_why(c), "NUL byte in the line");
	unlink(p);
	config_free(c);
}

static void paths(void **state)
{
	char buf[4096];
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("XDG_DATA_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(config_path_file(buf, sizeof buf), 0);
	assert_string_equal(buf, "/x/conf/emotune/config");
	assert_int_equal(config_path_data(buf, sizeof buf, "library.db"), 0);
	assert_string_equal(buf, "/home/u/.local/share/emotune/library.db");
	assert_int_equal(config_path_data(buf, 10, "library.db"), CONFIG_ENOMEM);
	setenv("EMOTUNE_DATADIR", "/opt/emo", 1);
	assert_int_equal(config_path_share(buf, sizeof buf, "nets/emotion.cfg"), 0);
	assert_string_equal(buf, "/opt/emo/nets/emotion.cfg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(load_file),
		cmocka_unit_test(binds_repeat),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(ranges),
		cmocka_unit_test(paths),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
