/*
 * serve.c - qcode serve: the web workspace.  HTTP (libmicrohttpd) on the
 * loopback interface, the access token, Host and Origin checks, limits,
 * the embedded page; every /api/ request goes to api.c.
 *
 * One thread answers every request in turn (libmicrohttpd's internal
 * polling thread, no thread per connection), so the project's one SQLite
 * connection is used by one request at a time.  A request that reaches
 * die() somewhere below is caught by the fatal hook (a longjmp back to
 * the request), rolled back and answered with an error: no request stops
 * the server.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "commands.h"
#include "serve.h"
#include "util.h"

#define SYNOPSIS                                                        \
	"usage: qcode serve [--port N] [--host ADDR] [--coder NAME] [--open]\n"

static const char usage[] =
	SYNOPSIS
	"\n"
	"Serve the project as a web workspace for coding in the browser.\n"
	"The first line on standard output is the address with the access\n"
	"token, http://127.0.0.1:PORT/?token=TOKEN; open it in a browser.\n"
	"Stop the server with Ctrl-C.\n"
	"\n"
	"  --port N            the port (default 0: a free one)\n"
	"  --host ADDR         listen on the IPv4 address ADDR instead of\n"
	"                      127.0.0.1 (a warning: others on the network\n"
	"                      can then reach it, with the token); browsers\n"
	"                      must use that address (not 0.0.0.0)\n"
	"  --coder NAME        the coder of codings made in the page (default\n"
	"                      $QCODE_CODER, else the login name)\n"
	"  --open              open the address in the default browser\n"
	"                      ($BROWSER when set, else xdg-open)\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_PORT = OPT_BASE, O_HOST, O_CODER, O_OPEN };

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
	"form-action 'none'; frame-ancestors 'none'";

/* Per-request state, from the first call of the handler to the last. */
struct request {
	struct strbuf body;
	int too_big;
};

/* Fill BUF with 16 random bytes from the OS as 32 hex digits. */
static int make_token(char buf[33])
{
	unsigned char raw[16];
	size_t got = 0;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	}
	return 0;
}

/* Compare S with the token in time independent of where they differ. */
static int token_ok(const struct server *s, const char *v)
{
	unsigned char diff = 0;
	size_t n = strlen(s->token);

	if (!v || strlen(v) != n) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		diff |= (unsigned char)(v[i] ^ s->token[i]);
	}
	return diff == 0;
}

void serve_setup(struct server *s, const char *host, unsigned port)
{
	s->port = port;
	snprintf(s->cookie, sizeof(s->cookie), "qcode_%u", port);
	snprintf(s->host_a, sizeof(s->host_a), "%s:%u", host, port);
	snprintf(s->origin_a, sizeof(s->origin_a), "http://%s:%u", host,
		 port);
	if (strcmp(host, "127.0.0.1") == 0) {
		snprintf(s->host_b, sizeof(s->host_b), "localhost:%u", port);
		snprintf(s->origin_b, sizeof(s->origin_b),
			 "http://localhost:%u", port);
	} else {
		memcpy(s->host_b, s->host_a, sizeof(s->host_b));
		memcpy(s->origin_b, s->origin_a, sizeof(s->origin_b));
	}
}

void http_reply_init(struct http_reply *r)
{
	memset(r, 0, sizeof(*r));
	sb_init(&r->out);
}

void http_reply_release(struct http_reply *r)
{
	sb_release(&r->out);
	free(r->set_cookie);
	memset(r, 0, sizeof(*r));
}

const void *http_reply_body(const struct http_reply *r, size_t *len)
{
	if (r->data) {
		*len = r->len;
		return r->data;
	}
	*len = r->out.len;
	return r->out.len ? r->out.buf : "";
}

/* A JSON error reply. */
static void reply_error(struct http_reply *r, unsigned status,
			const char *msg)
{
	r->status = status;
	r->type = "application/json";
	api_error(&r->out, (int)status, "%s", msg);
}

