/* lib_scan_walk: the coordinator thread. Walks the roots (each folder
 * once), compares every audio file with the index (unchanged, re-rated
 * from its stored features, or queued for the workers), writes the
 * results as they come (lib_scan_db.c) and prunes the rows of files that
 * are gone. See lib_scan.h; lib_scan_priv.h for the thread rules. */
#include "lib_scan_priv.h"
#include "vec.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- the index of known paths, the folders visited ------------------------- */

static uint64_t hash_str(const char *p)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return h;
}

int lib_scan_build_hash(struct lib_scan *s)
{
	s->hcap = 16;
	while (s->hcap < s->nent * 2)
		s->hcap *= 2;
	s->hash = calloc(s->hcap, sizeof *s->hash);
	s->seen = calloc(s->nent ? s->nent : 1, 1);
	if (!s->hash || !s->seen)
		return LIB_SCAN_ENOMEM;
	for (size_t i = 0; i < s->nent; i++) {
		size_t h = (size_t)hash_str(s->ent[i].path) & (s->hcap - 1);
		while (s->hash[h])
			h = (h + 1) & (s->hcap - 1);
		s->hash[h] = i + 1;
	}
	return 0;
}

static struct lib_entry *lookup(struct lib_scan *s, const char *path, size_t *idx)
{
	size_t h = (size_t)hash_str(path) & (s->hcap - 1);
	while (s->hash[h]) {
		size_t i = s->hash[h] - 1;
		if (strcmp(s->ent[i].path, path) == 0) {
			*idx = i;
			return &s->ent[i];
		}
		h = (h + 1) & (s->hcap - 1);
	}
	return NULL;
}

/* 1 if (dev, ino) was visited already; else records it. -1: out of memory. */
static int visited(struct lib_scan *s, dev_t dev, ino_t ino)
{
	if (s->ndirs * 2 >= s->dcap) {
		size_t nc = s->dcap ? s->dcap * 2 : 1024;
		struct devino *nd = calloc(nc, sizeof *nd);
		if (!nd)
			return -1;
		for (size_t i = 0; i < s->dcap; i++)
			if (s->dirs[i].used) {
				size_t h = (size_t)((uint64_t)s->dirs[i].dev * 31 + (uint64_t)s->dirs[i].ino) * 2654435761u & (nc - 1);
				while (nd[h].used)
					h = (h + 1) & (nc - 1);
				nd[h] = s->dirs[i];
			}
		free(s->dirs);
		s->dirs = nd;
		s->dcap = nc;
	}
	size_t h = (size_t)((uint64_t)dev * 31 + (uint64_t)ino) * 2654435761u & (s->dcap - 1);
	while (s->dirs[h].used) {
		if (s->dirs[h].dev == dev && s->dirs[h].ino == ino)
			return 1;
		h = (h + 1) & (s->dcap - 1);
	}
	s->dirs[h] = (struct devino){ dev, ino, 1 };
	s->ndirs++;
	return 0;
}

/* --- walk, compare, prune -------------------------------------------------- */

static int queue_job(struct lib_scan *s, const char *path, const struct stat *st, int existing)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j || !(j->path = strdup(path))) {
		free(j);
		return LIB_SCAN_ENOMEM;
	}
	j->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	j->size = st->st_size;
	j->existing = existing;
	pthread_mutex_lock(&s->lock);
	if (s->jt)
		s->jt->next = j;
	else
		s->jh = j;
	s->jt = j;
	s->njobs++;
	s->snap.total++;
	pthread_cond_signal(&s->job_cv);
	pthread_mutex_unlock(&s->lock);
	s->pending++;
	return 0;
}

/* Recomputes the mood of an unchanged row from its stored features. */
static int remood(struct lib_scan *s, struct lib_entry *e)
{
	float f[ANALYSIS_NFEAT], v, a;
	if (lib_db_features(s->db, e->id, f, ANALYSIS_NFEAT))
		return -1;
	if (analysis_silent(f))
		v = a = NAN;
	else
		musicmood_predict(s->mm, f, &v, &a, NULL);
	if (!s->in_tx)
		lib_scan_commit(s, 1);
	if (!s->in_tx || lib_db_set_mood(s->db, e->id, v, a, musicmood_id(s->mm))) {
		if (!s->dberr)
			lib_scan_db_failed(s, e->path);
	} else {
		s->tx_remood++;
	}
	s->batch++;
	return 0;
}

