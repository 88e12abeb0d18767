/*
 * cap_file: file:PATH sources. PATH is a still image (repeated at the
 * wanted rate), a folder of images (in name order, at the wanted rate;
 * non-images skipped with a message), or a YUV4MPEG2 (.y4m) video at its
 * own rate, luma plane only. --loop (params.loop) starts files again.
 */
#include "cap_priv.h"
#include "regfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum kind { STILL, FOLDER, Y4M };

struct file {
	enum kind kind;
	char path[PATH_MAX];
	struct img img;          /* the current frame */
	uint64_t seq;            /* frames produced */
	/* folder */
	char **names;
	int nnames, next, good_in_pass;
	/* y4m */
	FILE *f;
	struct cap_y4m y;
	int truncated;           /* the last frame was short: EOF next */
};

/* ---- Y4M ---- */

static int y4m_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || (*end && *end != ' ') || v <= 0 || v > IMG_MAX_SIDE)
		return -1;
	*out = (int)v;
	return 0;
}

int cap_y4m_header(FILE *f, struct cap_y4m *y, char *why, size_t n)
{
	char line[1024];
	size_t len = 0;
	int ch;
	memset(y, 0, sizeof *y);
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (len + 1 >= sizeof line) {
			why_set(why, n, "bad Y4M header: longer than %zu bytes", sizeof line);
			return CAP_EDECODE;
		}
		line[len++] = (char)ch;
	}
	line[len] = 0;
	if (strncmp(line, "YUV4MPEG2", 9) != 0 || (line[9] && line[9] != ' ')) {
		why_set(why, n, "bad Y4M header: no YUV4MPEG2 signature");
		return CAP_EDECODE;
	}
	if (ch != '\n') {
		why_set(why, n, "bad Y4M header: no end of line");
		return CAP_EDECODE;
	}
	const char *chroma = "420jpeg";
	char cbuf[32] = "";
	int fn = 0, fd = 0;
	for (char *tok = line + 9; tok && *tok; ) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			break;
		char *next = strchr(tok, ' ');
		switch (*tok) {
		case 'W':
			if (y4m_int(tok + 1, &y->w)) {
				why_set(why, n, "bad Y4M header: bad width");
				return CAP_EDECODE;
			}
			break;
		case 'H':
			if (y4m_int(tok + 1, &y->h)) {
				why_set(why, n, "bad Y4M header: bad height");
				return CAP_EDECODE;
			}
			break;
		case 'F':
			if (sscanf(tok + 1, "%d:%d", &fn, &fd) != 2 || fn <= 0 || fd <= 0) {
				why_set(why, n, "bad Y4M header: bad frame rate");
				return CAP_EDECODE;
			}
			break;
		case 'C': {
			size_t l = next ? (size_t)(next - tok - 1) : strlen(tok + 1);
			if (l >= sizeof cbuf)
				l = sizeof cbuf - 1;
			memcpy(cbuf, tok + 1, l);
			cbuf[l] = 0;
			chroma = cbuf;
			break;
		}
		default:
			break;   /* I, A, X: not needed */
		}
		tok = next;
	}
	if (!y->w || !y->h) {
		why_set(why, n, "bad Y4M header: no size (W and H)");
		return CAP_EDECODE;
	}
	size_t w = (size_t)y->w, h = (size_t)y->h, cw2 = (w + 1) / 2, ch2 = (h + 1) / 2;
	size_t c;
	/* 8-bit layouts, and ffmpeg's deeper ones (C420p10, C444p16, Cmono12,
	 * ...: samples of 2 bytes, little-endian) */
	char base[sizeof cbuf];
	int depth = 8, k = 0;
	snprintf(base, sizeof base, "%s", chroma);
	if ((sscanf(chroma, "%*[0-9]p%d%n", &depth, &k) == 1 ||
	     sscanf(chroma, "mono%d%n", &depth, &k) == 1) && !chroma[k]) {
		if (depth < 9 || depth > 16) {
			why_set(why, n, "bad Y4M header: unsupported colour space C%s", chroma);
			return CAP_EDECODE;
		}
		base[strncmp(base, "mono", 4) ? strcspn(base, "p") : 4] = 0;   /* 420p10 -> 420 */
	} else
		depth = 8;
	if (!strcmp(base, "420") || !strcmp(base, "420jpeg") || !strcmp(base, "420mpeg2") ||
	    !strcmp(base, "420paldv"))
		c = 2 * cw2 * ch2;
	else if (strcmp(base, "422") == 0)
		c = 2 * cw2 * h;
	else if (strcmp(base, "444") == 0)
		c = 2 * w * h;
	else if (strcmp(base, "444alpha") == 0)
		c = 3 * w * h;
	else if (strcmp(base, "411") == 0)
		c = 2 * ((w + 3) / 4) * h;
	else if (strcmp(base, "mono") == 0)
		c = 0;
	else {
		why_set(why, n, "bad Y4M header: unsupported colour space C%s", chroma);
		return CAP_EDECODE;
	}
	y->depth = depth;
	y->frame_bytes = (w * h + c) * (depth > 8 ? 2 : 1);
	y->fps = fn ? (double)fn / fd : 0;
	if (y->fps > 1000 || (fn && y->fps < 0.01)) {
		why_set(why, n, "bad Y4M header: frame rate %d:%d out of range", fn, fd);
		return CAP_EDECODE;
	}
	y->data_start = ftell(f);
	return 0;
}