/* The embedded file for URL ("/" is index.html), or NULL. */
static const struct web_file *static_file(const char *url)
{
	if (strcmp(url, "/") == 0) {
		url = "/index.html";
	}
	for (size_t i = 0; i < web_nfiles; i++) {
		if (url[0] == '/' && strcmp(url + 1, web_files[i].name) == 0) {
			return &web_files[i];
		}
	}
	return NULL;
}

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot && strcmp(dot, ".js") == 0) {
		return "text/javascript; charset=utf-8";
	}
	if (dot && strcmp(dot, ".css") == 0) {
		return "text/css; charset=utf-8";
	}
	return "text/html; charset=utf-8";
}

static const char *query_arg(void *ctx, const char *name)
{
	const struct http_req *q = ctx;

	return q->value(q->ctx, HTTP_ARG, name);
}

struct api_run {
	struct api *api;
	struct api_req q;
	struct strbuf *out;
	int status;
};

static void api_run(void *arg)
{
	struct api_run *run = arg;

	run->status = api_handle(run->api, &run->q, run->out);
}

/* Run the API on an authenticated request. */
static void run_api(struct server *s, const struct http_req *q,
		    struct http_reply *r)
{
	struct api_run run;
	struct timespec t0, t1;

	memset(&run, 0, sizeof(run));
	run.api = &s->api;
	run.q.method = q->method;
	run.q.path = q->url;
	run.q.body = q->body;
	run.q.len = q->len;
	run.q.arg = query_arg;
	run.q.argctx = (void *)q;
	run.out = &r->out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (project_try(s->api.p, api_run, &run) != 0) {
		/* die() below: the message went to stderr; answer with it. */
		sb_reset(&r->out);
		run.status = api_error(&r->out, 500, "%s",
				       util_fatal_message());
	}
	r->status = (unsigned)run.status;
	r->type = "application/json";
	/* The time the answer took here (browsers show it; make bench
	 * reads it). */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(r->timing, sizeof(r->timing), "app;dur=%.2f",
		 (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			 (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
}

/* Whether the token came in the address (?token=). */
static int token_in_url(const struct server *s, const struct http_req *q)
{
	return token_ok(s, q->value(q->ctx, HTTP_ARG, "token"));
}

int serve_admit(const struct server *s, const struct http_req *q,
		struct http_reply *r)
{
	const char *method = q->method;
	const char *host = q->value(q->ctx, HTTP_HEADER, "Host");
	const char *auth = q->value(q->ctx, HTTP_HEADER, "Authorization");
	const char *origin = q->value(q->ctx, HTTP_HEADER, "Origin");
	const char *site = q->value(q->ctx, HTTP_HEADER, "Sec-Fetch-Site");
	int changes = strcmp(method, "GET") != 0 &&
		      strcmp(method, "HEAD") != 0;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "POST") != 0 && strcmp(method, "DELETE") != 0) {
		reply_error(r, 405, "method not allowed");
		return 1;
	}
	if (!host || (strcmp(host, s->host_a) != 0 &&
		      strcmp(host, s->host_b) != 0)) {
		reply_error(r, 403, "the Host header does not name this "
				    "server");
		return 1;
	}
	if (token_in_url(s, q)) {
		/* the address 'qcode serve' printed */
	} else if (auth && strncmp(auth, "Bearer ", 7) == 0 &&
		   token_ok(s, auth + 7)) {
		/* a script */
	} else if (!token_ok(s, q->value(q->ctx, HTTP_COOKIE, s->cookie))) {
		reply_error(r, 401, "a valid access token is needed (the "
				    "address 'qcode serve' printed)");
		return 1;
	}
	if (changes && ((origin && strcmp(origin, s->origin_a) != 0 &&
			 strcmp(origin, s->origin_b) != 0) ||
			(site && strcmp(site, "same-origin") != 0 &&
			 strcmp(site, "none") != 0))) {
		reply_error(r, 403, "a request from another site may not "
				    "change the project");
		return 1;
	}
	return 0;
}

void serve_answer(struct server *s, const struct http_req *q,
		  struct http_reply *r)
{
	const struct web_file *f;

