/*
 * codebook.c - the in-memory codebook: lifetimes, building, the value
 * checks every producer shares, the list syntax, and validation.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "text.h"
#include "util.h"

const char *const cb_languages[] = {
	"ar", "de", "en", "es", "fr", "he", "it", "nl", "pt", "ru", NULL,
};

static const char *const kind_names[] = {
	"keyword", "regex", "exclude_keyword", "exclude_regex",
};

void codebook_init(struct codebook *cb)
{
	memset(cb, 0, sizeof(*cb));
}

static void code_release(struct cb_code *c)
{
	free(c->path);
	free(c->name);
	free(c->description);
	free(c->color);
	free(c->example);
	free(c->language);
	free(c->unit);
	free_strv(c->questions);
	free_strv(c->speakers);
	for (size_t i = 0; i < c->nrules; i++) {
		free(c->rules[i].pattern);
	}
	free(c->rules);
	free(c->guid);
}

void codebook_release(struct codebook *cb)
{
	for (size_t i = 0; i < cb->ncodes; i++) {
		code_release(&cb->codes[i]);
	}
	free(cb->codes);
	free(cb->language);
	free(cb->unit);
	free_strv(cb->questions);
	free_strv(cb->speakers);
	memset(cb, 0, sizeof(*cb));
}

void cb_error_init(struct cb_error *e)
{
	memset(e, 0, sizeof(*e));
}

void cb_error_release(struct cb_error *e)
{
	free(e->file);
	free(e->msg);
	memset(e, 0, sizeof(*e));
}

void cb_error_set(struct cb_error *e, const char *file, size_t line,
		  const char *detail, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *reason;

	if (!e) {
		return;
	}
	va_start(ap, fmt);
	{
		va_list ap2;
		int n;

		va_copy(ap2, ap);
		n = vsnprintf(NULL, 0, fmt, ap2);
		va_end(ap2);
		reason = xmalloc((size_t)n + 1);
		vsnprintf(reason, (size_t)n + 1, fmt, ap);
	}
	va_end(ap);
	sb_adds(&sb, reason);
	free(reason);
	if (file) {
		sb_addf(&sb, " in '%s'", file);
	}
	if (line) {
		sb_addf(&sb, " at line %zu", line);
	}
	if (detail) {
		sb_adds(&sb, detail);
	}
	cb_error_release(e);
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->msg = sb_detach(&sb, NULL);
}

/* A copy of a NULL-terminated string array, or NULL for NULL. */
char **cb_strv_dup(char *const *v)
{
	size_t n = strv_len(v);
	char **d;

	if (!v) {
		return NULL;
	}
	d = xmalloc((n + 1) * sizeof(*d));
	for (size_t i = 0; i < n; i++) {
		d[i] = xstrdup(v[i]);
	}
	d[n] = NULL;
	return d;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct cb_code *codebook_add(struct codebook *cb, long parent,
			     const char *name, size_t line)
{
	struct cb_code *c;
	const struct cb_code *up;

	if (cb->ncodes == cb->cap) {
		cb->cap = cb->cap ? cb->cap * 2 : 16;
		cb->codes = xrealloc(cb->codes, cb->cap * sizeof(*cb->codes));
	}
	c = &cb->codes[cb->ncodes++];
	memset(c, 0, sizeof(*c));
	up = parent >= 0 ? &cb->codes[parent] : NULL;
	c->name = xstrdup(name);
	c->path = up ? xasprintf("%s/%s", up->path, name) : xstrdup(name);
	c->parent = parent;
	c->depth = up ? up->depth + 1 : 1;
	c->codable = 1;
	c->line = line;
	if (up) {
		c->language = dup_or_null(up->language);
		c->no_normalise = up->no_normalise;
		c->unit = xstrdup(up->unit);
		c->questions = cb_strv_dup(up->questions);
		c->speakers = cb_strv_dup(up->speakers);
	} else {
		c->language = dup_or_null(cb->language);
		c->no_normalise = cb->no_normalise;
		c->unit = xstrdup(cb->unit ? cb->unit : "segment");
		c->questions = cb_strv_dup(cb->questions);
		c->speakers = cb_strv_dup(cb->speakers);
	}
	return c;
}

void cb_code_add_rule(struct cb_code *c, enum cb_rule_kind kind,
		      const char *pattern, size_t line)
{
	c->rules = xrealloc(c->rules, (c->nrules + 1) * sizeof(*c->rules));
	c->rules[c->nrules].kind = kind;
	c->rules[c->nrules].pattern = xstrdup(pattern);
	c->rules[c->nrules].line = line;
	c->nrules++;
}

long codebook_find(const struct codebook *cb, const char *path)
{
	for (size_t i = 0; i < cb->ncodes; i++) {
		if (strcmp(cb->codes[i].path, path) == 0) {
			return (long)i;
		}
	}
	return -1;
}

const char *cb_rule_kind_name(enum cb_rule_kind kind)
{
	return kind_names[kind];
}

int cb_rule_kind_parse(const char *name, enum cb_rule_kind *kind)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]);
	     i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum cb_rule_kind)i;
			return 0;
		}
	}
	return -1;
}

