/*
 * test_project.c - the project's statement cache (db_cached): many
 * statements, each prepared once and found again by its SQL's address.
 */
#include <stdlib.h>
#include <unistd.h>

#include "project.h"
#include "unit.h"
#include "util.h"

#define NSQL 150

void test_db_cached(void)
{
	static char sql[NSQL][32]; /* static storage, as db_cached wants */
	sqlite3_stmt *first[NSQL];
	char dir[] = "/tmp/qcode-unit-XXXXXX";
	struct project *p;
	char *path;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	path = xasprintf("%s/c.qcode", dir);
	p = project_create(path);
	for (int i = 0; i < NSQL; i++) {
		snprintf(sql[i], sizeof(sql[i]), "SELECT %d + ?", i);
	}
	/* Twice over: the second round finds every statement again (the
	 * same one, reset and unbound) however large the cache has grown. */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < NSQL; i++) {
			sqlite3_stmt *st = db_cached(p, sql[i]);

			if (round == 0) {
				first[i] = st;
			} else {
				CHECK(st == first[i]);
			}
			CHECK(sqlite3_bind_parameter_count(st) == 1);
			sqlite3_bind_int(st, 1, 1000 * round);
			CHECK(db_step(p, st));
			CHECK_INT(sqlite3_column_int(st, 0), i + 1000 * round);
			/* Left stepped halfway: db_cached resets it. */
		}
	}
	CHECK_INT(p->ncache, NSQL);
	/* Unbound on reuse: the parameter is NULL, so is the sum. */
	{
		sqlite3_stmt *st = db_cached(p, sql[7]);

		CHECK(db_step(p, st));
		CHECK_INT(sqlite3_column_type(st, 0), SQLITE_NULL);
		sqlite3_reset(st);
	}
	project_close(p);
	unlink(path);
	rmdir(dir);
	free(path);
}
