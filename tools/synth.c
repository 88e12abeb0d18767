/*
 * synth: renders emotune's demo library, short pieces meant for each
 * quadrant of Russell's valence/arousal plane, to tagged FLAC (libsndfile).
 *
 *   Q1 happy:  fast, major, mid-bright timbre, drum kit
 *   Q2 tense:  fast, minor with dissonant clusters, loud, distorted, heavy drums
 *   Q3 sad:    slow, minor, soft dark timbre, quiet, brushes
 *   Q4 calm:   slow, major, soft warm timbre, quiet, brushes
 *
 * The values in pieces[] were picked inside each quadrant's ranges by
 * rendering and analysing candidates (doc/BENCHMARKS.md, "Demo library");
 * change one and the piece may land elsewhere: re-render, rescan and check
 * tests/cli/library.sh before committing music/. Grey Window, Long Letter
 * and Warm Evening were re-rendered for analysis version 4 (the HPCP chroma)
 * by the same kind of search (same section of doc/BENCHMARKS.md).
 *
 * usage: synth OUTDIR [SECONDS]   (deterministic: same bytes every run)
 */
#include <ebur128.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 22050

struct piece {
	const char *file, *title;
	int quadrant;
	double bpm;
	int root;              /* MIDI note of the tonic */
	int minor;
	int prog[4];           /* chord roots as scale degrees (0-based) */
	int harmonics;         /* timbre brightness */
	double rolloff;        /* harmonic amplitude ~ 1/k^rolloff */
	int drums;             /* 0 none, 1 brushes, 2 kit, 3 heavy */
	double dissonance;     /* 0..1: added semitone clusters, distortion */
	double lufs;           /* integrated loudness target */
	int notes_per_beat;    /* melody density */
	double legato;         /* note length as a fraction of its slot */
	unsigned seed;
	double jitter;         /* random timing, seconds: blurs the pulse */
	double swell;          /* slow loudness swells, 0..1 */
	double chromatic;      /* probability of an out-of-key melody note */
	int arp;               /* accompaniment notes per beat (broken chords) */
	double sustain;        /* level a held note decays to, 0..1 */
	double attack_noise;   /* noise at each note's start (hammer, pick), re the tone */
	double hats;           /* hi-hat level (drums 2, 3) */
	double room;           /* reverb: wet fraction */
	double hiss;           /* noise floor re the signal's RMS */
	double phrase;         /* phrase dynamics, 0..1: each two bars swell and die away */
	double bass_cut;       /* 0: full bass, 1: none */
	double attack;         /* seconds to full level (bowed, breathed); 0: the default */
};

/* Each quadrant's cues (Russell's plane, and what real recordings of the
 * music4q set measure): Q1 fast, major, mid-bright, steady kit, moderately
 * loud; Q2 fast, minor with clusters, distorted, dense and compressed (the
 * loudest, least dynamic); Q3 slow, minor, dark, soft, chromatic, more
 * dynamic; Q4 slow, major, warm, soft, a clear consonant key. */