static int fail(char **why, const char *fmt, ...) QC_PRINTF(2, 3);

static int fail(char **why, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!why) {
		return -1;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*why = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(*why, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return -1;
}

int cb_check_regex(const char *pattern, char **why)
{
	pcre2_code *re;
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];

	if (!*pattern) {
		return fail(why, "empty pattern");
	}
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL);
	if (re) {
		pcre2_code_free(re);
		return 0;
	}
	if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0) {
		snprintf((char *)msg, sizeof(msg), "error %d", errcode);
	}
	return fail(why, "%s at offset %zu", (const char *)msg,
		    utf8_count(pattern, erroff));
}

int cb_check_keyword(const char *kw, char **why)
{
	const char *star = strchr(kw, '*');
	size_t len = strlen(kw);

	if (len == 0 || strcmp(kw, "*") == 0) {
		return fail(why, "empty keyword");
	}
	if (star && (star != kw + len - 1 || star[-1] == ' ')) {
		return fail(why, "'*' inside keyword '%s' (only a '*' at the "
			    "end of a word is allowed)", kw);
	}
	return 0;
}

int cb_check_color(const char *color, char out[8], char **why)
{
	size_t len = strlen(color);

	if (color[0] != '#' || (len != 4 && len != 7)) {
		goto bad;
	}
	for (size_t i = 1; i < len; i++) {
		if (!isxdigit((unsigned char)color[i])) {
			goto bad;
		}
	}
	out[0] = '#';
	for (size_t i = 0; i < 6; i++) {
		char h = len == 4 ? color[1 + i / 2] : color[1 + i];

		out[1 + i] = (char)tolower((unsigned char)h);
	}
	out[7] = '\0';
	return 0;
bad:
	return fail(why, "bad color '%s' (use #RGB or #RRGGBB)", color);
}

int cb_check_unit(const char *unit, char **why)
{
	if (strcmp(unit, "match") == 0 || strcmp(unit, "sentence") == 0 ||
	    strcmp(unit, "segment") == 0) {
		return 0;
	}
	return fail(why, "unknown unit '%s' (use match, sentence or segment)",
		    unit);
}

int cb_check_language(const char *language, char **why)
{
	struct strbuf known = STRBUF_INIT;
	int rc;

	for (size_t i = 0; cb_languages[i]; i++) {
		if (strcmp(language, cb_languages[i]) == 0) {
			sb_release(&known);
			return 0;
		}
		sb_addf(&known, "%s%s", i ? ", " : "", cb_languages[i]);
	}
	rc = fail(why, "unknown language '%s' (known: %s)", language,
		  sb_str(&known));
	sb_release(&known);
	return rc;
}

/* Whether CP is a space other than ' ' and tab, or a character that
 * shows nothing (direction marks and embeddings, joiners, the soft
 * hyphen, a byte order mark): at either end of a name, copied along
 * from a word processor, it would make another code that looks the
 * same. */
int cb_invisible_edge(uint32_t cp)
{
	return cp == 0x00A0 || cp == 0x00AD || cp == 0x061C ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202F) || cp == 0x205F ||
	       (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3000 ||
	       cp == 0xFEFF;
}

/* A line break other than CR and LF: NEL, LINE and PARAGRAPH
 * SEPARATOR. */
