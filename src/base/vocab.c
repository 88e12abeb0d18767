/* vocab: class and strategy names. See vocab.h. */
#include "vocab.h"

#include <string.h>
#include <strings.h>

static const char *const classes[] = {
	[VOCAB_ANGRY] = "angry",     [VOCAB_DISGUST] = "disgust", [VOCAB_FEAR] = "fear",
	[VOCAB_HAPPY] = "happy",     [VOCAB_NEUTRAL] = "neutral", [VOCAB_SAD] = "sad",
	[VOCAB_SURPRISE] = "surprise",
};
_Static_assert(sizeof classes / sizeof *classes == VOCAB_NCLASSES, "one name per class");

static const char *const strategies[] = {
	[VOCAB_MATCH] = "match", [VOCAB_UPLIFT] = "uplift", [VOCAB_CALM] = "calm",
};
_Static_assert(sizeof strategies / sizeof *strategies == VOCAB_NSTRATEGIES, "one name per strategy");

static int find(const char *const *names, int n, const char *name, int flags)
{
	for (int i = 0; name && i < n; i++)
		if ((flags & VOCAB_NOCASE) ? !strcasecmp(name, names[i]) : !strcmp(name, names[i]))
			return i;
	return -1;
}

const char *vocab_class_name(int c)
{
	return c >= 0 && c < VOCAB_NCLASSES ? classes[c] : NULL;
}

int vocab_class_parse(const char *name, int flags)
{
	return find(classes, VOCAB_NCLASSES, name, flags);
}

const char *vocab_strategy_name(int s)
{
	return s >= 0 && s < VOCAB_NSTRATEGIES ? strategies[s] : strategies[VOCAB_MATCH];
}

int vocab_strategy_parse(const char *name, int flags)
{
	return find(strategies, VOCAB_NSTRATEGIES, name, flags);
}
