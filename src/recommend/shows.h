/*
 * shows: the films and series catalogue (data/shows.tsv, shipped) and the
 * genre-to-mood mapping that picks titles for a mood.
 *
 * Catalogue file: UTF-8 text, one title a line, tab-separated
 *     title  year  kind  genres
 * kind is "film" or "series" (year: first release / first season);
 * genres are comma-separated names of shows.c's genre list. Lines that
 * start with '#' and blank lines are ignored.
 *
 * Genre-to-mood mapping (shows_genre_weight, documented with its sources in
 * doc/recommendation.md): for each emotion a weight in [-1, 1] per genre;
 * > 0 means the genre fits a viewer in that mood (mood management: lift a
 * negative mood with light, warm genres; never suggest horror to a
 * frightened viewer; follow a neutral or surprised viewer's curiosity).
 * A title's fit for emotion e is the mean of its genres' weights; for a
 * mood (probabilities) the probability-weighted sum over emotions.
 *
 * Ownership: shows_load*() return a catalogue freed with shows_free().
 */
#ifndef EMOTUNE_SHOWS_H
#define EMOTUNE_SHOWS_H

#include <stddef.h>
#include <stdint.h>

#include "recommend.h"

enum shows_err {
	SHOWS_OK = 0,
	SHOWS_ENOMEM = -1,
	SHOWS_EIO = -2,       /* the file could not be read (errno) */
	SHOWS_ESYNTAX = -3,   /* a malformed line (see *line) */
	SHOWS_EINVAL = -4,
};

enum shows_genre {
	SHOWS_ACTION, SHOWS_ADVENTURE, SHOWS_ANIMATION, SHOWS_BIOGRAPHY,
	SHOWS_COMEDY, SHOWS_CRIME, SHOWS_DOCUMENTARY, SHOWS_DRAMA, SHOWS_FAMILY,
	SHOWS_FANTASY, SHOWS_HISTORY, SHOWS_HORROR, SHOWS_MUSIC, SHOWS_MUSICAL,
	SHOWS_MYSTERY, SHOWS_ROMANCE, SHOWS_SCIFI, SHOWS_SPORT, SHOWS_THRILLER,
	SHOWS_WAR, SHOWS_WESTERN,
	SHOWS_NGENRES
};

struct shows_title {
	char *title;
	int year;
	int series;                   /* 0 film, 1 series */
	uint32_t genres;              /* bit (1 << enum shows_genre) per genre */
};

struct shows_catalogue {
	struct shows_title *v;
	size_t n;
};

/* Genre index of a name (case-insensitive), or SHOWS_EINVAL. */
int shows_genre_parse(const char *name);
/* The mapping: weight of genre g for emotion class cls, in [-1, 1]. */
float shows_genre_weight(int cls, int g);

/*
 * Parses a catalogue from text (len bytes). Strict: the first malformed
 * line (wrong column count, bad year, kind or unknown genre) fails with
 * SHOWS_ESYNTAX and its number in *line (may be NULL).
 */
int shows_load_mem(const char *text, size_t len, struct shows_catalogue **out, int *line);
/* Same from a file; SHOWS_EIO when it cannot be read. */
int shows_load(const char *path, struct shows_catalogue **out, int *line);
void shows_free(struct shows_catalogue *c);

/* Fit of a title for a mood: sum_e probs[e] * mean_g weight(e, g). */
float shows_fit(const struct shows_title *t, const float probs[VOCAB_NCLASSES]);

struct shows_pick {
	size_t title;                 /* index into the catalogue */
	float score;                  /* the fit, minus the diversity penalty */
	char reason[192];             /* "you look sad (62%): comedy, family suit that mood" */
};

/*
 * Up to n titles for the mood, best first: greedy by fit, with a small
 * penalty for a genre set equal to an earlier pick's and a seeded jitter
 * (deterministic for the seed). Only titles with a positive fit are
 * returned. Returns 0, SHOWS_EINVAL or SHOWS_ENOMEM.
 */
int shows_suggest(const struct shows_catalogue *c, const float probs[VOCAB_NCLASSES],
		  uint64_t seed, struct shows_pick *out, size_t n, size_t *nout);

/* "comedy,family" into buf (size n). */
void shows_genres_string(uint32_t genres, char *buf, size_t n);

/* A web search address for the title (DuckDuckGo, query "TITLE YEAR film|TV
 * series", percent-encoded). 0, or SHOWS_ENOMEM when it does not fit. */
int shows_search_url(const struct shows_title *t, char *buf, size_t n);

const char *shows_strerror(int err);

#endif
