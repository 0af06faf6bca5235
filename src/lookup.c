/*
 * lookup.c - documents by id or name, cases, and codes by the one rule
 * of code_resolve().
 */
#include "lookup.h"

#include <ctype.h>
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
	long long id = db_int(p, 0, "SELECT id FROM documents WHERE name = %Q",
			      doc);

	if (!id && all_digits(doc) && strlen(doc) <= 18) {
		id = db_int(p, 0, "SELECT id FROM documents WHERE id = %lld",
			    strtoll(doc, NULL, 10));
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

size_t lookup_whole_number(const char *name)
{
	size_t n = strlen(name), d = 0;

	while (d < n && isdigit((unsigned char)name[d])) {
		d++;
	}
	if (d > 0 && d + 1 < n && name[d] == '.' &&
	    strspn(name + d + 1, "0") == n - d - 1) {
		return d;
	}
	return 0;
}

enum code_status code_resolve(struct project *p, const char *path, int flags,
			      long long *id, struct strbuf *candidates)
{
	sqlite3_stmt *st;
	size_t n = 0;
	long long only = 0;

	*id = db_int(p, 0, "SELECT id FROM codes WHERE path = %Q", path);
	if (*id) {
		return CODE_FOUND;
	}
	if (strchr(path, '/')) {
		return CODE_MISSING;
	}
	/* A bare name no top-level code has: the codes of that name. */
	st = db_prepare(p, "SELECT id, path FROM codes WHERE name = ? "
			   "ORDER BY path");
	db_bind_text(p, st, 1, path);
	while (db_step(p, st)) {
		only = sqlite3_column_int64(st, 0);
		if (candidates) {
			sb_addf(candidates, "%s'%s'", n ? ", " : "",
				db_col_text(st, 1));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (!n || !(flags & CODE_BY_NAME)) {
		return CODE_MISSING;
	}
	if (n == 1 && !(flags & CODE_CREATE)) {
		if (candidates) {
			sb_reset(candidates);
		}
		*id = only;
		return CODE_FOUND;
	}
	if (candidates && (flags & CODE_CREATE)) {
		sb_addf(candidates, " or a new top-level code '%s'", path);
	}
	return CODE_AMBIGUOUS;
}

/* The path of command-line argument SPEC; dies when a level is empty. */
static char *spec_path(const char *spec)
{
	char *path = tag_path(spec, "/");

	if (!path) {
		die(QC_USAGE, "'%s' is not a code path: a level is empty", spec);
	}
	return path;
}

/* Resolve SPEC with FLAGS; dies when it is ambiguous, or missing unless
 * CODE_CREATE.  Returns the id, or 0 (missing, CODE_CREATE) with the
 * path in *PATH (caller frees). */
static long long spec_code(struct project *p, const char *spec, int flags,
			   int offer_create, char **pathp)
{
	struct strbuf cands = STRBUF_INIT;
	char *path = spec_path(spec);
	long long id = 0;

	switch (code_resolve(p, path, flags, &id, &cands)) {
	case CODE_FOUND:
		break;
	case CODE_MISSING:
		if (flags & CODE_CREATE) {
			*pathp = path;
			sb_release(&cands);
			return 0;
		}
		/* die() exits: PATH and CANDS stay reachable until then. */
		die(QC_NOTFOUND, "no code '%s' in the codebook; load it with "
				 "'qcode codebook load FILE'%s", spec,
		    offer_create ? " or pass --create-codes" : "");
	case CODE_AMBIGUOUS:
		die(QC_INPUT, "code name '%s' is ambiguous (%s); give its path",
		    spec, sb_str(&cands));
	}
	free(path);
	sb_release(&cands);
	return id;
}

long long lookup_code(struct project *p, const char *spec, int offer_create)
{
	return spec_code(p, spec, CODE_BY_NAME, offer_create, NULL);
}

long long lookup_code_create(struct project *p, const char *spec)
{
	char *path = NULL;
	long long id = spec_code(p, spec, CODE_BY_NAME | CODE_CREATE, 1,
				 &path);

	if (!id) {
		id = code_get_or_create(p, path);
		free(path);
	}
	return id;
}

char *tag_path(const char *tag, const char *sep)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = tag;
	size_t seplen = strlen(sep);
	int slash_is_sep = strcmp(sep, "/") == 0;

	for (;;) {
		const char *end = strstr(p, sep);
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
			if (p[i] == '/' && !slash_is_sep) {
				sb_adds(&out, "\xE2\x88\x95"); /* U+2215 */
			} else {
				sb_addc(&out, p[i]);
			}
		}
		if (!end) {
			break;
		}
		p = end + seplen;
	}
	return sb_detach(&out, NULL);
}

char *tag_to_code_path(const char *tag, char sep)
{
	char s[2] = { sep, '\0' };

	return tag_path(tag, s);
}