/* Reads len bytes of 2-byte little-endian samples of depth bits into
 * len / 2 8-bit pixels (their high bits); returns the bytes read. */
static size_t read_deep(FILE *f, int depth, uint8_t *px, size_t len)
{
	uint8_t buf[4096];
	size_t got = 0;
	while (got < len) {
		size_t want = len - got < sizeof buf ? len - got : sizeof buf;
		size_t r = fread(buf, 1, want, f);
		for (size_t i = 0; i + 1 < r; i += 2) {
			unsigned v = ((unsigned)buf[i] | (unsigned)buf[i + 1] << 8) >> (depth - 8);
			*px++ = (uint8_t)(v > 255 ? 255 : v);
		}
		got += r;
		if (r < want)
			break;
	}
	return got;
}

int cap_y4m_frame(FILE *f, const struct cap_y4m *y, uint8_t *px, char *why, size_t n)
{
	char hdr[6];
	size_t got = fread(hdr, 1, 5, f);
	if (got == 0)
		return CAP_EOF;
	hdr[got] = 0;
	if (got < 5 || memcmp(hdr, "FRAME", 5) != 0) {
		if (got < 5 && memcmp(hdr, "FRAME", got) == 0) {
			why_set(why, n, "truncated last frame ignored");
			return CAP_ESKIP;
		}
		why_set(why, n, "bad Y4M frame header");
		return CAP_EDECODE;
	}
	int ch, len = 0;
	while ((ch = getc(f)) != EOF && ch != '\n')
		if (++len > 1024) {
			why_set(why, n, "bad Y4M frame header: too long");
			return CAP_EDECODE;
		}
	if (ch == EOF) {
		why_set(why, n, "truncated last frame ignored");
		return CAP_ESKIP;
	}
	size_t luma = (size_t)y->w * (size_t)y->h;
	if (y->depth > 8) {
		luma *= 2;
		got = read_deep(f, y->depth, px, luma);
	} else
		got = fread(px, 1, luma, f);
	size_t rest = y->frame_bytes - luma, skipped = 0;
	if (got == luma) {
		/* the chroma planes: not needed; skip (works on pipes too) */
		uint8_t buf[4096];
		while (skipped < rest) {
			size_t want = rest - skipped < sizeof buf ? rest - skipped : sizeof buf;
			size_t r = fread(buf, 1, want, f);
			skipped += r;
			if (r < want)
				break;
		}
	}
	if (got < luma || skipped < rest) {
		why_set(why, n, "truncated last frame ignored (%zu of %zu bytes)",
			got + skipped, y->frame_bytes);
		return CAP_ESKIP;
	}
	return 0;
}

