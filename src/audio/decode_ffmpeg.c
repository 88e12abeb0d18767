/* decode_ffmpeg: the FFmpeg backend of decode (see decode.h): libavformat
 * demuxes from the checked descriptor through a custom AVIOContext,
 * libavcodec decodes the best audio stream, libswresample converts any
 * sample format (planar or not) to interleaved S32 in the file's own rate
 * and channels. Encoder delay and padding recorded in the file are trimmed
 * (gapless): the delay by libavcodec (skip-samples side data from MP4 edit
 * lists and iTunSMPB), the padding here, by ending MP4 streams at their
 * edit list's length (FFmpeg 5 decodes it).
 * After a seek, decoded frames are trimmed by their timestamps to the
 * exact frame asked for. The libraries are opened with dlopen on first use
 * (below); FFmpeg's log is silenced then. */
#include "decode_priv.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#ifndef DECODE_AVFORMAT_SO
#define DECODE_AVFORMAT_SO "libavformat.so.59"
#endif
#ifndef DECODE_AVCODEC_SO
#define DECODE_AVCODEC_SO "libavcodec.so.59"
#endif
#ifndef DECODE_AVUTIL_SO
#define DECODE_AVUTIL_SO "libavutil.so.57"
#endif
#ifndef DECODE_SWRESAMPLE_SO
#define DECODE_SWRESAMPLE_SO "libswresample.so.4"
#endif

#define IO_BUF 65536

/* FFmpeg's libraries are opened (dlopen) by the first decode_open() that
 * needs them, not linked: libavcodec maps ~100 shared libraries, which the
 * commands that decode nothing (remote, tracks, --version) must not load.
 * X(library, function) lists every function used here. */
#define FF_FUNCS(X) \
	X(avformat, avformat_alloc_context) \
	X(avformat, avformat_open_input) \
	X(avformat, avformat_find_stream_info) \
	X(avformat, av_find_best_stream) \
	X(avformat, avformat_close_input) \
	X(avformat, av_read_frame) \
	X(avformat, avformat_seek_file) \
	X(avformat, av_seek_frame) \
	X(avformat, avio_alloc_context) \
	X(avformat, avio_context_free) \
	X(avcodec, avcodec_alloc_context3) \
	X(avcodec, avcodec_parameters_to_context) \
	X(avcodec, avcodec_open2) \
	X(avcodec, avcodec_free_context) \
	X(avcodec, avcodec_send_packet) \
	X(avcodec, avcodec_receive_frame) \
	X(avcodec, avcodec_flush_buffers) \
	X(avcodec, avcodec_descriptor_get) \
	X(avcodec, av_packet_alloc) \
	X(avcodec, av_packet_free) \
	X(avcodec, av_packet_unref) \
	X(avutil, av_log_set_level) \
	X(avutil, av_malloc) \
	X(avutil, av_free) \
	X(avutil, av_freep) \
	X(avutil, av_dict_get) \
	X(avutil, av_frame_alloc) \
	X(avutil, av_frame_free) \
	X(avutil, av_frame_unref) \
	X(avutil, av_strerror) \
	X(avutil, av_get_bytes_per_sample) \
	X(avutil, av_get_packed_sample_fmt) \
	X(avutil, av_channel_layout_default) \
	X(avutil, av_channel_layout_copy) \
	X(avutil, av_channel_layout_uninit) \
	X(avutil, av_rescale_q) \
	X(swresample, swr_alloc_set_opts2) \
	X(swresample, swr_init) \
	X(swresample, swr_free) \
	X(swresample, swr_convert)

enum { LIB_avformat, LIB_avcodec, LIB_avutil, LIB_swresample, NLIBS };
static const char *const ff_sonames[NLIBS] = {
	[LIB_avformat] = DECODE_AVFORMAT_SO, [LIB_avcodec] = DECODE_AVCODEC_SO,
	[LIB_avutil] = DECODE_AVUTIL_SO, [LIB_swresample] = DECODE_SWRESAMPLE_SO,
};

