/* front: the front ends' loop and signals. See front.h. */
#include "front.h"
#include "app.h"
#include "config.h"
#include "remote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The self-pipe (the handler writes the signal number) and the actions
 * front_signals() replaced: this module's only state. */
static int sig_pipe[2] = { -1, -1 };
#define FRONT_NSIGS 5
static const int front_sigs[FRONT_NSIGS] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGWINCH };
static struct sigaction saved[FRONT_NSIGS];
static int nsaved;

static void on_signal(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* full: the loop has plenty to read already */
	}
	errno = e;
}

int front_signals(int winch)
{
	if (sig_pipe[0] < 0 && pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return FRONT_ESYS;
	int n = winch ? FRONT_NSIGS : FRONT_NSIGS - 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (int i = 0; i < n; i++) {
		sa.sa_handler = front_sigs[i] == SIGPIPE ? SIG_IGN : on_signal;
		if (sigaction(front_sigs[i], &sa, i < nsaved ? NULL : &saved[i]) != 0)
			return FRONT_ESYS;
		if (i >= nsaved)
			nsaved = i + 1;
	}
	return FRONT_OK;
}

void front_signals_restore(void)
{
	for (int i = 0; i < nsaved; i++)
		sigaction(front_sigs[i], &saved[i], NULL);
	nsaved = 0;
	for (int i = 0; i < 2; i++)
		if (sig_pipe[i] >= 0) {
			close(sig_pipe[i]);
			sig_pipe[i] = -1;
		}
}

static void on_signals(const struct front_ops *ops)
{
	unsigned char sig[16];
	ssize_t k;
	while ((k = read(sig_pipe[0], sig, sizeof sig)) > 0) {
		for (ssize_t i = 0; i < k; i++) {
			if (sig[i] == SIGHUP && ops->reload)
				ops->reload(ops->arg);
			else if (sig[i] == SIGWINCH && ops->resize)
				ops->resize(ops->arg);
			else if ((sig[i] == SIGINT || sig[i] == SIGTERM) && ops->stop)
				ops->stop(ops->arg, sig[i]);
		}
	}
}

int front_run(struct app *a, struct remote_server *srv, const struct front_ops *ops)
{
	while (!(ops->done && ops->done(ops->arg))) {
		int wait = ops->prepare ? ops->prepare(ops->arg) : -1;
		struct pollfd p[4] = {
			{ .fd = sig_pipe[0], .events = POLLIN },
			{ .fd = app_wake_fd(a), .events = POLLIN },
			{ .fd = srv ? remote_server_fd(srv) : -1, .events = POLLIN },
			{ .fd = ops->keys ? ops->key_fd : -1, .events = POLLIN },
		};
		int r = poll(p, 4, wait);
		if (r < 0 && errno != EINTR)
			return FRONT_ESYS;
		if (r <= 0) {
			if (ops->timeout)
				ops->timeout(ops->arg);
			continue;
		}
		int changed = 0;
		if (p[0].revents & POLLIN) {
			on_signals(ops);
			changed = 1;
		}
		if (p[1].revents & POLLIN) {
			app_drain(a);
			changed = 1;
		}
		if (p[2].revents & POLLIN) {
			remote_server_handle(srv);
			changed = 1;
		}
		if (changed && ops->update)
			ops->update(ops->arg);
		if (p[3].revents & (POLLIN | POLLHUP | POLLERR))
			ops->keys(ops->arg, (p[3].revents & (POLLHUP | POLLERR)) != 0);
	}
	return FRONT_OK;
}

int front_reload(struct app *a, struct config *cfg, const char *path, char *msg, size_t n)
{
	int line = 0;
	int e = path ? config_load(cfg, path, &line) : 0;
	if (e && e != CONFIG_ENOENT) {
		snprintf(msg, n, "settings %s:%d: %s (kept the old ones)", path, line,
			 line ? config_why(cfg) : config_strerror(e));
		return FRONT_ECONFIG;
	}
	app_reload(a);
	if (n)
		msg[0] = '\0';
	return FRONT_OK;
}

const char *front_strerror(int err)
{
	switch (err) {
	case FRONT_OK: return "success";
	case FRONT_ESYS: return "system call failed";
	case FRONT_ECONFIG: return "settings file refused";
	}
	return "unknown error";
}
