/* harness.c - the harnesses' shared helpers (fuzz.h). */
#include "fuzz.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"

static jmp_buf *guard;
static struct project *proj;

static void fatal(void)
{
	if (guard) {
		longjmp(*guard, 1);
	}
}

/* Finalize what a run that died left open and roll back (serve.c's
 * recover()). */
static void recover(struct project *p)
{
	sqlite3_stmt *st;

	if (!p) {
		return;
	}
	st = sqlite3_next_stmt(p->db, NULL);
	while (st) {
		sqlite3_stmt *next = sqlite3_next_stmt(p->db, st);
		int cached = 0;

		for (size_t i = 0; i < p->ncache; i++) {
			cached |= p->cache[i].st == st;
		}
		if (!cached) {
			sqlite3_finalize(st);
		}
		st = next;
	}
	for (size_t i = 0; i < p->ncache; i++) {
		sqlite3_reset(p->cache[i].st);
	}
	if (p->in_txn) {
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
		p->in_txn = 0;
		p->hist_id = 0;
	}
}

int fuzz_try(void (*fn)(void *), void *arg)
{
	jmp_buf env;
	int rc = 0;

	if (setjmp(env) == 0) {
		guard = &env;
		util_set_fatal_hook(fatal);
		fn(arg);
	} else {
		recover(proj);
		rc = -1;
	}
	guard = NULL;
	util_set_fatal_hook(NULL);
	return rc;
}

struct project *fuzz_project(void)
{
	if (!proj) {
		proj = project_create(":memory:");
	}
	return proj;
}

const char *fuzz_file(const uint8_t *data, size_t size, const char *name)
{
	static char dir[512], path[600];
	FILE *f;

	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/qcode-fuzz-%ld",
			 tmp && *tmp ? tmp : "/tmp", (long)getpid());
		if (mkdir(dir, 0700) != 0) {
			perror(dir);
			abort();
		}
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size) {
		memcpy(s, data, size);
	}
	s[size] = '\0';
	return s;
}
