/* harness.c - the harnesses' shared helpers (fuzz.h). */
#include "fuzz.h"

#include <sqlite3.h>
#include <string.h>

#include "instream.h"
#include "util.h"

static struct project *proj;
static int in_input; /* between fuzz_begin and fuzz_rollback */

/*
 * SQLite's memory from glibc directly, not through ASan's allocator:
 * SQLite is not under test, and with ASan's malloc (stack trace,
 * quarantine, poisoning) for each of its many small allocations,
 * preparing the importers' statements took a third of every input.
 * Each block carries its size in front (for xSize).
 */
void *__libc_malloc(size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);

#define HDR 16

static void *sq_malloc(int n)
{
	char *b = __libc_malloc((size_t)n + HDR);

	if (!b) {
		return NULL;
	}
	*(size_t *)b = (size_t)n;
	return b + HDR;
}

static void sq_free(void *p)
{
	if (p) {
		__libc_free((char *)p - HDR);
	}
}

static void *sq_realloc(void *p, int n)
{
	char *b = __libc_realloc((char *)p - HDR, (size_t)n + HDR);

	if (!b) {
		return NULL;
	}
	*(size_t *)b = (size_t)n;
	return b + HDR;
}

static int sq_size(void *p)
{
	return p ? (int)*(size_t *)((char *)p - HDR) : 0;
}

static int sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int sq_init(void *unused)
{
	(void)unused;
	return SQLITE_OK;
}

static void sq_shutdown(void *unused)
{
	(void)unused;
}

static const sqlite3_mem_methods sq_mem = {
	sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup,
	sq_init,   sq_shutdown, NULL,
};

int fuzz_try(void (*fn)(void *), void *arg)
{
	int rc;

	/* Inside fuzz_begin a die() must not roll back the transaction
	 * project_try would end: fuzz_rollback goes back to the input's
	 * savepoint. */
	if (in_input) {
		proj->in_txn = 0;
	}
	rc = project_try(proj, fn, arg);
	if (in_input) {
		proj->in_txn = 1;
	}
	return rc;
}

struct project *fuzz_project(void)
{
	if (!proj) {
		/* Fails (harmlessly) when SQLite is already initialized. */
		sqlite3_config(SQLITE_CONFIG_MALLOC, &sq_mem);
		proj = project_create(":memory:");
	}
	return proj;
}

void fuzz_begin(const char *command)
{
	struct project *p = fuzz_project();

	if (!p->in_txn) {
		project_begin(p, command, 0, NULL);
	}
	db_exec(p, "SAVEPOINT fuzz_input");
	in_input = 1;
}

void fuzz_rollback(void)
{
	in_input = 0;
	if (sqlite3_get_autocommit(proj->db)) {
		/* SQLite ended the transaction itself (an error such as
		 * SQLITE_FULL): the next fuzz_begin opens a new one. */
		proj->in_txn = 0;
		proj->hist_id = 0;
		return;
	}
	db_exec(proj, "ROLLBACK TO fuzz_input");
	db_exec(proj, "RELEASE fuzz_input");
}

void fuzz_piece(size_t size)
{
	instream_default_piece = 128 + (size * 61) % 3968;
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
