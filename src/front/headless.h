/*
 * headless: the kiosk front end. Runs the app without curses, serves the
 * remote-control socket, and writes one JSON object per line on out for
 * each event: {"t":SECONDS,"event":NAME,...} with NAME one of start, mood,
 * track_start, track_end, camera, scan, warning, error, reload, stop
 * (documented in emotune(1), HEADLESS OUTPUT). Stops on SIGTERM/SIGINT or
 * the "quit" command; SIGHUP re-reads the settings file (config_path, may
 * be NULL: no file) and applies it (front_reload()), then writes a reload
 * event, or a warning when the file is refused. The loop and the signals
 * are front.c's; call front_signals() before app_start().
 */
#ifndef EMOTUNE_HEADLESS_H
#define EMOTUNE_HEADLESS_H

#include <stdio.h>

struct app;
struct config;

/* Runs until asked to stop (front_run()). The app must be started already. Returns 0, or
 * -1 when the loop could not run (message printed on stderr). cfg and out
 * are borrowed. */
int headless_run(struct app *a, struct config *cfg, const char *config_path, FILE *out);

/* Writes one event line (exposed for the tests). */
void headless_event_json(FILE *out, double t, const char *event, const char *key, const char *value);

#endif