/* One audio file met by the walk. */
static void consider(struct lib_scan *s, const char *path, const struct stat *st)
{
	int64_t mtime = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	size_t idx;
	struct lib_entry *e = lookup(s, path, &idx);
	lib_scan_bump(s, &s->snap.found);
	if (e) {
		s->seen[idx] = 1;
		/* A path may have a failure row and no track row, never both. */
		if (e->mtime == mtime && e->size == st->st_size &&
		    e->feature_version == ANALYSIS_VERSION) {
			if (e->failed) {
				lib_scan_bump(s, &s->snap.failed);
				return;
			}
			if (strcmp(e->model, musicmood_id(s->mm)) == 0) {
				lib_scan_bump(s, &s->snap.unchanged);
				return;
			}
			if (remood(s, e) == 0)
				return;
		}
	}
	if (queue_job(s, path, st, e && !e->failed))
		lib_scan_report(s, path, "out of memory (skipped)");
}

static int add_bad(struct lib_scan *s, const char *dir)
{
	char **nb = realloc(s->bad, (s->nbad + 1) * sizeof *nb);
	if (!nb)
		return -1;
	s->bad = nb;
	if (!(s->bad[s->nbad] = strdup(dir)))
		return -1;
	s->nbad++;
	return 0;
}

/* Walks root depth-first with an explicit stack of paths. */
static void walk(struct lib_scan *s, const char *root)
{
	size_t cap = 64, n = 0;
	char **stack = malloc(cap * sizeof *stack);
	if (!stack || !(stack[n++] = strdup(root))) {
		free(stack);
		lib_scan_report(s, root, "out of memory");
		return;
	}
	size_t since_drain = 0;
	while (n > 0 && !lib_scan_cancelled(s)) {
		char *dir = stack[--n];
		DIR *d = opendir(dir);
		struct stat dst;
		if (!d) {
			lib_scan_report(s, dir, "%s (folder skipped)", strerror(errno));
			lib_scan_bump(s, &s->snap.skipped);
			add_bad(s, dir);
			free(dir);
			continue;
		}
		if (fstat(dirfd(d), &dst) == 0 && visited(s, dst.st_dev, dst.st_ino)) {
			closedir(d);
			free(dir);
			continue;
		}
		struct dirent *de;
		char path[PATH_MAX];
		const int dfd = dirfd(d);
		while ((de = readdir(d)) != NULL && !lib_scan_cancelled(s)) {
			const char *name = de->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			int isdir = de->d_type == DT_DIR, isreg = de->d_type == DT_REG;
			if (!isdir && !isreg && de->d_type != DT_LNK && de->d_type != DT_UNKNOWN &&
			    !lib_scan_is_audio_name(name))
				continue;  /* FIFOs and the like with a music name are counted below */
			if (!isdir && !lib_scan_is_audio_name(name) && de->d_type != DT_LNK &&
			    de->d_type != DT_UNKNOWN)
				continue;
			int len = snprintf(path, sizeof path, "%s%s%s", dir,
					   dir[strlen(dir) - 1] == '/' ? "" : "/", name);
			if (len >= (int)sizeof path) {
				lib_scan_report(s, dir, "a name in this folder is too long (skipped)");
				lib_scan_bump(s, &s->snap.skipped);
				continue;
			}
			struct stat st;
			if (!isdir && !lib_scan_is_audio_name(name)) {
				/* link or unknown type: only folders matter */
				if (fstatat(dfd, name, &st, 0) != 0 || !S_ISDIR(st.st_mode))
					continue;
				isdir = 1;
			}
			if (!lib_scan_name_ok(name)) {
				lib_scan_report(s, path, "name is not valid UTF-8 or has control characters (skipped)");
				lib_scan_bump(s, &s->snap.skipped);
				continue;
			}
			/* Relative to the open folder: the kernel resolves one name, not
			 * the whole path (most of a rescan's time is these calls). */
			if (fstatat(dfd, name, &st, 0) != 0) {
				if (!isdir) {
					/* vanished, or a dangling link */
					lib_scan_report(s, path, "%s (skipped)", strerror(errno));
					lib_scan_bump(s, &s->snap.skipped);
				}
				continue;
			}
			if (S_ISDIR(st.st_mode)) {
				if (vec_grow(&stack, &cap, n + 1, sizeof *stack, 64)) {
					lib_scan_report(s, path, "out of memory (folder skipped)");
					add_bad(s, path);
					continue;
				}
				if (!(stack[n] = strdup(path))) {
					add_bad(s, path);
					continue;
				}
				n++;
			} else if (S_ISREG(st.st_mode)) {
				consider(s, path, &st);
			} else {
				/* a FIFO, device or socket with a music name: never opened */
				lib_scan_report(s, path, "not a regular file (skipped)");
				lib_scan_bump(s, &s->snap.skipped);
			}
			if (++since_drain >= 256) {
				since_drain = 0;
				lib_scan_drain(s, 0);
			}
		}
		closedir(d);
		free(dir);
		lib_scan_drain(s, 0);
	}
	while (n > 0)
		free(stack[--n]);
	free(stack);
}

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strncmp(path, dir, n) != 0)
		return 0;
	return dir[n - 1] == '/' || path[n] == '/' || path[n] == 0;
}