static const struct piece pieces[] = {
	{ .file = "q1-sunny-run.flac", .title = "Sunny Run", .quadrant = 1, .bpm = 146, .root = 62,
	  .prog = { 0, 4, 5, 3 }, .harmonics = 12, .rolloff = 1.373, .drums = 2, .lufs = -10.452,
	  .notes_per_beat = 3, .legato = 0.574, .seed = 11, .jitter = 0.002, .chromatic = 0.012,
	  .arp = 3, .sustain = 0.484, .attack_noise = 1.124, .hats = 0.092, .room = 0.381,
	  .hiss = 0.114 },
	{ .file = "q1-bright-steps.flac", .title = "Bright Steps", .quadrant = 1, .bpm = 130.81,
	  .root = 67, .prog = { 0, 3, 4, 0 }, .harmonics = 12, .rolloff = 1.373, .drums = 2,
	  .lufs = -10.452, .notes_per_beat = 3, .legato = 0.574, .seed = 698, .jitter = 0.002,
	  .chromatic = 0.012, .arp = 3, .sustain = 0.484, .attack_noise = 1.124, .hats = 0.092,
	  .room = 0.381, .hiss = 0.114 },
	{ .file = "q2-red-alert.flac", .title = "Red Alert", .quadrant = 2, .bpm = 150.196, .root = 45,
	  .minor = 1, .prog = { 0, 1, 0, 1 }, .harmonics = 17, .rolloff = 1.092, .drums = 3,
	  .dissonance = 0.746, .lufs = -9.434, .notes_per_beat = 1, .legato = 0.913, .seed = 626,
	  .jitter = 0.021, .swell = 0.06, .chromatic = 0.553, .arp = 3, .sustain = 0.584,
	  .attack_noise = 0.182, .hats = 0.088, .room = 0.48, .hiss = 0.063 },
	{ .file = "q2-storm-engine.flac", .title = "Storm Engine", .quadrant = 2, .bpm = 150.046,
	  .root = 40, .minor = 1, .prog = { 0, 1, 6, 1 }, .harmonics = 17, .rolloff = 0.682,
	  .drums = 3, .dissonance = 0.807, .lufs = -9.743, .notes_per_beat = 2, .legato = 0.826,
	  .seed = 300, .jitter = 0.025, .swell = 0.263, .chromatic = 0.526, .arp = 4, .sustain = 0.831,
	  .attack_noise = 0.455, .hats = 0.137, .room = 0.161, .hiss = 0.065 },
	{ .file = "q3-grey-window.flac", .title = "Grey Window", .quadrant = 3, .bpm = 62.719,
	  .root = 47, .minor = 1, .prog = { 0, 5, 3, 4 }, .harmonics = 9, .rolloff = 2.368, .drums = 1,
	  .dissonance = 0.162, .lufs = -20.577, .notes_per_beat = 2, .legato = 1.034, .seed = 704,
	  .jitter = 0.021, .swell = 0.291, .chromatic = 0.195, .arp = 2, .sustain = 0.45,
	  .attack_noise = 1.197, .room = 0.343, .hiss = 0.071, .phrase = 0.307, .attack = 0.29 },
	{ .file = "q3-long-letter.flac", .title = "Long Letter", .quadrant = 3, .bpm = 75.638,
	  .root = 54, .minor = 1, .prog = { 0, 3, 5, 4 }, .harmonics = 9, .rolloff = 1.813, .drums = 1,
	  .dissonance = 0.375, .lufs = -20.35, .notes_per_beat = 2, .legato = 1.417, .seed = 139,
	  .jitter = 0.021, .swell = 0.181, .chromatic = 0.328, .arp = 4, .sustain = 0.649,
	  .attack_noise = 0.455, .room = 0.33, .hiss = 0.031, .attack = 0.383 },
	{ .file = "q4-still-lake.flac", .title = "Still Lake", .quadrant = 4, .bpm = 76.782,
	  .root = 53, .prog = { 0, 3, 0, 4 }, .harmonics = 5, .rolloff = 2.002, .drums = 1,
	  .lufs = -18.943, .notes_per_beat = 2, .legato = 1.106, .seed = 149, .jitter = 0.021,
	  .swell = 0.181, .arp = 4, .sustain = 0.208, .attack_noise = 1.202, .room = 0.28,
	  .hiss = 0.031 },
	{ .file = "q4-warm-evening.flac", .title = "Warm Evening", .quadrant = 4, .bpm = 72.894,
	  .root = 48, .prog = { 0, 3, 4, 0 }, .harmonics = 8, .rolloff = 1.947, .drums = 1,
	  .lufs = -19.819, .notes_per_beat = 2, .legato = 1.292, .seed = 350, .swell = 0.07,
	  .chromatic = 0.043, .arp = 4, .sustain = 0.219, .attack_noise = 0.902, .room = 0.142,
	  .hiss = 0.155 },
};

static const int major[7] = { 0, 2, 4, 5, 7, 9, 11 };
static const int minor[7] = { 0, 2, 3, 5, 7, 8, 10 };