/* ---- folder ---- */

static int dot_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int open_folder(struct file *fl, char *why, size_t n)
{
	struct dirent **list;
	int cnt = scandir(fl->path, &list, dot_filter, name_cmp);
	if (cnt < 0) {
		why_set(why, n, "%s: %s", fl->path, strerror(errno));
		return errno == EACCES ? CAP_EACCES : CAP_EIO;
	}
	fl->names = calloc((size_t)cnt + 1, sizeof *fl->names);
	int err = fl->names ? 0 : CAP_ENOMEM;
	for (int i = 0; i < cnt; i++) {
		if (!err) {
			char full[PATH_MAX * 2];
			struct stat st;
			snprintf(full, sizeof full, "%s/%s", fl->path, list[i]->d_name);
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
				fl->names[fl->nnames] = strdup(list[i]->d_name);
				if (!fl->names[fl->nnames])
					err = CAP_ENOMEM;
				else
					fl->nnames++;
			}
		}
		free(list[i]);
	}
	free(list);
	if (!err && fl->nnames == 0) {
		why_set(why, n, "%s: no files in the folder", fl->path);
		err = CAP_ENOENT;
	}
	return err;
}

static int read_folder(struct cap *c, struct file *fl, char *why, size_t n)
{
	if (fl->next >= fl->nnames) {
		if (!fl->good_in_pass) {
			why_set(why, n, "%s: no readable images in the folder", fl->path);
			return CAP_EDECODE;
		}
		if (!c->p.loop)
			return CAP_EOF;
		fl->next = 0;
		fl->good_in_pass = 0;
	}
	const char *name = fl->names[fl->next++];
	char full[PATH_MAX * 2];
	snprintf(full, sizeof full, "%s/%s", fl->path, name);
	struct img im;
	int err = img_load(full, &im);
	if (err) {
		why_set(why, n, "%s: skipped: %s", full, img_strerror(err));
		if (err == IMG_ENOMEM)
			return CAP_ENOMEM;
		if (fl->next >= fl->nnames && !fl->good_in_pass) {
			why_set(why, n, "%s: no readable images in the folder", fl->path);
			return CAP_EDECODE;
		}
		return CAP_ESKIP;
	}
	fl->good_in_pass++;
	img_free(&fl->img);
	fl->img = im;
	return 0;
}

/* ---- the backend ---- */

static int is_y4m(const char *path, FILE *f)
{
	size_t l = strlen(path);
	if (l > 4 && strcasecmp(path + l - 4, ".y4m") == 0)
		return 1;
	char sig[9];
	size_t got = fread(sig, 1, sizeof sig, f);
	rewind(f);
	return got == sizeof sig && memcmp(sig, "YUV4MPEG2", 9) == 0;
}

static void file_close(struct cap *c)
{
	struct file *fl = c->priv;
	if (!fl)
		return;
	img_free(&fl->img);
	for (int i = 0; i < fl->nnames; i++)
		free(fl->names[i]);
	free(fl->names);
	if (fl->f)
		fclose(fl->f);
	free(fl);
	c->priv = NULL;
}

