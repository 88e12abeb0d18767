/* Unit tests for playlist: M3U/M3U8 from other players (relative and
 * absolute paths, file:// URIs, comments, BOM, CRLF), missing files kept,
 * folders, FIFOs, binary and overlong lines skipped and counted, writing
 * with relative paths, names refused, the list of saved playlists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "playlist.h"
#include "test_tmp.h"

static char dir[256];

static void path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const void *data, size_t len)
{
	char p[512];
	path_in(p, sizeof p, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void touch(const char *name)
{
	write_file(name, "x", 1);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/emotune-playlist-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char p[512];
	path_in(p, sizeof p, "music");
	assert_int_equal(mkdir(p, 0700), 0);
	touch("music/a.flac");
	touch("music/b c.mp3");
	touch("music/d%e.flac");
	path_in(p, sizeof p, "music/folder.flac");
	assert_int_equal(mkdir(p, 0700), 0);
	path_in(p, sizeof p, "music/fifo.flac");
	assert_int_equal(mkfifo(p, 0600), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

static void load_ok(struct playlist *pl, const char *name)
{
	char p[512], why[256] = "";
	path_in(p, sizeof p, name);
	int rc = playlist_load(pl, p, why, sizeof why);
	if (rc)
		fail_msg("%s: %s", p, why);
}

static void reads_other_players(void **state)
{
	(void)state;
	char abs[512], text[2048];
	path_in(abs, sizeof abs, "music/a.flac");
	/* BOM, CRLF, comments, an #EXTINF with attributes, a relative path, an
	 * absolute one, file:// URIs (percent-encoded, localhost), a missing
	 * file, a folder, a FIFO, an http URI, a bare CR line end */
	snprintf(text, sizeof text,
		 "\xEF\xBB\xBF#EXTM3U\r\n"
		 "# a comment\r\n"
		 "#EXTINF:123 tvg-id=\"x,y\",Artist One - Song A\r\n"
		 "music/a.flac\r\n"
		 "\r\n"
		 "#EXTINF:-1,Just A Title\n"
		 "%s\n"
		 "file://%s/music/b%%20c.mp3\n"
		 "file://localhost%s/music/d%%25e.flac\n"
		 "music/gone.flac\n"
		 "music/folder.flac\n"
		 "music/fifo.flac\n"
		 "http://example.org/stream.mp3\r"
		 "  music/a.flac\n",
		 abs, dir, dir);
	write_file("other.m3u", text, strlen(text));
	struct playlist pl = { 0 };
	load_ok(&pl, "other.m3u");
	assert_int_equal(pl.n, 6);
	assert_string_equal(pl.v[0].path, abs);
	assert_string_equal(pl.v[0].artist, "Artist One");
	assert_string_equal(pl.v[0].title, "Song A");
	assert_float_equal(pl.v[0].duration, 123, 1e-9);
	assert_int_equal(pl.v[0].state, PLAYLIST_PRESENT);
	assert_null(pl.v[1].artist);
	assert_string_equal(pl.v[1].title, "Just A Title");
	assert_true(pl.v[1].duration < 0);
	char want[512];
	path_in(want, sizeof want, "music/b c.mp3");
	assert_string_equal(pl.v[2].path, want);
	assert_null(pl.v[2].title);              /* #EXTINF applies to one entry */
	path_in(want, sizeof want, "music/d%e.flac");
	assert_string_equal(pl.v[3].path, want);
	assert_int_equal(pl.v[3].state, PLAYLIST_PRESENT);
	assert_int_equal(pl.v[4].state, PLAYLIST_MISSING);   /* kept, marked */
	assert_string_equal(pl.v[5].path, abs);
	assert_int_equal(pl.skips.not_regular, 2);
	assert_int_equal(pl.skips.other_uri, 1);
	assert_int_equal(pl.skips.binary, 0);
	playlist_clear(&pl);
	assert_int_equal(pl.n, 0);
}

static void binary_and_long_lines_skipped(void **state)
{
	(void)state;
	char *text = malloc(PLAYLIST_LINE_MAX + 100);
	assert_non_null(text);
	size_t n = 0;
	memcpy(text + n, "music/a.flac\n", 13), n += 13;
	memcpy(text + n, "bin\0ary\n", 8), n += 8;
	memset(text + n, 'x', PLAYLIST_LINE_MAX + 5), n += PLAYLIST_LINE_MAX + 5;
	text[n++] = '\n';
	memcpy(text + n, "music/a.flac", 12), n += 12;   /* no final line end */
	write_file("bin.m3u8", text, n);
	free(text);
	struct playlist pl = { 0 };
	load_ok(&pl, "bin.m3u8");
	assert_int_equal(pl.n, 2);
	assert_int_equal(pl.skips.binary, 1);
	assert_int_equal(pl.skips.too_long, 1);
	playlist_clear(&pl);
}

static void empty_and_refused_files(void **state)
{
	(void)state;
	write_file("empty.m3u8", "", 0);
	struct playlist pl = { 0 };
	load_ok(&pl, "empty.m3u8");
	assert_int_equal(pl.n, 0);
	char p[512], why[256] = "";
	path_in(p, sizeof p, "music/fifo.flac");      /* must not block */
	assert_int_equal(playlist_load(&pl, p, why, sizeof why), PLAYLIST_EIO);
	assert_string_equal(why, "not a regular file");
	path_in(p, sizeof p, "music");
	assert_int_equal(playlist_load(&pl, p, why, sizeof why), PLAYLIST_EIO);
	assert_string_equal(why, "is a directory");
	path_in(p, sizeof p, "nosuch.m3u8");
	assert_int_equal(playlist_load(&pl, p, why, sizeof why), PLAYLIST_EIO);
	assert_string_equal(why, "No such file or directory");
}

