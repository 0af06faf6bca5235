/*
 * lookup.c - documents by id or name.
 */
#include "lookup.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* 1 when S is a non-empty run of ASCII digits. */
static int all_digits(const char *s)
{
	if (!*s) {
		return 0;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return 0;
		}
	}
	return 1;
}

long long lookup_document_id(struct project *p, const char *doc)
{
	long long id = 0;

	if (all_digits(doc) && strlen(doc) <= 18) {
		id = db_int(p, 0, "SELECT id FROM documents WHERE id = %lld",
			    strtoll(doc, NULL, 10));
	}
	if (!id) {
		id = db_int(p, 0, "SELECT id FROM documents WHERE name = %Q",
			    doc);
	}
	return id;
}

long long lookup_document(struct project *p, const char *doc)
{
	long long id = lookup_document_id(p, doc);

	if (!id) {
		die(QC_NOTFOUND, "no document '%s' in the project; 'qcode "
				 "docs' lists them", doc);
	}
	return id;
}
