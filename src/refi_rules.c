/*
 * refi_rules.c - the qcode rules block of REFI-QDA code descriptions
 * (see refi_rules.h).
 */
#include "refi_rules.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Append "- KEY: " and the list of C's rules of KIND, when it has any. */
static void put_rule_list(struct strbuf *sb, const struct cb_code *c,
			  enum cb_rule_kind kind, const char *key)
{
	char **v = xcalloc(c->nrules + 1, sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; i < c->nrules; i++) {
		if (c->rules[i].kind == kind) {
			v[n++] = c->rules[i].pattern;
		}
	}
	if (n) {
		char *list = cb_list_format(v);

		sb_addf(sb, "- %s: %s\n", key, list);
		free(list);
	}
	free(v);
}

/* Append "- KEY: " and V in the list syntax. */
static void put_list(struct strbuf *sb, const char *key, char *const *v)
{
	char *list = cb_list_format(v);

	sb_addf(sb, "- %s: %s\n", key, list);
	free(list);
}

char *refi_rules_describe(const struct cb_code *c,
			  const struct cb_code *parent)
{
	struct strbuf block = STRBUF_INIT, out = STRBUF_INIT;
	const char *in_unit = parent ? parent->unit : "segment";

	put_rule_list(&block, c, CB_KEYWORD, "keywords");
	for (size_t i = 0; i < c->nrules; i++) {
		if (c->rules[i].kind == CB_REGEX) {
			sb_addf(&block, "- regex: %s\n", c->rules[i].pattern);
		}
	}
	put_rule_list(&block, c, CB_EXCLUDE_KEYWORD, "exclude");
	for (size_t i = 0; i < c->nrules; i++) {
		if (c->rules[i].kind == CB_EXCLUDE_REGEX) {
			sb_addf(&block, "- exclude: regex: %s\n",
				c->rules[i].pattern);
		}
	}
	if (c->unit && !cb_str_equal(c->unit, in_unit ? in_unit : "segment")) {
		sb_addf(&block, "- unit: %s\n", c->unit);
	}
	if (c->language &&
	    !cb_str_equal(c->language, parent ? parent->language : NULL)) {
		sb_addf(&block, "- language: %s\n", c->language);
	}
	if (c->no_normalise != (parent ? parent->no_normalise : 0)) {
		sb_addf(&block, "- normalise: %s\n",
			c->no_normalise ? "no" : "yes");
	}
	if (c->questions &&
	    !cb_strv_equal(c->questions, parent ? parent->questions : NULL)) {
		put_list(&block, "questions", c->questions);
	}
	if (c->speakers &&
	    !cb_strv_equal(c->speakers, parent ? parent->speakers : NULL)) {
		put_list(&block, "speakers", c->speakers);
	}
	if (c->example && *c->example) {
		sb_adds(&block, "- example: ");
		for (const char *s = c->example; *s; s++) {
			sb_addc(&block, *s == '\n' ? ' ' : *s);
		}
		sb_addc(&block, '\n');
	}
	if (c->description && *c->description) {
		sb_adds(&out, c->description);
	}
	if (block.len) {
		sb_addf(&out, "%s" REFI_RULES_BEGIN "\n%s" REFI_RULES_END,
			out.len ? "\n\n" : "", sb_str(&block));
	}
	sb_release(&block);
	return out.len ? sb_detach(&out, NULL) : NULL;
}

/* Set *WHY to MSG (taken over) and *LINE to AT; returns -1. */
static int fail(char **why, size_t *line, size_t at, char *msg)
{
	*why = msg;
	*line = at;
	return -1;
}

