/*
 * dn_priv: what dn_cfg.c (the strict cfg grammar, the shapes and parameter
 * counts it gives, the weights checks) shares with dn.c (the libraries and
 * the network). Not for other modules: they use dn.h.
 *
 * Ownership and threads: dn_model_load() fills a struct model whose
 * sections (m->s) the caller frees with free(); nothing here keeps state,
 * so any thread may call these on its own model.
 */
#ifndef EMOTUNE_DN_PRIV_H
#define EMOTUNE_DN_PRIV_H

#include "dn.h"
#include "why.h"

#include <stddef.h>

enum sec_type { S_NET, S_CONV, S_CONN, S_MAXPOOL, S_AVGPOOL, S_DROPOUT, S_SOFTMAX, S_COST };

struct kv {
	char key[32];
	char value[96];
	int line;           /* the key's line in the cfg */
};

struct section {
	enum sec_type type;
	char name[24];
	int line;
	struct kv kv[32];
	int nkv;
	/* in the weights file: this layer's floats, and where its batch-norm
	 * variances start among them (nvar of them; 0: no batch norm) */
	long long nparams, var_at;
	int nvar;
};

struct model {
	struct section *s;
	int n;
	long long params;   /* floats in the weights file */
	double macs;        /* multiply-accumulates per forward pass */
	int w, h, c, outputs;
	enum dn_norm norm;  /* [net] input_norm: what dn does to every input */
};

/* Parses and checks the cfg at path into m: sections and keys, shapes,
 * parameter and MAC counts. On error m->s is NULL and why says why. */
int dn_model_load(const char *path, struct model *m, char *why, size_t n);

/* Writes the checked model back as a cfg darknet can parse, with batch,
 * into a new file named by tmpl (mkstemp). */
int dn_write_cfg(const struct model *m, int batch, char *tmpl, char *why, size_t n);

/* Checks the weights file against m: its size, then every value finite
 * and within +-1e4 and no batch-norm variance negative. */
int dn_check_weights_against(const struct model *m, const char *weights, char *why, size_t n);

#endif
