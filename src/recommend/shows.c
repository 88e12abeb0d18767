/* shows: films and series catalogue, genre-to-mood mapping. See shows.h. */
#include "shows.h"
#include "regfile.h"
#include "vec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const genre_names[SHOWS_NGENRES] = {
	"action", "adventure", "animation", "biography", "comedy", "crime",
	"documentary", "drama", "family", "fantasy", "history", "horror",
	"music", "musical", "mystery", "romance", "sci-fi", "sport",
	"thriller", "war", "western",
};

/*
 * The genre-to-mood mapping; reasons in doc/recommendation.md.
 * Columns: action adventure animation biography comedy crime documentary
 * drama family fantasy history horror music musical mystery romance sci-fi
 * sport thriller war western.
 */
static const float weights[][SHOWS_NGENRES] = {
	/* angry: defuse; light or absorbing, no more conflict */
	{  0.3f,  0.5f,  0.7f,  0.2f,  0.9f, -0.4f,  0.6f,  0.0f,  0.6f,  0.4f,  0.1f, -0.8f,
	   0.7f,  0.6f,  0.1f,  0.4f,  0.2f,  0.5f, -0.5f, -0.7f, -0.2f },
	/* disgust: something pleasant and clean */
	{  0.0f,  0.5f,  0.8f,  0.2f,  0.8f, -0.5f,  0.4f,  0.0f,  0.7f,  0.5f,  0.1f, -1.0f,
	   0.8f,  0.9f,  0.0f,  0.6f,  0.1f,  0.3f, -0.5f, -0.7f, -0.2f },
	/* fear: safe, warm, familiar */
	{ -0.3f,  0.3f,  0.9f,  0.1f,  1.0f, -0.6f,  0.4f,  0.0f,  0.9f,  0.4f,  0.0f, -1.0f,
	   0.6f,  0.7f, -0.4f,  0.6f, -0.2f,  0.3f, -1.0f, -0.8f, -0.3f },
	/* happy: keep the energy going */
	{  0.7f,  1.0f,  0.8f,  0.2f,  1.0f,  0.0f,  0.1f,  0.1f,  0.7f,  0.7f,  0.0f, -0.3f,
	   0.8f,  0.9f,  0.2f,  0.8f,  0.5f,  0.6f,  0.2f, -0.4f,  0.3f },
	/* neutral: engaging stories, room for weight */
	{  0.4f,  0.6f,  0.3f,  0.6f,  0.4f,  0.7f,  0.7f,  0.9f,  0.2f,  0.4f,  0.7f,  0.1f,
	   0.3f,  0.2f,  0.8f,  0.3f,  0.8f,  0.4f,  0.7f,  0.5f,  0.5f },
	/* sad: lift gently; a little catharsis allowed */
	{ -0.1f,  0.5f,  0.9f,  0.3f,  1.0f, -0.4f,  0.2f,  0.3f,  0.9f,  0.5f, -0.2f, -1.0f,
	   0.7f,  0.8f, -0.2f,  0.6f,  0.1f,  0.5f, -0.6f, -0.9f, -0.3f },
	/* surprise: feed the curiosity */
	{  0.7f,  0.8f,  0.5f,  0.2f,  0.5f,  0.4f,  0.4f,  0.2f,  0.3f,  0.8f,  0.2f,  0.3f,
	   0.3f,  0.3f,  0.9f,  0.2f,  0.9f,  0.4f,  0.8f,  0.0f,  0.2f },
};
_Static_assert(sizeof weights / sizeof *weights == VOCAB_NCLASSES, "one row per class");

int shows_genre_parse(const char *name)
{
	for (int g = 0; name && g < SHOWS_NGENRES; g++)
		if (strcasecmp(name, genre_names[g]) == 0)
			return g;
	return SHOWS_EINVAL;
}

float shows_genre_weight(int cls, int g)
{
	if (cls < 0 || cls >= VOCAB_NCLASSES || g < 0 || g >= SHOWS_NGENRES)
		return 0;
	return weights[cls][g];
}

void shows_free(struct shows_catalogue *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].title);
	free(c->v);
	free(c);
}

