/* remote: remote-control socket server and client. See remote.h. */
#include "remote.h"
#include "app.h"
#include "app_cmd.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define INBUF (APP_CMD_MAX + 2)
#define OUTBUF_MAX (256 * 1024)

struct client {
	int fd;                 /* -1: free slot */
	char in[INBUF];
	size_t inlen;
	int discarding;         /* an oversized request: skip to its newline */
	char *out;
	size_t outlen, outcap;
	int closing;            /* close once out is written */
};

struct remote_server {
	struct app *app;        /* borrowed */
	char path[PATH_MAX];
	int lfd, epfd;
	struct client c[REMOTE_MAX_CLIENTS];
};

static int sock_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

static int default_path(const char *path, char *buf, size_t n)
{
	if (path) {
		if (snprintf(buf, n, "%s", path) >= (int)n) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return 0;
	}
	if (config_path_runtime(buf, n, "socket")) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The socket's directory must be a real directory of ours, private. */
static int check_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	struct stat st;
	if (lstat(dir, &st) != 0)
		return REMOTE_ESYS;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return REMOTE_EUNSAFE;
	if ((st.st_mode & 077) && chmod(dir, 0700) != 0)
		return REMOTE_EUNSAFE;
	return 0;
}

/* What is at the socket's path before bind: a socket file left by a killed
 * instance is removed, a live one kept (REMOTE_EINUSE); an empty regular
 * file of ours holds nothing and is removed; anything else is in the way
 * (REMOTE_EBLOCKED). */
static int clear_path(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode) && st.st_size == 0 && st.st_uid == geteuid())
		return unlink(path) == 0 ? 0 : REMOTE_ESYS;
	if (!S_ISSOCK(st.st_mode))
		return REMOTE_EBLOCKED;
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int live = probe >= 0 && connect(probe, (const struct sockaddr *)sa, sizeof *sa) == 0;
	if (probe >= 0)
		close(probe);
	if (live)
		return REMOTE_EINUSE;
	unlink(path);
	return 0;
}

int remote_server_new(struct app *a, const char *path, struct remote_server **out)
{
	struct remote_server *s = calloc(1, sizeof *s);
	struct sockaddr_un sa;
	int err = REMOTE_ESYS;
	if (!s)
		return REMOTE_ENOMEM;
	s->app = a;
	s->lfd = s->epfd = -1;
	for (int i = 0; i < REMOTE_MAX_CLIENTS; i++)
		s->c[i].fd = -1;
	if (default_path(path, s->path, sizeof s->path) || sock_addr(s->path, &sa))
		goto fail;
	if (config_mkdirs(s->path))
		goto fail;
	if ((err = check_dir(s->path)))
		goto fail;
	err = REMOTE_ESYS;

	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->lfd < 0)
		goto fail;
	if ((err = clear_path(s->path, &sa)))
		goto fail;
	err = REMOTE_ESYS;
	mode_t old = umask(0177);
	int b = bind(s->lfd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (b != 0 || chmod(s->path, 0600) != 0 || listen(s->lfd, 16) != 0)
		goto fail;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		goto fail;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lfd, &ev) != 0)
		goto fail;
	*out = s;
	return REMOTE_OK;
fail:;
	int e = errno;
	if (s->lfd >= 0) {
		close(s->lfd);
		s->lfd = -1;
		if (err == REMOTE_ESYS && s->epfd >= 0)
			unlink(s->path);
	}
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
	errno = e;
	return err;
}

int remote_server_fd(const struct remote_server *srv)
{
	return srv->epfd;
}

const char *remote_server_path(const struct remote_server *srv)
{
	return srv->path;
}

