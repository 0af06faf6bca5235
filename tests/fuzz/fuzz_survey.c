/*
 * fuzz_survey.c - the CSV/TSV survey importer (tests/fuzz/import_harness.h)
 * as 'qcode import --text-columns ...' runs it: the text columns are the
 * header's columns after the first (up to four; the first names the
 * cases), read with the importer's CSV reader, so that inputs get past
 * the header to their rows.  By the input's length, one in four names
 * its cases by row (--id-column @row), one in four has missing-value
 * markers (--missing), and one in four has no --text-columns, as 'qcode
 * import table.csv' (a table of speaker turns, told by its header, or
 * the message asking for --text-columns).
 */
#include <string.h>

#include "csv.h"
#include "import.h"
#include "util.h"

#define FUZZ_NAME "in.csv"
#define FUZZ_OPTIONS survey_options

static char names[4][64];
static char *text_columns[5];
static char *missing[] = { "NA", "-99", NULL };

static void survey_options(struct import_opts *o, const unsigned char *data,
			   size_t size)
{
	const char *s = (const char *)data;
	struct csv_reader r;
	size_t n = 0;

	csv_init(&r, s, size, csv_detect(s, size));
	if (csv_next(&r) == 1) {
		for (size_t c = 1; c < r.nfields && n < 4; c++) {
			char *v = trim(r.fields[c]);

			if (*v && strlen(v) < sizeof(names[n])) {
				strcpy(names[n], v);
				text_columns[n] = names[n];
				n++;
			}
		}
	}
	csv_release(&r);
	text_columns[n] = NULL;
	o->text_columns = size % 4 == 3 ? NULL : text_columns;
	o->id_column = size % 4 == 1 ? "@row" : NULL;
	o->missing = size % 4 == 2 ? missing : NULL;
}

#include "import_harness.h"
