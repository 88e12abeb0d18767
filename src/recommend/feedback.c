/* feedback: listener feedback in SQLite and the learned term. See feedback.h. */
#include "feedback.h"
#include "vec.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const kind_names[] = { "like", "dislike", "skip", "play" };

const char *feedback_kind_name(enum feedback_kind kind)
{
	return (unsigned)kind < 4 ? kind_names[kind] : "?";
}

int feedback_kind_parse(const char *name)
{
	for (int i = 0; name && i < 4; i++)
		if (strcasecmp(name, kind_names[i]) == 0)
			return i;
	return -1;
}

int feedback_init(struct sqlite3 *db)
{
	static const char schema[] =
		"CREATE TABLE IF NOT EXISTS feedback_events("
		" id INTEGER PRIMARY KEY,"
		" t REAL NOT NULL,"
		" path TEXT NOT NULL,"
		" kind TEXT NOT NULL CHECK (kind IN ('like','dislike','skip','play')),"
		" position REAL NOT NULL DEFAULT 0,"
		" mood INTEGER NOT NULL DEFAULT -1,"
		" valence REAL NOT NULL DEFAULT 0,"
		" arousal REAL NOT NULL DEFAULT 0);"
		"CREATE INDEX IF NOT EXISTS feedback_events_path ON feedback_events(path);";
	if (!db)
		return FEEDBACK_EINVAL;
	return sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK ? 0 : FEEDBACK_EDB;
}

/* 1 when the table exists, 0 when not, FEEDBACK_EDB on failure. Readers do
 * not create it: a read-only command leaves the file as it was. */
static int table_exists(struct sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feedback_events'",
			       -1, &st, NULL) != SQLITE_OK)
		return FEEDBACK_EDB;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : FEEDBACK_EDB;
}