	if (serve_admit(s, q, r)) {
		return;
	}
	if (q->too_big) {
		reply_error(r, 413, "the request body is over 1 MiB");
		return;
	}
	if (strncmp(q->url, "/api/", 5) == 0) {
		run_api(s, q, r);
		return;
	}
	f = static_file(q->url);
	if (!f) {
		reply_error(r, 404, "no such page");
		return;
	}
	if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0) {
		reply_error(r, 405, "method not allowed");
		return;
	}
	if (token_in_url(s, q)) {
		/* The token becomes a cookie; the address loses it. */
		r->status = 303;
		r->set_cookie = xasprintf("%s=%s; HttpOnly; SameSite=Strict; "
					  "Path=/", s->cookie, s->token);
		r->location = q->url;
		return;
	}
	r->status = 200;
	r->type = content_type(f->name);
	r->data = f->data;
	r->len = f->len;
}

/* ---- libmicrohttpd ---- */

/* libmicrohttpd is loaded when `serve` starts (dlopen), not linked into
 * qcode: it and the ten libraries it needs (GnuTLS, Nettle, GMP, p11-kit,
 * libidn2 ...) cost every start of every other command some 7 ms of CPU,
 * twice that under ASan.  The Makefile passes the soname of the library
 * pkg-config finds; its header still types every call below. */
#ifndef QC_MHD_SONAME
#define QC_MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct mhd_api {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
} mhd;

static const struct {
	const char *name;
	size_t off;
} mhd_syms[] = {
#define MHD_SYM(f) { "MHD_" #f, offsetof(struct mhd_api, f) }
	MHD_SYM(start_daemon),
	MHD_SYM(stop_daemon),
	MHD_SYM(get_daemon_info),
	MHD_SYM(queue_response),
	MHD_SYM(create_response_from_buffer),
	MHD_SYM(destroy_response),
	MHD_SYM(add_response_header),
	MHD_SYM(lookup_connection_value),
#undef MHD_SYM
};

int serve_load_mhd(const char *soname, char *err, size_t errlen)
{
	struct mhd_api api;
	void *lib, *sym;
	size_t i;

	/* Kept open to the end: the server's thread runs in it. */
	lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	for (i = 0; i < sizeof(mhd_syms) / sizeof(mhd_syms[0]); i++) {
		sym = dlsym(lib, mhd_syms[i].name);
		if (!sym) {
			snprintf(err, errlen, "%s has no %s", soname,
				 mhd_syms[i].name);
			dlclose(lib);
			return -1;
		}
		/* ISO C has no cast from void * to a function pointer;
		 * POSIX guarantees their representations agree. */
		memcpy((char *)&api + mhd_syms[i].off, &sym, sizeof(sym));
	}
	mhd = api;
	return 0;
}

static const char *mhd_value(void *ctx, enum http_kind kind,
			     const char *name)
{
	static const enum MHD_ValueKind kinds[] = {
		[HTTP_HEADER] = MHD_HEADER_KIND,
		[HTTP_ARG] = MHD_GET_ARGUMENT_KIND,
		[HTTP_COOKIE] = MHD_COOKIE_KIND,
	};

	return mhd.lookup_connection_value(ctx, kinds[kind], name);
}