static unsigned rnd(unsigned *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static double frand(unsigned *s)
{
	return (rnd(s) & 0xFFFF) / 65536.0;
}

static double midi_hz(double m)
{
	return 440.0 * pow(2.0, (m - 69) / 12);
}

/* Scale degree d (may exceed 7) of the piece's key, as a MIDI note. */
static int degree(const struct piece *p, int d)
{
	const int *sc = p->minor ? minor : major;
	int oct = d >= 0 ? d / 7 : -((-d + 6) / 7);
	int i = d - oct * 7;
	return p->root + 12 * oct + sc[i];
}

/* One additive note into out[start, start+len): attack, a decay to the
 * piece's sustain level (a struck or plucked string that rings on), release. */
static void note(float *out, size_t n, size_t start, size_t len, double hz, double amp,
		 const struct piece *p, double attack)
{
	size_t a = (size_t)(attack * RATE), rel = (size_t)(0.12 * RATE);
	double sus = p->sustain, prev = 0;
	unsigned ns = (unsigned)start * 2654435761u + (unsigned)hz;
	for (size_t i = 0; i < len + rel && start + i < n; i++) {
		double t = (double)i / RATE, env;
		if (i < a)
			env = (double)i / a;
		else if (i < len)
			env = sus + (1 - sus) * exp(-3 * (t - attack));
		else
			env = (sus + (1 - sus) * exp(-3 * ((double)len / RATE - attack))) *
			      (1 - (double)(i - len) / rel);
		double s = 0, vib = 1 + 0.003 * sin(2 * M_PI * 5.5 * t) * (t > 0.2);
		for (int k = 1; k <= p->harmonics; k++) {
			if (hz * k * 1.01 > RATE / 2 - 500)
				break;
			/* two voices 6 cents apart: a chorus */
			s += (sin(2 * M_PI * hz * vib * k * t) + sin(2 * M_PI * hz * 1.0035 * vib * k * t + k)) /
			     (2 * pow(k, p->rolloff));
		}
		/* the hammer, pick or bow noise of the attack */
		if (i < (size_t)(0.02 * RATE)) {
			ns = ns * 1664525u + 1013904223u;
			double w = (double)(ns >> 8) / (1u << 24) * 2 - 1;
			s += p->attack_noise * (w - prev) * exp(-t / 0.005);
			prev = w;
		}
		out[start + i] += (float)(amp * env * s);
	}
}

enum { KICK, SNARE, HAT, BRUSH };

static void drum(float *out, size_t n, size_t start, int kind, double amp, unsigned *seed)
{
	static const double secs[] = { [KICK] = 0.25, [SNARE] = 0.15, [HAT] = 0.05, [BRUSH] = 0.2 };
	size_t len = (size_t)(secs[kind] * RATE);
	double ph = 0, prev = 0, lp = 0;
	for (size_t i = 0; i < len && start + i < n; i++) {
		double t = (double)i / RATE, s, w = frand(seed) * 2 - 1;
		if (kind == KICK) {          /* falling sine */
			ph += 2 * M_PI * (50 + 100 * exp(-t * 30)) / RATE;
			s = sin(ph) * exp(-t * 12);
		} else if (kind == SNARE) {  /* noise + tone */
			s = w * exp(-t * 25) + 0.3 * sin(2 * M_PI * 190 * t) * exp(-t * 30);
		} else if (kind == HAT) {    /* short bright noise */
			s = (w - prev) * exp(-t * 80);
			prev = w;
		} else {                     /* brush: a soft swish, rising then fading */
			lp += 0.25 * (w - lp);
			s = (lp - prev) * (t / 0.03) * exp(-t / 0.03);
			prev = lp;
		}
		out[start + i] += (float)(amp * s);
	}
}

/* One beat b at t0 (samples, jitter added): the chord, the bass, the
 * accompaniment, the melody and the drums. */
static void play_beat(const struct piece *p, float *out, size_t n, int b, size_t bsamp, double atk,
		      unsigned *seed)
{
	const int slow = p->legato > 1;
	size_t t0 = (size_t)b * bsamp;
	if (p->jitter > 0)
		t0 += (size_t)(frand(seed) * p->jitter * RATE);
	double vel = 0.85 + 0.3 * frand(seed);   /* a player's uneven touch */
	int bar = b / 4, chord = p->prog[bar % 4];
	int tones[3] = { degree(p, chord), degree(p, chord + 2), degree(p, chord + 4) };
	/* Chord: root, third, fifth (a semitone and a tritone cluster when
	 * dissonant); held through the bar when slow, a stab a beat when fast. */
	if (b % (slow ? 4 : 1) == 0) {
		size_t len = slow ? 4 * bsamp : bsamp * 8 / 10;
		for (int k = 0; k < 3; k++)
			note(out, n, t0, len, midi_hz(tones[k]), 0.10 * vel, p, atk);
		if (p->dissonance > 0) {
			note(out, n, t0, len, midi_hz(tones[0] + 1), 0.10 * p->dissonance * vel, p, atk);
			note(out, n, t0, len, midi_hz(tones[0] + 6), 0.10 * p->dissonance * vel, p, atk);
		}
	}
	/* Bass an octave down: each beat when fast, held through the bar when slow. */
	if (!slow || b % 4 == 0)
		note(out, n, t0, slow ? 4 * bsamp : bsamp, midi_hz(tones[0] - 12),
		     0.15 * (1 - p->bass_cut) * vel, p, 0.02);
	/* Accompaniment: the chord broken into `arp` notes a beat, an octave up. */
	for (int k = 0; k < p->arp; k++) {
		int d = chord + 2 * ((b * p->arp + k) % 4);
		size_t at = t0 + (size_t)k * bsamp / (size_t)p->arp;
		note(out, n, at, 2 * bsamp / (size_t)p->arp, midi_hz(degree(p, d) + 12),
		     0.05 * (0.8 + 0.4 * frand(seed)), p, slow ? 0.02 : 0.005);
	}
	/* Melody: steps on the scale around the chord. */
	for (int k = 0; k < p->notes_per_beat; k++) {
		size_t slot = bsamp / (size_t)p->notes_per_beat;
		int d = chord + 7 + (int)(rnd(seed) % 5);
		if (slow && (b % 2 || k))
			continue;   /* slow pieces: one long note every two beats */
		size_t len = (size_t)(slot * (slow ? 2 * p->legato : p->legato));
		int m = degree(p, d);
		if (frand(seed) < p->chromatic)
			m += rnd(seed) % 2 ? 1 : 6;   /* out of key: a semitone or a tritone off */
		note(out, n, t0 + (size_t)k * slot, len, midi_hz(m), 0.10 * vel, p, atk);
	}
	if (p->drums == 3) {
		/* Heavy: kick on 1, its off-beat and 3, snare on 2 and 4, a hat
		 * each eighth (a ride cymbal under the distortion). */
		drum(out, n, t0, b % 2 ? SNARE : KICK, 0.8 * vel, seed);
		if (b % 2 == 0)
			drum(out, n, t0 + bsamp / 2, KICK, 0.6 * vel, seed);
		for (int k = 0; k < 2; k++)
			drum(out, n, t0 + (size_t)k * bsamp / 2, HAT, p->hats * vel, seed);
	} else if (p->drums == 2) {
		drum(out, n, t0, b % 2 ? SNARE : KICK, 0.8 * vel, seed);
		for (int k = 0; k < 2; k++)
			drum(out, n, t0 + (size_t)k * bsamp / 2, HAT, p->hats * vel, seed);
	} else if (p->drums == 1) {
		drum(out, n, t0, BRUSH, (b % 2 ? 0.25 : 0.15) * vel, seed);
	}
}

/* Phrase dynamics, loudness swells and, for the tense pieces, distortion. */
static void shape(const struct piece *p, float *out, size_t n, size_t bsamp)
{
	/* Phrases: two bars that rise and die away to a breath. */
	if (p->phrase > 0)
		for (size_t i = 0; i < n; i++) {
			double ph = fmod((double)i / (8.0 * (double)bsamp), 1.0);
			out[i] *= (float)(1 - p->phrase * (1 - pow(sin(M_PI * ph), 2)));
		}
	/* Slow swells of loudness (period ~3.7 s). */
	if (p->swell > 0)
		for (size_t i = 0; i < n; i++)
			out[i] *= (float)(1 - p->swell * 0.5 * (1 + sin(2 * M_PI * i / (3.7 * RATE))));
	/* Distortion for the tense pieces. */
	if (p->dissonance > 0) {
		double pk = 0;
		for (size_t i = 0; i < n; i++)
			if (fabs(out[i]) > pk)
				pk = fabs(out[i]);
		for (size_t i = 0; i < n; i++)
			out[i] = (float)tanh((1.5 + 3 * p->dissonance) * out[i] / (pk > 0 ? pk : 1));
	}
}

/* A room (Freeverb's structure): four damped feedback combs and two
 * all-passes; a longer, wetter tail for slow pieces. */
static void room(const struct piece *p, float *out, size_t n)
{
	static const size_t dl[6] = { 1116, 1188, 1277, 1356, 556, 441 };
	double wet = p->room, fb = p->legato > 1 ? 0.8 : 0.7, damp = 0.3;
	float *line[6] = { 0 };
	size_t pos[6] = { 0 };
	double lp[4] = { 0 };
	int ok = 1;
	for (int c = 0; c < 6; c++)
		ok &= (line[c] = calloc(dl[c], sizeof(float))) != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		double x = out[i] * 0.1, y = 0;
		for (int c = 0; c < 4; c++) {
			double o = line[c][pos[c]];
			lp[c] = o * (1 - damp) + lp[c] * damp;
			line[c][pos[c]] = (float)(x + fb * lp[c]);
			pos[c] = (pos[c] + 1) % dl[c];
			y += o;
		}
		for (int c = 4; c < 6; c++) {
			double o = line[c][pos[c]];
			line[c][pos[c]] = (float)(y + 0.5 * o);
			y = o - y;
			pos[c] = (pos[c] + 1) % dl[c];
		}
		out[i] = (float)((1 - wet) * out[i] + wet * 2 * y);
	}
	for (int c = 0; c < 6; c++)
		free(line[c]);
}