int feedback_record(struct sqlite3 *db, const struct feedback_event *ev)
{
	sqlite3_stmt *st = NULL;
	int err;
	if (!db || !ev || !ev->path || (unsigned)ev->kind > FEEDBACK_PLAY)
		return FEEDBACK_EINVAL;
	if ((err = feedback_init(db)))
		return err;
	if (sqlite3_prepare_v2(db, "INSERT INTO feedback_events(t, path, kind, position, mood, valence, arousal)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return FEEDBACK_EDB;
	sqlite3_bind_double(st, 1, ev->t > 0 ? ev->t : (double)time(NULL));
	sqlite3_bind_text(st, 2, ev->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind_names[ev->kind], -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 4, isfinite(ev->position) ? ev->position : 0);
	sqlite3_bind_int(st, 5, ev->mood >= 0 && ev->mood < VOCAB_NCLASSES ? ev->mood : -1);
	sqlite3_bind_double(st, 6, isfinite(ev->point.valence) ? ev->point.valence : 0);
	sqlite3_bind_double(st, 7, isfinite(ev->point.arousal) ? ev->point.arousal : 0);
	err = sqlite3_step(st) == SQLITE_DONE ? 0 : FEEDBACK_EDB;
	sqlite3_finalize(st);
	return err;
}

double feedback_weight(enum feedback_kind kind, double position)
{
	switch (kind) {
	case FEEDBACK_LIKE: return 1.0;
	case FEEDBACK_DISLIKE: return -1.0;
	case FEEDBACK_SKIP: return position < FEEDBACK_EARLY_SKIP ? -0.5 : 0.0;
	case FEEDBACK_PLAY:
	default: return 0.0;
	}
}

double feedback_similarity(struct recommend_point a, struct recommend_point b)
{
	double dv = a.valence - b.valence, da = a.arousal - b.arousal;
	return exp(-(dv * dv + da * da) / (2 * FEEDBACK_SIGMA * FEEDBACK_SIGMA));
}

struct idx {
	const char *path;
	size_t i;
};

static int idx_cmp(const void *a, const void *b)
{
	const struct idx *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

int feedback_terms(struct sqlite3 *db, struct recommend_point m,
		   struct recommend_track *tracks, size_t n)
{
	sqlite3_stmt *st = NULL;
	struct idx *ix;
	double *sum;
	size_t ni = 0;
	int err = 0, rc;
	if (!db || (!tracks && n))
		return FEEDBACK_EINVAL;
	for (size_t i = 0; i < n; i++)
		tracks[i].feedback = 0;
	if (n == 0)
		return 0;
	if ((err = table_exists(db)) <= 0)
		return err;
	err = 0;
	ix = malloc(n * sizeof *ix);
	sum = calloc(n, sizeof *sum);
	if (!ix || !sum) {
		err = FEEDBACK_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		if (tracks[i].path)
			ix[ni++] = (struct idx){ tracks[i].path, i };
	qsort(ix, ni, sizeof *ix, idx_cmp);
	if (sqlite3_prepare_v2(db, "SELECT path, kind, position, valence, arousal FROM feedback_events"
			       " WHERE kind <> 'play'", -1, &st, NULL) != SQLITE_OK) {
		err = FEEDBACK_EDB;
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 0);
		int kind = feedback_kind_parse((const char *)sqlite3_column_text(st, 1));
		struct recommend_point p = { (float)sqlite3_column_double(st, 3),
					     (float)sqlite3_column_double(st, 4) };
		double w;
		size_t lo = 0, hi = ni;
		if (!path || kind < 0)
			continue;
		w = feedback_weight((enum feedback_kind)kind, sqlite3_column_double(st, 2));
		if (w == 0)
			continue;
		w *= feedback_similarity(p, m);
		/* first entry with this path, then every duplicate */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(ix[mid].path, path) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < ni && strcmp(ix[lo].path, path) == 0; lo++)
			sum[ix[lo].i] += w;
	}
	if (rc != SQLITE_DONE)
		err = FEEDBACK_EDB;
	for (size_t i = 0; !err && i < n; i++)
		tracks[i].feedback = (float)tanh(sum[i]);
done:
	sqlite3_finalize(st);
	free(ix);
	free(sum);
	return err;
}

void feedback_history_free(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

/* The paths the query sql (one parameter: a row limit) gives, at most
 * max, in its order. */
static int query_paths(struct sqlite3 *db, const char *sql, size_t max, char ***out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	char **v = NULL;
	size_t k = 0, cap = 0;
	int err = 0, rc;
	if (!db || !out || !n)
		return FEEDBACK_EINVAL;
	*out = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if ((err = table_exists(db)) <= 0)
		return err;
	err = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return FEEDBACK_EDB;
	sqlite3_bind_int64(st, 1, max > INT64_MAX ? INT64_MAX : (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		if (vec_grow(&v, &cap, k + 1, sizeof *v, 32)) {
			err = FEEDBACK_ENOMEM;
			break;
		}
		if (!(v[k] = strdup(p ? p : ""))) {
			err = FEEDBACK_ENOMEM;
			break;
		}
		k++;
	}
	if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = FEEDBACK_EDB;
	sqlite3_finalize(st);
	if (err) {
		feedback_history_free(v, k);
		return err;
	}
	*out = v;
	*n = k;
	return 0;
}

int feedback_history(struct sqlite3 *db, size_t max, char ***out, size_t *n)
{
	int err = query_paths(db, "SELECT path FROM feedback_events WHERE kind = 'play'"
			      " ORDER BY t DESC, id DESC LIMIT ?", max, out, n);
	if (err)
		return err;
	/* newest first from the query: reverse to oldest first */
	char **v = *out;
	size_t k = *n;
	for (size_t i = 0; i < k / 2; i++) {
		char *tmp = v[i];
		v[i] = v[k - 1 - i];
		v[k - 1 - i] = tmp;
	}
	return 0;
}

int feedback_liked(struct sqlite3 *db, char ***out, size_t *n)
{
	return query_paths(db, "SELECT DISTINCT path FROM feedback_events WHERE kind = 'like'"
			   " ORDER BY path LIMIT ?", SIZE_MAX, out, n);
}

const char *feedback_strerror(int err)
{
	switch (err) {
	case FEEDBACK_OK: return "success";
	case FEEDBACK_ENOMEM: return "out of memory";
	case FEEDBACK_EDB: return "database error";
	case FEEDBACK_EINVAL: return "invalid argument";
	default: return "unknown error";
	}
}
