/* Unit tests for shows: the shipped catalogue, parsing, the genre-to-mood
 * mapping and suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recommend.h"
#include "shows.h"

enum { ANGRY, DISGUST, FEAR, HAPPY, NEUTRAL, SAD, SURPRISE };

static struct shows_catalogue *shipped(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	struct shows_catalogue *c = NULL;
	int line = -1;
	snprintf(path, sizeof path, "%s/data/shows.tsv", top ? top : ".");
	int err = shows_load(path, &c, &line);
	if (err)
		print_error("%s: line %d: %s\n", path, line, shows_strerror(err));
	assert_int_equal(err, 0);
	return c;
}

static void catalogue(void **state)
{
	struct shows_catalogue *c = shipped();
	size_t films = 0, series = 0;
	(void)state;
	assert_true(c->n >= 150);
	for (size_t i = 0; i < c->n; i++) {
		assert_true(c->v[i].genres != 0);
		assert_true(c->v[i].year >= 1900 && c->v[i].year <= 2030);
		if (c->v[i].series)
			series++;
		else
			films++;
		for (size_t j = 0; j < i; j++)
			assert_false(strcmp(c->v[i].title, c->v[j].title) == 0 && c->v[i].year == c->v[j].year &&
				     c->v[i].series == c->v[j].series);
	}
	assert_true(films >= 50 && series >= 50);
	/* every genre is used, so every column of the mapping matters */
	for (int g = 0; g < SHOWS_NGENRES; g++) {
		int used = 0;
		for (size_t i = 0; i < c->n; i++)
			used |= (c->v[i].genres >> g) & 1;
		assert_true(used);
	}
	shows_free(c);
}

static void parsing(void **state)
{
	struct shows_catalogue *c = NULL;
	int line = 0;
	static const char good[] = "# header\n\nUp\t2009\tfilm\tanimation, comedy\r\nFriends\t1994\tseries\tcomedy,romance";
	(void)state;
	assert_int_equal(shows_load_mem(good, sizeof good - 1, &c, &line), 0);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->v[0].title, "Up");
	assert_int_equal(c->v[0].genres, (1u << SHOWS_ANIMATION) | (1u << SHOWS_COMEDY));
	assert_int_equal(c->v[1].series, 1);
	char buf[64];
	shows_genres_string(c->v[1].genres, buf, sizeof buf);
	assert_string_equal(buf, "comedy,romance");
	shows_free(c);

	static const char *const bad[] = {
		"Up\t2009\tfilm\n",                       /* 3 columns */
		"Up\t2009\tfilm\tcomedy\textra\n",        /* 5 columns */
		"Up\tlast year\tfilm\tcomedy\n",          /* year */
		"Up\t2009\tmovie\tcomedy\n",              /* kind */
		"Up\t2009\tfilm\tcomedy,telenovela\n",    /* unknown genre */
		"Up\t2009\tfilm\t\n",                     /* no genre */
		"\t2009\tfilm\tcomedy\n",                 /* no title */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "Friends\t1994\tseries\tcomedy\n%s", bad[i]);
		c = (struct shows_catalogue *)1;
		assert_int_equal(shows_load_mem(text, strlen(text), &c, &line), SHOWS_ESYNTAX);
		assert_null(c);
		assert_int_equal(line, 2);
	}
	assert_int_equal(shows_load("/nonexistent/shows.tsv", &c, &line), SHOWS_EIO);
	assert_int_equal(shows_load_mem("", 0, &c, &line), 0);
	assert_int_equal(c->n, 0);
	shows_free(c);
}

/* Suggestions fit: every pick has a genre with a positive weight for the
 * mood, a positive fit, and no horror for a frightened or sad viewer. */
static void suggestions_fit(void **state)
{
	struct shows_catalogue *c = shipped();
	struct shows_pick pk[10];
	float p[VOCAB_NCLASSES];
	size_t got;
	(void)state;
	for (int e = 0; e < VOCAB_NCLASSES; e++) {
		recommend_onehot(e, p);
		assert_int_equal(shows_suggest(c, p, 1, pk, 10, &got), 0);
		assert_int_equal(got, 10);
		for (size_t k = 0; k < got; k++) {
			const struct shows_title *t = &c->v[pk[k].title];
			int fits = 0;
			for (int g = 0; g < SHOWS_NGENRES; g++)
				if ((t->genres >> g & 1) && shows_genre_weight(e, g) > 0)
					fits = 1;
			assert_true(fits);
			assert_true(shows_fit(t, p) > 0.3f);
			assert_non_null(strstr(pk[k].reason, vocab_class_name(e)));
			if (e == FEAR || e == SAD || e == DISGUST || e == ANGRY) {
				assert_false(t->genres & (1u << SHOWS_HORROR));
				assert_false(t->genres & (1u << SHOWS_WAR));
			}
		}
	}
	/* sad: the top picks are light: comedy, family or animation */
	recommend_onehot(SAD, p);
	assert_int_equal(shows_suggest(c, p, 1, pk, 5, &got), 0);
	for (size_t k = 0; k < got; k++)
		assert_true(c->v[pk[k].title].genres &
			    ((1u << SHOWS_COMEDY) | (1u << SHOWS_FAMILY) | (1u << SHOWS_ANIMATION)));
	/* a mixed mood blends the two */
	assert_int_equal(recommend_parse_probs("0,0,0,0.5,0.5,0,0", p), 0);
	assert_int_equal(shows_suggest(c, p, 1, pk, 5, &got), 0);
	assert_int_equal(got, 5);
	shows_free(c);
}

static void deterministic_and_diverse(void **state)
{
	struct shows_catalogue *c = shipped();
	struct shows_pick a[10], b[10];
	float p[VOCAB_NCLASSES];
	size_t got;
	(void)state;
	recommend_onehot(HAPPY, p);
	assert_int_equal(shows_suggest(c, p, 7, a, 10, &got), 0);
	assert_int_equal(shows_suggest(c, p, 7, b, 10, &got), 0);
	for (size_t k = 0; k < got; k++)
		assert_int_equal(a[k].title, b[k].title);
	/* no genre set appears more than twice among the top 10 */
	for (size_t k = 0; k < got; k++) {
		int same = 0;
		for (size_t j = 0; j < got; j++)
			same += c->v[a[j].title].genres == c->v[a[k].title].genres;
		assert_true(same <= 2);
	}
	shows_free(c);
}

static void search_url(void **state)
{
	struct shows_title t = { .title = "Amélie & co", .year = 2001, .series = 0, .genres = 1 };
	char buf[256];
	(void)state;
	assert_int_equal(shows_search_url(&t, buf, sizeof buf), 0);
	assert_string_equal(buf, "https://duckduckgo.com/?q=Am%C3%A9lie+%26+co+2001+film");
	t.series = 1;
	assert_int_equal(shows_search_url(&t, buf, sizeof buf), 0);
	assert_non_null(strstr(buf, "TV+series"));
	assert_int_equal(shows_search_url(&t, buf, 20), SHOWS_ENOMEM);
	assert_int_equal(shows_genre_parse("Sci-Fi"), SHOWS_SCIFI);
	assert_int_equal(shows_genre_parse("opera"), SHOWS_EINVAL);
	assert_float_equal(shows_genre_weight(FEAR, SHOWS_HORROR), -1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue),
		cmocka_unit_test(parsing),
		cmocka_unit_test(suggestions_fit),
		cmocka_unit_test(deterministic_and_diverse),
		cmocka_unit_test(search_url),
	};
	return cmocka_run_group_tests_name("shows", tests, NULL, NULL);
}