/* A noise floor (tape hiss, room): real recordings are never pure tones. */
static void hiss(const struct piece *p, float *out, size_t n, unsigned *seed)
{
	double rms = 0;
	for (size_t i = 0; i < n; i++)
		rms += (double)out[i] * out[i];
	rms = sqrt(rms / n);
	double lvl = rms * p->hiss, lp = 0;
	for (size_t i = 0; i < n; i++) {
		lp += 0.3 * ((frand(seed) * 2 - 1) - lp);
		out[i] += (float)(lvl * lp * 2);
	}
}

/* Level: the target loudness (EBU R128), peaks kept under full scale, a
 * fade in and out over 0.5 s. */
static void level(const struct piece *p, float *out, size_t n)
{
	double g = 1, lufs = -70;
	ebur128_state *eb = ebur128_init(1, RATE, EBUR128_MODE_I);
	if (eb && ebur128_add_frames_float(eb, out, n) == 0 && ebur128_loudness_global(eb, &lufs) == 0 &&
	    lufs > -70)
		g = pow(10, (p->lufs - lufs) / 20);
	if (eb)
		ebur128_destroy(&eb);
	/* Fade in and out over 0.5 s; soft-limit the peaks. */
	for (size_t i = 0; i < n; i++) {
		double f = 1, e = 0.5 * RATE, v;
		if (i < e)
			f = i / e;
		if (n - i < e)
			f = (n - i) / e;
		v = out[i] * g;
		if (fabs(v) > 0.9)
			v = (v > 0 ? 1 : -1) * (0.9 + 0.09 * tanh((fabs(v) - 0.9) / 0.09));
		out[i] = (float)(v * f);
	}
}

