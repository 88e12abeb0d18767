/* Unit tests for regfile: only regular files open, nothing blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "regfile.h"
#include "test_tmp.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/emotune-regfile-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	alarm(20);  /* a regression that blocks fails instead of hanging */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

/* dir/name, in one of two buffers taken in turn (two at a time) */
static const char *at(const char *name)
{
	static char p[2][128];
	static int k;
	k = !k;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void regular_file(void **state)
{
	(void)state;
	FILE *w = fopen(at("a.txt"), "w");
	assert_non_null(w);
	fputs("hello\n", w);
	fclose(w);
	assert_int_equal(regfile_check(at("a.txt")), 0);
	int fd = regfile_open(at("a.txt"));
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);      /* cleared */
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	char buf[16];
	assert_int_equal(read(fd, buf, sizeof buf), 6);
	close(fd);
	FILE *f = regfile_fopen(at("a.txt"));
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	assert_string_equal(buf, "hello\n");
	fclose(f);
	/* through a symlink */
	assert_int_equal(symlink(at("a.txt"), at("link")), 0);
	fd = regfile_open(at("link"));
	assert_true(fd >= 0);
	close(fd);
}

static void refused(const char *path, int want_errno)
{
	errno = 0;
	assert_int_equal(regfile_check(path), -1);
	assert_int_equal(errno, want_errno);
	errno = 0;
	assert_int_equal(regfile_open(path), -1);
	assert_int_equal(errno, want_errno);
	errno = 0;
	assert_null(regfile_fopen(path));
	assert_int_equal(errno, want_errno);
}

static void not_regular(void **state)
{
	(void)state;
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);  /* no writer: open would block */
	refused(at("fifo"), REGFILE_ENOTREG);
	refused("/dev/zero", REGFILE_ENOTREG);
	refused("/dev/null", REGFILE_ENOTREG);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *sp = at("sock");
	assert_true(strlen(sp) < sizeof sa.sun_path);
	memcpy(sa.sun_path, sp, strlen(sp) + 1);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	refused(at("sock"), REGFILE_ENOTREG);
	close(s);
	refused(dir, EISDIR);
	refused(at("missing"), ENOENT);
	assert_int_equal(symlink(at("fifo"), at("fifolink")), 0);
	refused(at("fifolink"), REGFILE_ENOTREG);
}

static void messages(void **state)
{
	(void)state;
	assert_string_equal(regfile_strerror(EISDIR), "is a directory");
	assert_non_null(strstr(regfile_strerror(REGFILE_ENOTREG), "not a regular file"));
	assert_string_equal(regfile_strerror(ENOENT), strerror(ENOENT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(not_regular, setup, teardown),
		cmocka_unit_test(messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
