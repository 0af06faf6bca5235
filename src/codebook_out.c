/*
 * codebook_out.c - the codebook as CSV and JSON (one row or object per
 * code, in codebook order).  Markdown is in codebook_md.c.
 */
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "out.h"
#include "util.h"

/* V as JSON: an array of strings, or null. Caller frees. */
static char *json_strv(char *const *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!v) {
		return xstrdup("null");
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		die(QC_INTERNAL, "out of memory");
	}
	fputc('[', f);
	for (size_t i = 0; v[i]; i++) {
		if (i) {
			fputs(", ", f);
		}
		json_put_str(f, v[i]);
	}
	fputc(']', f);
	fclose(f);
	return buf;
}

/* The rules of C as a JSON array of {kind, pattern}. Caller frees. */
static char *json_rules(const struct cb_code *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		die(QC_INTERNAL, "out of memory");
	}
	fputc('[', f);
	for (size_t i = 0; i < c->nrules; i++) {
		fputs(i ? ", {\"kind\": " : "{\"kind\": ", f);
		json_put_str(f, cb_rule_kind_name(c->rules[i].kind));
		fputs(", \"pattern\": ", f);
		json_put_str(f, c->rules[i].pattern);
		fputc('}', f);
	}
	fputc(']', f);
	fclose(f);
	return buf;
}

/* The list cell of C's rules of KIND (Markdown list syntax). */
static char *rule_list(const struct cb_code *c, enum cb_rule_kind kind)
{
	char **v = xmalloc((c->nrules + 1) * sizeof(*v));
	size_t n = 0;
	char *s;

	for (size_t i = 0; i < c->nrules; i++) {
		if (c->rules[i].kind == kind) {
			v[n++] = c->rules[i].pattern;
		}
	}
	v[n] = NULL;
	s = cb_list_format(v);
	free(v);
	return s;
}

/* C's rules of KIND one per line, each after PREFIX. */
static void rule_lines(struct strbuf *sb, const struct cb_code *c,
		       enum cb_rule_kind kind, const char *prefix)
{
	for (size_t i = 0; i < c->nrules; i++) {
		if (c->rules[i].kind == kind) {
			if (sb->len) {
				sb_addc(sb, '\n');
			}
			sb_addf(sb, "%s%s", prefix, c->rules[i].pattern);
		}
	}
}

static void str_or_empty(struct rows *r, const char *s)
{
	rows_str(r, s ? s : "");
}

void codebook_write_csv(const struct codebook *cb, FILE *out)
{
	struct rows r;

	rows_init(&r, "path", "name", "parent", "depth", "description",
		  "color", "codable", "example", "language", "unit",
		  "questions", "speakers", "keywords", "regex", "exclude",
		  "normalise", NULL);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];
		struct strbuf sb = STRBUF_INIT;
		char *s;

		rows_str(&r, c->path);
		rows_str(&r, c->name);
		str_or_empty(&r, c->parent >= 0 ? cb->codes[c->parent].path
						: NULL);
		rows_int(&r, c->depth);
		str_or_empty(&r, c->description);
		str_or_empty(&r, c->color);
		rows_str(&r, c->codable ? "yes" : "no");
		str_or_empty(&r, c->example);
		str_or_empty(&r, c->language);
		rows_str(&r, c->unit);
		s = cb_list_format(c->questions);
		rows_str(&r, s);
		free(s);
		s = cb_list_format(c->speakers);
		rows_str(&r, s);
		free(s);
		s = rule_list(c, CB_KEYWORD);
		rows_str(&r, s);
		free(s);
		rule_lines(&sb, c, CB_REGEX, "");
		rows_str(&r, sb_str(&sb));
		sb_reset(&sb);
		s = rule_list(c, CB_EXCLUDE_KEYWORD);
		sb_adds(&sb, s);
		free(s);
		rule_lines(&sb, c, CB_EXCLUDE_REGEX, "regex: ");
		rows_str(&r, sb_str(&sb));
		sb_release(&sb);
		rows_str(&r, c->no_normalise ? "no" : "yes");
	}
	rows_write(&r, FMT_CSV, out, 0);
	rows_release(&r);
}

void codebook_write_json(const struct codebook *cb, FILE *out)
{
	struct rows r;

	rows_init(&r, "path", "name", "parent", "depth", "description",
		  "color", "codable", "example", "language", "unit",
		  "questions", "speakers", "rules", "normalise", NULL);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];
		char *s;

		rows_str(&r, c->path);
		rows_str(&r, c->name);
		rows_str(&r, c->parent >= 0 ? cb->codes[c->parent].path
					    : NULL);
		rows_int(&r, c->depth);
		rows_str(&r, c->description);
		rows_str(&r, c->color);
		rows_json(&r, c->codable ? "true" : "false", NULL);
		rows_str(&r, c->example);
		rows_str(&r, c->language);
		rows_str(&r, c->unit);
		s = json_strv(c->questions);
		rows_json(&r, s, NULL);
		free(s);
		s = json_strv(c->speakers);
		rows_json(&r, s, NULL);
		free(s);
		s = json_rules(c);
		rows_json(&r, s, NULL);
		free(s);
		rows_json(&r, c->no_normalise ? "false" : "true", NULL);
	}
	rows_write(&r, FMT_JSON, out, 0);
	rows_release(&r);
}
