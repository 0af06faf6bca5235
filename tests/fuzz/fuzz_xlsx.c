/*
 * fuzz_xlsx.c - the xlsx importer (tests/fuzz/import_harness.h) as
 * 'qcode import --text-columns ...' runs it, so that inputs get past the
 * header to their rows: the text columns are the header's columns after
 * the first (up to four), read beforehand with the importer's own sheet
 * reader (xlsx_source_open; a workbook it refuses is imported without
 * them, and refused again).  By the input's length, one in four names
 * its cases by row (--id-column @row), one in four has missing-value
 * markers (--missing), and one in four has no --text-columns (the
 * message asking for them).
 */
#include <string.h>

#include "fuzz.h"
#include "import.h"
#include "survey.h"
#include "util.h"

#define FUZZ_NAME "in.xlsx"
#define FUZZ_OPTIONS xlsx_options

static char names[4][64];
static char *text_columns[5];
static char *missing[] = { "NA", "-99", NULL };

struct header {
	struct import_ctx ic;
	struct import_file f;
	size_t n;
};

static void read_header(void *arg)
{
	struct header *h = arg;
	struct row_source *src = xlsx_source_open(&h->ic, &h->f);

	if (src->next(src)) {
		for (size_t c = 1; c < src->nfields && h->n < 4; c++) {
			char *v = trim(src->fields[c]);

			if (*v && strlen(v) < sizeof(names[h->n])) {
				strcpy(names[h->n], v);
				text_columns[h->n] = names[h->n];
				h->n++;
			}
		}
	}
	src->free(src);
}

static void xlsx_options(struct import_opts *o, const unsigned char *data,
			 size_t size)
{
	struct import_opts none = { 0 };
	struct header h = { .n = 0 };

	h.f.path = FUZZ_NAME;
	h.f.base = FUZZ_NAME;
	h.f.data = (const char *)data;
	h.f.datalen = size;
	fuzz_begin("import");
	import_ctx_init(&h.ic, fuzz_project(), &none);
	fuzz_try(read_header, &h);
	import_ctx_release(&h.ic);
	fuzz_rollback();
	text_columns[h.n] = NULL;
	o->text_columns = size % 4 == 3 ? NULL : text_columns;
	o->id_column = size % 4 == 1 ? "@row" : NULL;
	o->missing = size % 4 == 2 ? missing : NULL;
}

#include "import_harness.h"
