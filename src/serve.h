/*
 * serve.h - the web workspace: the HTTP interface (api.c) that
 * 'qcode serve' (serve.c) hands each authenticated request to, and the
 * page's files embedded at build time (build/web_files.c).
 */
#ifndef QCODE_SERVE_H
#define QCODE_SERVE_H

#include <stddef.h>

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

/* One file of the page, embedded at build time. */
struct web_file {
	const char *name;        /* "index.html", "app.js", "app.css" */
	const unsigned char *data;
	size_t len;
};
extern const struct web_file web_files[];
extern const size_t web_nfiles;

#endif