static void saves_and_reloads(void **state)
{
	(void)state;
	struct playlist pl = { 0 };
	char a[512], b[512];
	path_in(a, sizeof a, "music/a.flac");
	assert_int_equal(playlist_add(&pl, a, "Art\nist", "Ti\rtle", 241.4), 0);
	assert_int_equal(playlist_add(&pl, "/elsewhere/x.flac", NULL, "X", -1), 0);
	assert_int_equal(playlist_add(&pl, "/bad/new\nline.flac", NULL, NULL, -1), 0);
	path_in(b, sizeof b, "music/b c.mp3");
	assert_int_equal(playlist_add(&pl, b, NULL, NULL, 3), 0);
	char p[512], why[256] = "";
	path_in(p, sizeof p, "saved.m3u8");
	size_t left = 99;
	assert_int_equal(playlist_save(&pl, p, &left, why, sizeof why), 0);
	assert_int_equal(left, 1);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	char text[1024];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	assert_string_equal(text,
			    "#EXTM3U\n"
			    "#EXTINF:241,Art ist - Ti tle\n"
			    "music/a.flac\n"
			    "#EXTINF:-1,X\n"
			    "/elsewhere/x.flac\n"
			    "#EXTINF:3,\n"
			    "music/b c.mp3\n");
	struct playlist back = { 0 };
	load_ok(&back, "saved.m3u8");
	assert_int_equal(back.n, 3);
	assert_string_equal(back.v[0].path, a);
	assert_string_equal(back.v[2].path, b);
	assert_int_equal(back.v[1].state, PLAYLIST_MISSING);
	playlist_clear(&back);
	/* saving into a missing folder fails and leaves nothing */
	path_in(p, sizeof p, "nosuch/x.m3u8");
	assert_int_equal(playlist_save(&pl, p, NULL, why, sizeof why), PLAYLIST_EIO);
	playlist_clear(&pl);
}

static void edits(void **state)
{
	(void)state;
	struct playlist pl = { 0 };
	const char *names[] = { "/0", "/1", "/2", "/3" };
	for (int i = 0; i < 4; i++)
		assert_int_equal(playlist_add(&pl, names[i], NULL, NULL, -1), 0);
	assert_int_equal(playlist_move(&pl, 0, 3), 0);      /* 1 2 3 0 */
	assert_int_equal(playlist_move(&pl, 2, 0), 0);      /* 3 1 2 0 */
	assert_int_equal(playlist_remove(&pl, 1), 0);       /* 3 2 0 */
	assert_int_equal(pl.n, 3);
	assert_string_equal(pl.v[0].path, "/3");
	assert_string_equal(pl.v[1].path, "/2");
	assert_string_equal(pl.v[2].path, "/0");
	assert_int_equal(playlist_remove(&pl, 3), PLAYLIST_ERANGE);
	assert_int_equal(playlist_move(&pl, 0, 3), PLAYLIST_ERANGE);
	playlist_clear(&pl);
}

static void names(void **state)
{
	(void)state;
	assert_int_equal(playlist_name_check("evening"), 0);
	assert_int_equal(playlist_name_check("Été 2026 – happy"), 0);
	assert_int_equal(playlist_name_check(""), PLAYLIST_ENAME);
	assert_int_equal(playlist_name_check(".."), PLAYLIST_ENAME);
	assert_int_equal(playlist_name_check(".hidden"), PLAYLIST_ENAME);
	assert_int_equal(playlist_name_check("a/b"), PLAYLIST_ENAME);
	assert_int_equal(playlist_name_check("../x"), PLAYLIST_ENAME);
	assert_int_equal(playlist_name_check("tab\there"), PLAYLIST_ENAME);
	char big[PLAYLIST_NAME_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(playlist_name_check(big), PLAYLIST_ENAME);

	char d[512];
	path_in(d, sizeof d, "lists");
	char **v;
	size_t n;
	char why[256];
	assert_int_equal(playlist_names(d, &v, &n, why, sizeof why), 0);   /* missing: empty */
	assert_int_equal(n, 0);
	assert_int_equal(mkdir(d, 0700), 0);
	touch("lists/zeta.m3u8");
	touch("lists/alpha.m3u");
	touch("lists/alpha.m3u8");
	touch("lists/.hidden.m3u8");
	touch("lists/notes.txt");
	path_in(d, sizeof d, "lists/dir.m3u8");
	assert_int_equal(mkdir(d, 0700), 0);
	path_in(d, sizeof d, "lists");
	assert_int_equal(playlist_names(d, &v, &n, why, sizeof why), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "alpha");
	assert_string_equal(v[1], "zeta");
	playlist_names_free(v, n);
}

static void huge_playlist(void **state)
{
	(void)state;
	char p[512];
	path_in(p, sizeof p, "huge.m3u8");
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	for (int i = 0; i < 100000; i++)
		fprintf(f, "#EXTINF:1,T%d\nmusic/a.flac\n", i);
	fclose(f);
	struct playlist pl = { 0 };
	load_ok(&pl, "huge.m3u8");
	assert_int_equal(pl.n, 100000);
	assert_string_equal(pl.v[99999].title, "T99999");
	playlist_clear(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_other_players),
		cmocka_unit_test(binary_and_long_lines_skipped),
		cmocka_unit_test(empty_and_refused_files),
		cmocka_unit_test(saves_and_reloads),
		cmocka_unit_test(edits),
		cmocka_unit_test(names),
		cmocka_unit_test(huge_playlist),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
