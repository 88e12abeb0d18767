/*
 * synth: renders emotune's demo library, short pieces meant for each
 * quadrant of Russell's valence/arousal plane, to tagged FLAC (libsndfile).
 *
 *   Q1 happy:  fast, major, bright timbre, drums
 *   Q2 tense:  fast, minor with dissonant clusters, loud, distorted, drums
 *   Q3 sad:    slow, minor, soft dark timbre, quiet, no drums
 *   Q4 calm:   slow, major, soft warm timbre, quiet, no drums
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
	int drums;             /* 0 none, 1 light, 2 heavy */
	double dissonance;     /* 0..1: added semitone clusters, distortion */
	double lufs;           /* integrated loudness target */
	int notes_per_beat;    /* melody density */
	double legato;         /* note length as a fraction of its slot */
	unsigned seed;
	double jitter;         /* random timing, seconds: blurs the pulse */
	double swell;          /* slow loudness swells, 0..1 */
	double chromatic;      /* probability of an out-of-key melody note */
};

static const struct piece pieces[] = {
	{ "q1-sunny-run.flac", "Sunny Run", 1, 148, 60, 0, { 0, 4, 5, 3 }, 16, 0.6, 2, 0, -9, 2, 0.45, 11, 0, 0, 0 },
	{ "q1-bright-steps.flac", "Bright Steps", 1, 132, 67, 0, { 0, 3, 4, 0 }, 16, 0.6, 2, 0, -9, 2, 0.5, 12, 0, 0, 0 },
	{ "q2-red-alert.flac", "Red Alert", 2, 150, 45, 1, { 0, 1, 0, 1 }, 18, 0.5, 3, 1.0, -8, 1, 1.0, 21, 0.2, 0.9, 0.8 },
	{ "q2-storm-engine.flac", "Storm Engine", 2, 140, 40, 1, { 0, 1, 6, 1 }, 16, 0.6, 3, 0.9, -8, 1, 1.0, 22, 0.2, 0.9, 0.8 },
	{ "q3-grey-window.flac", "Grey Window", 3, 56, 50, 1, { 0, 3, 5, 4 }, 4, 2.0, 0, 0.6, -19, 1, 1.6, 31, 0.3, 0.9, 0.8 },
	{ "q3-long-letter.flac", "Long Letter", 3, 50, 45, 1, { 0, 5, 3, 4 }, 4, 2.0, 0, 0.6, -20, 1, 1.6, 32, 0.3, 0.9, 0.8 },
	{ "q4-still-lake.flac", "Still Lake", 4, 66, 53, 0, { 0, 3, 0, 4 }, 4, 2.2, 0, 0, -18, 2, 1.2, 41, 0, 0, 0 },
	{ "q4-warm-evening.flac", "Warm Evening", 4, 62, 55, 0, { 0, 3, 0, 4 }, 4, 2.2, 0, 0, -18, 2, 1.2, 42, 0, 0, 0 },
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

/* One additive note into out[start, start+len). */
static void note(float *out, size_t n, size_t start, size_t len, double hz, double amp,
		 const struct piece *p, double attack)
{
	size_t a = (size_t)(attack * RATE), rel = (size_t)(0.08 * RATE);
	for (size_t i = 0; i < len + rel && start + i < n; i++) {
		double t = (double)i / RATE, env;
		if (i < a)
			env = (double)i / a;
		else if (i < len)
			env = exp(-1.5 * (t - attack));
		else
			env = exp(-1.5 * ((double)len / RATE - attack)) * (1 - (double)(i - len) / rel);
		double s = 0, vib = 1 + 0.003 * sin(2 * M_PI * 5.5 * t) * (t > 0.2);
		for (int k = 1; k <= p->harmonics; k++) {
			if (hz * k * 1.01 > RATE / 2 - 500)
				break;
			/* two voices 6 cents apart: a chorus */
			s += (sin(2 * M_PI * hz * vib * k * t) + sin(2 * M_PI * hz * 1.0035 * vib * k * t + k)) /
			     (2 * pow(k, p->rolloff));
		}
		out[start + i] += (float)(amp * env * s);
	}
}

static void drum(float *out, size_t n, size_t start, int kind, double amp, unsigned *seed)
{
	size_t len = (size_t)((kind == 0 ? 0.25 : kind == 1 ? 0.15 : 0.05) * RATE);
	double ph = 0;
	for (size_t i = 0; i < len && start + i < n; i++) {
		double t = (double)i / RATE, s;
		if (kind == 0) {         /* kick: falling sine */
			ph += 2 * M_PI * (50 + 100 * exp(-t * 30)) / RATE;
			s = sin(ph) * exp(-t * 12);
		} else if (kind == 1) {  /* snare: noise + tone */
			s = (frand(seed) * 2 - 1) * exp(-t * 25) + 0.3 * sin(2 * M_PI * 190 * t) * exp(-t * 30);
		} else {                 /* hat: short bright noise */
			static double prev;
			double w = frand(seed) * 2 - 1;
			s = (w - prev) * exp(-t * 80);
			prev = w;
		}
		out[start + i] += (float)(amp * s);
	}
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
	double atk = p->legato > 1 ? 0.25 : 0.005;
	for (int b = 0; b < nbeats; b++) {
		size_t t0 = (size_t)b * bsamp;
		if (p->jitter > 0)
			t0 += (size_t)(frand(&seed) * p->jitter * RATE);
		int bar = b / 4, chord = p->prog[bar % 4];
		/* Chord: root, third, fifth (a seventh and a cluster when dissonant). */
		if (b % (p->legato > 1 ? 4 : 1) == 0) {
			size_t len = p->legato > 1 ? 4 * bsamp : bsamp * 8 / 10;
			int tones[3] = { degree(p, chord), degree(p, chord + 2), degree(p, chord + 4) };
			for (int k = 0; k < 3; k++)
				note(out, n, t0, len, midi_hz(tones[k]), 0.12, p, atk);
			if (p->dissonance > 0) {
				note(out, n, t0, len, midi_hz(tones[0] + 1), 0.10 * p->dissonance, p, atk);
				note(out, n, t0, len, midi_hz(tones[0] + 6), 0.10 * p->dissonance, p, atk);
			}
			/* Bass an octave down, held through the bar. */
			if (b % 4 == 0)
				note(out, n, t0, 4 * bsamp, midi_hz(tones[0] - 12), 0.15, p, 0.05);
		}
		/* Melody: steps on the scale around the chord. */
		for (int k = 0; k < p->notes_per_beat; k++) {
			size_t slot = bsamp / (size_t)p->notes_per_beat;
			int d = chord + 7 + (int)(rnd(&seed) % 5) - (p->minor ? 0 : 0);
			if (p->legato > 1 && (b % 2 || k))
				continue;   /* slow pieces: one long note every two beats */
			size_t len = (size_t)(slot * (p->legato > 1 ? 2 * p->legato : p->legato));
			int m = degree(p, d);
			if (frand(&seed) < p->chromatic)
				m += rnd(&seed) % 2 ? 1 : 6;   /* out of key: a semitone or a tritone off */
			note(out, n, t0 + (size_t)k * slot, len, midi_hz(m), 0.10, p, atk);
		}
		if (p->legato > 1) {
			/* Slow pieces: a soft arpeggio of the chord, two notes a beat. */
			for (int k = 0; k < 2; k++) {
				int d = chord + 2 * ((b * 2 + k) % 4);
				note(out, n, t0 + (size_t)k * bsamp / 2, 3 * bsamp, midi_hz(degree(p, d) + 12),
				     0.05, p, 0.03);
			}
		}
		if (p->drums == 3) {
			/* Heavy and irregular: kicks and snares, no steady hats. */
			if (rnd(&seed) % 3)
				drum(out, n, t0, rnd(&seed) % 2 ? 0 : 1, 0.8, &seed);
		} else if (p->drums) {
			double da = p->drums == 2 ? 0.9 : 0.6;
			drum(out, n, t0, b % 2 == 0 ? 0 : 1, da, &seed);
			for (int k = 0; k < (p->drums == 2 ? 4 : 2); k++)
				drum(out, n, t0 + (size_t)k * bsamp / (p->drums == 2 ? 4 : 2), 2, da * 0.5, &seed);
		}
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
			out[i] = (float)tanh(1.5 * out[i] / (pk > 0 ? pk : 1));
	}
	/* A room: four feedback combs and an all-pass (Schroeder), more for slow pieces. */
	{
		static const int dl[4] = { 1116, 1188, 1277, 1356 };
		double wet = p->legato > 1 ? 0.6 : 0.12;
		float *rv = calloc(n, sizeof *rv);
		if (rv) {
			for (int c = 0; c < 4; c++)
				for (size_t i = (size_t)dl[c]; i < n; i++)
					rv[i] += (float)(0.25 * out[i - (size_t)dl[c]] + 0.2 * rv[i - (size_t)dl[c]]);
			for (size_t i = 0; i < n; i++)
				out[i] = (float)((1 - wet) * out[i] + wet * 0.5 * rv[i]);
			free(rv);
		}
	}
	/* A noise floor (tape hiss, room): real recordings are never pure tones. */
	{
		double rms = 0;
		for (size_t i = 0; i < n; i++)
			rms += (double)out[i] * out[i];
		rms = sqrt(rms / n);
		double lvl = rms * (p->legato > 1 ? 0.05 : 0.08), lp = 0;
		for (size_t i = 0; i < n; i++) {
			lp += 0.3 * ((frand(&seed) * 2 - 1) - lp);
			out[i] += (float)(lvl * lp * 2);
		}
	}
	/* Level: the target loudness (EBU R128), peaks kept under full scale. */
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
		if (fabs(v) > 0.8)
			v = (v > 0 ? 1 : -1) * (0.8 + 0.2 * tanh((fabs(v) - 0.8) / 0.2));
		out[i] = (float)(v * f);
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, p->file);
	SF_INFO info = { .samplerate = RATE, .channels = 1, .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	if (!f) {
		fprintf(stderr, "synth: %s: %s\n", path, sf_strerror(NULL));
		free(out);
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
	free(out);
	if (err)
		fprintf(stderr, "synth: %s: write failed\n", path);
	return err ? -1 : 0;
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
