/*
 * import_harness.h - the body of the importer harnesses (fuzz_vtt.c, ...):
 * each defines FUZZ_NAME, the file name whose extension picks the
 * importer, and includes this.  The input goes through import_buffer
 * (detect, decode, skip if already imported, import), as 'qcode import'
 * does a file, into the in-memory project inside a transaction (opened
 * once) whose savepoint is rolled back to after each input.  A harness
 * may define FUZZ_OPTIONS(o, data, size), which sets the command's
 * options from the input before each run.
 */
#include <stdlib.h>

#include "import.h"
#include "fuzz.h"

struct run {
	struct import_ctx ic;
	const uint8_t *data;
	size_t size;
};

static void run(void *arg)
{
	struct run *r = arg;

	import_buffer(&r->ic, FUZZ_NAME, (const char *)r->data, r->size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct project *p = fuzz_project();
	struct import_opts o = { 0 };
	struct run r;

	r.data = data;
	r.size = size;
#ifdef FUZZ_OPTIONS
	FUZZ_OPTIONS(&o, data, size);
#endif
	fuzz_piece(size);
	fuzz_begin("import");
	import_ctx_init(&r.ic, p, &o);
	/* Released after a die() too: its statements are the project's
	 * cached ones, which project_try resets. */
	fuzz_try(run, &r);
	import_ctx_release(&r.ic);
	fuzz_rollback();
	return 0;
}