static int other_break(uint32_t cp)
{
	return cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

char *cb_clean_name(const char *name, const char *fallback, char **why)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(name), i = 0, b = 0, e = 0;
	int broken = 0;

	/* [b, e): the name without what shows nothing at its ends */
	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(name, len, &i);

		if (!(cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
		      other_break(cp) || cb_invisible_edge(cp))) {
			if (e == 0) {
				b = at;
			}
			e = i;
		}
	}
	for (i = b; i < e;) {
		size_t at = i;
		uint32_t cp = utf8_next(name, e, &i);

		if (cp == '/') {
			sb_adds(&sb, "\xE2\x88\x95");
		} else if (cp == '\r' && i < e && name[i] == '\n') {
			continue;
		} else if (cp == '\n' || cp == '\r' || cp == '\t' ||
			   other_break(cp)) {
			sb_addc(&sb, ' ');
			broken = 1;
		} else {
			sb_add(&sb, name + at, i - at);
		}
	}
	if (sb.len == 0) {
		sb_adds(&sb, fallback);
	}
	if (why) {
		*why = NULL;
		if (strcmp(sb_str(&sb), name) != 0) {
			*why = xasprintf(
				"%s%s%s%s",
				strchr(name, '/') ? "; a '/' would split the "
						    "name in qcode"
						  : "",
				b > 0 || e < len
					? "; a space or an invisible "
					  "character at the start or end of "
					  "a name would make it another code "
					  "than the one it looks like"
					: "",
				broken ? "; a code name is one line" : "",
				e == 0 ? "; nothing of the name was left, so "
					 "it is named by its GUID"
				       : "");
		}
	}
	return sb_detach(&sb, NULL);
}

int cb_check_name(const char *name, char **why)
{
	size_t len = strlen(name), i = 0;
	uint32_t first, cp = 0;

	if (!*name) {
		return fail(why, "empty code name");
	}
	first = utf8_next(name, len, &i);
	for (i = 0; i < len;) {
		cp = utf8_next(name, len, &i); /* the last one */
	}
	if (first == ' ' || first == '\t' || cp == ' ' || cp == '\t') {
		return fail(why, "code name '%s' %s with a space, which would "
			    "make it another code than the one it looks like; "
			    "remove it", name,
			    first == ' ' || first == '\t' ? "starts" : "ends");
	}
	if (cb_invisible_edge(first) || cb_invisible_edge(cp)) {
		uint32_t bad = cb_invisible_edge(first) ? first : cp;

		return fail(why, "code name '%s' %s with an invisible character "
			    "(U+%04X), which would make it another code than "
			    "the one it looks like; remove it", name,
			    cb_invisible_edge(first) ? "starts" : "ends",
			    (unsigned)bad);
	}
	if (strchr(name, '/')) {
		return fail(why, "code name '%s' contains '/' (it separates "
			    "the names of a path)", name);
	}
	if (strchr(name, '\n')) {
		return fail(why, "code name '%s' spans lines", name);
	}
	return 0;
}

char **cb_list_parse(const char *s, char **why)
{
	size_t n = 0, cap = 4;
	char **v = xmalloc(cap * sizeof(*v));
	const char *p = s;
	struct strbuf item = STRBUF_INIT;

	for (;;) {
		int quoted = 0;

		while (*p == ' ' || *p == '\t') {
			p++;
		}
		if (!*p) {
			break;
		}
		sb_reset(&item);
		if (*p == '"') {
			quoted = 1;
			p++;
			for (;;) {
				if (!*p) {
					sb_release(&item);
					v[n] = NULL;
					free_strv(v);
					fail(why, "unterminated quote");
					return NULL;
				}
				if (*p == '"' && p[1] == '"') {
					sb_addc(&item, '"');
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					sb_addc(&item, *p++);
				}
			}
			while (*p == ' ' || *p == '\t') {
				p++;
			}
			if (*p && *p != ',') {
				sb_release(&item);
				v[n] = NULL;
				free_strv(v);
				fail(why, "text after a closing quote");
				return NULL;
			}
		} else {
			const char *q = strchr(p, ',');
			size_t len = q ? (size_t)(q - p) : strlen(p);

			sb_add(&item, p, len);
			p += len;
		}
		if (*p == ',') {
			p++;
		}
		{
			char *t = quoted ? item.buf : trim(item.buf);

			if (t && *t) {
				if (n + 2 > cap) {
					cap *= 2;
					v = xrealloc(v, cap * sizeof(*v));
				}
				v[n++] = xstrdup(t);
			}
		}
	}
	sb_release(&item);
	v[n] = NULL;
	return v;
}

char *cb_list_format(char *const *items)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; items && items[i]; i++) {
		const char *s = items[i];
		size_t len = strlen(s);

		if (i) {
			sb_adds(&sb, ", ");
		}
		/* A bare '*' would read back as "every question". */
		if (strchr(s, ',') || s[0] == '"' || s[0] == ' ' ||
		    (len && s[len - 1] == ' ') || strcmp(s, "*") == 0) {
			sb_addc(&sb, '"');
			for (; *s; s++) {
				if (*s == '"') {
					sb_addc(&sb, '"');
				}
				sb_addc(&sb, *s);
			}
			sb_addc(&sb, '"');
		} else {
			sb_adds(&sb, s);
		}
	}
	return sb_detach(&sb, NULL);
}

