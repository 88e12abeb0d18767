/* resume: saved playback state. See resume.h. */
#include "resume.h"
#include "regfile.h"
#include "vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void resume_defaults(struct resume_state *st)
{
	memset(st, 0, sizeof *st);
	st->volume = 100;
	st->normalize = 1;
}

static int has_newline(const char *s)
{
	return strchr(s, '\n') || strchr(s, '\r');
}

int resume_save(const char *path, const struct resume_state *st)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
		return RESUME_EIO;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return RESUME_EIO;
	fprintf(f, "emotune-resume 1\nvolume=%d\nstrategy=%d\nnormalize=%d\nplaying=%d\nposition=%.3f\n",
		st->volume, st->strategy, st->normalize, st->playing,
		isfinite(st->position) && st->position > 0 ? st->position : 0.0);
	if (st->current[0] && !has_newline(st->current))
		fprintf(f, "current=%s\n", st->current);
	for (int i = 0; i < st->nqueue && i < RESUME_MAX_QUEUE; i++)
		if (st->queue[i][0] && !has_newline(st->queue[i]))
			fprintf(f, "queue=%s\n", st->queue[i]);
	int bad = fflush(f) != 0 || ferror(f);
	bad |= fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return RESUME_EIO;
	}
	/* Make the rename itself durable. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*(slash == dir ? slash + 1 : slash) = 0;
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	return RESUME_OK;
}

static int parse_int(const char *s, int lo, int hi, int *v)
{
	char *end;
	errno = 0;
	long l = strtol(s, &end, 10);
	if (errno || end == s || *end || l < lo || l > hi)
		return -1;
	*v = (int)l;
	return 0;
}

int resume_load(const char *path, struct resume_state *st)
{
	char line[RESUME_PATH_MAX + 64];
	resume_defaults(st);
	FILE *f = regfile_fopen(path);  /* a FIFO there must not block the start */
	if (!f)
		return errno == ENOENT ? RESUME_ENOENT : RESUME_EIO;
	int err = RESUME_OK;
	if (!fgets(line, sizeof line, f) || strcmp(line, "emotune-resume 1\n") != 0)
		err = RESUME_EFORMAT;
	while (!err && fgets(line, sizeof line, f)) {
		size_t l = strlen(line);
		if (!l || line[l - 1] != '\n') {
			err = RESUME_EFORMAT;  /* too long or cut short */
			break;
		}
		line[--l] = 0;
		char *v = strchr(line, '=');
		if (!v)
			continue;
		*v++ = 0;
		if (!strcmp(line, "volume"))
			err = parse_int(v, 0, 100, &st->volume) ? RESUME_EFORMAT : 0;
		else if (!strcmp(line, "strategy"))
			err = parse_int(v, 0, VOCAB_NSTRATEGIES - 1, &st->strategy) ? RESUME_EFORMAT : 0;
		else if (!strcmp(line, "normalize"))
			err = parse_int(v, 0, 1, &st->normalize) ? RESUME_EFORMAT : 0;
		else if (!strcmp(line, "playing"))
			err = parse_int(v, 0, 1, &st->playing) ? RESUME_EFORMAT : 0;
		else if (!strcmp(line, "position")) {
			char *end;
			double d = strtod(v, &end);
			if (end == v || *end || !isfinite(d) || d < 0)
				err = RESUME_EFORMAT;
			else
				st->position = d;
		} else if (!strcmp(line, "current"))
			snprintf(st->current, sizeof st->current, "%s", v);
		else if (!strcmp(line, "queue") && st->nqueue < RESUME_MAX_QUEUE && *v)
			snprintf(st->queue[st->nqueue++], RESUME_PATH_MAX, "%s", v);
	}
	if (!err && ferror(f))
		err = RESUME_EIO;
	fclose(f);
	if (err) {
		resume_defaults(st);
	}
	return err;
}

const char *resume_strerror(int err)
{
	switch (err) {
	case RESUME_OK: return "success";
	case RESUME_ENOENT: return "no saved state";
	case RESUME_EIO: return regfile_strerror(errno);
	case RESUME_EFORMAT: return "not a resume file or a bad value";
	}
	return "unknown error";
}
