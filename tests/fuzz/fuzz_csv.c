/* fuzz_csv.c - the RFC 4180 reader (csv.c): delimiter detection and
 * every record, in memory. */
#include <stdlib.h>

#include "csv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct csv_reader r;
	size_t line = 0;
	int rc;

	csv_init(&r, s, size, csv_detect(s, size));
	while ((rc = csv_next(&r)) == 1) {
		if (r.nfields < 1 || r.rec_line < line) {
			abort();
		}
		line = r.rec_line;
	}
	if (rc < 0 && !r.err) {
		abort();
	}
	csv_release(&r);
	return 0;
}
