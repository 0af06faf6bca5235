/*
 * test_serve.c - serve_answer(), the request handling of 'qcode serve'
 * without a socket: every refusal (method, Host, token, another site,
 * body size) with its status and message, the token in the address
 * becoming a cookie, the page's files, and an API request with a bearer
 * token, on an empty in-memory project.
 */
#include <stdlib.h>
#include <strings.h>

#include "serve.h"
#include "unit.h"
#include "util.h"

#define TOKEN "00112233445566778899aabbccddeeff"

/* One request's headers, query arguments and cookies: NAME=VALUE
 * strings, NULL-terminated, each prefixed by its kind (H, A or C). */
static const char *lookup(void *ctx, enum http_kind kind, const char *name)
{
	static const char kinds[] = { 'H', 'A', 'C' };

	for (const char *const *v = ctx; *v; v++) {
		size_t n = strlen(name);

		if ((*v)[0] == kinds[kind] &&
		    strncasecmp(*v + 1, name, n) == 0 && (*v)[n + 1] == '=') {
			return *v + n + 2;
		}
	}
	return NULL;
}

/* Answer METHOD URL with the values V; returns the status, the body in
 * *BODY (a copy). */
static unsigned ask(struct server *s, const char *method, const char *url,
		    const char *const *v, int too_big, char **body,
		    char **cookie)
{
	struct http_req q;
	struct http_reply r;
	const void *b;
	size_t len;
	unsigned status;

	memset(&q, 0, sizeof(q));
	q.method = method;
	q.url = url;
	q.value = lookup;
	q.ctx = (void *)v;
	q.body = "";
	q.too_big = too_big;
	http_reply_init(&r);
	serve_answer(s, &q, &r);
	b = http_reply_body(&r, &len);
	*body = xstrndup(b, len);
	if (cookie) {
		*cookie = r.set_cookie ? xstrdup(r.set_cookie) : NULL;
	}
	status = r.status;
	http_reply_release(&r);
	return status;
}

static void expect(struct server *s, const char *method, const char *url,
		   const char *const *v, int too_big, unsigned status,
		   const char *body_part)
{
	char *body;

	CHECK_INT(ask(s, method, url, v, too_big, &body, NULL), status);
	if (!strstr(body, body_part)) {
		printf("  %s %s: '%s' not in '%s'\n", method, url, body_part,
		       body);
		unit_failures++;
	}
	free(body);
}

void test_serve_answer(void)
{
	struct server s;
	char *body, *cookie;
	static const char *const bearer[] = {
		"HHost=127.0.0.1:8080", "HAuthorization=Bearer " TOKEN, NULL };
	static const char *const local[] = {
		"HHost=localhost:8080", "Cqcode_8080=" TOKEN, NULL };
	static const char *const wrong_cookie[] = {
		"HHost=127.0.0.1:8080", "Cqcode_9090=" TOKEN, NULL };
	static const char *const in_url[] = {
		"HHost=127.0.0.1:8080", "Atoken=" TOKEN, NULL };
	static const char *const no_token[] = { "HHost=127.0.0.1:8080", NULL };
	static const char *const bad_host[] = {
		"HHost=evil.example:8080", "HAuthorization=Bearer " TOKEN,
		NULL };
	static const char *const no_host[] = {
		"HAuthorization=Bearer " TOKEN, NULL };
	static const char *const short_token[] = {
		"HHost=127.0.0.1:8080", "HAuthorization=Bearer 0011", NULL };
	static const char *const other_site[] = {
		"HHost=127.0.0.1:8080", "HAuthorization=Bearer " TOKEN,
		"HOrigin=http://evil.example", NULL };
	static const char *const fetch_site[] = {
		"HHost=127.0.0.1:8080", "HAuthorization=Bearer " TOKEN,
		"HSec-Fetch-Site=cross-site", NULL };
	static const char *const cookie_ok[] = {
		"HHost=127.0.0.1:8080", "Cqcode_8080=" TOKEN,
		"HOrigin=http://localhost:8080",
		"HSec-Fetch-Site=same-origin", NULL };

	memset(&s, 0, sizeof(s));
	memcpy(s.token, TOKEN, sizeof(TOKEN));
	s.api.p = project_create(":memory:");
	s.api.coder = "unit";
	serve_setup(&s, "127.0.0.1", 8080);
	CHECK_STR(s.cookie, "qcode_8080");

	expect(&s, "PUT", "/api/info", bearer, 0, 405, "method not allowed");
	expect(&s, "GET", "/api/info", bad_host, 0, 403,
	       "the Host header does not name this server");
	expect(&s, "GET", "/api/info", no_host, 0, 403, "Host header");
	expect(&s, "GET", "/api/info", no_token, 0, 401,
	       "a valid access token is needed");
	expect(&s, "GET", "/api/info", short_token, 0, 401, "access token");
	expect(&s, "GET", "/api/info", wrong_cookie, 0, 401, "access token");
	expect(&s, "POST", "/api/undo", other_site, 0, 403,
	       "a request from another site may not change the project");
	expect(&s, "POST", "/api/undo", fetch_site, 0, 403, "another site");
	/* Another site may read (GET): the browser keeps the answer. */
	expect(&s, "GET", "/api/info", other_site, 0, 200, "{");
	expect(&s, "POST", "/api/undo", bearer, 1, 413,
	       "the request body is over 1 MiB");
	expect(&s, "GET", "/nothing.html", bearer, 0, 404, "no such page");
	expect(&s, "POST", "/", bearer, 0, 405, "method not allowed");
	expect(&s, "GET", "/", bearer, 0, 200, "<!");
	expect(&s, "GET", "/app.js", local, 0, 200, "");
	/* An unknown API path is the API's 404, with a JSON error. */
	expect(&s, "GET", "/api/nothing", bearer, 0, 404, "\"error\"");
	/* Past the checks, to the API: nothing of the coder's to undo. */
	expect(&s, "POST", "/api/undo", cookie_ok, 0, 409,
	       "nothing of unit's to undo");

	/* The token in the address becomes a cookie: a 303 to the page. */
	CHECK_INT(ask(&s, "GET", "/", in_url, 0, &body, &cookie), 303);
	CHECK(cookie && strcmp(cookie, "qcode_8080=" TOKEN "; HttpOnly; "
				       "SameSite=Strict; Path=/") == 0);
	free(body);
	free(cookie);
	/* ... but an API request with it is answered. */
	CHECK_INT(ask(&s, "GET", "/api/info", in_url, 0, &body, &cookie),
		  200);
	CHECK(cookie == NULL);
	free(body);
	project_close(s.api.p);
}

/* serve loads libmicrohttpd when it starts: a missing library, or one
 * without its functions, is an error that names it. */
void test_serve_load_mhd(void)
{
	char err[512];

	CHECK_INT(serve_load_mhd("libqcode-none.so.0", err, sizeof(err)), -1);
	CHECK(strstr(err, "libqcode-none.so.0") != NULL);
	CHECK_INT(serve_load_mhd("libm.so.6", err, sizeof(err)), -1);
	CHECK_STR(err, "libm.so.6 has no MHD_start_daemon");
}
