/*
 * haar_priv: the compiled cascade model that haar_load.c (the XML loader)
 * fills and haar.c (integral images, search, grouping) evaluates. Not for
 * other modules: they use haar.h.
 *
 * Ownership and threads: as haar.h says: a struct haar_cascade is built by
 * haar_load()/haar_load_mem(), freed by haar_free(), immutable in between.
 */
#ifndef EMOTUNE_HAAR_PRIV_H
#define EMOTUNE_HAAR_PRIV_H

#include "haar.h"

#include <stdint.h>

#define NRECT 3               /* OpenCV's HaarEvaluator::RECT_NUM */
#define LBP_SUBSET 8          /* (256 categories + 31) / 32 */

struct hfeat {                /* Haar feature: up to 3 weighted rects */
	int r[NRECT][4];      /* x, y, w, h in the training window */
	float wt[NRECT];
	int tilted;
};

struct lfeat {                /* LBP feature: 3x3 cells of w x h */
	int x, y, w, h;
};

struct node {
	int left, right;      /* > 0: next node of this tree; <= 0: -leaf */
	int feature;
	float thr;
};

struct weak {
	int node0, nnodes;    /* nodes[node0 .. node0+nnodes-1] */
	int leaf0;            /* leaves[leaf0 .. leaf0+nnodes] */
};

struct stage {
	int weak0, nweak;
	float thr;            /* stageThreshold - 1e-5 (haar_load.c) */
};

struct haar_cascade {
	int lbp;
	int win_w, win_h;
	int nstages, nweaks, nnodes, nleaves, nfeat;
	int stumps;           /* every weak classifier is a single node */
	int has_tilted;
	struct stage *stages;
	struct weak *weaks;
	struct node *nodes;
	float *leaves;
	int32_t *subsets;     /* LBP: LBP_SUBSET words per node */
	struct hfeat *hf;
	struct lfeat *lf;
};

#endif
