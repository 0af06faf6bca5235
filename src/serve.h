/*
 * serve.h - the web workspace: the HTTP interface (api.c) that
 * 'qcode serve' (serve.c) hands each authenticated request to, and the
 * page's files embedded at build time (build/web_files.c).
 */
#ifndef QCODE_SERVE_H
#define QCODE_SERVE_H

#include <stddef.h>
#include <stdio.h>

#include "project.h"
#include "util.h"

struct rows;
struct report;
struct api_codes;

/* What the API works on: the open project and the server's coder. */
struct api {
	struct project *p;
	const char *coder;
	struct api_codes *codes; /* the code tree's counts, or NULL */
};

/* One request as the API sees it (already authenticated). */
struct api_req {
	const char *method;   /* "GET", "POST", "DELETE" */
	const char *path;     /* "/api/..." */
	const char *body;     /* the request body (NUL-terminated), or "" */
	size_t len;
	/* The value of query argument NAME, or NULL. */
	const char *(*arg)(void *ctx, const char *name);
	void *argctx;
};

/* Answer request Q: write a JSON body to OUT and return the HTTP status.
 * Errors are {"error": "..."} with a 4xx status; nothing is written to
 * the project on an error. */
int api_handle(struct api *a, const struct api_req *q, struct strbuf *out);

/* Write {"error": MSG} to OUT and return STATUS. */
int api_error(struct strbuf *out, int status, const char *fmt, ...)
	QC_PRINTF(3, 4);

/*
 * The HTTP side of 'qcode serve' without the socket (serve.c): what the
 * server checks and answers, given one request's method, address,
 * headers, query arguments, cookies and body.  The libmicrohttpd glue
 * and the fuzz harness (tests/fuzz/fuzz_http.c) both call it.
 */
struct server {
	struct api api;
	char token[33];      /* 128 bits as hex */
	char cookie[32];     /* the cookie's name, per port */
	char host_a[96];     /* accepted Host values */
	char host_b[96];
	char origin_a[112];  /* accepted Origin values */
	char origin_b[112];
	unsigned port;
};

/* Set S's accepted Host and Origin values and cookie name for HOST (an
 * IPv4 address) and PORT; S's token and api are set apart. */
void serve_setup(struct server *s, const char *host, unsigned port);

enum http_kind { HTTP_HEADER, HTTP_ARG, HTTP_COOKIE };

/* The largest request body accepted (413 beyond). */
#define SERVE_BODY_LIMIT (1024 * 1024)

struct http_req {
	const char *method;   /* as sent: "GET", "POST", ... */
	const char *url;      /* the path, without the query string */
	/* The value of header, query argument (decoded) or cookie NAME of
	 * kind KIND, or NULL. */
	const char *(*value)(void *ctx, enum http_kind kind,
			     const char *name);
	void *ctx;
	const char *body;     /* NUL-terminated, LEN bytes; "" when none */
	size_t len;
	int too_big;          /* the body was over SERVE_BODY_LIMIT */
};

struct http_reply {
	unsigned status;
	const char *type;            /* Content-Type */
	struct strbuf out;           /* the body, or: */
	const unsigned char *data;   /* a page's file (static) */
	size_t len;
	char *set_cookie;            /* a 303 to LOCATION setting it */
	const char *location;
	char timing[48];             /* a Server-Timing value, or "" */
};

void http_reply_init(struct http_reply *r);
void http_reply_release(struct http_reply *r);
/* The body of R (OUT's or DATA). */
const void *http_reply_body(const struct http_reply *r, size_t *len);

/* The checks made as soon as the headers are in: the method, the Host
 * header, the access token (in the address, an Authorization: Bearer
 * header or the cookie) and, for a changing request, Origin and
 * Sec-Fetch-Site.  0 when the request may go on; else 1 with the
 * refusal in R. */
int serve_admit(const struct server *s, const struct http_req *q,
		struct http_reply *r);
/* Answer request Q (the body read) into R: the checks above, then the
 * body's size, /api/ (api_handle, with die() caught: a 500 and the
 * project rolled back) or a page's file (the token given in the address
 * becomes a cookie: a 303). */
void serve_answer(struct server *s, const struct http_req *q,
		  struct http_reply *r);

/* Load libmicrohttpd (SONAME) for serve; 0, or -1 with why in ERR. */
int serve_load_mhd(const char *soname, char *err, size_t errlen);

/* Free what the API keeps between requests. */
void api_release(struct api *a);

/* The code tree (GET /api/codes) as rows from report R (api_codes.c). */
void api_codes_rows(struct api *a, const struct report *r, struct rows *x);

/* The code tree with the counts of every coder's accepted codings into
 * X: counted when the project changed outside the server, else kept. */
void api_codes_cached(struct api *a, struct rows *x);

/* Coding CODING (of code CODE in document DOC) began (DELTA 1) or
 * stopped (-1) counting: an accepted coding was added, removed,
 * accepted or rejected. */
void api_codes_update(struct api *a, long long coding, long long code,
		      long long doc, int delta);

/* Drop the kept counts (after a change api_codes_update() cannot
 * follow, such as an undo). */
void api_codes_forget(struct api *a);

/* A query argument of Q that must be valid UTF-8 when given (*BAD set
 * when it is not); NULL when missing or empty (api.c). */
const char *api_arg(const struct api_req *q, const char *name, int *bad);

/* The rows R as JSON (the writer's bytes, no final newline) into MEM. */
void api_put_rows(FILE *mem, const struct rows *r, unsigned flags);
/* A memory stream for a reply (dies when out of memory); api_close()
 * closes it and appends what was written to OUT. */
FILE *api_open(char **buf, size_t *len);
void api_close(FILE *mem, char **buf, size_t *len, struct strbuf *out);

/* 1 when GET /api/documents request Q asks for a page (?limit=,
 * ?offset= or a filter) rather than the whole list (api_docs.c). */
int api_documents_paged(const struct api_req *q);

/* GET /api/documents?limit=&offset=&name=&question=&attribute=&value=
 * &coded=: {"total", "offset", "limit", "documents": [rows]}. */
int api_documents_page(struct api *a, const struct api_req *q,
		       struct strbuf *out);

/* GET /api/filters: {"questions": [...], "attributes": [{"name",
 * "values": [...]}]}, the choices of the document list's filters. */
int api_filters(struct api *a, struct strbuf *out);

/* One file of the page, embedded at build time. */
struct web_file {
	const char *name;        /* "index.html", "app.js", "app.css" */
	const unsigned char *data;
	size_t len;
};
extern const struct web_file web_files[];
extern const size_t web_nfiles;

#endif
