/* aout_null: an output that discards everything. write() returns at once;
 * the player paces it in real time (aout.realtime), like a sound card. */
#include "aout.h"

static int null_init(struct aout *a, const char *arg)
{
	(void)arg;
	a->realtime = 1;
	return 0;
}

static void null_exit(struct aout *a)
{
	(void)a;
}

static int null_open(struct aout *a, const struct aout_format *f)
{
	(void)a;
	(void)f;
	return 0;
}

static int null_write(struct aout *a, const void *buf, size_t bytes)
{
	(void)a;
	(void)buf;
	(void)bytes;
	return 0;
}

static void null_close(struct aout *a)
{
	(void)a;
}

const struct aout_ops aout_null_ops = {
	.init = null_init,
	.exit = null_exit,
	.open = null_open,
	.write = null_write,
	.close = null_close,
};