static struct {
#define X(lib, fn) __typeof__(fn) *fn;
	FF_FUNCS(X)
#undef X
	char why[256];            /* empty when every function was found */
} ff;
static pthread_once_t ff_once = PTHREAD_ONCE_INIT;

static void ff_load(void)
{
	void *h[NLIBS];
	for (int i = 0; i < NLIBS; i++)
		if (!(h[i] = dlopen(ff_sonames[i], RTLD_NOW | RTLD_LOCAL))) {
			snprintf(ff.why, sizeof ff.why, "FFmpeg not available: %s", dlerror());
			return;
		}
#define X(lib, fn) \
	if (!(*(void **)&ff.fn = dlsym(h[LIB_##lib], #fn)) && !ff.why[0]) \
		snprintf(ff.why, sizeof ff.why, "FFmpeg not available: %s: no %s", \
			 ff_sonames[LIB_##lib], #fn);
	FF_FUNCS(X)
#undef X
	if (!ff.why[0])
		ff.av_log_set_level(AV_LOG_QUIET);
}


struct ff_priv {
	int fd;
	AVIOContext *io;
	AVFormatContext *fc;
	AVCodecContext *cc;
	SwrContext *swr;
	AVPacket *pkt;
	AVFrame *frm;
	int stream;
	AVRational tb;            /* the stream's time base */
	int64_t start;            /* the stream's start time (tb), 0 if none */
	int32_t *pend;            /* converted frames not handed out yet */
	long pend_n, pend_off, pend_cap;
	int64_t skip_to;          /* after a seek: drop frames before this one */
	int64_t pos;              /* the frame the next read starts at */
	int64_t end;              /* MP4: the edit list's length; -1: none */
	int drained;              /* the decoder was sent its end */
	int done;                 /* the decoder gave its last frame */
};

static int io_read(void *opaque, uint8_t *buf, int size)
{
	struct ff_priv *p = opaque;
	for (;;) {
		ssize_t r = read(p->fd, buf, (size_t)size);
		if (r > 0)
			return (int)r;
		if (r == 0)
			return AVERROR_EOF;
		if (errno != EINTR)
			return AVERROR(errno);
	}
}

static int64_t io_seek(void *opaque, int64_t off, int whence)
{
	struct ff_priv *p = opaque;
	if (whence & AVSEEK_SIZE) {
		struct stat st;
		return fstat(p->fd, &st) < 0 ? AVERROR(errno) : (int64_t)st.st_size;
	}
	off_t r = lseek(p->fd, (off_t)off, whence & ~AVSEEK_FORCE);
	return r < 0 ? AVERROR(errno) : (int64_t)r;
}

static void ff_free(struct ff_priv *p)
{
	ff.avcodec_free_context(&p->cc);
	ff.avformat_close_input(&p->fc);
	if (p->io) {
		ff.av_freep(&p->io->buffer);
		ff.avio_context_free(&p->io);
	}
	ff.swr_free(&p->swr);
	ff.av_packet_free(&p->pkt);
	ff.av_frame_free(&p->frm);
	free(p->pend);
	free(p);
}

static void av_why(int err, char *why, size_t n)
{
	char e[AV_ERROR_MAX_STRING_SIZE];
	ff.av_strerror(err, e, sizeof e);
	snprintf(why, n, "%s", e);
	if (why[0] >= 'A' && why[0] <= 'Z')
		why[0] = (char)(why[0] - 'A' + 'a');
}

/* Significant bits of the decoded samples. */
static int sample_bits(const AVCodecContext *cc)
{
	if (cc->bits_per_raw_sample > 0 && cc->bits_per_raw_sample <= 32)
		return cc->bits_per_raw_sample <= 16 ? 16 : cc->bits_per_raw_sample <= 24 ? 24 : 32;
	return ff.av_get_bytes_per_sample(cc->sample_fmt) <= 2 ? 16 : 32;
}

/* Opens the demuxer and the decoder of the best audio stream. */
static int open_codec(struct ff_priv *p, const char *path, char *why, size_t n)
{
	uint8_t *buf = ff.av_malloc(IO_BUF);
	if (!buf)
		return DECODE_ENOMEM;
	p->io = ff.avio_alloc_context(buf, IO_BUF, 0, p, io_read, NULL, io_seek);
	p->fc = ff.avformat_alloc_context();
	if (!p->io || !p->fc) {
		if (!p->io)
			ff.av_free(buf);
		return DECODE_ENOMEM;
	}
	p->fc->pb = p->io;
	p->fc->flags |= AVFMT_FLAG_CUSTOM_IO;
	int err = ff.avformat_open_input(&p->fc, path, NULL, NULL);
	if (err < 0) {                             /* p->fc was freed */
		av_why(err, why, n);
		return DECODE_EFORMAT;
	}
	if ((err = ff.avformat_find_stream_info(p->fc, NULL)) < 0) {
		av_why(err, why, n);
		return DECODE_EFORMAT;
	}
	const AVCodec *codec = NULL;
	p->stream = ff.av_find_best_stream(p->fc, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
	if (p->stream < 0 || !codec) {
		snprintf(why, n, p->stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for its audio"
			 : "no audio stream");
		return DECODE_EFORMAT;
	}
	AVStream *st = p->fc->streams[p->stream];
	p->tb = st->time_base;
	p->start = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time;
	if (!(p->cc = ff.avcodec_alloc_context3(codec)))
		return DECODE_ENOMEM;
	if ((err = ff.avcodec_parameters_to_context(p->cc, st->codecpar)) < 0 ||
	    (p->cc->pkt_timebase = st->time_base, err = ff.avcodec_open2(p->cc, codec, NULL)) < 0) {
		av_why(err, why, n);
		return DECODE_EFORMAT;
	}
	return 0;
}

/* The resampler (format conversion only) for the decoder's output. */
static int open_swr(struct ff_priv *p, char *why, size_t n)
{
	AVChannelLayout lay;
	if (p->cc->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
		ff.av_channel_layout_default(&lay, p->cc->ch_layout.nb_channels);
	else if (ff.av_channel_layout_copy(&lay, &p->cc->ch_layout) < 0)
		return DECODE_ENOMEM;
	int err = ff.swr_alloc_set_opts2(&p->swr, &lay, AV_SAMPLE_FMT_S32, p->cc->sample_rate,
				      &lay, p->cc->sample_fmt, p->cc->sample_rate, 0, NULL);
	if (err >= 0)
		err = ff.swr_init(p->swr);
	ff.av_channel_layout_uninit(&lay);
	if (err < 0) {
		av_why(err, why, n);
		return DECODE_EFORMAT;
	}
	return 0;
}

static int ff_open(struct decode *d, int fd, const char *path, char *why, size_t n)
{
	pthread_once(&ff_once, ff_load);
	if (ff.why[0]) {
		snprintf(why, n, "%s", ff.why);
		return DECODE_EFORMAT;
	}
	struct ff_priv *p = calloc(1, sizeof *p);
	if (!p)
		return DECODE_ENOMEM;
	p->fd = fd;
	int rc = open_codec(p, path, why, n);
	int ch = p->cc ? p->cc->ch_layout.nb_channels : 0;
	int rate = p->cc ? p->cc->sample_rate : 0;
	if (rc == 0 && (ch < 1 || ch > DECODE_MAX_CHANNELS || rate < 1000 || rate > 768000)) {
		snprintf(why, n, "%d channels at %d Hz not supported", ch, rate);
		rc = DECODE_EFORMAT;
	}
	if (rc == 0)
		rc = open_swr(p, why, n);
	if (rc == 0 && (!(p->pkt = ff.av_packet_alloc()) || !(p->frm = ff.av_frame_alloc())))
		rc = DECODE_ENOMEM;
	if (rc) {
		if (rc == DECODE_ENOMEM)
			snprintf(why, n, "out of memory");
		ff_free(p);
		return rc;
	}
	AVStream *st = p->fc->streams[p->stream];
	int64_t frames = -1;
	if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
		frames = ff.av_rescale_q(st->duration, st->time_base, (AVRational){ 1, rate });
	else if (p->fc->duration != AV_NOPTS_VALUE && p->fc->duration > 0)
		frames = ff.av_rescale_q(p->fc->duration, AV_TIME_BASE_Q, (AVRational){ 1, rate });
	const AVCodecDescriptor *desc = ff.avcodec_descriptor_get(p->cc->codec_id);
	p->end = frames > 0 && strstr(p->fc->iformat->name, "mp4") ? frames : -1;
	d->priv = p;
	d->fmt = (struct decode_format){
		.rate = rate, .channels = ch, .bits = sample_bits(p->cc),
		.lossy = (desc && (desc->props & AV_CODEC_PROP_LOSSY)) ||
			 ff.av_get_packed_sample_fmt(p->cc->sample_fmt) == AV_SAMPLE_FMT_FLT ||
			 ff.av_get_packed_sample_fmt(p->cc->sample_fmt) == AV_SAMPLE_FMT_DBL,
		.frames = frames,
	};
	return 0;
}

/* Converts p->frm into p->pend, trimming what lies before p->skip_to.
 * 0 or a negative decode_err. */
static int take_frame(struct decode *d, struct ff_priv *p)
{
	AVFrame *f = p->frm;
	int ch = d->fmt.channels;
	if (f->ch_layout.nb_channels != ch || f->format != p->cc->sample_fmt ||
	    f->sample_rate != d->fmt.rate)
		return DECODE_EREAD;              /* a change mid-stream: not followed */
	if (p->pend_cap < f->nb_samples) {
		int32_t *b = realloc(p->pend, (size_t)f->nb_samples * (size_t)ch * sizeof *b);
		if (!b)
			return DECODE_ENOMEM;
		p->pend = b;
		p->pend_cap = f->nb_samples;
	}
	uint8_t *outp = (uint8_t *)p->pend;
	int got = ff.swr_convert(p->swr, &outp, (int)p->pend_cap,
			      (const uint8_t **)f->extended_data, f->nb_samples);
	if (got < 0)
		return DECODE_EREAD;
	p->pend_n = got;
	p->pend_off = 0;
	if (p->skip_to > 0 && f->best_effort_timestamp != AV_NOPTS_VALUE) {
		int64_t at = ff.av_rescale_q(f->best_effort_timestamp - p->start, p->tb,
					  (AVRational){ 1, d->fmt.rate });
		int64_t drop = p->skip_to - at;
		if (drop >= got) {
			p->pend_n = 0;
		} else if (drop > 0) {
			p->pend_off = (long)drop;
			p->skip_to = 0;
		} else {
			p->skip_to = 0;
		}
	}
	return 0;
}

/* Feeds the decoder one packet of our stream (or its end). 0 or < 0. */
static int feed(struct ff_priv *p)
{
	for (;;) {
		int err = ff.av_read_frame(p->fc, p->pkt);
		if (err < 0) {
			p->drained = 1;
			ff.avcodec_send_packet(p->cc, NULL);
			return 0;
		}
		if (p->pkt->stream_index != p->stream) {
			ff.av_packet_unref(p->pkt);
			continue;
		}
		err = ff.avcodec_send_packet(p->cc, p->pkt);
		ff.av_packet_unref(p->pkt);
		/* a damaged packet is skipped: the decoder goes on with the next */
		return err == AVERROR_INVALIDDATA ? 0 : err < 0 && err != AVERROR(EAGAIN) ? err : 0;
	}
}

static long ff_read(struct decode *d, int32_t *out, long frames)
{
	struct ff_priv *p = d->priv;
	const int ch = d->fmt.channels;
	long done = 0;
	while (done < frames) {
		if (p->end >= 0 && p->pos >= p->end)
			break;                            /* the encoder's padding */
		if (p->pend_off < p->pend_n) {
			long k = p->pend_n - p->pend_off;
			if (k > frames - done)
				k = frames - done;
			if (p->end >= 0 && k > p->end - p->pos)
				k = (long)(p->end - p->pos);
			memcpy(out + done * ch, p->pend + p->pend_off * ch, (size_t)k * ch * sizeof *out);
			p->pend_off += k;
			p->pos += k;
			done += k;
			continue;
		}
		if (p->done)
			break;
		int err = ff.avcodec_receive_frame(p->cc, p->frm);
		if (err == 0) {
			err = take_frame(d, p);
			ff.av_frame_unref(p->frm);
			if (err) {
				snprintf(d->err, sizeof d->err, "%s", err == DECODE_ENOMEM ?
					 "out of memory" : "the stream changed format");
				return done ? done : err;
			}
		} else if (err == AVERROR(EAGAIN) && !p->drained) {
			if ((err = feed(p)) < 0) {
				av_why(err, d->err, sizeof d->err);
				return done ? done : DECODE_EREAD;
			}
		} else if (err == AVERROR_EOF || err == AVERROR(EAGAIN)) {
			p->done = 1;
		} else if (err != AVERROR_INVALIDDATA) {
			av_why(err, d->err, sizeof d->err);
			return done ? done : DECODE_EREAD;
		}
	}
	return done;
}

static int ff_seek(struct decode *d, int64_t frame)
{
	struct ff_priv *p = d->priv;
	int64_t ts = ff.av_rescale_q(frame, (AVRational){ 1, d->fmt.rate }, p->tb) + p->start;
	if (ff.avformat_seek_file(p->fc, p->stream, INT64_MIN, ts, ts, 0) < 0 &&
	    ff.av_seek_frame(p->fc, p->stream, ts, AVSEEK_FLAG_BACKWARD) < 0) {
		snprintf(d->err, sizeof d->err, "the file cannot seek there");
		return DECODE_ESEEK;
	}
	ff.avcodec_flush_buffers(p->cc);
	p->pend_n = p->pend_off = 0;
	p->drained = p->done = 0;
	p->skip_to = frame;
	p->pos = frame;
	return 0;
}

/* A tag of the container, else of the stream (Ogg keeps them there). */
static const char *ff_tag(struct ff_priv *p, const char *key)
{
	const AVDictionaryEntry *e = ff.av_dict_get(p->fc->metadata, key, NULL, 0);
	if (!e)
		e = ff.av_dict_get(p->fc->streams[p->stream]->metadata, key, NULL, 0);
	return e ? e->value : NULL;
}

static void ff_tags(struct decode *d, struct decode_tags *t)
{
	struct ff_priv *p = d->priv;
	decode_copy_tag(t->title, sizeof t->title, ff_tag(p, "title"));
	decode_copy_tag(t->artist, sizeof t->artist, ff_tag(p, "artist"));
	decode_copy_tag(t->album, sizeof t->album, ff_tag(p, "album"));
	const char *tn = ff_tag(p, "track");
	t->track = tn && atoi(tn) > 0 ? atoi(tn) : 0;
	const char *rg = ff_tag(p, "REPLAYGAIN_TRACK_GAIN");
	t->rg_track_gain = rg ? decode_parse_gain(rg, 0) : decode_parse_gain(ff_tag(p, "R128_TRACK_GAIN"), 1);
}

static void ff_close(struct decode *d)
{
	struct ff_priv *p = d->priv;
	int fd = p->fd;
	ff_free(p);
	close(fd);
}

const struct decode_ops decode_ffmpeg_ops = {
	.name = "ffmpeg",
	.open = ff_open,
	.read = ff_read,
	.seek = ff_seek,
	.tags = ff_tags,
	.close = ff_close,
};