/* Check one rule of a code. */
int cb_check_rule(const struct cb_rule *r, char **why)
{
	char *inner = NULL;
	int rc;

	switch (r->kind) {
	case CB_KEYWORD:
	case CB_EXCLUDE_KEYWORD:
		return cb_check_keyword(r->pattern, why);
	case CB_REGEX:
	case CB_EXCLUDE_REGEX:
		rc = cb_check_regex(r->pattern, why ? &inner : NULL);
		if (rc != 0 && why) {
			fail(why, "bad regex '%s': %s", r->pattern, inner);
			free(inner);
		}
		return rc;
	}
	return fail(why, "unknown rule kind");
}

static int path_cmp(const void *a, const void *b)
{
	const struct cb_code *x = *(const struct cb_code *const *)a;
	const struct cb_code *y = *(const struct cb_code *const *)b;
	int c = strcmp(x->path, y->path);

	if (c) {
		return c;
	}
	return x < y ? -1 : x > y;
}

int codebook_validate(const struct codebook *cb, const char *file,
		      struct cb_error *err)
{
	const struct cb_code **sorted;
	char *why = NULL;
	char color[8];
	int rc = -1;

	sorted = xmalloc((cb->ncodes + 1) * sizeof(*sorted));
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];

		sorted[i] = c;
		if (cb_check_name(c->name, &why) != 0 ||
		    cb_check_unit(c->unit, &why) != 0 ||
		    (c->color && cb_check_color(c->color, color, &why) != 0) ||
		    (c->language &&
		     cb_check_language(c->language, &why) != 0)) {
			cb_error_set(err, file, c->line, NULL, "%s", why);
			goto done;
		}
		for (size_t r = 0; r < c->nrules; r++) {
			if (cb_check_rule(&c->rules[r], &why) != 0) {
				cb_error_set(err, file, c->rules[r].line, NULL,
					     "%s", why);
				goto done;
			}
		}
		if (c->nrules && !c->codable) {
			cb_error_set(err, file, c->line, NULL,
				     "code '%s' has rules but is not codable",
				     c->path);
			goto done;
		}
	}
	qsort(sorted, cb->ncodes, sizeof(*sorted), path_cmp);
	for (size_t i = 1; i < cb->ncodes; i++) {
		if (strcmp(sorted[i]->path, sorted[i - 1]->path) == 0) {
			cb_error_set(err, file, sorted[i]->line, NULL,
				     "duplicate code '%s'", sorted[i]->path);
			goto done;
		}
	}
	rc = 0;
done:
	free(why);
	free(sorted);
	return rc;
}

void cb_changes_init(struct cb_changes *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->remove = CB_REMOVE_SAFE;
}

void cb_changes_release(struct cb_changes *ch)
{
	for (size_t i = 0; i < ch->nitems; i++) {
		free(ch->items[i].path);
	}
	free(ch->items);
	ch->items = NULL;
	ch->nitems = ch->cap = 0;
}

int cb_str_equal(const char *a, const char *b)
{
	if (!a || !b) {
		return a == b;
	}
	return strcmp(a, b) == 0;
}

int cb_strv_equal(char *const *a, char *const *b)
{
	if (!a || !b) {
		return a == b;
	}
	for (; *a && *b; a++, b++) {
		if (strcmp(*a, *b) != 0) {
			return 0;
		}
	}
	return !*a && !*b;
}

char *cb_strv_json(char *const *v)
{
	struct strbuf sb = STRBUF_INIT;

	if (!v) {
		return NULL;
	}
	sb_addc(&sb, '[');
	for (size_t i = 0; v[i]; i++) {
		sb_adds(&sb, i ? ",\"" : "\"");
		for (const unsigned char *s = (const unsigned char *)v[i]; *s;
		     s++) {
			if (*s == '"' || *s == '\\') {
				sb_addc(&sb, '\\');
				sb_addc(&sb, (char)*s);
			} else if (*s < 0x20) {
				sb_addf(&sb, "\\u%04x", *s);
			} else {
				sb_addc(&sb, (char)*s);
			}
		}
		sb_addc(&sb, '"');
	}
	sb_addc(&sb, ']');
	return sb_detach(&sb, NULL);
}