/* Parse one block item VALUE of KEY into C. */
static int item(struct cb_code *c, const char *key, const char *value,
		size_t at, char **why)
{
	char **v;
	char *inner = NULL;

	if (strcmp(key, "keywords") == 0 ||
	    (strcmp(key, "exclude") == 0 && strncmp(value, "regex:", 6) != 0)) {
		enum cb_rule_kind kind = key[0] == 'k' ? CB_KEYWORD
						       : CB_EXCLUDE_KEYWORD;

		v = cb_list_parse(value, &inner);
		if (!v) {
			*why = xasprintf("%s: %s", key, inner);
			free(inner);
			return -1;
		}
		for (size_t i = 0; v[i]; i++) {
			if (cb_check_keyword(v[i], &inner) != 0) {
				*why = inner;
				free_strv(v);
				return -1;
			}
			cb_code_add_rule(c, kind, v[i], at);
		}
		free_strv(v);
		return 0;
	}
	if (strcmp(key, "regex") == 0 || strcmp(key, "exclude") == 0) {
		const char *pat = key[0] == 'r' ? value : value + 6;
		char *copy = xstrdup(pat);
		struct cb_rule r;

		r.kind = key[0] == 'r' ? CB_REGEX : CB_EXCLUDE_REGEX;
		r.pattern = trim(copy);
		r.line = at;
		if (cb_check_rule(&r, why) != 0) {
			free(copy);
			return -1;
		}
		cb_code_add_rule(c, r.kind, r.pattern, at);
		free(copy);
		return 0;
	}
	if (strcmp(key, "unit") == 0 || strcmp(key, "language") == 0) {
		char **field = key[0] == 'u' ? &c->unit : &c->language;
		int rc = key[0] == 'u' ? cb_check_unit(value, why)
				       : cb_check_language(value, why);

		if (rc != 0) {
			return -1;
		}
		free(*field);
		*field = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "normalise") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			*why = xasprintf("bad value '%s' for 'normalise' (use "
					 "yes or no)", value);
			return -1;
		}
		c->no_normalise = value[0] == 'n';
		return 0;
	}
	if (strcmp(key, "questions") == 0 || strcmp(key, "speakers") == 0) {
		char ***field = key[0] == 'q' ? &c->questions : &c->speakers;

		v = cb_list_parse(value, &inner);
		if (!v) {
			*why = xasprintf("%s: %s", key, inner);
			free(inner);
			return -1;
		}
		free_strv(*field);
		*field = v;
		return 0;
	}
	if (strcmp(key, "example") == 0) {
		free(c->example);
		c->example = xstrdup(value);
		return 0;
	}
	*why = xasprintf("unknown key '%s' (known: keywords, regex, exclude, "
			 "unit, language, normalise, questions, speakers, "
			 "example)", key);
	return -1;
}

int refi_rules_parse(struct cb_code *c, const char *text, size_t first,
		     char **why, size_t *line)
{
	struct strbuf desc = STRBUF_INIT;
	const char *p = text;
	size_t at = first ? first - 1 : 0;
	int in = 0, done = 0;

	*why = NULL;
	*line = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *l = xstrndup(p, len), *copy = xstrdup(l), *t = trim(copy);

		at++;
		if (!in && !done && strcmp(t, REFI_RULES_BEGIN) == 0) {
			in = 1;
		} else if (in && strcmp(t, REFI_RULES_END) == 0) {
			in = 0;
			done = 1;
		} else if (in && *t) {
			char *colon = strchr(t, ':');

			if (t[0] != '-' || !colon) {
				free(l);
				free(copy);
				sb_release(&desc);
				return fail(why, line, at,
					    xstrdup("a rules line must read "
						    "'- key: value'"));
			}
			*colon = '\0';
			if (item(c, trim(t + 1), trim(colon + 1), at, why) !=
			    0) {
				*line = at;
				free(l);
				free(copy);
				sb_release(&desc);
				return -1;
			}
		} else if (!in) {
			sb_addf(&desc, "%s\n", l);
		}
		free(l);
		free(copy);
		p += len;
		if (*p) {
			p++;
		}
	}
	if (in) {
		sb_release(&desc);
		return fail(why, line, at,
			    xstrdup("the rules block has no '" REFI_RULES_END
				    "' line"));
	}
	/* The description keeps its own text, without the blank lines
	 * around where the block was. */
	while (desc.len && (desc.buf[desc.len - 1] == '\n' ||
			    desc.buf[desc.len - 1] == ' ' ||
			    desc.buf[desc.len - 1] == '\t')) {
		desc.buf[--desc.len] = '\0';
	}
	free(c->description);
	c->description = desc.len ? sb_detach(&desc, NULL) : NULL;
	sb_release(&desc);
	return 0;
}

void refi_rules_store(struct project *p, long long id,
		      const struct cb_code *c)
{
	char *q = cb_strv_json(c->questions);
	char *s = cb_strv_json(c->speakers);
	/* Once per code of an import: prepared once (db_cached). */
	static const char sql[] =
		"UPDATE codes SET example = ?1, language = ?2, unit = ?3, "
		"questions = ?4, speakers = ?5, normalise = ?7 WHERE id = ?6";
	sqlite3_stmt *st = db_cached(p, sql);

	db_bind_text(p, st, 1, c->example && *c->example ? c->example : NULL);
	db_bind_text(p, st, 2, c->language);
	db_bind_text(p, st, 3, c->unit ? c->unit : "segment");
	db_bind_text(p, st, 4, q);
	db_bind_text(p, st, 5, s);
	sqlite3_bind_int64(st, 6, id);
	sqlite3_bind_int(st, 7, !c->no_normalise);
	db_run(p, st);
	free(q);
	free(s);
	codebook_store_rules(p, id, c);
}
