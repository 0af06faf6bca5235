/*
 * codebook_harness.h - the body of the codebook reader harnesses
 * (fuzz_codebook_csv.c, fuzz_codebook_json.c): each defines FUZZ_FORMAT,
 * a name in the codebook format table (codebook_formats.c), and includes
 * this.  The input goes to that format's buffer reader, as 'codebook
 * load' and 'autocode --codebook' read a file; a codebook it accepts
 * must pass codebook_validate.
 */
#include <stdlib.h>

#include "codebook_formats.h"
#include "fuzz.h"

struct run {
	const struct codebook_format *fmt;
	const uint8_t *data;
	size_t size;
	struct codebook cb;
	struct refi_sets sets;
	struct cb_error err;
};

static void run(void *arg)
{
	struct run *r = arg;

	if (r->fmt->read_mem(&r->cb, &r->sets, "codebook." FUZZ_FORMAT,
			     (const char *)r->data, r->size, &r->err) == 0 &&
	    codebook_validate(&r->cb, "codebook." FUZZ_FORMAT,
			      &r->err) != 0) {
		abort(); /* the reader let through what validation refuses */
	}
	cb_error_release(&r->err);
	refi_sets_release(&r->sets);
	codebook_release(&r->cb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run r;

	r.fmt = codebook_format_named(FUZZ_FORMAT);
	if (!r.fmt) {
		abort();
	}
	r.data = data;
	r.size = size;
	fuzz_piece(size);
	codebook_init(&r.cb);
	refi_sets_init(&r.sets);
	cb_error_init(&r.err);
	fuzz_try(run, &r);
	return 0;
}
