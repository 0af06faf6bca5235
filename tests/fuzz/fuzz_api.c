/*
 * fuzz_api.c - the HTTP request handling of 'qcode serve' (api_handle):
 * the input is a request, "METHOD /api/PATH?a=1&b=2" on the first line
 * and the body after it, answered on an in-memory project holding an
 * interview (Hebrew and English turns), two codes and a coding.  A
 * request that changed the project is undone by copying the seeded
 * project back (sqlite3_backup), so every input sees the same project.
 * The Host/token checks of serve.c run before api_handle and are not
 * fuzzed here.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fuzz.h"
#include "import.h"
#include "serve.h"
#include "util.h"

static sqlite3 *seed;
static struct api api;

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

/* The query string of the request: "a=1&b=2" (no %-decoding: the
 * server hands api_handle decoded values). */
struct query {
	char *s;
};

static const char *arg(void *ctx, const char *name)
{
	struct query *q = ctx;
	size_t n = strlen(name);

	for (char *p = q->s; p && *p;) {
		char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			static char v[256];

			len -= n + 1;
			if (len >= sizeof(v)) {
				len = sizeof(v) - 1;
			}
			memcpy(v, p + n + 1, len);
			v[len] = '\0';
			return v;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
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
	import_path(&ic, fuzz_file((const uint8_t *)interview,
				   sizeof(interview) - 1, "interview.txt"));
	import_ctx_release(&ic);
	project_commit(p);
	memset(&q, 0, sizeof(q));
	q.method = "POST";
	q.path = "/api/codings";
	q.body = body;
	q.len = sizeof(body) - 1;
	q.arg = arg;
	q.argctx = &(struct query){ NULL };
	if (api_handle(&api, &q, &out) != 201) {
		abort();
	}
	sb_release(&out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	api.p = fuzz_project();
	api.coder = "fuzz";
	if (fuzz_try(seed_project, NULL) != 0 ||
	    sqlite3_open(":memory:", &seed) != SQLITE_OK) {
		abort();
	}
	copy_db(seed, api.p->db);
	return 0;
}

struct run {
	struct api_req q;
	struct strbuf out;
	int status;
};

static void run(void *arg)
{
	struct run *r = arg;

	r->status = api_handle(&api, &r->q, &r->out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	char *nl = strchr(s, '\n'), *sp, *qm;
	struct query query = { NULL };
	struct run r;

	memset(&r, 0, sizeof(r));
	sb_init(&r.out);
	r.q.body = nl ? nl + 1 : "";
	if (nl) {
		*nl = '\0';
	}
	/* What serve.c hands on: a method, a path under /api/. */
	sp = strchr(s, ' ');
	if (!sp || strncmp(sp + 1, "/api/", 5) != 0) {
		free(s);
		sb_release(&r.out);
		return 0;
	}
	*sp = '\0';
	qm = strchr(sp + 1, '?');
	if (qm) {
		*qm = '\0';
		query.s = qm + 1;
	}
	r.q.method = s;
	r.q.path = sp + 1;
	r.q.len = size - (size_t)(r.q.body - s);
	r.q.arg = arg;
	r.q.argctx = &query;
	if (fuzz_try(run, &r) == 0 &&
	    (r.status < 200 || r.status > 499 || r.out.len == 0)) {
		abort(); /* an answer without a body or with a 5xx status */
	}
	if (strcmp(s, "GET") != 0 && strcmp(s, "HEAD") != 0) {
		copy_db(api.p->db, seed);
	}
	sb_release(&r.out);
	free(s);
	return 0;
}