/* Queue R with the security headers (a 303 with its own few). */
static enum MHD_Result send_reply(struct MHD_Connection *con,
				  const struct http_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const void *body;
	size_t len;

	if (r->set_cookie) {
		resp = mhd.create_response_from_buffer(
			0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (!resp) {
			return MHD_NO;
		}
		mhd.add_response_header(resp, "Set-Cookie", r->set_cookie);
		mhd.add_response_header(resp, "Location", r->location);
		mhd.add_response_header(resp, "Cache-Control", "no-store");
		mhd.add_response_header(resp, "Content-Security-Policy", csp);
	} else {
		body = http_reply_body(r, &len);
		resp = mhd.create_response_from_buffer(len, (void *)body,
						       MHD_RESPMEM_MUST_COPY);
		if (!resp) {
			return MHD_NO;
		}
		mhd.add_response_header(resp, "Content-Type", r->type);
		if (r->timing[0]) {
			mhd.add_response_header(resp, "Server-Timing",
						r->timing);
		}
		mhd.add_response_header(resp, "Content-Security-Policy", csp);
		mhd.add_response_header(resp, "X-Content-Type-Options",
					"nosniff");
		mhd.add_response_header(resp, "X-Frame-Options", "DENY");
		mhd.add_response_header(resp, "Referrer-Policy",
					"no-referrer");
		mhd.add_response_header(resp, "Cache-Control", "no-store");
	}
	ret = mhd.queue_response(con, r->status, resp);
	mhd.destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *rq = *con_cls;
	struct http_req q;
	struct http_reply r;
	enum MHD_Result ret;

	memset(&q, 0, sizeof(q));
	q.method = method;
	q.url = url;
	q.value = mhd_value;
	q.ctx = con;
	q.body = "";
	if (!rq) {
		const char *cl;

		/* Refused as soon as the headers are in, before a body. */
		http_reply_init(&r);
		if (serve_admit(s, &q, &r)) {
			ret = send_reply(con, &r);
			http_reply_release(&r);
			return ret;
		}
		http_reply_release(&r);
		rq = xcalloc(1, sizeof(*rq));
		sb_init(&rq->body);
		*con_cls = rq;
		cl = mhd.lookup_connection_value(con, MHD_HEADER_KIND,
						 "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > SERVE_BODY_LIMIT) {
			rq->too_big = 1;
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!rq->too_big &&
		    rq->body.len + *upload_size <= SERVE_BODY_LIMIT) {
			sb_add(&rq->body, upload, *upload_size);
		} else {
			rq->too_big = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	q.body = sb_str(&rq->body);
	q.len = rq->body.len;
	q.too_big = rq->too_big;
	http_reply_init(&r);
	serve_answer(s, &q, &r);
	ret = send_reply(con, &r);
	http_reply_release(&r);
	return ret;
}

static void on_done(void *cls, struct MHD_Connection *con, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *con_cls;

	if (rq) {
		sb_release(&rq->body);
		free(rq);
		*con_cls = NULL;
	}
}

/* 1 when NAME is an executable file in a directory of $PATH. */
static int in_path(const char *name)
{
	const char *p = getenv("PATH");
	int found = 0;

	while (p && !found) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char *f = n ? xasprintf("%.*s/%s", (int)n, p, name)
			    : xasprintf("./%s", name);

		found = access(f, X_OK) == 0;
		free(f);
		p = colon ? colon + 1 : NULL;
	}
	return found;
}

/* Open URL in the default browser, without waiting for it: the command
 * in $BROWSER (run by the shell, the address its last argument) when
 * set, else xdg-open. */
static void open_browser(const char *url)
{
	const char *cmd = getenv("BROWSER");
	pid_t pid;

	if ((!cmd || !*cmd) && !in_path("xdg-open")) {
		warn("cannot open a browser: no xdg-open on PATH and no "
		     "$BROWSER; open the address above");
		return;
	}
	pid = fork();

	if (pid == 0) {
		/* The browser's chatter goes to /dev/null; our own error to
		 * the terminal, through a copy closed by a successful exec. */
		int err = fcntl(2, F_DUPFD_CLOEXEC, 3);
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (cmd && *cmd) {
			execl("/bin/sh", "sh", "-c", "$BROWSER \"$1\"", "sh", url,
			      (char *)NULL);
		} else {
			cmd = "xdg-open";
			execlp(cmd, cmd, url, (char *)NULL);
		}
		if (err >= 0) {
			dprintf(err, "qcode: cannot open a browser: %s: %s; "
				     "open the address above\n", cmd,
				strerror(errno));
		}
		_exit(127);
	}
	if (pid < 0) {
		warn("cannot open a browser: %s", strerror(errno));
	}
}

int cmd_serve(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "port", required_argument, NULL, O_PORT },
		{ "host", required_argument, NULL, O_HOST },
		{ "coder", required_argument, NULL, O_CODER },
		{ "open", no_argument, NULL, O_OPEN },
		{ NULL, 0, NULL, 0 },
	};
	const char *host = "127.0.0.1", *coder = NULL;
	long long port = 0;
	int open_it = 0, c, sig = 0;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct server s;
	sigset_t set;
	char err[512];

	ctx->usage = usage;
	cli_help(argc, argv, usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_PORT:
			port = cli_uint(ctx, "--port", optarg);
			if (port > 65535) {
				cli_usage_error(ctx, "--port must be 0 to "
						"65535, not '%s'", optarg);
			}
			break;
		case O_HOST:
			host = optarg;
			break;
		case O_CODER:
			coder = optarg;
			break;
		case O_OPEN:
			open_it = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if (coder && !*coder) {
		cli_usage_error(ctx, "--coder needs a name");
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		cli_usage_error(ctx, "--host needs an IPv4 address such as "
				"127.0.0.1, not '%s'", host);
	}
	if (sa.sin_addr.s_addr == htonl(INADDR_ANY)) {
		cli_usage_error(ctx, "--host needs the address browsers will "
				"use (the Host header must name it), not %s",
				host);
	}
	if (strcmp(host, "127.0.0.1") != 0) {
		warn("listening on %s, not 127.0.0.1: anyone who can reach "
		     "it and has the token can read and change the project",
		     host);
	}
	if (serve_load_mhd(QC_MHD_SONAME, err, sizeof(err)) != 0) {
		die(QC_INPUT, "serve needs the libmicrohttpd library: %s "
		    "(Debian: apt-get install libmicrohttpd12)", err);
	}
	memset(&s, 0, sizeof(s));
	if (make_token(s.token) != 0) {
		die(QC_INTERNAL, "cannot get random bytes for the token: %s",
		    strerror(errno));
	}
	s.api.p = ctx->proj;
	/* Reads through a memory map of the project rather than copies into
	 * SQLite's page cache: counting the code tree reads every document
	 * once (on a 100 MB project, a quarter of a second of CPU spent
	 * copying pages and faulting in the cache's memory), and the
	 * server keeps running. */
	db_exec(s.api.p, "PRAGMA mmap_size=1073741824");
	s.api.coder = xstrdup(cli_coder(coder));

	/* Ctrl-C and SIGTERM are taken by sigwait() below; the server's
	 * thread inherits the blocked set. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A reply is built in buffers of some 100 KB; from the heap, kept
	 * between requests, rather than fresh zeroed pages every time. */
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);

	errno = 0;
	d = mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
			     on_request, &s, MHD_OPTION_SOCK_ADDR, &sa,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, &s,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
			     MHD_OPTION_END);
	if (!d) {
		die(QC_USAGE, "cannot listen on %s port %lld: %s", host, port,
		    errno ? strerror(errno) : "refused");
	}
	info = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	s.port = info ? info->port : (unsigned)port;
	serve_setup(&s, host, s.port);
	{
		char *url = xasprintf("http://%s:%u/?token=%s", host, s.port,
				      s.token);

		printf("%s\n", url);
		fflush(stdout);
		/* the browser is started (or said not to be) before the
		 * notice: once that is out, a server given --open has a
		 * child */
		if (open_it) {
			open_browser(url);
		}
		notice("serving '%s' as coder '%s'; stop with Ctrl-C",
		       s.api.p->path, s.api.coder);
		free(url);
	}
	while (sigwait(&set, &sig) != 0) {
		/* try again */
	}
	mhd.stop_daemon(d);
	if (open_it) {
		while (waitpid(-1, NULL, WNOHANG) > 0) {
			/* reap the browser launcher */
		}
	}
	notice("stopped");
	api_release(&s.api);
	free((char *)s.api.coder);
	return QC_OK;
}
