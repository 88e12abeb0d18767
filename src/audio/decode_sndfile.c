/* decode_sndfile: the libsndfile backend of decode (see decode.h). Integer
 * sources are read with sf_readf_int (bit-exact, left-justified by
 * libsndfile); float and lossy ones with sf_readf_float, then scaled. */
#include "decode_priv.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libsndfile reads the file through virtual I/O from a read-ahead buffer:
 * given a descriptor, it read()s exactly what each decoder asks for, and
 * mpg123 asks for every MP3 frame's 4-byte header and then its body, while
 * seeking walks every frame (~20,000 read()s for a 4-minute track, ~10% of
 * its analysis). pread(): the descriptor's offset is left alone. */
enum { RA_SIZE = 64 * 1024 };
struct readahead {
	int fd;
	sf_count_t pos;         /* libsndfile's position in the file */
	sf_count_t start;       /* the file offset of buf[0] */
	sf_count_t len;         /* bytes in buf */
	unsigned char buf[RA_SIZE];
};

struct sndfile_priv {
	SNDFILE *sf;
	SF_INFO info;
	int fd;
	float *buf;
	long buf_frames;
	struct readahead ra;
};

static sf_count_t ra_filelen(void *u)
{
	struct stat st;
	return fstat(((struct readahead *)u)->fd, &st) ? -1 : (sf_count_t)st.st_size;
}

static sf_count_t ra_seek(sf_count_t off, int whence, void *u)
{
	struct readahead *r = u;
	sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? r->pos : ra_filelen(u);
	if (base < 0 || base + off < 0)
		return -1;
	r->pos = base + off;
	return r->pos;
}

static sf_count_t ra_read(void *ptr, sf_count_t count, void *u)
{
	struct readahead *r = u;
	unsigned char *out = ptr;
	sf_count_t done = 0;
	while (done < count) {
		if (r->pos >= r->start && r->pos < r->start + r->len) {
			sf_count_t k = r->start + r->len - r->pos;
			if (k > count - done)
				k = count - done;
			memcpy(out + done, r->buf + (r->pos - r->start), (size_t)k);
			done += k;
			r->pos += k;
			continue;
		}
		/* large reads straight into the caller's buffer */
		int direct = count - done >= RA_SIZE;
		size_t want = direct ? (size_t)(count - done) : RA_SIZE;
		ssize_t got = pread(r->fd, direct ? out + done : r->buf, want, (off_t)r->pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (direct) {
			done += got;
			r->pos += got;
		} else {
			r->start = r->pos;
			r->len = got;
		}
	}
	return done;
}

static sf_count_t ra_tell(void *u)
{
	return ((struct readahead *)u)->pos;
}

static SF_VIRTUAL_IO ra_io = {
	.get_filelen = ra_filelen, .seek = ra_seek, .read = ra_read, .tell = ra_tell,
};

static int is_float_format(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_FLOAT:
	case SF_FORMAT_DOUBLE:
	case SF_FORMAT_VORBIS:
	case SF_FORMAT_OPUS:
#ifdef SF_FORMAT_MPEG_LAYER_III
	case SF_FORMAT_MPEG_LAYER_I:
	case SF_FORMAT_MPEG_LAYER_II:
	case SF_FORMAT_MPEG_LAYER_III:
#endif
		return 1;
	}
	return 0;
}

static int native_bits(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_24:
	case SF_FORMAT_ALAC_20:
	case SF_FORMAT_ALAC_24:
		return 24;
	case SF_FORMAT_PCM_32:
	case SF_FORMAT_ALAC_32:
	case SF_FORMAT_FLOAT:
	case SF_FORMAT_DOUBLE:
		return 32;
	}
	return 16;
}

/* libsndfile's message, tidied: "Error : flac decoder lost sync." ->
 * "flac decoder lost sync". */
static void tidy(const char *m, char *why, size_t n)
{
	if (strncmp(m, "Error : ", 8) == 0)
		m += 8;
	snprintf(why, n, "%s", m);
	size_t l = strlen(why);
	while (l && (why[l - 1] == '.' || why[l - 1] == ' ' || why[l - 1] == '\n'))
		why[--l] = 0;
	if (why[0] >= 'A' && why[0] <= 'Z')
		why[0] = (char)(why[0] - 'A' + 'a');
}