/* Writes the n samples as DIR/p->file, tagged; 0 or -1 after saying why. */
static int write_flac(const struct piece *p, const char *dir, const float *out, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, p->file);
	SF_INFO info = { .samplerate = RATE, .channels = 1, .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	if (!f) {
		fprintf(stderr, "synth: %s: %s\n", path, sf_strerror(NULL));
		return -1;
	}
	char track[16];
	snprintf(track, sizeof track, "%d", (int)(p - pieces) + 1);
	sf_set_string(f, SF_STR_TITLE, p->title);
	sf_set_string(f, SF_STR_ARTIST, "emotune synth");
	sf_set_string(f, SF_STR_ALBUM, "emotune demo");
	sf_set_string(f, SF_STR_TRACKNUMBER, track);
	sf_set_string(f, SF_STR_COMMENT, p->quadrant == 1 ? "intended quadrant Q1" :
		      p->quadrant == 2 ? "intended quadrant Q2" :
		      p->quadrant == 3 ? "intended quadrant Q3" : "intended quadrant Q4");
	int err = sf_writef_float(f, out, (sf_count_t)n) != (sf_count_t)n;
	sf_close(f);
	if (err)
		fprintf(stderr, "synth: %s: write failed\n", path);
	return err ? -1 : 0;
}

static int render(const struct piece *p, const char *dir, double seconds)
{
	size_t n = (size_t)(seconds * RATE);
	float *out = calloc(n, sizeof *out);
	if (!out)
		return -1;
	unsigned seed = p->seed;
	double beat = 60.0 / p->bpm;
	size_t bsamp = (size_t)(beat * RATE);
	int nbeats = (int)(seconds / beat);
	double atk = p->attack > 0 ? p->attack : p->legato > 1 ? 0.08 : 0.005;
	for (int b = 0; b < nbeats; b++)
		play_beat(p, out, n, b, bsamp, atk, &seed);
	shape(p, out, n, bsamp);
	room(p, out, n);
	hiss(p, out, n, &seed);
	level(p, out, n);
	int err = write_flac(p, dir, out, n);
	free(out);
	return err;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: synth OUTDIR [SECONDS]\n");
		return 2;
	}
	double seconds = argc > 2 ? atof(argv[2]) : 20;
	if (!(seconds >= 2 && seconds <= 600)) {
		fprintf(stderr, "synth: SECONDS must be 2..600\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
		if (render(&pieces[i], argv[1], seconds))
			return 1;
	return 0;
}
