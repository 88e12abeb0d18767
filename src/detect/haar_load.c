/* haar_load: OpenCV cascade XML (libxml2) into the model of haar_priv.h.
 * See haar.h. */
#include "haar_priv.h"
#include "regfile.h"
#include "vec.h"
#include "why.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define THRESHOLD_EPS 1e-5f   /* subtracted from every stage threshold */
#define MAX_WIN 1024          /* largest training window accepted */
#define MAX_ITEMS 2000000     /* sanity limit on stages, nodes, features */

struct loader {
	char *why;
	size_t n;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct loader *L, const xmlNode *at, const char *fmt, ...)
{
	if (L->why && L->n) {
		char msg[200];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		if (at && xmlGetLineNo(at) > 0)
			snprintf(L->why, L->n, "line %ld: %s", xmlGetLineNo(at), msg);
		else
			snprintf(L->why, L->n, "%s", msg);
	}
	return HAAR_EFORMAT;
}

static int is_elem(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_elem(c) && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static int count_items(const xmlNode *n)
{
	int k = 0;
	for (xmlNode *c = n->children; c; c = c->next)
		if (is_elem(c))
			k++;
	return k;
}

/* The text of n (its text and CDATA children, comments skipped), into buf. */
static int text_of(const xmlNode *n, char *buf, size_t size)
{
	size_t len = 0;
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			continue;
		if (!c->content)
			continue;
		size_t l = strlen((const char *)c->content);
		if (len + l + 1 > size)
			return -1;
		memcpy(buf + len, c->content, l);
		len += l;
	}
	buf[len] = '\0';
	return 0;
}

/* Parses up to max numbers from the text of n; returns how many, or -1 if
 * the text is not a list of numbers (or has more than max). */
static int numbers(const xmlNode *n, double *out, int max)
{
	char buf[4096];
	if (text_of(n, buf, sizeof buf) != 0)
		return -1;
	int k = 0;
	char *p = buf;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			return k;
		if (k == max)
			return -1;
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (end == p || errno == ERANGE || !isfinite(v))
			return -1;
		if (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
			return -1;
		out[k++] = v;
		p = end;
	}
}

