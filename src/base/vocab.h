/*
 * vocab: the words every module shares, defined once.
 *
 *   classes     the 7 emotion classes, always in this order (cli.md, the
 *               network's outputs, the history and feedback tables):
 *               angry disgust fear happy neutral sad surprise.
 *               VOCAB_NCLASSES is the one class count: every array of
 *               per-class values in the program is VOCAB_NCLASSES long.
 *   strategies  how the next tracks follow the mood: match, uplift, calm
 *               (recommend.h says what each does). One enum for the
 *               setting, the app, the recommender and the history table.
 *   box         a face box in frame coordinates (pixels), from the
 *               detector through the tracker, the classifier and the
 *               vision thread to the app and the front ends.
 *
 * The numbers of classes and strategies are stored (history and feedback
 * tables, the resume file): never renumber them (asserted below).
 *
 * Names are the words of the command language, the settings and the
 * output formats: lower case, ASCII. Parsing is exact by default
 * (protocol, settings); VOCAB_NOCASE also takes "Happy" (command-line
 * options). Pure functions on constant tables: thread-safe, libc only.
 */
#ifndef EMOTUNE_VOCAB_H
#define EMOTUNE_VOCAB_H

#define VOCAB_NCLASSES 7

enum vocab_class {
	VOCAB_ANGRY, VOCAB_DISGUST, VOCAB_FEAR, VOCAB_HAPPY,
	VOCAB_NEUTRAL, VOCAB_SAD, VOCAB_SURPRISE,
};
_Static_assert(VOCAB_SURPRISE + 1 == VOCAB_NCLASSES, "enum vocab_class has VOCAB_NCLASSES classes");

enum vocab_strategy { VOCAB_MATCH, VOCAB_UPLIFT, VOCAB_CALM };
#define VOCAB_NSTRATEGIES 3
_Static_assert(VOCAB_CALM + 1 == VOCAB_NSTRATEGIES, "enum vocab_strategy has VOCAB_NSTRATEGIES strategies");
_Static_assert(VOCAB_ANGRY == 0 && VOCAB_HAPPY == 3 && VOCAB_SURPRISE == 6 && VOCAB_MATCH == 0 &&
	       VOCAB_CALM == 2, "class and strategy numbers are stored: never renumber");

struct vocab_box {
	int x, y, w, h;       /* top-left corner and size, pixels */
};

/* The names in order, one space apart, for messages and the settings table
 * (test_vocab checks them against the names). */
#define VOCAB_CLASS_WORDS "angry disgust fear happy neutral sad surprise"
#define VOCAB_STRATEGY_WORDS "match uplift calm"

/* Flags of the parse functions. */
enum { VOCAB_NOCASE = 1 };

/* "angry" ... "surprise"; NULL outside 0..VOCAB_NCLASSES-1. */
const char *vocab_class_name(int c);
/* The class named name (flags 0 or VOCAB_NOCASE), or -1 (also for NULL). */
int vocab_class_parse(const char *name, int flags);

/* "match", "uplift", "calm"; "match" (the default strategy) for any other
 * value (e.g. a number read back from a database). */
const char *vocab_strategy_name(int s);
/* The strategy named name (flags 0 or VOCAB_NOCASE), or -1 (also for NULL). */
int vocab_strategy_parse(const char *name, int flags);

#endif