static void prune(struct lib_scan *s, const unsigned char *root_ok)
{
	for (size_t i = 0; i < s->nent && !lib_scan_cancelled(s); i++) {
		if (s->seen[i])
			continue;
		const char *p = s->ent[i].path;
		int in = 0;
		for (size_t r = 0; r < s->nroots && !in; r++)
			in = root_ok[r] && under(p, s->roots[r]);
		for (size_t b = 0; in && b < s->nbad; b++)
			if (under(p, s->bad[b]))
				in = 0;
		if (!in)
			continue;
		if (!s->in_tx)
			lib_scan_commit(s, 1);
		if (!s->in_tx || lib_db_remove(s->db, p)) {
			if (!s->dberr)
				lib_scan_db_failed(s, p);
			break;
		}
		s->batch++;
		if (!s->ent[i].failed)
			s->tx_removed++;
		lib_scan_maybe_commit(s);
	}
}

void *lib_scan_coordinator(void *arg)
{
	struct lib_scan *s = arg;
	unsigned char *root_ok = calloc(s->nroots ? s->nroots : 1, 1);
	lib_scan_commit(s, 0);
	for (size_t r = 0; r < s->nroots && root_ok && !lib_scan_cancelled(s); r++) {
		struct stat st;
		if (stat(s->roots[r], &st) != 0) {
			lib_scan_report(s, s->roots[r], "%s", strerror(errno));
			lib_scan_bump(s, &s->snap.bad_roots);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			if (lib_scan_is_audio_name(s->roots[r]))
				consider(s, s->roots[r], &st);
			continue;
		}
		size_t nbad = s->nbad;
		walk(s, s->roots[r]);
		/* An unreadable root prunes nothing. */
		root_ok[r] = !(s->nbad > nbad && strcmp(s->bad[nbad], s->roots[r]) == 0);
		if (!root_ok[r])
			lib_scan_bump(s, &s->snap.bad_roots);
	}
	pthread_mutex_lock(&s->lock);
	s->closed = 1;
	s->snap.walking = 0;
	pthread_cond_broadcast(&s->job_cv);
	pthread_mutex_unlock(&s->lock);
	lib_scan_wake(s);
	while (s->pending > s->nready)
		lib_scan_drain(s, 1);
	lib_scan_flush(s);
	if (!lib_scan_cancelled(s) && root_ok)
		prune(s, root_ok);
	lib_scan_commit(s, 0);
	free(root_ok);
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	s->nworkers = 0;
	pthread_mutex_lock(&s->lock);
	s->snap.finished = 1;
	s->snap.current[0] = 0;
	s->snap.elapsed_s = lib_scan_since(&s->t0);
	pthread_mutex_unlock(&s->lock);
	lib_scan_wake(s);
	return NULL;
}
