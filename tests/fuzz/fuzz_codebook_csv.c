/* fuzz_codebook_csv.c - the csv codebook reader (codebook_read_csv, as
 * 'codebook load' and 'autocode --codebook' use it).  It reads a path,
 * so the input is written to a file first (fuzz.h). */
#include "codebook.h"
#include "fuzz.h"

struct run {
	const char *path;
	struct codebook cb;
	struct cb_error err;
};

static void run(void *arg)
{
	struct run *r = arg;

	codebook_read_csv(&r->cb, r->path, &r->err);
	cb_error_release(&r->err);
	codebook_release(&r->cb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run r;

	r.path = fuzz_file(data, size, "codebook.csv");
	codebook_init(&r.cb);
	cb_error_init(&r.err);
	fuzz_try(run, &r);
	return 0;
}