static int sndfile_open(struct decode *d, int fd, const char *path, char *why, size_t n)
{
	(void)path;
	struct sndfile_priv *p = calloc(1, sizeof *p);
	if (!p)
		return DECODE_ENOMEM;
	p->ra.fd = fd;
	p->sf = sf_open_virtual(&ra_io, SFM_READ, &p->info, &p->ra);
	if (!p->sf) {
		tidy(sf_strerror(NULL), why, n);
		free(p);
		return DECODE_EFORMAT;
	}
	if (p->info.channels < 1 || p->info.channels > DECODE_MAX_CHANNELS ||
	    p->info.samplerate < 1000 || p->info.samplerate > 768000) {
		snprintf(why, n, "%d channels at %d Hz not supported", p->info.channels,
			 p->info.samplerate);
		sf_close(p->sf);
		free(p);
		return DECODE_EFORMAT;
	}
	p->fd = fd;
	d->priv = p;
	d->fmt = (struct decode_format){
		.rate = p->info.samplerate, .channels = p->info.channels,
		.bits = native_bits(p->info.format), .lossy = is_float_format(p->info.format),
		.frames = p->info.frames,
	};
	return 0;
}

static long sndfile_read(struct decode *d, int32_t *out, long frames)
{
	struct sndfile_priv *p = d->priv;
	sf_count_t got;
	if (!d->fmt.lossy) {
		got = sf_readf_int(p->sf, out, frames);
	} else {
		if (p->buf_frames < frames) {
			float *b = realloc(p->buf, (size_t)frames * (size_t)d->fmt.channels * sizeof *b);
			if (!b)
				return DECODE_ENOMEM;
			p->buf = b;
			p->buf_frames = frames;
		}
		got = sf_readf_float(p->sf, p->buf, frames);
		for (sf_count_t i = 0; i < got * d->fmt.channels; i++)
			out[i] = decode_f2i(p->buf[i]);
	}
	if (got <= 0 && sf_error(p->sf)) {
		tidy(sf_strerror(p->sf), d->err, sizeof d->err);
		return DECODE_EREAD;
	}
	if (got <= 0)
		return 0;
	return (long)got;
}

/* libsndfile's own float conversion (what analysis has always read). */
static long sndfile_read_float(struct decode *d, float *out, long frames)
{
	struct sndfile_priv *p = d->priv;
	sf_count_t got = sf_readf_float(p->sf, out, frames);
	if (got <= 0 && sf_error(p->sf)) {
		tidy(sf_strerror(p->sf), d->err, sizeof d->err);
		return DECODE_EREAD;
	}
	return got <= 0 ? 0 : (long)got;
}

static int sndfile_seek(struct decode *d, int64_t frame)
{
	struct sndfile_priv *p = d->priv;
	if (sf_seek(p->sf, (sf_count_t)frame, SEEK_SET) < 0) {
		tidy(sf_strerror(p->sf), d->err, sizeof d->err);
		return DECODE_ESEEK;
	}
	return 0;
}

static void sndfile_tags(struct decode *d, struct decode_tags *t)
{
	struct sndfile_priv *p = d->priv;
	decode_copy_tag(t->title, sizeof t->title, sf_get_string(p->sf, SF_STR_TITLE));
	decode_copy_tag(t->artist, sizeof t->artist, sf_get_string(p->sf, SF_STR_ARTIST));
	decode_copy_tag(t->album, sizeof t->album, sf_get_string(p->sf, SF_STR_ALBUM));
	const char *tn = sf_get_string(p->sf, SF_STR_TRACKNUMBER);
	t->track = tn ? atoi(tn) : 0;
	if (t->track < 0)
		t->track = 0;
}

static void sndfile_close(struct decode *d)
{
	struct sndfile_priv *p = d->priv;
	sf_close(p->sf);
	close(p->fd);
	free(p->buf);
	free(p);
}

const struct decode_ops decode_sndfile_ops = {
	.name = "sndfile",
	.open = sndfile_open,
	.read = sndfile_read,
	.read_float = sndfile_read_float,
	.seek = sndfile_seek,
	.tags = sndfile_tags,
	.close = sndfile_close,
};
