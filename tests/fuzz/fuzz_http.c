/*
 * fuzz_http.c - the HTTP request handling of 'qcode serve' without the
 * socket (serve_answer: method, Host header, access token in the
 * address, an Authorization header or the cookie, Origin and
 * Sec-Fetch-Site, body size, routing to the page's files or api_handle
 * and its JSON bodies), on an in-memory project holding an interview
 * (Hebrew and English turns), a code and a coding.  The input is a
 * request as sent:
 *
 *	METHOD /PATH?a=1&b=%41
 *	Header: value
 *	...
 *	(an empty line)
 *	body
 *
 * The server listens on 127.0.0.1:8080 with the token TOKEN below.
 * What is checked: every answer has a status from 200 to 599 and a body
 * (or a 303 with its cookie); a request that does not carry the token
 * or names another Host is refused (401, 403 or 405) and never reaches
 * the project.  A request that changed the project is undone by copying
 * the seeded project back (sqlite3_backup), so every input sees the
 * same project.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "fuzz.h"
#include "import.h"
#include "serve.h"
#include "util.h"

#define TOKEN "0123456789abcdef0123456789abcdef"
#define MAXV 32

static sqlite3 *seed;
static struct server srv;

static const char interview[] =
	"Interviewer: How did the move go?\n"
	"דנה: המעבר היה קשה, בעיקר בגלל העבודה.\n"
	"Interviewer: And the neighbours?\n"
	"דנה: The neighbours helped a lot.\n";

static void copy_db(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");

	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK) {
		abort();
	}
}

/* A parsed request: headers, query arguments (%-decoded, as
 * libmicrohttpd hands them) and cookies, as name/value pairs pointing
 * into one copy of the input. */
struct parsed {
	const char *name[3][MAXV], *value[3][MAXV];
	size_t n[3];
};

static void add(struct parsed *pr, enum http_kind k, const char *name,
		const char *value)
{
	if (pr->n[k] < MAXV) {
		pr->name[k][pr->n[k]] = name;
		pr->value[k][pr->n[k]++] = value;
	}
}

static const char *value_of(void *ctx, enum http_kind kind, const char *name)
{
	const struct parsed *pr = ctx;

	for (size_t i = 0; i < pr->n[kind]; i++) {
		/* Header names are case-insensitive, the rest exact. */
		if (kind == HTTP_HEADER ? strcasecmp(pr->name[kind][i],
						     name) == 0
					: strcmp(pr->name[kind][i], name) == 0) {
			return pr->value[kind][i];
		}
	}
	return NULL;
}

static int hex(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decode %XX and '+' in S in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
			*o++ = (char)(hex(s[1]) * 16 + hex(s[2]));
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
}

static void parse_query(struct parsed *pr, char *q)
{
	while (q && *q) {
		char *amp = strchr(q, '&'), *eq;

		if (amp) {
			*amp = '\0';
		}
		eq = strchr(q, '=');
		if (eq) {
			*eq = '\0';
		}
		unescape(q);
		if (eq) {
			unescape(eq + 1);
		}
		add(pr, HTTP_ARG, q, eq ? eq + 1 : "");
		q = amp ? amp + 1 : NULL;
	}
}

static void parse_cookies(struct parsed *pr, char *c)
{
	while (c && *c) {
		char *semi = strchr(c, ';'), *eq;

		if (semi) {
			*semi = '\0';
		}
		while (*c == ' ') {
			c++;
		}
		eq = strchr(c, '=');
		if (eq) {
			*eq = '\0';
			add(pr, HTTP_COOKIE, c, eq + 1);
		}
		c = semi ? semi + 1 : NULL;
	}
}

static void seed_project(void *unused)
{
	struct project *p = fuzz_project();
	struct import_opts o = { 0 };
	struct import_ctx ic;
	struct strbuf out = STRBUF_INIT;
	struct api_req q;
	static const char body[] =
		"{\"document\": 1, \"start\": 13, \"end\": 33, "
		"\"code\": \"Move/Hard\", \"create\": true}";

	project_begin(p, "import", 0, NULL);
	import_ctx_init(&ic, p, &o);
	import_buffer(&ic, "interview.txt", interview, sizeof(interview) - 1);
	import_ctx_release(&ic);
	project_commit(p);
	memset(&q, 0, sizeof(q));
	q.method = "POST";
	q.path = "/api/codings";
	q.body = body;
	q.len = sizeof(body) - 1;
	if (api_handle(&srv.api, &q, &out) != 201) {
		abort();
	}
	sb_release(&out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	srv.api.p = fuzz_project();
	srv.api.coder = "fuzz";
	memcpy(srv.token, TOKEN, sizeof(TOKEN));
	serve_setup(&srv, "127.0.0.1", 8080);
	if (fuzz_try(seed_project, NULL) != 0 ||
	    sqlite3_open(":memory:", &seed) != SQLITE_OK) {
		abort();
	}
	copy_db(seed, srv.api.p->db);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	char *line = s, *next, *sp, *qm;
	struct parsed pr;
	struct http_req q;
	struct http_reply r;
	const char *host;
	int changes;
	int has_token = memmem(data, size, TOKEN, sizeof(TOKEN) - 1) != NULL;

	memset(&pr, 0, sizeof(pr));
	memset(&q, 0, sizeof(q));
	/* The request line. */
	next = strchr(line, '\n');
	if (next) {
		*next++ = '\0';
	}
	sp = strchr(line, ' ');
	if (!sp || sp[1] != '/') {
		free(s);
		return 0;
	}
	*sp = '\0';
	q.method = line;
	q.url = sp + 1;
	qm = strchr(sp + 1, '?');
	if (qm) {
		*qm = '\0';
		parse_query(&pr, qm + 1);
	}
	/* Headers up to an empty line; the body after it. */
	while ((line = next) != NULL) {
		char *colon;

		next = strchr(line, '\n');
		if (next) {
			*next++ = '\0';
		}
		if (!*line) {
			break;
		}
		colon = strchr(line, ':');
		if (!colon) {
			continue;
		}
		*colon = '\0';
		while (*++colon == ' ') {
			/* skip */
		}
		if (strcasecmp(line, "Cookie") == 0) {
			parse_cookies(&pr, colon); /* nothing reads it whole */
		} else {
			add(&pr, HTTP_HEADER, line, colon);
		}
	}
	q.body = next ? next : "";
	q.len = next ? size - (size_t)(next - s) : 0;
	q.too_big = q.len > SERVE_BODY_LIMIT;
	q.value = value_of;
	q.ctx = &pr;
	http_reply_init(&r);
	changes = sqlite3_total_changes(srv.api.p->db);
	serve_answer(&srv, &q, &r);
	host = value_of(&pr, HTTP_HEADER, "Host");
	if (r.status < 200 || r.status > 599 ||
	    (r.status == 303) != (r.set_cookie != NULL) ||
	    (r.status != 303 && !r.data && r.out.len == 0)) {
		abort(); /* an answer without a body */
	}
	if ((!has_token || !host ||
	     (strcmp(host, "127.0.0.1:8080") != 0 &&
	      strcmp(host, "localhost:8080") != 0)) &&
	    r.status != 401 && r.status != 403 && r.status != 405) {
		abort(); /* not refused without the token or the Host */
	}
	/* Rows changed (even if rolled back since): restore the seed. */
	if (sqlite3_total_changes(srv.api.p->db) != changes) {
		copy_db(srv.api.p->db, seed);
	}
	http_reply_release(&r);
	free(s);
	return 0;
}