static void drop(struct remote_server *s, struct client *c)
{
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

static void watch(struct remote_server *s, struct client *c)
{
	struct epoll_event ev = {
		.events = (c->closing ? 0u : (uint32_t)EPOLLIN) | (c->outlen ? (uint32_t)EPOLLOUT : 0u),
		.data.u32 = (uint32_t)(c - s->c),
	};
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what it can of c->out; 0, or -1 when the client is gone. */
static int flush(struct remote_server *s, struct client *c)
{
	while (c->outlen) {
		ssize_t w = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -1;
		}
		memmove(c->out, c->out + w, c->outlen - (size_t)w);
		c->outlen -= (size_t)w;
	}
	if (!c->outlen && c->closing)
		return -1;
	watch(s, c);
	return 0;
}

static int queue_out(struct client *c, const char *text)
{
	size_t l = strlen(text);
	if (c->outlen + l > OUTBUF_MAX)
		return -1;  /* the client does not read its answers */
	if (c->outlen + l > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 1024;
		while (cap < c->outlen + l)
			cap *= 2;
		char *p = realloc(c->out, cap);
		if (!p)
			return -1;
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, text, l);
	c->outlen += l;
	return 0;
}

/* Answers one request line (without its newline). */
static int answer(struct remote_server *s, struct client *c, const char *line, size_t len)
{
	char *reply = malloc(REMOTE_REPLY_MAX);
	if (!reply)
		return -1;
	int rc;
	if (memchr(line, 0, len)) {
		snprintf(reply, REMOTE_REPLY_MAX, "error: control character in request");
		rc = APP_EINVAL;
	} else {
		char req[INBUF];
		memcpy(req, line, len);
		req[len] = 0;
		rc = app_command(s->app, req, reply, REMOTE_REPLY_MAX - 8);
	}
	size_t l = strlen(reply);
	if (l && reply[l - 1] != '\n')
		reply[l++] = '\n';
	reply[l] = 0;
	/* Every answer ends with "ok" or "error: ..."; status has key=value lines first. */
	if (rc == 0 && strcmp(reply, "ok\n") != 0)
		strcat(reply, "ok\n");
	else if (!l)
		strcpy(reply, rc ? "error: failed\n" : "ok\n");
	int r = queue_out(c, reply);
	free(reply);
	return r;
}

static void on_readable(struct remote_server *s, struct client *c)
{
	for (;;) {
		ssize_t r = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen, MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r <= 0) {  /* EOF or error: answer nothing more */
			c->closing = 1;
			c->inlen = 0;
			break;
		}
		c->inlen += (size_t)r;
		/* Every complete line. */
		size_t start = 0;
		for (;;) {
			char *nl = memchr(c->in + start, '\n', c->inlen - start);
			if (!nl)
				break;
			size_t len = (size_t)(nl - (c->in + start));
			if (c->discarding)
				c->discarding = 0;  /* the end of an oversized request */
			else if (answer(s, c, c->in + start, len) != 0) {
				c->closing = 1;
				c->outlen = 0;
				break;
			}
			start += len + 1;
		}
		memmove(c->in, c->in + start, c->inlen - start);
		c->inlen -= start;
		if (c->closing)
			break;
		if (c->inlen == sizeof c->in) {
			/* No newline within the limit: refuse, skip to the next line. */
			if (!c->discarding && queue_out(c, "error: request too long (more than 1024 bytes)\n") != 0)
				c->closing = 1;
			c->discarding = 1;
			c->inlen = 0;
		}
	}
	if (flush(s, c) != 0)
		drop(s, c);
}

static void on_accept(struct remote_server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;
		struct ucred cr;
		socklen_t cl = sizeof cr;
		const char *refuse = NULL;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) != 0 || cr.uid != geteuid())
			refuse = "error: permission denied (another user)\n";
		int slot = -1;
		for (int i = 0; i < REMOTE_MAX_CLIENTS && slot < 0 && !refuse; i++)
			if (s->c[i].fd < 0)
				slot = i;
		if (!refuse && slot < 0)
			refuse = "error: too many clients\n";
		if (refuse) {
			ssize_t w = send(fd, refuse, strlen(refuse), MSG_NOSIGNAL | MSG_DONTWAIT);
			(void)w;
			close(fd);
			continue;
		}
		struct client *c = &s->c[slot];
		memset(c, 0, sizeof *c);
		c->fd = fd;
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)slot };
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			close(fd);
			c->fd = -1;
		}
	}
}

void remote_server_handle(struct remote_server *s)
{
	struct epoll_event evs[REMOTE_MAX_CLIENTS + 1];
	int n = epoll_wait(s->epfd, evs, REMOTE_MAX_CLIENTS + 1, 0);
	for (int i = 0; i < n; i++) {
		uint32_t id = evs[i].data.u32;
		if (id == UINT32_MAX) {
			on_accept(s);
			continue;
		}
		struct client *c = &s->c[id];
		if (c->fd < 0)
			continue;
		if (evs[i].events & EPOLLIN)
			on_readable(s, c);
		else if (flush(s, c) != 0)
			drop(s, c);
	}
}

