/*
 * dn_cfg: the strict cfg grammar of dn (see dn.c and dn.h): known sections
 * and keys, integer/float values, shapes that fit, the parameter and MAC
 * counts; the checked cfg written back for darknet; the weights file checked
 * for size and plausible values before darknet reads it.
 */
#include "dn_priv.h"
#include "regfile.h"
#include "vec.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	enum sec_type type;
	const char *keys; /* space-separated allowed keys */
} sections[] = {
	{ "net", S_NET, "batch subdivisions width height channels momentum decay learning_rate "
	  "policy max_batches steps scales burn_in power gamma step angle saturation exposure hue "
	  "aspect max_crop min_crop center adam B1 B2 eps inputs time_steps notruth random clip "
	  "input_norm" },
	{ "network", S_NET, NULL },
	{ "convolutional", S_CONV, "filters size stride pad padding groups activation batch_normalize" },
	{ "conv", S_CONV, NULL },
	{ "connected", S_CONN, "output activation batch_normalize" },
	{ "conn", S_CONN, NULL },
	{ "maxpool", S_MAXPOOL, "size stride padding" },
	{ "max", S_MAXPOOL, NULL },
	{ "avgpool", S_AVGPOOL, "" },
	{ "avg", S_AVGPOOL, NULL },
	{ "dropout", S_DROPOUT, "probability" },
	{ "softmax", S_SOFTMAX, "groups temperature" },
	{ "soft", S_SOFTMAX, NULL },
	{ "cost", S_COST, "type scale ratio noobject_scale thresh" },
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

static const char *const activations[] = {
	"logistic", "loggy", "relu", "elu", "selu", "relie", "plse", "hardtan", "lhtan",
	"linear", "ramp", "leaky", "tanh", "stair",
};

static const struct kv *find_kv(const struct section *s, const char *key)
{
	for (int i = 0; i < s->nkv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

static const char *find(const struct section *s, const char *key)
{
	const struct kv *kv = find_kv(s, key);
	return kv ? kv->value : NULL;
}

/* The line to name for key of s: the key's own, else the section's. */
static int key_line(const struct section *s, const char *key)
{
	const struct kv *kv = find_kv(s, key);
	return kv ? kv->line : s->line;
}

static int get_int(const struct section *s, const char *key, int def, int lo, int hi,
		   int *out, const char *path, char *why, size_t n)
{
	const char *v = find(s, key);
	if (!v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi) {
		why_set(why, n, "%s:%d: [%s] %s=%s: expected an integer in %d..%d",
			path, key_line(s, key), s->name, key, v, lo, hi);
		return DN_ECFG;
	}
	*out = (int)x;
	return 0;
}

static int check_float(const struct section *s, const struct kv *kv, const char *path,
		       char *why, size_t n)
{
	static const char *const text_keys[] = { "policy", "activation", "steps", "scales", "type",
						 "input_norm" };
	for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++)
		if (strcmp(kv->key, text_keys[i]) == 0)
			return 0;
	char *end;
	double d = strtod(kv->value, &end);
	if (end == kv->value || *end || !isfinite(d)) {
		why_set(why, n, "%s:%d: [%s] %s=%s: expected a number", path, kv->line, s->name,
			kv->key, kv->value);
		return DN_ECFG;
	}
	return 0;
}

static char *squeeze(char *s)
{
	char *d = s;
	for (char *p = s; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			*d++ = *p;
	*d = '\0';
	return s;
}

/* Reads one line (without its newline) into line[size]: 1, 0 at the end
 * of the file, -1 for a line too long, -2 for a NUL byte in it. */
static int read_line(FILE *f, char *line, size_t size)
{
	size_t len = 0;
	int c, nul = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (len + 1 >= size)
			return -1;
		nul |= c == 0;
		line[len++] = (char)c;
	}
	line[len] = '\0';
	if (nul)
		return -2;
	return c == EOF && len == 0 ? 0 : 1;
}

/* Reads the cfg into m (sections and keys only). */
static int read_cfg_file(const char *path, struct model *m, char *why, size_t n)
{
	FILE *f = regfile_fopen(path);
	char line[512];
	int lineno = 0, r;
	size_t cap = 0;
	memset(m, 0, sizeof *m);
	if (!f) {
		why_set(why, n, "%s: %s", path, regfile_strerror(errno));
		return DN_EIO;
	}
	while ((r = read_line(f, line, sizeof line)) != 0) {
		lineno++;
		if (r < 0) {
			why_set(why, n, r == -1 ? "%s:%d: line too long" : "%s:%d: NUL byte in the line",
				path, lineno);
			goto bad;
		}
		squeeze(line);
		if (!line[0] || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[') {
			size_t len = strlen(line);
			if (len < 3 || line[len - 1] != ']') {
				why_set(why, n, "%s:%d: malformed section header", path, lineno);
				goto bad;
			}
			line[len - 1] = '\0';
			size_t k;
			for (k = 0; k < NSECTIONS; k++)
				if (strcmp(sections[k].name, line + 1) == 0)
					break;
			if (k == NSECTIONS) {
				why_set(why, n, "%s:%d: unknown section [%s]", path, lineno, line + 1);
				goto bad;
			}
			if (m->n == 256) {
				why_set(why, n, "%s:%d: too many sections", path, lineno);
				goto bad;
			}
			if (vec_grow(&m->s, &cap, (size_t)m->n + 1, sizeof *m->s, 16)) {
				fclose(f);
				return DN_ENOMEM;
			}
			struct section *s = &m->s[m->n++];
			memset(s, 0, sizeof *s);
			s->type = sections[k].type;
			snprintf(s->name, sizeof s->name, "%s", sections[k].name);
			s->line = lineno;
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq || eq == line) {
			why_set(why, n, "%s:%d: expected key=value", path, lineno);
			goto bad;
		}
		if (!m->n) {
			why_set(why, n, "%s:%d: key outside of any section", path, lineno);
			goto bad;
		}
		*eq = '\0';
		struct section *s = &m->s[m->n - 1];
		const char *allowed = NULL;
		for (size_t k = 0; k < NSECTIONS; k++)
			if (sections[k].type == s->type && sections[k].keys) {
				allowed = sections[k].keys;
				break;
			}
		int found = 0;
		size_t klen = strlen(line);
		for (const char *p = allowed; p && *p;) {
			const char *sp = strchr(p, ' ');
			size_t len = sp ? (size_t)(sp - p) : strlen(p);
			if (len == klen && strncmp(p, line, len) == 0)
				found = 1;
			p += len + (sp ? 1 : 0);
		}
		if (!found) {
			why_set(why, n, "%s:%d: unknown key '%s' in [%s]", path, lineno, line, s->name);
			goto bad;
		}
		if (s->nkv == 32 || klen >= sizeof s->kv[0].key || strlen(eq + 1) >= sizeof s->kv[0].value) {
			why_set(why, n, "%s:%d: key or value too long", path, lineno);
			goto bad;
		}
		if (find(s, line)) {
			why_set(why, n, "%s:%d: '%s' given twice in [%s]", path, lineno, line, s->name);
			goto bad;
		}
		snprintf(s->kv[s->nkv].key, sizeof s->kv[0].key, "%s", line);
		snprintf(s->kv[s->nkv].value, sizeof s->kv[0].value, "%s", eq + 1);
		s->kv[s->nkv].line = lineno;
		if (check_float(s, &s->kv[s->nkv], path, why, n))
			goto bad;
		s->nkv++;
	}
	if (ferror(f)) {
		why_set(why, n, "%s: read error", path);
		goto bad;
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	free(m->s);
	m->s = NULL;
	m->n = 0;
	return DN_ECFG;
}

static int check_activation(const struct section *s, const char *path, char *why, size_t n)
{
	const char *a = find(s, "activation");
	if (!a)
		return 0;
	for (size_t i = 0; i < sizeof activations / sizeof activations[0]; i++)
		if (strcmp(a, activations[i]) == 0)
			return 0;
	why_set(why, n, "%s:%d: unknown activation '%s'", path, key_line(s, "activation"), a);
	return DN_ECFG;
}

/* The input of the layer being checked (the output of the one before). */
struct shape {
	int w, h, c;
	long long inputs;   /* w * h * c */
};

/* [net]: the input size (w, h, c into m and *sh), batch, subdivisions and
 * the learning-rate policy. */
static int check_net(const char *path, struct model *m, struct shape *sh, char *why, size_t n)
{
	int w, h, c, batch, sub, err;
	const struct section *net = &m->s[0];
	if ((err = get_int(net, "width", 0, 1, 4096, &w, path, why, n)) ||
	    (err = get_int(net, "height", 0, 1, 4096, &h, path, why, n)) ||
	    (err = get_int(net, "channels", 0, 1, 64, &c, path, why, n)) ||
	    (err = get_int(net, "batch", 1, 1, 4096, &batch, path, why, n)) ||
	    (err = get_int(net, "subdivisions", 1, 1, 4096, &sub, path, why, n)))
		return err;
	if (!find(net, "width") || !find(net, "height") || !find(net, "channels")) {
		why_set(why, n, "%s:%d: [net] needs width, height and channels", path, net->line);
		return DN_ECFG;
	}
	m->w = w;
	m->h = h;
	m->c = c;
	const char *policy = find(net, "policy");
	if (policy && strcmp(policy, "constant") && strcmp(policy, "steps") && strcmp(policy, "step") &&
	    strcmp(policy, "poly") && strcmp(policy, "exp") && strcmp(policy, "sigmoid")) {
		why_set(why, n, "%s:%d: unknown policy '%s'", path, key_line(net, "policy"), policy);
		return DN_ECFG;
	}
	const char *norm = find(net, "input_norm");
	if (!norm || !strcmp(norm, "none"))
		m->norm = DN_NORM_NONE;
	else if (!strcmp(norm, "crop"))
		m->norm = DN_NORM_CROP;
	else if (!strcmp(norm, "local") && w <= DN_NORM_LOCAL_MAXSIDE && h <= DN_NORM_LOCAL_MAXSIDE)
		m->norm = DN_NORM_LOCAL;
	else {
		why_set(why, n, "%s:%d: input_norm '%s': expected none, crop or local (sides <= %d)", path,
			key_line(net, "input_norm"), norm, DN_NORM_LOCAL_MAXSIDE);
		return DN_ECFG;
	}
	*sh = (struct shape){ w, h, c, (long long)w * h * c };
	return 0;
}

static int check_conv(struct model *m, struct section *s, struct shape *sh, const char *path,
		      char *why, size_t n)
{
	int filters, size, stride, pad, padding, groups, bn, err;
	if ((err = get_int(s, "filters", 1, 1, 8192, &filters, path, why, n)) ||
	    (err = get_int(s, "size", 1, 1, 15, &size, path, why, n)) ||
	    (err = get_int(s, "stride", 1, 1, 16, &stride, path, why, n)) ||
	    (err = get_int(s, "pad", 0, 0, 1, &pad, path, why, n)) ||
	    (err = get_int(s, "padding", 0, 0, 16, &padding, path, why, n)) ||
	    (err = get_int(s, "groups", 1, 1, 8192, &groups, path, why, n)) ||
	    (err = get_int(s, "batch_normalize", 0, 0, 1, &bn, path, why, n)))
		return err;
	if (pad)
		padding = size / 2;
	const int w = sh->w, h = sh->h, c = sh->c;
	if (!w || !h || c % groups) {
		why_set(why, n, "%s:%d: convolution needs an image input with channels divisible by groups", path, key_line(s, "groups"));
		return DN_ECFG;
	}
	int ow = (w + 2 * padding - size) / stride + 1;
	int oh = (h + 2 * padding - size) / stride + 1;
	if (w + 2 * padding < size || h + 2 * padding < size || ow < 1 || oh < 1) {
		why_set(why, n, "%s:%d: kernel %d larger than its %dx%d input", path, key_line(s, "size"), size, w, h);
		return DN_ECFG;
	}
	/* biases, [scales, means, variances], weights */
	s->nparams = (long long)filters * (c / groups) * size * size + filters + (bn ? 3LL * filters : 0);
	s->var_at = 3LL * filters;
	s->nvar = bn ? filters : 0;
	m->params += s->nparams;
	m->macs += (double)filters * (c / groups) * size * size * ow * oh;
	*sh = (struct shape){ ow, oh, filters, (long long)ow * oh * filters };
	return 0;
}

static int check_conn(struct model *m, struct section *s, struct shape *sh, const char *path,
		      char *why, size_t n)
{
	int out, bn, err;
	if ((err = get_int(s, "output", 1, 1, 1 << 20, &out, path, why, n)) ||
	    (err = get_int(s, "batch_normalize", 0, 0, 1, &bn, path, why, n)))
		return err;
	const long long inputs = sh->inputs;
	/* biases, weights, [scales, means, variances] */
	s->nparams = inputs * out + out + (bn ? 3LL * out : 0);
	s->var_at = inputs * out + 3LL * out;
	s->nvar = bn ? out : 0;
	m->params += s->nparams;
	m->macs += (double)inputs * out;
	*sh = (struct shape){ 1, 1, out, out };
	return 0;
}

static int check_maxpool(const struct section *s, struct shape *sh, const char *path,
			 char *why, size_t n)
{
	int stride, size, padding, err;
	if ((err = get_int(s, "stride", 1, 1, 16, &stride, path, why, n)) ||
	    (err = get_int(s, "size", stride, 1, 16, &size, path, why, n)) ||
	    (err = get_int(s, "padding", size - 1, 0, 32, &padding, path, why, n)))
		return err;
	if (!sh->w || !sh->h || sh->w + padding < size || sh->h + padding < size) {
		why_set(why, n, "%s:%d: maxpool larger than its input", path, key_line(s, "size"));
		return DN_ECFG;
	}
	sh->w = (sh->w + padding - size) / stride + 1;
	sh->h = (sh->h + padding - size) / stride + 1;
	sh->inputs = (long long)sh->w * sh->h * sh->c;
	return 0;
}

static int check_softmax(const struct section *s, const struct shape *sh, const char *path,
			 char *why, size_t n)
{
	int groups, err;
	if ((err = get_int(s, "groups", 1, 1, 1 << 20, &groups, path, why, n)))
		return err;
	if (sh->inputs % groups) {
		why_set(why, n, "%s:%d: softmax groups do not divide its %lld inputs", path, key_line(s, "groups"), sh->inputs);
		return DN_ECFG;
	}
	return 0;
}

/* Layer s: its keys, its parameter and MAC counts into s and m, its output
 * shape into *sh. */
static int check_layer(struct model *m, struct section *s, struct shape *sh, const char *path,
		       char *why, size_t n)
{
	int err;
	if ((err = check_activation(s, path, why, n)))
		return err;
	switch (s->type) {
	case S_NET:
		why_set(why, n, "%s:%d: [net] must come first and only once", path, s->line);
		return DN_ECFG;
	case S_CONV:
		err = check_conv(m, s, sh, path, why, n);
		break;
	case S_CONN:
		err = check_conn(m, s, sh, path, why, n);
		break;
	case S_MAXPOOL:
		err = check_maxpool(s, sh, path, why, n);
		break;
	case S_AVGPOOL:
		if (!sh->w || !sh->h) {
			why_set(why, n, "%s:%d: avgpool needs an image input", path, s->line);
			return DN_ECFG;
		}
		sh->w = sh->h = 1;
		sh->inputs = sh->c;
		break;
	case S_DROPOUT:
	case S_COST:
		break;
	case S_SOFTMAX:
		err = check_softmax(s, sh, path, why, n);
		break;
	}
	if (err)
		return err;
	if (sh->inputs > (1LL << 28)) {
		why_set(why, n, "%s:%d: layer output too large", path, s->line);
		return DN_ECFG;
	}
	return 0;
}

int dn_model_load(const char *path, struct model *m, char *why, size_t n)
{
	int err = read_cfg_file(path, m, why, n);
	if (err)
		return err;
	struct shape sh = { 0 };
	if (m->n < 2 || m->s[0].type != S_NET) {
		why_set(why, n, "%s: the first section must be [net] and layers must follow", path);
		err = DN_ECFG;
	} else {
		err = check_net(path, m, &sh, why, n);
		for (int i = 1; i < m->n && !err; i++)
			err = check_layer(m, &m->s[i], &sh, path, why, n);
	}
	if (err) {
		free(m->s);
		m->s = NULL;
		return err;
	}
	m->outputs = (int)sh.inputs;
	return 0;
}

int dn_write_cfg(const struct model *m, int batch, char *tmpl, char *why, size_t n)
{
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		why_set(why, n, "temporary cfg: %s", strerror(errno));
		return DN_EIO;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmpl);
		return DN_EIO;
	}
	for (int i = 0; i < m->n; i++) {
		const struct section *s = &m->s[i];
		fprintf(f, "[%s]\n", s->name);
		if (i == 0)
			fprintf(f, "batch=%d\nsubdivisions=1\n", batch);
		for (int k = 0; k < s->nkv; k++) {
			if (i == 0 && (!strcmp(s->kv[k].key, "batch") || !strcmp(s->kv[k].key, "subdivisions") ||
				       !strcmp(s->kv[k].key, "input_norm")))
				continue;
			fprintf(f, "%s=%s\n", s->kv[k].key, s->kv[k].value);
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		unlink(tmpl);
		why_set(why, n, "temporary cfg: write error");
		return DN_EIO;
	}
	return 0;
}

int dn_check_weights_against(const struct model *m, const char *weights, char *why, size_t n)
{
	FILE *f = regfile_fopen(weights);
	if (!f) {
		why_set(why, n, "%s: %s", weights, regfile_strerror(errno));
		return DN_EIO;
	}
	int32_t hdr[3];
	if (fread(hdr, sizeof(int32_t), 3, f) != 3) {
		fclose(f);
		why_set(why, n, "%s: truncated header", weights);
		return DN_EWEIGHTS;
	}
	int major = hdr[0], minor = hdr[1];
	if (major < 0 || minor < 0 || major > 1000 || minor > 1000) {
		fclose(f);
		why_set(why, n, "%s: not a darknet weights file (version %d.%d)", weights, major, minor);
		return DN_EWEIGHTS;
	}
	long seen_size = (major * 10 + minor >= 2) ? (long)sizeof(size_t) : (long)sizeof(int);
	long long want = 12 + seen_size + 4 * m->params;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return DN_EIO;
	}
	long long have = ftell(f);
	if (have != want) {
		fclose(f);
		why_set(why, n, "%s: %lld bytes, but the cfg's %lld parameters need %lld: weights and cfg do not match",
			weights, have, m->params, want);
		return DN_EWEIGHTS;
	}
	if (fseek(f, 12 + seen_size, SEEK_SET) != 0) {
		fclose(f);
		return DN_EIO;
	}
	/* Every value finite and within +-1e4; batch-norm variances not
	 * negative (darknet divides by their square root: NaN everywhere). */
	float buf[4096];
	long long left = m->params, bad = 0, negvar = 0, pos = 0, layer_end = 0;
	int sec = 0, first_sec = 0;
	float first_var = 0;
	while (left > 0) {
		size_t k = left > 4096 ? 4096 : (size_t)left;
		if (fread(buf, sizeof(float), k, f) != k) {
			fclose(f);
			why_set(why, n, "%s: read error", weights);
			return DN_EIO;
		}
		for (size_t i = 0; i < k; i++, pos++) {
			while (pos >= layer_end && sec + 1 < m->n)
				layer_end += m->s[++sec].nparams;
			const struct section *s = &m->s[sec];
			long long at = pos - (layer_end - s->nparams);
			if (!isfinite(buf[i]) || fabsf(buf[i]) > 1e4f)
				bad++;
			else if (buf[i] < 0 && at >= s->var_at && at < s->var_at + s->nvar && !negvar++) {
				first_sec = sec;
				first_var = buf[i];
			}
		}
		left -= (long long)k;
	}
	fclose(f);
	if (bad) {
		why_set(why, n, "%s: %lld values are not finite or out of range: corrupt weights", weights, bad);
		return DN_EWEIGHTS;
	}
	if (negvar) {
		why_set(why, n, "%s: %lld negative batch-norm variance%s (%g in the [%s] at line %d of the cfg): corrupt weights",
			weights, negvar, negvar > 1 ? "s" : "", (double)first_var, m->s[first_sec].name,
			m->s[first_sec].line);
		return DN_EWEIGHTS;
	}
	return 0;
}

int dn_check_cfg(const char *cfg, char *why, size_t n)
{
	struct model m;
	int err = dn_model_load(cfg, &m, why, n);
	if (!err)
		free(m.s);
	return err;
}

int dn_check_weights(const char *cfg, const char *weights, char *why, size_t n)
{
	struct model m;
	int err = dn_model_load(cfg, &m, why, n);
	if (err)
		return err;
	err = dn_check_weights_against(&m, weights, why, n);
	free(m.s);
	return err;
}
