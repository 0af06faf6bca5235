/*
 * import_harness.h - the body of the importer harnesses (fuzz_vtt.c, ...): each
 * defines FUZZ_NAME, the file name whose extension picks the importer,
 * and includes this.  The importers read a path (import_path: read,
 * decode, detect, import), so the input is written to a file first (the
 * last resort of fuzz.h).  Each input is imported into the in-memory
 * project inside a transaction that is rolled back.
 */
#include <stdlib.h>

#include "import.h"
#include "fuzz.h"

struct run {
	struct import_ctx ic;
	const char *path;
};

static void run(void *arg)
{
	struct run *r = arg;

	import_path(&r->ic, r->path);
	import_ctx_release(&r->ic);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct project *p = fuzz_project();
	struct import_opts o = { 0 };
	struct run r;

	r.path = fuzz_file(data, size, FUZZ_NAME);
	project_begin(p, "import", 0, NULL);
	import_ctx_init(&r.ic, p, &o);
	/* On die() the context is dropped, not released: recover() has
	 * finalized its statements. */
	fuzz_try(run, &r);
	project_rollback(p);
	return 0;
}
