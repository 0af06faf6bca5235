/*
 * lookup.c - documents by id or name.
 */
#include "lookup.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
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

long long lookup_case(struct project *p, const char *name)
{
	long long id = db_int(p, 0, "SELECT id FROM cases WHERE name = %Q",
			      name);

	if (!id) {
		die(QC_NOTFOUND, "no case '%s' in the project; 'qcode cases' "
				 "lists them", name);
	}
	return id;
}

long long lookup_code(struct project *p, const char *spec, int offer_create)
{
	int ambiguous = 0;
	long long id = code_find(p, spec, &ambiguous);
	struct strbuf paths = STRBUF_INIT;
	sqlite3_stmt *st;

	if (id) {
		return id;
	}
	if (!ambiguous) {
		die(QC_NOTFOUND, "no code '%s' in the codebook; load it with "
				 "'qcode codebook load FILE'%s", spec,
		    offer_create ? " or pass --create-codes" : "");
	}
	st = db_prepare(p, "SELECT path FROM codes WHERE name = ? "
			   "ORDER BY path");
	db_bind_text(p, st, 1, spec);
	while (db_step(p, st)) {
		sb_addf(&paths, "%s'%s'", paths.len ? ", " : "",
			db_col_text(st, 0));
	}
	sqlite3_finalize(st);
	/* die() exits: PATHS stays reachable until then. */
	die(QC_INPUT, "code name '%s' is ambiguous (%s); give its path", spec,
	    sb_str(&paths));
}

char *tag_to_code_path(const char *tag, char sep)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = tag;

	for (;;) {
		const char *end = strchr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
			n--;
		}
		if (n == 0) {
			sb_release(&out);
			return NULL;
		}
		if (out.len) {
			sb_addc(&out, '/');
		}
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '/') {
				sb_adds(&out, "\xE2\x88\x95"); /* U+2215 */
			} else {
				sb_addc(&out, p[i]);
			}
		}
		if (!end) {
			break;
		}
		p = end + 1;
	}
	return sb_detach(&out, NULL);
}