/* Splits line (modified in place) at tabs into at most max fields. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p; p++)
		if (*p == '\t') {
			*p = '\0';
			if (n == max)
				return max + 1;
			f[n++] = p + 1;
		}
	return n;
}

static int parse_line(char *line, struct shows_title *t)
{
	char *f[4], *end, *g, *save = NULL;
	long year;
	if (split_tabs(line, f, 4) != 4 || !*f[0])
		return SHOWS_ESYNTAX;
	errno = 0;
	year = strtol(f[1], &end, 10);
	if (errno || end == f[1] || *end || year < 1870 || year > 2100)
		return SHOWS_ESYNTAX;
	if (strcmp(f[2], "film") == 0)
		t->series = 0;
	else if (strcmp(f[2], "series") == 0)
		t->series = 1;
	else
		return SHOWS_ESYNTAX;
	t->year = (int)year;
	t->genres = 0;
	for (g = strtok_r(f[3], ",", &save); g; g = strtok_r(NULL, ",", &save)) {
		while (*g == ' ')
			g++;
		int k = shows_genre_parse(g);
		if (k < 0)
			return SHOWS_ESYNTAX;
		t->genres |= 1u << k;
	}
	if (!t->genres)
		return SHOWS_ESYNTAX;
	if (!(t->title = strdup(f[0])))
		return SHOWS_ENOMEM;
	return 0;
}

int shows_load_mem(const char *text, size_t len, struct shows_catalogue **out, int *line)
{
	struct shows_catalogue *c;
	size_t cap = 0, pos = 0;
	int lineno = 0, err = 0;
	char *buf = NULL;
	if (line)
		*line = 0;
	if (!out || (!text && len))
		return SHOWS_EINVAL;
	*out = NULL;
	if (!(c = calloc(1, sizeof *c)))
		return SHOWS_ENOMEM;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		free(buf);
		if (!(buf = malloc(l + 1))) {
			err = SHOWS_ENOMEM;
			break;
		}
		memcpy(buf, text + pos, l);
		buf[l] = '\0';
		pos += l + (nl ? 1 : 0);
		if (l && buf[l - 1] == '\r')
			buf[--l] = '\0';
		if (l == 0 || buf[0] == '#')
			continue;
		if (memchr(buf, '\0', l)) {
			err = SHOWS_ESYNTAX;
			break;
		}
		if (vec_grow(&c->v, &cap, c->n + 1, sizeof *c->v, 256)) {
			err = SHOWS_ENOMEM;
			break;
		}
		if ((err = parse_line(buf, &c->v[c->n])))
			break;
		c->n++;
	}
	free(buf);
	if (err) {
		if (line)
			*line = lineno;
		shows_free(c);
		return err;
	}
	*out = c;
	return 0;
}

int shows_load(const char *path, struct shows_catalogue **out, int *line)
{
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0, r;
	int err;
	if (line)
		*line = 0;
	if (!path || !out)
		return SHOWS_EINVAL;
	if (!(f = regfile_fopen(path)))
		return SHOWS_EIO;
	do {
		if (vec_grow(&text, &cap, len + 4096, 1, 65536)) {
			free(text);
			fclose(f);
			return SHOWS_ENOMEM;
		}
		r = fread(text + len, 1, cap - len, f);
		len += r;
	} while (r > 0);
	err = ferror(f) ? SHOWS_EIO : 0;
	fclose(f);
	if (!err)
		err = shows_load_mem(text, len, out, line);
	free(text);
	return err;
}

static float fit_for(const struct shows_title *t, int cls)
{
	float sum = 0;
	int n = 0;
	for (int g = 0; g < SHOWS_NGENRES; g++)
		if (t->genres & (1u << g)) {
			sum += weights[cls][g];
			n++;
		}
	return n ? sum / (float)n : 0;
}

float shows_fit(const struct shows_title *t, const float probs[VOCAB_NCLASSES])
{
	float s = 0, tot = 0;
	for (int e = 0; e < VOCAB_NCLASSES; e++)
		if (probs[e] > 0) {
			s += probs[e] * fit_for(t, e);
			tot += probs[e];
		}
	return tot > 0 ? s / tot : 0;
}

void shows_genres_string(uint32_t genres, char *buf, size_t n)
{
	size_t len = 0;
	if (!n)
		return;
	buf[0] = '\0';
	for (int g = 0; g < SHOWS_NGENRES; g++)
		if (genres & (1u << g)) {
			int w = snprintf(buf + len, n - len, "%s%s", len ? "," : "", genre_names[g]);
			if (w < 0 || (size_t)w >= n - len)
				return;
			len += (size_t)w;
		}
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static float jitter(uint64_t seed, const struct shows_title *t)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)t->title; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = mix(h ^ mix(seed) ^ (uint64_t)t->year);
	return (float)((double)(h >> 11) / 9007199254740992.0);
}

#define SHOWS_JITTER 0.03f
#define SHOWS_SAME_GENRES 0.15f

static void make_reason(char *buf, size_t n, const struct shows_title *t,
			const float probs[VOCAB_NCLASSES])
{
	int top = recommend_top(probs);
	float sum = 0;
	size_t len;
	int k = 0;
	for (int e = 0; e < VOCAB_NCLASSES; e++)
		sum += probs[e] > 0 ? probs[e] : 0;
	snprintf(buf, n, "you look %s (%.0f%%): ", vocab_class_name(top),
		 sum > 0 ? 100.0 * probs[top] / sum : 0.0);
	len = strlen(buf);
	/* the title's genres that fit the top emotion, best first, up to 3 */
	uint32_t left = t->genres;
	while (k < 3 && len < n) {
		int best = -1;
		for (int g = 0; g < SHOWS_NGENRES; g++)
			if ((left & (1u << g)) && weights[top][g] > 0 &&
			    (best < 0 || weights[top][g] > weights[top][best]))
				best = g;
		if (best < 0)
			break;
		left &= ~(1u << best);
		snprintf(buf + len, n - len, "%s%s", k ? ", " : "", genre_names[best]);
		len = strlen(buf);
		k++;
	}
	if (k == 0)
		snprintf(buf + len, n - len, "closest fit for a mixed mood");
	else
		snprintf(buf + len, n - len, " suit%s that mood", k == 1 ? "s" : "");
}

