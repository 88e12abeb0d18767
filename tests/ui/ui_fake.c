/*
 * ui_fake: the terminal UI on a fake app (tests/ui/fake_app.c), for the
 * tmux-driven tests and the bandwidth benchmark where the real pipeline
 * is not needed. Usage: ui_fake [SETTINGS_FILE]
 */
#include "app.h"
#include "config.h"
#include "ui.h"

#include <locale.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct config *cfg = config_new();
	struct app *a;
	char err[256];
	if (!cfg)
		return 1;
	if (argc > 1 && config_load(cfg, argv[1], NULL)) {
		fprintf(stderr, "ui_fake: %s: cannot read\n", argv[1]);
		config_free(cfg);
		return 1;
	}
	if (app_new(cfg, &a)) {
		config_free(cfg);
		return 1;
	}
	int rc = ui_run(a, cfg, NULL, err, sizeof err);
	app_stop(a);
	app_free(a);
	config_free(cfg);
	if (rc) {
		fprintf(stderr, "emotune: ui: %s\n", err);
		return 1;
	}
	return 0;
}
