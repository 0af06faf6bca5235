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

/* What the API works on: the open project and the server's coder. */
struct api {
	struct project *p;
	const char *coder;
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

/* One file of the page, embedded at build time. */
struct web_file {
	const char *name;        /* "index.html", "app.js", "app.css" */
	const unsigned char *data;
	size_t len;
};
extern const struct web_file web_files[];
extern const size_t web_nfiles;

#endif
