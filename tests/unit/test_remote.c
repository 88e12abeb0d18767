/* Unit tests for the command parser (app_cmd), the resume file (resume),
 * app_command, and the remote-control socket protocol (remote), with a
 * client thread talking to an in-process server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "app.h"
#include "app_cmd.h"
#include "config.h"
#include "remote.h"
#include "resume.h"
#include "test_tmp.h"

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/emotune-remote-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown_dir(void **state)
{
	(void)state;
	return test_tmp_remove(tmpdir);
}

static int parse(const char *s, struct app_cmd *c)
{
	char err[256];
	return app_cmd_parse(s, strlen(s), c, err, sizeof err);
}

static void cmd_parse_valid(void **state)
{
	(void)state;
	static struct app_cmd c;
	static const struct { const char *s; enum app_cmd_op op; } simple[] = {
		{ "play", APP_CMD_PLAY }, { "pause", APP_CMD_PAUSE }, { "toggle", APP_CMD_TOGGLE },
		{ "stop", APP_CMD_STOP }, { "next", APP_CMD_NEXT }, { "prev", APP_CMD_PREV },
		{ "like", APP_CMD_LIKE }, { "dislike", APP_CMD_DISLIKE }, { "auto", APP_CMD_AUTO },
		{ "status", APP_CMD_STATUS }, { "quit", APP_CMD_QUIT },
		{ "  status  \r\n", APP_CMD_STATUS }, { "\tnext\t", APP_CMD_NEXT },
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
		assert_int_equal(parse(simple[i].s, &c), 0);
		assert_int_equal(c.op, simple[i].op);
	}
	assert_int_equal(parse("seek 30", &c), 0);
	assert_int_equal(c.op, APP_CMD_SEEK);
	assert_false(c.relative);
	assert_true(c.num == 30);
	assert_int_equal(parse("seek -5.5", &c), 0);
	assert_true(c.relative);
	assert_true(c.num == -5.5);
	assert_int_equal(parse("volume +10", &c), 0);
	assert_true(c.relative && c.num == 10);
	assert_int_equal(parse("volume 0", &c), 0);
	assert_int_equal(parse("mood surprise", &c), 0);
	assert_int_equal(c.ival, 6);
	assert_int_equal(parse("mood angry", &c), 0);
	assert_int_equal(c.ival, 0);
	assert_int_equal(parse("strategy calm", &c), 0);
	assert_int_equal(c.ival, 2);
	assert_int_equal(parse("strategy next", &c), 0);
	assert_int_equal(c.ival, -1);
	assert_int_equal(parse("camera toggle", &c), 0);
	assert_int_equal(c.ival, -1);
	assert_int_equal(parse("normalize off", &c), 0);
	assert_int_equal(c.ival, 0);
	assert_int_equal(parse("enqueue /music/a b/c.flac  ", &c), 0);
	assert_int_equal(c.op, APP_CMD_ENQUEUE);
	assert_string_equal(c.arg, "/music/a b/c.flac");
	assert_int_equal(parse("play-path x.wav", &c), 0);
	assert_string_equal(c.arg, "x.wav");
	/* playlists (issue 22): names are the rest of the line */
	assert_int_equal(parse("playlists", &c), 0);
	assert_int_equal(c.op, APP_CMD_PLAYLISTS);
	assert_int_equal(parse("playlist-save  late night  ", &c), 0);
	assert_int_equal(c.op, APP_CMD_PLAYLIST_SAVE);
	assert_string_equal(c.arg, "late night");
	assert_int_equal(parse("playlist-load x", &c), 0);
	assert_int_equal(c.op, APP_CMD_PLAYLIST_LOAD);
	assert_string_equal(c.arg, "x");
	assert_int_equal(parse("playlist-mood sad", &c), 0);
	assert_int_equal(c.op, APP_CMD_PLAYLIST_MOOD);
	assert_int_equal(c.ival, 5);
	assert_string_equal(c.arg, "");
	assert_int_equal(parse("playlist-mood happy  my happy hour ", &c), 0);
	assert_int_equal(c.ival, 3);
	assert_string_equal(c.arg, "my happy hour");
}

