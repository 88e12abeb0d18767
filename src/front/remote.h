/*
 * remote: the remote-control socket (server side, driven by the front
 * end's poll loop) and the client used by `emotune remote`.
 *
 * Socket: config_path_runtime("socket"), i.e. $XDG_RUNTIME_DIR/emotune/socket
 * (else /tmp/emotune-<uid>/socket), a SOCK_STREAM UNIX socket of mode 0600
 * in a directory of mode 0700. A connection from another uid (SO_PEERCRED)
 * is answered "error: permission denied" and closed.
 *
 * Line protocol (see emotune(1), REMOTE PROTOCOL): the client sends one
 * request per line (app_cmd.h: at most 1024 bytes, words separated by
 * blanks); the server answers each request with zero or more "key=value"
 * lines (status) followed by exactly one final line, "ok" or
 * "error: <why>". Requests on one connection are answered in order; several
 * clients may be connected at once (up to REMOTE_MAX_CLIENTS). A malformed or
 * oversized request is answered with an error and changes nothing.
 *
 * Something else at the socket's path: an empty regular file of ours is
 * replaced (it holds nothing); anything else (a file with data, a
 * directory, a FIFO...) is left alone and both remote_server_new() and
 * remote_request() answer REMOTE_EBLOCKED (remote_why() names it).
 *
 * Ownership: remote_server_new() returns an object freed (socket closed and
 * unlinked) by remote_server_free(); the app is borrowed and must outlive it.
 */
#ifndef EMOTUNE_REMOTE_H
#define EMOTUNE_REMOTE_H

#include <stddef.h>

struct app;
struct remote_server;

#define REMOTE_MAX_CLIENTS 32
#define REMOTE_REPLY_MAX 65536   /* history N answers many lines */

enum remote_err {
	REMOTE_OK = 0,
	REMOTE_ENOMEM = -1,
	REMOTE_ESYS = -2,       /* a system call failed (errno) */
	REMOTE_EINUSE = -3,     /* another emotune answers on the socket */
	REMOTE_ENOSERVER = -4,  /* nothing answers on the socket */
	REMOTE_EPROTO = -5,     /* the server's answer is not the protocol */
	REMOTE_EUNSAFE = -6,    /* the socket directory is not ours or not private */
	REMOTE_EBLOCKED = -7,   /* something that is not a socket is at its path */
};

/* Opens the server socket at path (NULL: the default path above). */
int remote_server_new(struct app *a, const char *path, struct remote_server **out);
/* One fd to poll for POLLIN (an epoll set of the listening socket and the
 * clients); then call remote_server_handle(). */
int remote_server_fd(const struct remote_server *srv);
/* Accepts, reads and answers whatever is ready; never blocks. */
void remote_server_handle(struct remote_server *srv);
/* The socket's path (borrowed). */
const char *remote_server_path(const struct remote_server *srv);
void remote_server_free(struct remote_server *srv);

/* Client: sends one request line to the server at path (NULL: default)
 * and copies the whole answer (all lines, the final "ok"/"error: ..." one
 * included, '\n'-terminated) into reply (size n). timeout_ms bounds the
 * wait. Returns 0 when the final line is "ok", 1 when it is an error,
 * else a negative remote_err. */
int remote_request(const char *path, const char *line, char *reply, size_t n, int timeout_ms);

const char *remote_strerror(int err);
/* remote_strerror(err), but for REMOTE_EBLOCKED what is in the way at path
 * (NULL: the default path), e.g. "a regular file of 6 bytes is in the way,
 * not a socket"; written into buf (size n), returns buf. */
char *remote_why(int err, const char *path, char *buf, size_t n);

#endif