static int file_open(struct cap *c, const char *arg, char *why, size_t n)
{
	struct stat st;
	if (!*arg) {
		why_set(why, n, "file: needs a path (file:PATH)");
		return CAP_EINVAL;
	}
	if (stat(arg, &st)) {
		why_set(why, n, "%s: %s", arg, strerror(errno));
		return errno == EACCES ? CAP_EACCES : CAP_ENOENT;
	}
	struct file *fl = calloc(1, sizeof *fl);
	if (!fl)
		return CAP_ENOMEM;
	c->priv = fl;
	snprintf(fl->path, sizeof fl->path, "%s", arg);
	int err = 0;
	if (S_ISDIR(st.st_mode)) {
		fl->kind = FOLDER;
		err = open_folder(fl, why, n);
	} else {
		fl->f = regfile_fopen(arg);
		if (!fl->f) {
			why_set(why, n, "%s: %s", arg, regfile_strerror(errno));
			err = errno == EACCES ? CAP_EACCES : CAP_EIO;
		} else if (is_y4m(arg, fl->f)) {
			fl->kind = Y4M;
			err = cap_y4m_header(fl->f, &fl->y, why, n);
			if (err && why && *why) {
				char tmp[256];
				snprintf(tmp, sizeof tmp, "%s", why);
				why_set(why, n, "%s: %s", arg, tmp);
			}
			if (!err)
				err = img_alloc(&fl->img, fl->y.w, fl->y.h) ? CAP_ENOMEM : 0;
			if (!err && fl->y.fps > 0)
				c->fps = fl->y.fps;
		} else {
			fl->kind = STILL;
			fclose(fl->f);
			fl->f = NULL;
			int e = img_load(arg, &fl->img);
			if (e) {
				why_set(why, n, "%s: %s", arg, img_strerror(e));
				err = e == IMG_ENOMEM ? CAP_ENOMEM : CAP_EDECODE;
			}
		}
	}
	if (err)
		file_close(c);
	return err;
}

static int file_read(struct cap *c, int timeout_ms, char *why, size_t n)
{
	struct file *fl = c->priv;
	int err = 0;
	switch (fl->kind) {
	case STILL:
		break;
	case FOLDER:
		err = read_folder(c, fl, why, n);
		break;
	case Y4M:
		if (fl->truncated) {
			fl->truncated = 0;
			err = CAP_EOF;
		} else {
			err = cap_y4m_frame(fl->f, &fl->y, fl->img.px, why, n);
			if (err == CAP_ESKIP)
				fl->truncated = 1;
		}
		if (err == CAP_EOF && c->p.loop && fl->seq > 0) {
			if (fseek(fl->f, fl->y.data_start, SEEK_SET)) {
				why_set(why, n, "%s: cannot rewind: %s", fl->path, strerror(errno));
				return CAP_EIO;
			}
			err = cap_y4m_frame(fl->f, &fl->y, fl->img.px, why, n);
			if (err == CAP_ESKIP)
				fl->truncated = 1;
		}
		if (err == CAP_EDECODE && why && *why) {
			char tmp[256];
			snprintf(tmp, sizeof tmp, "%s", why);
			why_set(why, n, "%s: frame %llu: %s", fl->path,
				(unsigned long long)fl->seq, tmp);
		} else if (err == CAP_ESKIP && why && *why) {
			char tmp[256];
			snprintf(tmp, sizeof tmp, "%s", why);
			why_set(why, n, "%s: %s", fl->path, tmp);
		}
		break;
	}
	if (err)
		return err;
	c->frame.img = fl->img;
	c->frame.seq = fl->seq;
	c->frame.t = (double)fl->seq / c->fps;
	fl->seq++;
	return 0;
}

static void file_describe(const struct cap *c, char *buf, size_t n)
{
	const struct file *fl = c->priv;
	static const char *const kinds[] = { "image", "folder", "y4m" };
	if (fl->kind == FOLDER)
		snprintf(buf, n, "%s (%s, %d files, %.3g fps)", c->spec, kinds[fl->kind],
			 fl->nnames, c->fps);
	else
		snprintf(buf, n, "%s (%s %dx%d, %.3g fps)", c->spec, kinds[fl->kind],
			 fl->img.w, fl->img.h, c->fps);
}

const struct cap_ops cap_file_ops = {
	.name = "file",
	.open = file_open,
	.read = file_read,
	.close = file_close,
	.describe = file_describe,
};