static void cmd_parse_invalid(void **state)
{
	(void)state;
	static struct app_cmd c;
	static const char *bad[] = {
		"", "   ", "bogus", "PLAY", "play now", "seek", "seek x", "seek 1e3", "seek nan",
		"seek inf", "seek 0x10", "seek --1", "seek .", "seek +", "seek 99999999",
		"volume 101", "volume +101", "volume", "volume 50 60", "mood", "mood glad",
		"mood happy sad", "strategy", "strategy fast", "camera", "camera maybe",
		"normalize 1", "enqueue", "enqueue   ", "play-path", "status\x01", "st\x7f" "atus",
		"quit\nquit", "playlists x", "playlist-save", "playlist-load  ", "playlist-mood",
		"playlist-mood glad x", "playlist-save a\x1b",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256] = "";
		int r = app_cmd_parse(bad[i], strlen(bad[i]), &c, err, sizeof err);
		if (r != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(err[0] != 0);
	}
	/* A NUL inside the given length, and an oversized line. */
	char err[256];
	assert_int_equal(app_cmd_parse("play\0x", 6, &c, err, sizeof err), -1);
	char *big = malloc(APP_CMD_MAX + 10);
	memset(big, 'a', APP_CMD_MAX + 9);
	memcpy(big, "enqueue ", 8);
	big[APP_CMD_MAX + 9] = 0;
	assert_int_equal(app_cmd_parse(big, strlen(big), &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	big[APP_CMD_MAX] = 0;  /* exactly the limit is fine */
	assert_int_equal(app_cmd_parse(big, strlen(big), &c, err, sizeof err), 0);
	free(big);
}

/* One request is one request: whatever bytes a path holds, the client's
 * line has no control byte and parses back to the same path; a control
 * byte in any other word is refused by the client. */
static void cmd_quoting(void **state)
{
	(void)state;
	static struct app_cmd c;
	char line[APP_CMD_MAX + 1], err[256], path[8];
	for (int b = 1; b < 256; b++) {
		snprintf(path, sizeof path, "a%cb", b);
		for (int k = 0; k < 2; k++) {
			const char *argv[] = { k ? "play-path" : "enqueue", path };
			int len = app_cmd_format(2, argv, line, sizeof line, err, sizeof err);
			assert_true(len > 0);
			assert_int_equal((size_t)len, strlen(line));
			for (int i = 0; i < len; i++)
				if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
					fail_msg("byte %d: raw control byte in '%s'", b, line);
			assert_int_equal(parse(line, &c), 0);
			assert_int_equal(c.op, k ? APP_CMD_PLAY_PATH : APP_CMD_ENQUEUE);
			if (strcmp(c.arg, path))
				fail_msg("byte %d: '%s' came back as '%s'", b, path, c.arg);
		}
		const char *vol[] = { "volume", path };
		int r = app_cmd_format(2, vol, line, sizeof line, err, sizeof err);
		if (b < 0x20 || b == 0x7f) {
			assert_int_equal(r, -1);
			assert_non_null(strstr(err, "argument 1 contains a control character"));
		} else {
			assert_true(r > 0);
		}
	}
	/* The words of a path are joined by one space. */
	const char *words[] = { "enqueue", "my", "song \"x\".flac" };
	assert_true(app_cmd_format(3, words, line, sizeof line, err, sizeof err) > 0);
	assert_string_equal(line, "enqueue \"my song \\\"x\\\".flac\"");
	assert_int_equal(parse(line, &c), 0);
	assert_string_equal(c.arg, "my song \"x\".flac");
	/* The command word itself, too long, no path. */
	const char *nl[] = { "status\nquit" };
	assert_int_equal(app_cmd_format(1, nl, line, sizeof line, err, sizeof err), -1);
	assert_non_null(strstr(err, "the command contains a control character (0x0a)"));
	static char big[APP_CMD_MAX];
	memset(big, '\n', sizeof big - 1);  /* APP_CMD_MAX - 1 newlines: twice that quoted */
	const char *lng[] = { "enqueue", big };
	assert_int_equal(app_cmd_format(2, lng, line, sizeof line, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	/* Any path up to PATH_MAX travels whole, even with every byte escaped
	 * (\xHH: 4 bytes a byte). */
	memset(big, 0, sizeof big);
	memset(big, 0x01, PATH_MAX - 1);
	assert_true(app_cmd_format(2, lng, line, sizeof line, err, sizeof err) > 4 * (PATH_MAX - 1));
	assert_int_equal(parse(line, &c), 0);
	assert_int_equal(strlen(c.arg), PATH_MAX - 1);
	assert_memory_equal(c.arg, big, PATH_MAX - 1);
	const char *bare[] = { "enqueue" };
	assert_int_equal(app_cmd_format(1, bare, line, sizeof line, err, sizeof err), 7);
	assert_int_equal(parse(line, &c), -1);  /* the server says: missing path */

	/* The quoted form on the server's side. */
	assert_int_equal(parse("enqueue \"a\\nb\\t\\r\\\\\\\"\\x01\\x7F\xc3\xa9\"  ", &c), 0);
	assert_string_equal(c.arg, "a\nb\t\r\\\"\x01\x7f\xc3\xa9");
	assert_int_equal(parse("play-path \"with\ttab\"", &c), 0);  /* a raw tab is kept */
	assert_string_equal(c.arg, "with\ttab");
	assert_int_equal(parse("enqueue plain \"quote\" inside", &c), 0);  /* unquoted: as is */
	assert_string_equal(c.arg, "plain \"quote\" inside");
	static const char *bad[] = {
		"enqueue \"abc", "enqueue \"a\\x0\"", "enqueue \"a\\xg0\"", "enqueue \"a\\x00\"",
		"enqueue \"a\\q\"", "enqueue \"a\" b", "enqueue \"\"", "enqueue \"a\\\"",
		"enqueue \"a\nquit\"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		if (app_cmd_parse(bad[i], strlen(bad[i]), &c, err, sizeof err) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(err[0] != 0);
	}

	/* mood auto is auto. */
	assert_int_equal(parse("mood auto", &c), 0);
	assert_int_equal(c.op, APP_CMD_AUTO);
	char e2[256];
	assert_int_equal(app_cmd_parse("mood glad", 9, &c, e2, sizeof e2), -1);
	assert_non_null(strstr(e2, "or auto"));
}

static void resume_roundtrip(void **state)
{
	(void)state;
	static struct resume_state st, back;
	char path[128];
	snprintf(path, sizeof path, "%s/resume", tmpdir);
	assert_int_equal(resume_load(path, &back), RESUME_ENOENT);
	assert_int_equal(back.volume, 100);

	resume_defaults(&st);
	st.volume = 37;
	st.strategy = 2;
	st.normalize = 0;
	st.playing = 1;
	st.position = 12.5;
	strcpy(st.current, "/music/a b.flac");
	st.nqueue = 3;
	strcpy(st.queue[0], "/music/1.wav");
	strcpy(st.queue[1], "/music/bad\nname.wav");  /* left out */
	strcpy(st.queue[2], "/music/3=x.wav");
	assert_int_equal(resume_save(path, &st), 0);
	assert_int_equal(resume_load(path, &back), 0);
	assert_int_equal(back.volume, 37);
	assert_int_equal(back.strategy, 2);
	assert_int_equal(back.normalize, 0);
	assert_int_equal(back.playing, 1);
	assert_true(back.position > 12.49 && back.position < 12.51);
	assert_string_equal(back.current, "/music/a b.flac");
	assert_int_equal(back.nqueue, 2);
	assert_string_equal(back.queue[0], "/music/1.wav");
	assert_string_equal(back.queue[1], "/music/3=x.wav");

	/* No temporary file is left behind. */
	char tmp[160];
	snprintf(tmp, sizeof tmp, "%s/resume.tmp.%ld", tmpdir, (long)getpid());
	assert_int_equal(access(tmp, F_OK), -1);

	/* Corrupt files are refused and give the defaults. */
	static const char *corrupt[] = {
		"garbage\n", "emotune-resume 1\nvolume=300\n", "emotune-resume 1\nposition=-1\n",
		"emotune-resume 1\nstrategy=x\n", "emotune-resume 1\nvolume=5", "",
	};
	for (size_t i = 0; i < sizeof corrupt / sizeof corrupt[0]; i++) {
		FILE *f = fopen(path, "w");
		fputs(corrupt[i], f);
		fclose(f);
		assert_int_equal(resume_load(path, &back), RESUME_EFORMAT);
		assert_int_equal(back.volume, 100);
		assert_int_equal(back.nqueue, 0);
	}
	/* Unknown keys are ignored. */
	FILE *f = fopen(path, "w");
	fputs("emotune-resume 1\nfuture=1\nvolume=5\n", f);
	fclose(f);
	assert_int_equal(resume_load(path, &back), 0);
	assert_int_equal(back.volume, 5);
}

/* An app with nothing real behind it: no camera, null audio, empty music. */
static struct app *test_app(struct config **cfgp)
{
	char buf[256];
	struct config *cfg = config_new();
	assert_non_null(cfg);
	assert_int_equal(config_set(cfg, "camera", "no"), 0);
	assert_int_equal(config_set(cfg, "audio", "null"), 0);
	snprintf(buf, sizeof buf, "%s/music", tmpdir);
	mkdir(buf, 0700);
	assert_int_equal(config_set(cfg, "music", buf), 0);
	snprintf(buf, sizeof buf, "%s/library.db", tmpdir);
	assert_int_equal(config_set(cfg, "db", buf), 0);
	snprintf(buf, sizeof buf, "%s/playlists", tmpdir);
	assert_int_equal(config_set(cfg, "playlists", buf), 0);
	struct app *a;
	assert_int_equal(app_new(cfg, &a), 0);
	assert_int_equal(app_start(a), 0);
	*cfgp = cfg;
	return a;
}

static void app_commands(void **state)
{
	(void)state;
	struct config *cfg;
	struct app *a = test_app(&cfg);
	static struct app_snapshot s;
	char reply[4096];

	assert_int_equal(app_command(a, "volume 40", reply, sizeof reply), 0);
	assert_string_equal(reply, "ok");
	assert_int_equal(app_command(a, "volume -50", reply, sizeof reply), 0);
	app_snapshot(a, &s);
	assert_int_equal(s.volume, 0);
	assert_int_equal(app_command(a, "volume 101", reply, sizeof reply), APP_EINVAL);
	assert_int_equal(strncmp(reply, "error: ", 7), 0);
	app_snapshot(a, &s);
	assert_int_equal(s.volume, 0);

	assert_int_equal(app_command(a, "strategy uplift", reply, sizeof reply), 0);
	assert_int_equal(app_command(a, "strategy next", reply, sizeof reply), 0);
	app_snapshot(a, &s);
	assert_int_equal(s.strategy, VOCAB_CALM);

	assert_int_equal(app_command(a, "mood sad", reply, sizeof reply), 0);
	app_snapshot(a, &s);
	assert_int_equal(s.mood, 5);
	assert_true(s.mood_manual);
	struct app_event ev;
	int saw_mood = 0;
	while (app_next_event(a, &ev))
		if (ev.type == APP_EV_MOOD && !strcmp(ev.text, "sad"))
			saw_mood = 1;
	assert_true(saw_mood);
	assert_int_equal(app_command(a, "status", reply, sizeof reply), 0);
	assert_non_null(strstr(reply, "mood=sad\n"));
	assert_non_null(strstr(reply, "mood_source=manual\n"));
	assert_int_equal(app_command(a, "auto", reply, sizeof reply), 0);
	app_snapshot(a, &s);
	assert_false(s.mood_manual);
	assert_int_equal(s.mood, -1);  /* no camera: back to uncertain */

	assert_int_equal(app_command(a, "camera off", reply, sizeof reply), 0);
	assert_int_equal(app_command(a, "normalize toggle", reply, sizeof reply), 0);
	assert_int_equal(app_command(a, "like", reply, sizeof reply), APP_ESTATE);
	assert_int_equal(app_command(a, "enqueue /no/such/file.wav", reply, sizeof reply), APP_EINVAL);

	assert_int_equal(app_command(a, "status", reply, sizeof reply), 0);
	assert_non_null(strstr(reply, "strategy=calm\n"));
	assert_non_null(strstr(reply, "mood_source=camera\n"));
	assert_non_null(strstr(reply, "volume=0\n"));
	assert_non_null(strstr(reply, "camera=off\n"));

	/* playlists: names refused, save and load of an empty queue, a list */
	static const char *const refused[] = { "playlist-save a/b", "playlist-save ..",
		"playlist-save .x", "playlist-load ../etc/passwd", "playlist-save \xff/x" };
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(app_command(a, refused[i], reply, sizeof reply), APP_EINVAL);
		assert_non_null(strstr(reply, "refused"));
	}
	assert_int_equal(app_command(a, "playlists", reply, sizeof reply), 0);
	assert_string_equal(reply, "ok");
	assert_int_equal(app_command(a, "playlist-save empty one", reply, sizeof reply), 0);
	assert_non_null(strstr(reply, "tracks=0\n"));
	assert_int_equal(app_command(a, "playlists", reply, sizeof reply), 0);
	assert_string_equal(reply, "empty one\n");
	assert_int_equal(app_command(a, "playlist-load empty one", reply, sizeof reply), 0);
	assert_non_null(strstr(reply, "tracks=0\n"));
	assert_int_equal(app_command(a, "playlist-load none", reply, sizeof reply), APP_EINVAL);
	assert_int_equal(app_command(a, "playlist-mood sad", reply, sizeof reply), APP_ESTATE);

	assert_int_equal(app_command(a, "quit", reply, sizeof reply), 0);
	app_snapshot(a, &s);
	assert_true(s.quit);
	app_stop(a);
	app_free(a);
	config_free(cfg);
}

/* --- the socket protocol: a client thread against the server ----------- */

struct client_job {
	char path[128];
	char out[16384];    /* every answer, in order */
	int done;
};

static int conn(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return -1;
	return fd;
}

/* Sends data and reads until nfinal final lines ("ok"/"error: ...") came. */
static void exchange(int fd, const char *data, size_t len, int nfinal, char *out, size_t n)
{
	size_t off = 0, got = strlen(out);
	while (off < len) {
		ssize_t w = send(fd, data + off, len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int finals = 0;
	char line[4096];
	size_t ll = 0;
	while (finals < nfinal) {
		char c;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 10000) <= 0 || recv(fd, &c, 1, 0) != 1)
			break;
		if (got + 1 < n)
			out[got++] = c;
		out[got] = 0;
		if (c == '\n') {
			line[ll] = 0;
			if (!strcmp(line, "ok") || !strncmp(line, "error: ", 7))
				finals++;
			ll = 0;
		} else if (ll + 1 < sizeof line)
			line[ll++] = c;
	}
}

static void *client_main(void *arg)
{
	struct client_job *j = arg;
	static const char *cmds[] = {
		"play", "pause", "next", "prev", "seek 10", "volume 55", "like", "dislike",
		"mood happy", "auto", "strategy calm", "bogus", "status",
	};
	int fd = conn(j->path);
	int fd2 = conn(j->path);  /* a second client, at the same time */
	if (fd < 0 || fd2 < 0)
		goto out;
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "%s\n", cmds[i]);
		exchange(i % 2 ? fd2 : fd, line, strlen(line), 1, j->out, sizeof j->out);
	}
	/* Pipelined requests in one write, answered in order. */
	exchange(fd, "volume 20\nvolume 21\n", 20, 2, j->out, sizeof j->out);
	/* Oversized: one error, the connection stays usable. */
	size_t bl = APP_CMD_MAX + 1000;
	char *big = malloc(bl);
	memset(big, 'x', bl - 1);
	big[bl - 1] = '\n';
	exchange(fd, big, bl, 1, j->out, sizeof j->out);
	free(big);
	/* A NUL byte in a request, then a good one. */
	exchange(fd2, "volume 9\0 9\nvolume 22\n", 22, 2, j->out, sizeof j->out);
	/* A client that sends half a line and leaves. */
	int fd3 = conn(j->path);
	if (fd3 >= 0) {
		ssize_t w = send(fd3, "volume 1", 8, MSG_NOSIGNAL);
		(void)w;
		close(fd3);
	}
	exchange(fd, "status\n", 7, 1, j->out, sizeof j->out);
	/* quit through the client API */
	char reply[256];
	if (remote_request(j->path, "quit", reply, sizeof reply, 5000) == 0)
		strcat(j->out, "quit:ok\n");
out:
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
	__atomic_store_n(&j->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void socket_protocol(void **state)
{
	(void)state;
	struct config *cfg;
	struct app *a = test_app(&cfg);
	struct remote_server *srv;
	static struct client_job job;
	snprintf(job.path, sizeof job.path, "%s/rt/socket", tmpdir);
	assert_int_equal(remote_server_new(a, job.path, &srv), 0);

	struct stat st;
	assert_int_equal(stat(job.path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	char dir[160];
	snprintf(dir, sizeof dir, "%s/rt", tmpdir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* A second server on the same socket is refused. */
	struct remote_server *srv2;
	assert_int_equal(remote_server_new(a, job.path, &srv2), REMOTE_EINUSE);

	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, client_main, &job), 0);
	while (!__atomic_load_n(&job.done, __ATOMIC_SEQ_CST)) {
		struct pollfd p[2] = { { .fd = remote_server_fd(srv), .events = POLLIN },
				       { .fd = app_wake_fd(a), .events = POLLIN } };
		poll(p, 2, 50);
		remote_server_handle(srv);
		app_drain(a);
		struct app_event ev;
		while (app_next_event(a, &ev))
			;
	}
	pthread_join(t, NULL);
	const char *o = job.out;
	/* play with nothing queued: an error; pause ok; next: empty queue error */
	assert_int_equal(strncmp(o, "error: nothing to play\nok\nerror: the queue is empty\n", 52), 0);
	assert_non_null(strstr(o, "error: unknown command 'bogus'\n"));
	assert_non_null(strstr(o, "strategy=calm\n"));
	assert_non_null(strstr(o, "error: request too long"));
	assert_non_null(strstr(o, "error: control character in request\nok\n"));
	/* the last status: volume 22 (not 1 from the half line, not 9) */
	assert_non_null(strstr(o, "volume=22\n"));
	assert_null(strstr(o, "volume=1\n"));
	assert_non_null(strstr(o, "quit:ok\n"));

	static struct app_snapshot s;
	app_snapshot(a, &s);
	assert_true(s.quit);
	assert_int_equal(s.volume, 22);
	remote_server_free(srv);
	assert_int_equal(access(job.path, F_OK), -1);  /* unlinked */

	/* A stale socket file (killed instance) is replaced. */
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	assert_true(strlen(job.path) < sizeof sa.sun_path);
	memcpy(sa.sun_path, job.path, strlen(job.path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
	assert_int_equal(remote_server_new(a, job.path, &srv), 0);
	remote_server_free(srv);
	/* No server: the client says so. */
	char reply[64];
	assert_int_equal(remote_request(job.path, "status", reply, sizeof reply, 1000), REMOTE_ENOSERVER);

	/* Something else at the socket path: a file with data, a directory, a
	 * FIFO are left alone and named, by the server and the client. */
	char why[256];
	FILE *f = fopen(job.path, "w");
	assert_non_null(f);
	fputs("notes\n", f);
	fclose(f);
	assert_int_equal(remote_server_new(a, job.path, &srv), REMOTE_EBLOCKED);
	assert_int_equal(remote_request(job.path, "status", reply, sizeof reply, 1000), REMOTE_EBLOCKED);
	remote_why(REMOTE_EBLOCKED, job.path, why, sizeof why);
	assert_non_null(strstr(why, "a regular file of 6 bytes is in the way, not a socket"));
	assert_int_equal(stat(job.path, &st), 0);
	assert_int_equal(st.st_size, 6);  /* untouched */
	unlink(job.path);
	assert_int_equal(mkdir(job.path, 0700), 0);
	assert_int_equal(remote_server_new(a, job.path, &srv), REMOTE_EBLOCKED);
	assert_int_equal(remote_request(job.path, "status", reply, sizeof reply, 1000), REMOTE_EBLOCKED);
	assert_non_null(strstr(remote_why(REMOTE_EBLOCKED, job.path, why, sizeof why), "a directory is in the way"));
	rmdir(job.path);
	assert_int_equal(mkfifo(job.path, 0600), 0);
	assert_int_equal(remote_server_new(a, job.path, &srv), REMOTE_EBLOCKED);
	assert_non_null(strstr(remote_why(REMOTE_EBLOCKED, job.path, why, sizeof why), "a FIFO is in the way"));
	unlink(job.path);
	/* ... but an empty file of ours holds nothing: replaced. */
	f = fopen(job.path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(remote_server_new(a, job.path, &srv), 0);
	assert_int_equal(stat(job.path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	remote_server_free(srv);
	/* other errors keep remote_strerror's words */
	assert_string_equal(remote_why(REMOTE_ENOSERVER, job.path, why, sizeof why),
			    remote_strerror(REMOTE_ENOSERVER));

	app_stop(a);
	app_free(a);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmd_parse_valid),
		cmocka_unit_test(cmd_parse_invalid),
		cmocka_unit_test(cmd_quoting),
		cmocka_unit_test(resume_roundtrip),
		cmocka_unit_test(app_commands),
		cmocka_unit_test(socket_protocol),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
