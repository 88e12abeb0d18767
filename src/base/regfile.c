/* regfile: open only regular files. See regfile.h. */
#include "regfile.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int kind(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return 0;
	errno = S_ISDIR(st->st_mode) ? EISDIR : REGFILE_ENOTREG;
	return -1;
}

int regfile_check(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	return kind(&st);
}

int regfile_open(const char *path)
{
	struct stat st;
	if (regfile_check(path) != 0)
		return -1;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int fl;
	if (fstat(fd, &st) != 0 || kind(&st) != 0 || (fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

FILE *regfile_fopen(const char *path)
{
	int fd = regfile_open(path);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

const char *regfile_strerror(int errnum)
{
	if (errnum == EISDIR)
		return "is a directory";
	if (errnum == REGFILE_ENOTREG)
		return "not a regular file";
	return strerror(errnum);
}