static int as_int(double v, int *out)
{
	if (v != floor(v) || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* <name>N</name> under parent, an integer in [lo, hi]. */
static int int_field(struct loader *L, const xmlNode *parent, const char *name,
		     int lo, int hi, int *out)
{
	xmlNode *e = child(parent, name);
	double v;
	if (!e)
		return fail(L, parent, "<%s> missing", name);
	if (numbers(e, &v, 1) != 1 || as_int(v, out) != 0 || *out < lo || *out > hi)
		return fail(L, e, "<%s>: expected an integer in [%d, %d]", name, lo, hi);
	return 0;
}

static int word_field(struct loader *L, const xmlNode *parent, const char *name,
		      char *buf, size_t size)
{
	xmlNode *e = child(parent, name);
	if (!e)
		return fail(L, parent, "<%s> missing", name);
	char tmp[64];
	if (text_of(e, tmp, sizeof tmp) != 0)
		return fail(L, e, "<%s>: too long", name);
	const char *s = tmp;
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	size_t len = strcspn(s, " \n\t\r");
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

/* The list <name> under root (features, stages) into *list, its number of
 * items (1 to MAX_ITEMS) into *n. */
static int item_list(struct loader *L, const xmlNode *root, const char *name, xmlNode **list,
		     int *n)
{
	*list = child(root, name);
	if (!*list)
		return fail(L, root, "<%s> missing", name);
	*n = count_items(*list);
	if (*n < 1 || *n > MAX_ITEMS)
		return fail(L, *list, "<%s>: %d %s", name, *n, name);
	return 0;
}

static int load_features(struct loader *L, struct haar_cascade *c, const xmlNode *root)
{
	xmlNode *fs;
	int n, err = item_list(L, root, "features", &fs, &n);
	if (err)
		return err;
	c->nfeat = n;
	if (c->lbp)
		c->lf = calloc((size_t)n, sizeof *c->lf);
	else
		c->hf = calloc((size_t)n, sizeof *c->hf);
	if (!c->lf && !c->hf)
		return HAAR_ENOMEM;
	int i = 0;
	for (xmlNode *f = fs->children; f; f = f->next) {
		if (!is_elem(f))
			continue;
		double v[5];
		int r[4];
		if (c->lbp) {
			xmlNode *e = child(f, "rect");
			if (!e)
				return fail(L, f, "feature %d: <rect> missing", i);
			if (numbers(e, v, 4) != 4 || as_int(v[0], &r[0]) || as_int(v[1], &r[1]) ||
			    as_int(v[2], &r[2]) || as_int(v[3], &r[3]))
				return fail(L, e, "feature %d: <rect>: expected 4 integers", i);
			/* 3x3 cells of w x h must lie inside the window */
			if (r[0] < 0 || r[1] < 0 || r[2] < 1 || r[3] < 1 ||
			    r[2] > c->win_w || r[3] > c->win_h ||
			    r[0] + 3 * r[2] > c->win_w || r[1] + 3 * r[3] > c->win_h)
				return fail(L, e, "feature %d: rect outside the %dx%d window",
					    i, c->win_w, c->win_h);
			c->lf[i] = (struct lfeat){ r[0], r[1], r[2], r[3] };
		} else {
			struct hfeat *h = &c->hf[i];
			xmlNode *rs = child(f, "rects");
			if (!rs)
				return fail(L, f, "feature %d: <rects> missing", i);
			xmlNode *t = child(f, "tilted");
			int tilted = 0;
			if (t) {
				if (numbers(t, v, 1) != 1 || as_int(v[0], &tilted) != 0)
					return fail(L, t, "feature %d: <tilted>: expected 0 or 1", i);
				tilted = tilted != 0;
			}
			h->tilted = tilted;
			if (tilted)
				c->has_tilted = 1;
			int k = 0;
			for (xmlNode *e = rs->children; e; e = e->next) {
				if (!is_elem(e))
					continue;
				if (k == NRECT)
					return fail(L, e, "feature %d: more than %d rects", i, NRECT);
				if (numbers(e, v, 5) != 5 || as_int(v[0], &r[0]) || as_int(v[1], &r[1]) ||
				    as_int(v[2], &r[2]) || as_int(v[3], &r[3]))
					return fail(L, e, "feature %d: rect: expected x y w h weight", i);
				int bad;
				if (tilted) /* corners (x,y) (x-h,y+h) (x+w,y+w) (x+w-h,y+w+h) */
					bad = r[2] < 0 || r[3] < 0 || r[1] < 0 || r[0] - r[3] < 0 ||
						r[0] + r[2] > c->win_w ||
						r[1] + r[2] + r[3] > c->win_h;
				else
					bad = r[0] < 0 || r[1] < 0 || r[2] < 0 || r[3] < 0 ||
						r[0] + r[2] > c->win_w || r[1] + r[3] > c->win_h;
				if (bad || r[2] > c->win_w || r[3] > c->win_h)
					return fail(L, e, "feature %d: rect outside the %dx%d window",
						    i, c->win_w, c->win_h);
				memcpy(h->r[k], r, sizeof r);
				h->wt[k] = (float)v[4];
				k++;
			}
			if (k == 0)
				return fail(L, rs, "feature %d: no rects", i);
		}
		i++;
	}
	return 0;
}

/* Where load_stages is: the scratch for one element's numbers, the
 * capacities of the growing node and leaf arrays, and the counts so far. */
struct stage_fill {
	double *v;            /* the numbers of one <internalNodes> or <leafValues> */
	int step;             /* numbers per node: 4 (HAAR) or 3 + LBP_SUBSET (LBP) */
	size_t cap_nodes, cap_leaves;
	long nn;              /* nodes so far */
	int nleaves;          /* leaves so far */
	int wi;               /* weak classifiers so far */
};

/* First pass over <stages>: every stage has weak classifiers; their total
 * into *nw. */
static int count_weaks(struct loader *L, const xmlNode *ss, long *nw)
{
	*nw = 0;
	for (xmlNode *s = ss->children; s; s = s->next) {
		if (!is_elem(s))
			continue;
		xmlNode *ws = child(s, "weakClassifiers");
		if (!ws)
			return fail(L, s, "<weakClassifiers> missing");
		int k = count_items(ws);
		if (k < 1)
			return fail(L, ws, "stage without weak classifiers");
		*nw += k;
		if (*nw > MAX_ITEMS)
			return fail(L, ws, "too many weak classifiers");
	}
	return 0;
}

/* Room in c->nodes (and c->subsets) for nnode more nodes. */
static int grow_nodes(struct haar_cascade *c, struct stage_fill *F, int nnode)
{
	size_t need = (size_t)F->nn + (size_t)nnode, cap = F->cap_nodes, cap_sub = F->cap_nodes;
	if (vec_grow(&c->nodes, &cap, need, sizeof *c->nodes, 1024) ||
	    (c->lbp && vec_grow(&c->subsets, &cap_sub, need, LBP_SUBSET * sizeof *c->subsets, 1024)))
		return HAAR_ENOMEM;
	F->cap_nodes = cap;
	return 0;
}

/* Room in c->leaves for nl more leaves. */
static int grow_leaves(struct haar_cascade *c, struct stage_fill *F, int nl)
{
	size_t need = (size_t)F->nleaves + (size_t)nl;
	return vec_grow(&c->leaves, &F->cap_leaves, need, sizeof *c->leaves, 2048) ? HAAR_ENOMEM : 0;
}

/* The nnode nodes of one tree (F->step numbers each in F->v, from the
 * element in), checked, into c->nodes (and c->subsets) from F->nn on. */
static int load_nodes(struct loader *L, struct haar_cascade *c, const struct stage_fill *F,
		      const xmlNode *in, int nnode)
{
	for (int j = 0; j < nnode; j++) {
		const double *q = F->v + j * F->step;
		struct node *nd = &c->nodes[F->nn + j];
		if (as_int(q[0], &nd->left) || as_int(q[1], &nd->right) ||
		    as_int(q[2], &nd->feature))
			return fail(L, in, "<internalNodes>: node %d: expected integers", j);
		/* children: later nodes of the same tree, or leaves 0..nnode */
		if ((nd->left > 0 && (nd->left <= j || nd->left >= nnode)) ||
		    (nd->right > 0 && (nd->right <= j || nd->right >= nnode)) ||
		    nd->left < -nnode || nd->right < -nnode)
			return fail(L, in, "<internalNodes>: node %d: child out of range", j);
		if (nd->feature < 0 || nd->feature >= c->nfeat)
			return fail(L, in, "<internalNodes>: node %d: feature %d does not exist",
				    j, nd->feature);
		if (!c->lbp) {
			nd->thr = (float)q[3];
			continue;
		}
		nd->thr = 0.f;
		for (int b = 0; b < LBP_SUBSET; b++) {
			int word;
			if (as_int(q[3 + b], &word))
				return fail(L, in, "<internalNodes>: node %d: bad subset", j);
			c->subsets[(size_t)(F->nn + j) * LBP_SUBSET + (size_t)b] = (int32_t)word;
		}
	}
	return 0;
}

/* Weak classifier w of stage si: its tree and its leaves. */
static int load_weak(struct loader *L, struct haar_cascade *c, struct stage_fill *F,
		     const xmlNode *w, int si)
{
	xmlNode *in = child(w, "internalNodes"), *lv = child(w, "leafValues");
	if (!in || !lv)
		return fail(L, w, "stage %d: weak classifier without <internalNodes> or <leafValues>", si);
	int k = numbers(in, F->v, 512);
	if (k < F->step || k % F->step != 0)
		return fail(L, in, "<internalNodes>: expected groups of %d numbers", F->step);
	int nnode = k / F->step, err;
	if ((err = grow_nodes(c, F, nnode)) != 0)
		return err;
	struct weak *wk = &c->weaks[F->wi];
	wk->node0 = (int)F->nn;
	wk->nnodes = nnode;
	wk->leaf0 = F->nleaves;
	if (nnode > 1)
		c->stumps = 0;
	if ((err = load_nodes(L, c, F, in, nnode)) != 0)
		return err;
	int nl = numbers(lv, F->v, 512);
	if (nl != nnode + 1)
		return fail(L, lv, "<leafValues>: expected %d numbers", nnode + 1);
	if ((err = grow_leaves(c, F, nl)) != 0)
		return err;
	for (int j = 0; j < nl; j++)
		c->leaves[F->nleaves + j] = (float)F->v[j];
	F->nleaves += nl;
	F->nn += nnode;
	if (F->nn > MAX_ITEMS)
		return fail(L, in, "too many nodes");
	F->wi++;
	return 0;
}

/* Stage s (number si): its threshold and its weak classifiers. */
static int load_stage(struct loader *L, struct haar_cascade *c, struct stage_fill *F,
		      const xmlNode *s, int si)
{
	xmlNode *te = child(s, "stageThreshold");
	double thr;
	if (!te || numbers(te, &thr, 1) != 1)
		return fail(L, te ? te : s, "stage %d: <stageThreshold>: expected a number", si);
	struct stage *st = &c->stages[si];
	st->thr = (float)thr - THRESHOLD_EPS;
	st->weak0 = F->wi;
	int err = 0;
	for (xmlNode *w = child(s, "weakClassifiers")->children; w && !err; w = w->next)
		if (is_elem(w))
			err = load_weak(L, c, F, w, si);
	st->nweak = F->wi - st->weak0;
	return err;
}

static int load_stages(struct loader *L, struct haar_cascade *c, const xmlNode *root)
{
	xmlNode *ss;
	long nw;
	int ns, err;
	if ((err = item_list(L, root, "stages", &ss, &ns)) != 0 ||
	    (err = count_weaks(L, ss, &nw)) != 0)
		return err;
	c->nstages = ns;
	c->nweaks = (int)nw;
	c->stages = calloc((size_t)ns, sizeof *c->stages);
	c->weaks = calloc((size_t)nw, sizeof *c->weaks);
	if (!c->stages || !c->weaks)
		return HAAR_ENOMEM;
	struct stage_fill F = { .step = c->lbp ? 3 + LBP_SUBSET : 4 };
	c->stumps = 1;
	F.v = malloc(sizeof *F.v * 512);
	if (!F.v)
		return HAAR_ENOMEM;
	int si = 0;
	for (xmlNode *s = ss->children; s && !err; s = s->next)
		if (is_elem(s))
			err = load_stage(L, c, &F, s, si++);
	free(F.v);
	c->nnodes = (int)F.nn;
	c->nleaves = F.nleaves;
	return err;
}

static int load_doc(struct loader *L, xmlDoc *doc, struct haar_cascade **out)
{
	xmlNode *top = xmlDocGetRootElement(doc);
	if (!top)
		return fail(L, NULL, "empty XML document");
	if (strcmp((const char *)top->name, "opencv_storage") != 0)
		return fail(L, top, "not an OpenCV cascade (root element <%s>)", (const char *)top->name);
	xmlNode *root = top->children;
	while (root && !is_elem(root))
		root = root->next;
	if (!root)
		return fail(L, top, "no cascade in <opencv_storage>");
	xmlChar *type = xmlGetProp(root, (const xmlChar *)"type_id");
	if (type) {
		int old = strcmp((const char *)type, "opencv-haar-classifier") == 0;
		int known = strcmp((const char *)type, "opencv-cascade-classifier") == 0;
		char t[64];
		snprintf(t, sizeof t, "%s", (const char *)type);
		xmlFree(type);
		if (old)
			return fail(L, root, "old-format cascade (opencv-haar-classifier) is not supported; "
				    "convert it with opencv_traincascade");
		if (!known) {
			fail(L, root, "unknown cascade type '%s'", t);
			return HAAR_EUNSUPPORTED;
		}
	}
	char word[32];
	int err;
	if ((err = word_field(L, root, "stageType", word, sizeof word)) != 0)
		return err;
	if (strcmp(word, "BOOST") != 0) {
		fail(L, child(root, "stageType"), "unsupported stage type '%s'", word);
		return HAAR_EUNSUPPORTED;
	}
	if ((err = word_field(L, root, "featureType", word, sizeof word)) != 0)
		return err;
	int lbp;
	if (strcmp(word, "HAAR") == 0)
		lbp = 0;
	else if (strcmp(word, "LBP") == 0)
		lbp = 1;
	else {
		fail(L, child(root, "featureType"), "unsupported feature type '%s'", word);
		return HAAR_EUNSUPPORTED;
	}
	struct haar_cascade *c = calloc(1, sizeof *c);
	if (!c)
		return HAAR_ENOMEM;
	c->lbp = lbp;
	if ((err = int_field(L, root, "width", 3, MAX_WIN, &c->win_w)) != 0 ||
	    (err = int_field(L, root, "height", 3, MAX_WIN, &c->win_h)) != 0)
		goto out;
	xmlNode *fp = child(root, "featureParams");
	int ncat = 0;
	if (fp && child(fp, "maxCatCount") &&
	    (err = int_field(L, fp, "maxCatCount", 0, 1 << 20, &ncat)) != 0)
		goto out;
	if (ncat != (lbp ? 256 : 0)) {
		fail(L, fp, "maxCatCount %d with %s features is not supported", ncat, lbp ? "LBP" : "HAAR");
		err = HAAR_EUNSUPPORTED;
		goto out;
	}
	if ((err = load_features(L, c, root)) != 0 || (err = load_stages(L, c, root)) != 0)
		goto out;
	*out = c;
	return 0;
out:
	haar_free(c);
	return err;
}

static int parse_opts(void)
{
	return XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS;
}

static int parse_error(struct loader *L)
{
	const xmlError *e = xmlGetLastError();
	if (e && e->message) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s", e->message);
		size_t l = strlen(msg);
		while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
			msg[--l] = '\0';
		if (e->line > 0)
			snprintf(L->why, L->n, "line %d: not well-formed XML: %s", e->line, msg);
		else
			snprintf(L->why, L->n, "not well-formed XML: %s", msg);
	} else {
		snprintf(L->why, L->n, "not well-formed XML");
	}
	return HAAR_EFORMAT;
}

int haar_load_mem(const char *buf, size_t len, struct haar_cascade **out, char *why, size_t n)
{
	char dummy[1];
	struct loader L = { why ? why : dummy, why ? n : sizeof dummy };
	L.why[0] = '\0';
	*out = NULL;
	if (len > INT_MAX)
		return fail(&L, NULL, "file too large");
	xmlResetLastError();
	xmlDoc *doc = xmlReadMemory(buf, (int)len, "cascade.xml", NULL, parse_opts());
	if (!doc)
		return parse_error(&L);
	int err = load_doc(&L, doc, out);
	xmlFreeDoc(doc);
	return err;
}

int haar_load(const char *path, struct haar_cascade **out, char *why, size_t n)
{
	*out = NULL;
	FILE *f = regfile_fopen(path);
	if (!f) {
		why_set(why, n, "%s", regfile_strerror(errno));
		return HAAR_EIO;
	}
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fclose(f);
			return HAAR_ENOMEM;
		}
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		if (cap >= (size_t)1 << 30) {
			free(buf);
			fclose(f);
			why_set(why, n, "file too large");
			return HAAR_EFORMAT;
		}
		cap *= 2;
		char *p = realloc(buf, cap);
		if (!p)
			free(buf);
		buf = p;
	}
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		free(buf);
		why_set(why, n, "read error");
		return HAAR_EIO;
	}
	if (len == 0) {
		free(buf);
		why_set(why, n, "empty file");
		return HAAR_EFORMAT;
	}
	int err = haar_load_mem(buf, len, out, why, n);
	free(buf);
	return err;
}