int shows_suggest(const struct shows_catalogue *c, const float probs[VOCAB_NCLASSES],
		  uint64_t seed, struct shows_pick *out, size_t n, size_t *nout)
{
	float *fit;
	unsigned char *taken;
	size_t k;
	if (nout)
		*nout = 0;
	if (!c || !probs || (!out && n))
		return SHOWS_EINVAL;
	if (c->n == 0 || n == 0)
		return 0;
	fit = malloc(c->n * sizeof *fit);
	taken = calloc(c->n, 1);
	if (!fit || !taken) {
		free(fit);
		free(taken);
		return SHOWS_ENOMEM;
	}
	for (size_t i = 0; i < c->n; i++)
		fit[i] = shows_fit(&c->v[i], probs);
	for (k = 0; k < n; k++) {
		float best = 0;
		size_t bi = 0;
		int found = 0;
		for (size_t i = 0; i < c->n; i++) {
			float s;
			if (taken[i] || fit[i] <= 0)
				continue;
			s = fit[i] + SHOWS_JITTER * jitter(seed, &c->v[i]);
			for (size_t j = 0; j < k; j++)
				if (c->v[out[j].title].genres == c->v[i].genres)
					s -= SHOWS_SAME_GENRES;
			if (!found || s > best) {
				best = s;
				bi = i;
				found = 1;
			}
		}
		if (!found)
			break;
		taken[bi] = 1;
		out[k].title = bi;
		out[k].score = best;
		make_reason(out[k].reason, sizeof out[k].reason, &c->v[bi], probs);
	}
	if (nout)
		*nout = k;
	free(fit);
	free(taken);
	return 0;
}

int shows_search_url(const struct shows_title *t, char *buf, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char q[1024];
	size_t len;
	if (!t || !buf || !n)
		return SHOWS_EINVAL;
	snprintf(q, sizeof q, "%s %d %s", t->title, t->year, t->series ? "TV series" : "film");
	len = (size_t)snprintf(buf, n, "https://duckduckgo.com/?q=");
	if (len >= n)
		return SHOWS_ENOMEM;
	for (const unsigned char *p = (const unsigned char *)q; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			if (len + 1 >= n)
				return SHOWS_ENOMEM;
			buf[len++] = (char)*p;
		} else if (*p == ' ') {
			if (len + 1 >= n)
				return SHOWS_ENOMEM;
			buf[len++] = '+';
		} else {
			if (len + 3 >= n)
				return SHOWS_ENOMEM;
			buf[len++] = '%';
			buf[len++] = hex[*p >> 4];
			buf[len++] = hex[*p & 15];
		}
	}
	buf[len] = '\0';
	return 0;
}

const char *shows_strerror(int err)
{
	switch (err) {
	case SHOWS_OK: return "success";
	case SHOWS_ENOMEM: return "out of memory";
	case SHOWS_EIO: return "cannot read the catalogue";
	case SHOWS_ESYNTAX: return "malformed catalogue line";
	case SHOWS_EINVAL: return "invalid argument";
	default: return "unknown error";
	}
}