void remote_server_free(struct remote_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < REMOTE_MAX_CLIENTS; i++)
		if (s->c[i].fd >= 0) {
			flush(s, &s->c[i]);
			drop(s, &s->c[i]);
		}
	close(s->epfd);
	close(s->lfd);
	unlink(s->path);
	free(s);
}

static long ms_left(const struct timespec *end)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (end->tv_sec - t.tv_sec) * 1000 + (end->tv_nsec - t.tv_nsec) / 1000000;
}

/* Is the last complete line of buf[0..len) final ("ok"/"error: ...")? */
static int final_line(const char *buf, size_t len)
{
	if (!len || buf[len - 1] != '\n')
		return 0;
	size_t st = len - 1;
	while (st && buf[st - 1] != '\n')
		st--;
	if (len - 1 - st == 2 && !memcmp(buf + st, "ok", 2))
		return 1;
	if (len - st >= 7 && !memcmp(buf + st, "error: ", 7))
		return 2;
	return 0;
}

int remote_request(const char *path, const char *line, char *reply, size_t n, int timeout_ms)
{
	char p[PATH_MAX];
	struct sockaddr_un sa;
	if (n)
		reply[0] = 0;
	if (default_path(path, p, sizeof p) || sock_addr(p, &sa))
		return REMOTE_ESYS;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return REMOTE_ESYS;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		struct stat st;
		if (e != ENOENT && lstat(p, &st) == 0 && !S_ISSOCK(st.st_mode))
			return REMOTE_EBLOCKED;
		errno = e;
		return e == ENOENT || e == ECONNREFUSED ? REMOTE_ENOSERVER : REMOTE_ESYS;
	}
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	size_t ll = strlen(line);
	char *req = malloc(ll + 2);
	if (!req) {
		close(fd);
		return REMOTE_ENOMEM;
	}
	memcpy(req, line, ll);
	req[ll] = '\n';
	size_t off = 0;
	int rc = 0;
	while (off < ll + 1) {
		ssize_t w = send(fd, req + off, ll + 1 - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* A server that refused us has closed; its answer may
			 * still be waiting to be read. */
			if (errno != EPIPE && errno != ECONNRESET)
				rc = REMOTE_ESYS;
			break;
		}
		off += (size_t)w;
	}
	free(req);
	size_t len = 0;
	char buf[REMOTE_REPLY_MAX];
	while (!rc) {
		long left = ms_left(&end);
		if (left <= 0) {
			errno = ETIMEDOUT;
			rc = REMOTE_ESYS;
			break;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		ssize_t r = recv(fd, buf + len, sizeof buf - 1 - len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* Closed: the refusal of a server that will not talk to us? */
			rc = final_line(buf, len) ? 0 : REMOTE_EPROTO;
			break;
		}
		len += (size_t)r;
		if (final_line(buf, len))
			break;
		if (len == sizeof buf - 1) {
			rc = REMOTE_EPROTO;
			break;
		}
	}
	close(fd);
	buf[len] = 0;
	if (n)
		snprintf(reply, n, "%s", buf);
	if (rc)
		return rc;
	return final_line(buf, len) == 1 ? 0 : 1;
}

const char *remote_strerror(int err)
{
	switch (err) {
	case REMOTE_OK: return "success";
	case REMOTE_ENOMEM: return "out of memory";
	case REMOTE_ESYS: return strerror(errno);
	case REMOTE_EINUSE: return "another emotune is already running on this socket";
	case REMOTE_ENOSERVER: return "no emotune is running (start emotune or emotune --headless)";
	case REMOTE_EPROTO: return "the server's answer is not emotune's protocol";
	case REMOTE_EUNSAFE: return "the socket directory is not private to this user";
	case REMOTE_EBLOCKED: return "something that is not a socket is in the way";
	}
	return "unknown error";
}

char *remote_why(int err, const char *path, char *buf, size_t n)
{
	char p[PATH_MAX];
	struct stat st;
	if (err != REMOTE_EBLOCKED || default_path(path, p, sizeof p) || lstat(p, &st) != 0) {
		snprintf(buf, n, "%s", remote_strerror(err));
		return buf;
	}
	const char *what = S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" :
			   S_ISLNK(st.st_mode) ? "a symbolic link" :
			   S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : NULL;
	if (what)
		snprintf(buf, n, "%s is in the way, not a socket", what);
	else
		snprintf(buf, n, "a regular file of %lld bytes%s is in the way, not a socket",
			 (long long)st.st_size, st.st_uid != geteuid() ? " (another user's)" : "");
	return buf;
}
