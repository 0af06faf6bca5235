/*
 * fuzz_codings.c - 'qcode codings import' (the engine, codings_import.c's
 * import_codings) on a project holding a Hebrew/English interview; the
 * input is the file's bytes (ci_opts.data), named codings.csv.
 * The first byte picks the layout: bit 0 --wide, bit 1 --create-codes,
 * bit 2 --strict.  Each input is rolled back.
 */
#include <stdlib.h>
#include <string.h>

#include "codings_import.h"
#include "fuzz.h"
#include "import.h"

static const char interview[] =
	"Interviewer: How did the move go?\n"
	"דנה: המעבר היה קשה, בעיקר בגלל העבודה.\n"
	"Interviewer: And the neighbours?\n"
	"דנה: The neighbours helped a lot.\n";

static void seed_project(void *unused)
{
	struct project *p = fuzz_project();
	struct import_opts o = { 0 };
	struct import_ctx ic;

	project_begin(p, "import", 0, NULL);
	import_ctx_init(&ic, p, &o);
	import_buffer(&ic, "interview.txt", interview, sizeof(interview) - 1);
	import_ctx_release(&ic);
	db_exec(p, "INSERT INTO codes (path, name, ord, codable) VALUES "
		   "('Move', 'Move', 0, 1), ('Move/קושי', 'קושי', 1, 1)");
	project_commit(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (fuzz_try(seed_project, NULL) != 0) {
		abort();
	}
	return 0;
}

struct run {
	struct ci_opts o;
};

static void run(void *arg)
{
	struct run *r = arg;

	import_codings(fuzz_project(), &r->o, "codings.csv");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run r;

	if (size < 1) {
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.o.wide = data[0] & 1;
	r.o.create = (data[0] & 2) != 0;
	r.o.strict = (data[0] & 4) != 0;
	r.o.data = (const char *)data + 1;
	r.o.datalen = size - 1;
	fuzz_piece(size - 1);
	fuzz_begin("codings import");
	fuzz_try(run, &r);
	fuzz_rollback();
	return 0;
}
