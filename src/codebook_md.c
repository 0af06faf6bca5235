/*
 * codebook_md.c - the Markdown codebook: reading and writing.
 *
 * The format (see 'qcode codebook --help' and README.md):
 *   - every ATX heading ('#' to '######', a space, the name) is a code;
 *     its level is its depth, and a level may not be skipped;
 *   - paragraph text under a heading is the code's description (a line
 *     may start with '\' to escape a leading '#', '-', '*', '+', '<' or
 *     '\');
 *   - a list item '- key: value' ('*' and '+' work too) sets a property;
 *     lines indented under an item continue it (for regex and
 *     'exclude: regex:' each line is one more pattern, in a list a line
 *     break separates items like a comma, and other values are joined
 *     with a space);
 *   - list items before the first heading set file defaults (language,
 *     normalise, unit, questions, speakers); other text there is a preamble and is
 *     not stored;
 *   - <!-- ... --> is a comment, anywhere on a line and across lines;
 *     it is removed before the line is read (in a regex too: write
 *     \<!-- to match the text "<!--"; "\<!--" starts no comment), and
 *     a line that held only a comment is no blank line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "text.h"
#include "util.h"

enum key {
	K_KEYWORDS, K_REGEX, K_EXCLUDE, K_UNIT, K_QUESTIONS, K_SPEAKERS,
	K_LANGUAGE, K_COLOR, K_EXAMPLE, K_CODABLE, K_NORMALISE, K_NKEYS
};

static const char *const key_names[K_NKEYS] = {
	"keywords", "regex",    "exclude", "unit",    "questions",
	"speakers", "language", "color",   "example", "codable",
	"normalise",
};

#define KNOWN_KEYS \
	" (known: keywords, regex, exclude, unit, questions, speakers, " \
	"language, color, example, codable, normalise)"

/* A line of an open list item. */
struct item_line {
	char *text;
	size_t line;
};

struct md {
	struct codebook *cb;
	const char *file;
	struct cb_error *err;
	long cur;          /* the current code, -1 before the first heading */
	long last[7];      /* the last code at each level 1..6 */
	int depth;         /* level of the current code */
	unsigned seen;     /* scalar keys the current code has set */
	/* The open list item. */
	int item_open;
	enum key item_key;
	struct item_line *lines;
	size_t nlines;
	/* The current code's description. */
	struct strbuf desc;
	int para_open;
};

static int md_error(struct md *m, size_t line, const char *detail,
		    const char *fmt, ...) QC_PRINTF(4, 5);

static int md_error(struct md *m, size_t line, const char *detail,
		    const char *fmt, ...)
{
	va_list ap;
	int n;
	char *reason;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	reason = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(reason, (size_t)n + 1, fmt, ap);
	va_end(ap);
	cb_error_set(m->err, m->file, line, detail, "%s", reason);
	free(reason);
	return -1;
}

/* Report WHY, a check's reason: a closing " (...)" hint goes after the
 * place. */
static int why_error(struct md *m, size_t line, const char *why)
{
	const char *paren = NULL;
	int rc;

	for (const char *q = strstr(why, " ("); q; q = strstr(q + 1, " (")) {
		paren = q;
	}
	if (paren && why[strlen(why) - 1] == ')') {
		char *reason = xstrndup(why, (size_t)(paren - why));

		rc = md_error(m, line, paren, "%s", reason);
		free(reason);
		return rc;
	}
	return md_error(m, line, NULL, "%s", why);
}

static void item_clear(struct md *m)
{
	for (size_t i = 0; i < m->nlines; i++) {
		free(m->lines[i].text);
	}
	free(m->lines);
	m->lines = NULL;
	m->nlines = 0;
	m->item_open = 0;
}

static void item_add_line(struct md *m, const char *text, size_t line)
{
	m->lines = xrealloc(m->lines, (m->nlines + 1) * sizeof(*m->lines));
	m->lines[m->nlines].text = xstrdup(text);
	m->lines[m->nlines].line = line;
	m->nlines++;
}

/* The item's lines joined with SEP (empty lines skipped). */
static char *item_joined(const struct md *m, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < m->nlines; i++) {
		if (!*m->lines[i].text) {
			continue;
		}
		if (sb.len) {
			sb_adds(&sb, sep);
		}
		sb_adds(&sb, m->lines[i].text);
	}
	return sb_detach(&sb, NULL);
}

/* KW with every run of spaces and tabs made one space. */
static char *squeeze(const char *kw)
{
	struct strbuf sb = STRBUF_INIT;
	int space = 0;

	for (const char *p = kw; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = 1;
			continue;
		}
		if (space && sb.len) {
			sb_addc(&sb, ' ');
		}
		space = 0;
		sb_addc(&sb, *p);
	}
	return sb_detach(&sb, NULL);
}

/* Add the pattern PAT (empty: nothing) of KIND, read at LINE. */
static int add_pattern(struct md *m, struct cb_code *c,
		       enum cb_rule_kind kind, const char *pat, size_t line)
{
	char *why = NULL;

	if (!*pat) {
		return 0;
	}
	if (cb_check_regex(pat, &why) != 0) {
		char *detail = xasprintf(": %s", why);
		int rc = md_error(m, line, detail, "bad regex '%s'", pat);

		free(detail);
		free(why);
		return rc;
	}
	cb_code_add_rule(c, kind, pat, line);
	return 0;
}

/* Add the patterns of the open item, one per line. */
static int add_patterns(struct md *m, struct cb_code *c,
			enum cb_rule_kind kind)
{
	size_t added = 0;

	for (size_t i = 0; i < m->nlines; i++) {
		if (add_pattern(m, c, kind, m->lines[i].text,
				m->lines[i].line) != 0) {
			return -1;
		}
		added += *m->lines[i].text != '\0';
	}
	if (!added) {
		return md_error(m, m->lines[0].line, NULL,
				"no pattern for '%s'", key_names[m->item_key]);
	}
	return 0;
}

static int add_keywords(struct md *m, struct cb_code *c,
			enum cb_rule_kind kind, const char *value, size_t line)
{
	char *why = NULL;
	char **items = cb_list_parse(value, &why);
	int rc = 0;

	if (!items) {
		rc = md_error(m, line, NULL, "%s in '%s'", why,
			      key_names[m->item_key]);
		free(why);
		return rc;
	}
	for (size_t i = 0; items[i] && rc == 0; i++) {
		char *kw = squeeze(items[i]);

		if (cb_check_keyword(kw, &why) != 0) {
			rc = why_error(m, line, why);
			free(why);
		} else {
			cb_code_add_rule(c, kind, kw, line);
		}
		free(kw);
	}
	free_strv(items);
	return rc;
}

/* The lines of an 'exclude' item: keywords, until a line starting with
 * "regex:" makes it and every line after it one pattern each. */
static int add_excludes(struct md *m, struct cb_code *c)
{
	struct strbuf kws = STRBUF_INIT;
	size_t kw_line = 0, npat = 0;
	int regex = 0, rc = 0;

	for (size_t i = 0; i < m->nlines && rc == 0; i++) {
		char *t = m->lines[i].text;

		if (strncmp(t, "regex:", 6) == 0) {
			char *pat = xstrdup(t + 6);

			regex = 1;
			npat += *trim(pat) != '\0';
			rc = add_pattern(m, c, CB_EXCLUDE_REGEX, trim(pat),
					 m->lines[i].line);
			free(pat);
		} else if (regex) {
			npat += *t != '\0';
			rc = add_pattern(m, c, CB_EXCLUDE_REGEX, t,
					 m->lines[i].line);
		} else if (*t) {
			if (kws.len) {
				sb_adds(&kws, ", ");
			} else {
				kw_line = m->lines[i].line;
			}
			sb_adds(&kws, t);
		}
	}
	if (rc == 0 && regex && !npat) {
		rc = md_error(m, m->lines[0].line, NULL,
			      "no pattern for 'exclude: regex:'");
	}
	if (rc == 0 && kws.len) {
		rc = add_keywords(m, c, CB_EXCLUDE_KEYWORD, sb_str(&kws),
				  kw_line);
	}
	sb_release(&kws);
	return rc;
}

/* Set a string property (freeing the old value). */
static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

static void lower(char *s)
{
	for (; *s; s++) {
		*s = (char)tolower((unsigned char)*s);
	}
}

/* Apply the open list item to the current code or the file defaults. */
static int item_close(struct md *m)
{
	struct cb_code *c = m->cur >= 0 ? &m->cb->codes[m->cur] : NULL;
	enum key k = m->item_key;
	size_t line;
	char *value, *why = NULL;
	char color[8];
	int rc = 0;

	if (!m->item_open) {
		return 0;
	}
	line = m->lines[0].line;
	/* In a list a line break ends an item, like a comma. */
	value = item_joined(m, k == K_KEYWORDS || k == K_EXCLUDE ||
				       k == K_QUESTIONS || k == K_SPEAKERS
				       ? ", " : " ");
	if (!*value) {
		rc = md_error(m, line, NULL, "no value for '%s'", key_names[k]);
		goto done;
	}
	if (!c && k != K_LANGUAGE && k != K_UNIT && k != K_QUESTIONS &&
	    k != K_SPEAKERS && k != K_NORMALISE) {
		rc = md_error(m, line,
			      " (only language, normalise, unit, questions "
			      "and speakers set file defaults)",
			      "'%s' before the first heading", key_names[k]);
		goto done;
	}
	if (k != K_KEYWORDS && k != K_REGEX && k != K_EXCLUDE) {
		if (m->seen & (1u << k)) {
			rc = md_error(m, line, NULL, "'%s' set twice for %s%s%s",
				      key_names[k], c ? "code '" : "",
				      c ? c->path : "the file defaults",
				      c ? "'" : "");
			goto done;
		}
		m->seen |= 1u << k;
	}
	switch (k) {
	case K_KEYWORDS:
		rc = add_keywords(m, c, CB_KEYWORD, value, line);
		break;
	case K_REGEX:
		rc = add_patterns(m, c, CB_REGEX);
		break;
	case K_EXCLUDE:
		rc = add_excludes(m, c);
		break;
	case K_UNIT:
		lower(value);
		if (cb_check_unit(value, &why) != 0) {
			rc = why_error(m, line, why);
		} else {
			set_str(c ? &c->unit : &m->cb->unit, value);
		}
		break;
	case K_LANGUAGE:
		lower(value);
		if (strcmp(value, "none") == 0) {
			/* No language rules, whatever the parent has. */
			char **slot = c ? &c->language : &m->cb->language;

			free(*slot);
			*slot = NULL;
		} else if (cb_check_language(value, &why) != 0) {
			rc = why_error(m, line, why);
		} else {
			set_str(c ? &c->language : &m->cb->language, value);
		}
		break;
	case K_QUESTIONS:
	case K_SPEAKERS: {
		char **items = strcmp(value, "*") == 0
				       ? NULL
				       : cb_list_parse(value, &why);
		char ***slot;

		if (!items && strcmp(value, "*") == 0) {
			/* Every question (speaker), whatever the parent
			 * has. */
			slot = k == K_QUESTIONS
				       ? (c ? &c->questions : &m->cb->questions)
				       : (c ? &c->speakers : &m->cb->speakers);
			free_strv(*slot);
			*slot = NULL;
			break;
		}
		if (!items) {
			rc = md_error(m, line, NULL, "%s in '%s'", why,
				      key_names[k]);
			break;
		}
		if (!items[0]) {
			free_strv(items);
			rc = md_error(m, line, NULL, "no value for '%s'",
				      key_names[k]);
			break;
		}
		if (k == K_QUESTIONS) {
			slot = c ? &c->questions : &m->cb->questions;
		} else {
			slot = c ? &c->speakers : &m->cb->speakers;
		}
		free_strv(*slot);
		*slot = items;
		break;
	}
	case K_COLOR:
		if (cb_check_color(value, color, &why) != 0) {
			rc = why_error(m, line, why);
		} else {
			set_str(&c->color, color);
		}
		break;
	case K_EXAMPLE:
		set_str(&c->example, value);
		break;
	case K_CODABLE:
		lower(value);
		if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0) {
			c->codable = 0;
		} else if (strcmp(value, "yes") == 0 ||
			   strcmp(value, "true") == 0) {
			c->codable = 1;
		} else {
			rc = md_error(m, line, " (use yes or no)",
				      "bad value '%s' for 'codable'", value);
		}
		break;
	case K_NORMALISE:
		/* Arabic spelling normalisation (match.h), on by default. */
		lower(value);
		if (strcmp(value, "no") == 0 || strcmp(value, "yes") == 0) {
			*(c ? &c->no_normalise : &m->cb->no_normalise) =
				value[0] == 'n';
		} else {
			rc = md_error(m, line, " (use yes or no)",
				      "bad value '%s' for 'normalise'", value);
		}
		break;
	case K_NKEYS:
		break;
	}
done:
	free(why);
	free(value);
	item_clear(m);
	return rc;
}

static int kind_rank(enum cb_rule_kind k)
{
	return (int)k;
}

/* Finish the current code: description, rule order, checks. */
static int code_close(struct md *m)
{
	struct cb_code *c;
	size_t n = 0;

	if (m->cur < 0) {
		sb_reset(&m->desc);
		return 0;
	}
	c = &m->cb->codes[m->cur];
	if (m->desc.len) {
		c->description = sb_detach(&m->desc, NULL);
	}
	m->para_open = 0;
	/* Stable sort by kind, then drop repeated rules. */
	for (size_t i = 1; i < c->nrules; i++) {
		struct cb_rule r = c->rules[i];
		size_t j = i;

		while (j > 0 && kind_rank(c->rules[j - 1].kind) >
				       kind_rank(r.kind)) {
			c->rules[j] = c->rules[j - 1];
			j--;
		}
		c->rules[j] = r;
	}
	for (size_t i = 0; i < c->nrules; i++) {
		int dup = 0;

		for (size_t j = 0; j < n && !dup; j++) {
			dup = c->rules[j].kind == c->rules[i].kind &&
			      strcmp(c->rules[j].pattern,
				     c->rules[i].pattern) == 0;
		}
		if (dup) {
			free(c->rules[i].pattern);
		} else {
			c->rules[n++] = c->rules[i];
		}
	}
	c->nrules = n;
	if (c->nrules && !c->codable) {
		return md_error(m, c->line, NULL,
				"code '%s' has rules but is not codable",
				c->path);
	}
	return 0;
}

static int heading(struct md *m, const char *s, size_t line)
{
	int level = 0;
	char *name, *why = NULL;
	long parent, found;
	int rc;

	while (s[level] == '#') {
		level++;
	}
	if (level > 6) {
		return md_error(m, line, NULL, "heading level %d is deeper "
				"than Markdown allows (6)", level);
	}
	if (s[level] && s[level] != ' ' && s[level] != '\t') {
		return md_error(m, line, NULL, "a heading needs a space after "
				"its '#' marks");
	}
	name = xstrdup(s + level);
	{
		char *t = trim(name);
		size_t len = strlen(t);
		size_t e = len;

		/* An optional closing sequence: " ###". */
		while (e > 0 && t[e - 1] == '#') {
			e--;
		}
		if (e < len && (e == 0 || t[e - 1] == ' ' || t[e - 1] == '\t')) {
			t[e] = '\0';
			t = trim(t);
		}
		memmove(name, t, strlen(t) + 1);
	}
	if (!*name) {
		free(name);
		return md_error(m, line, NULL, "empty heading");
	}
	if (cb_check_name(name, &why) != 0) {
		rc = why_error(m, line, why);
		goto done;
	}
	if (m->cur < 0 && level != 1) {
		rc = md_error(m, line, NULL, "heading '%.*s %s' skips a level "
			      "(the first heading must be level 1)", level,
			      "######", name);
		goto done;
	}
	if (level > m->depth + 1) {
		rc = md_error(m, line, NULL, "heading '%.*s %s' skips a level "
			      "(it follows a level %d heading)", level,
			      "######", name, m->depth);
		goto done;
	}
	parent = level > 1 ? m->last[level - 1] : -1;
	{
		char *path = parent >= 0
				     ? xasprintf("%s/%s",
						 m->cb->codes[parent].path,
						 name)
				     : xstrdup(name);

		found = codebook_find(m->cb, path);
		if (found >= 0) {
			char *first = xasprintf(
				" (first at line %zu)",
				m->cb->codes[found].line);

			rc = md_error(m, line, first, "duplicate code '%s'",
				      path);
			free(first);
			free(path);
			goto done;
		}
		free(path);
	}
	codebook_add(m->cb, parent, name, line);
	m->cur = (long)m->cb->ncodes - 1;
	m->last[level] = m->cur;
	m->depth = level;
	m->seen = 0;
	rc = 0;
done:
	free(why);
	free(name);
	return rc;
}

/* A list item "- key: value": open it. */
static int list_item(struct md *m, const char *s, size_t line)
{
	const char *colon = strchr(s, ':');
	char *key, *value;
	int rc = 0;

	if (!colon) {
		return md_error(m, line, NULL, "list item is not 'key: value'");
	}
	key = xstrndup(s, (size_t)(colon - s));
	{
		char *t = trim(key);

		memmove(key, t, strlen(t) + 1);
	}
	if (!*key) {
		free(key);
		return md_error(m, line, NULL, "list item is not 'key: value'");
	}
	lower(key);
	m->item_key = K_NKEYS;
	for (int k = 0; k < K_NKEYS; k++) {
		if (strcmp(key, key_names[k]) == 0) {
			m->item_key = (enum key)k;
		}
	}
	if (m->item_key == K_NKEYS) {
		free(key);
		key = xstrndup(s, (size_t)(colon - s));
		rc = md_error(m, line, KNOWN_KEYS, "unknown key '%s'",
			      trim(key));
		free(key);
		return rc;
	}
	free(key);
	value = xstrdup(colon + 1);
	item_add_line(m, trim(value), line);
	free(value);
	m->item_open = 1;
	return 0;
}

static void desc_line(struct md *m, const char *s)
{
	if (m->cur < 0) {
		return; /* the preamble is not stored */
	}
	if (s[0] == '\\' && s[1] && strchr("#-*+<\\", s[1])) {
		s++;
	}
	if (m->para_open) {
		sb_addc(&m->desc, '\n');
	} else if (m->desc.len) {
		sb_adds(&m->desc, "\n\n");
	}
	sb_adds(&m->desc, s);
	m->para_open = 1;
}

static int is_blank(const char *s)
{
	for (; *s; s++) {
		if (*s != ' ' && *s != '\t') {
			return 0;
		}
	}
	return 1;
}

/* A thematic break ("---", "***", "___", spaces allowed): a separator
 * between codes, like a blank line. */
static int is_break(const char *s)
{
	char mark = 0;
	int n = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			continue;
		}
		if ((*s != '-' && *s != '*' && *s != '_') ||
		    (mark && *s != mark)) {
			return 0;
		}
		mark = *s;
		n++;
	}
	return n >= 3;
}

/* Remove the comments ("<!--" to "-->", anywhere, across lines; not
 * "\<!--") from the line S, read at LINE, in place; *OPEN_LINE is the
 * line of a comment
 * still open after it, else 0.  Returns 1 when S held a comment (then
 * its trailing white space is removed too: a line that held only a
 * comment is no blank line). */
static int strip_comments(char *s, size_t *open_line, size_t line)
{
	char *w = s, *r = s;
	int any = *open_line != 0;

	while (*r) {
		if (*open_line) {
			char *e = strstr(r, "-->");

			if (!e) {
				break;
			}
			r = e + 3;
			*open_line = 0;
		} else if (strncmp(r, "<!--", 4) == 0 &&
			   (r == s || r[-1] != '\\')) {
			*open_line = line;
			any = 1;
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	while (any && w > s && (w[-1] == ' ' || w[-1] == '\t')) {
		*--w = '\0';
	}
	return any;
}

static int parse_line(struct md *m, char *s, size_t line)
{
	int indented = s[0] == ' ' || s[0] == '\t';
	char *t;

	if (is_blank(s)) {
		m->para_open = 0;
		return item_close(m);
	}
	t = trim(s);
	if (indented && m->item_open) {
		enum key k = m->item_key;

		/* A nested list item under a list-valued key is one more
		 * value: its marker is not part of it. */
		if ((k == K_KEYWORDS || k == K_REGEX || k == K_EXCLUDE ||
		     k == K_QUESTIONS || k == K_SPEAKERS) &&
		    (t[0] == '-' || t[0] == '*' || t[0] == '+') &&
		    (t[1] == ' ' || t[1] == '\t' || t[1] == '\0')) {
			t = trim(t + 1);
		}
		item_add_line(m, t, line);
		return 0;
	}
	if (is_break(s)) {
		m->para_open = 0;
		return item_close(m);
	}
	if (s[0] == '#') {
		if (item_close(m) != 0 || code_close(m) != 0) {
			return -1;
		}
		return heading(m, t, line);
	}
	if ((s[0] == '-' || s[0] == '*' || s[0] == '+') &&
	    (s[1] == ' ' || s[1] == '\t')) {
		if (item_close(m) != 0) {
			return -1;
		}
		m->para_open = 0;
		return list_item(m, s + 2, line);
	}
	if (m->item_open) {
		return md_error(m, line, " (indent it to continue the item, "
				"or leave a blank line before a paragraph)",
				"text right after a list item");
	}
	desc_line(m, t);
	return 0;
}

int codebook_parse_md(struct codebook *cb, const char *file,
		      const char *text, size_t len, struct cb_error *err)
{
	struct md m;
	size_t line = 0, comment_line = 0;
	const char *p = text, *end = text + len;
	int rc = 0;

	memset(&m, 0, sizeof(m));
	m.cb = cb;
	m.file = file;
	m.err = err;
	m.cur = -1;
	for (int i = 0; i < 7; i++) {
		m.last[i] = -1;
	}
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *s = xstrndup(p, n);

		line++;
		p += n + (nl ? 1 : 0);
		if (strip_comments(s, &comment_line, line) == 0 ||
		    !is_blank(s)) {
			rc = parse_line(&m, s, line);
		}
		free(s);
	}
	if (rc == 0 && comment_line) {
		rc = md_error(&m, comment_line, NULL,
			      "comment '<!--' is not closed");
	}
	if (rc == 0) {
		rc = item_close(&m);
	}
	if (rc == 0) {
		rc = code_close(&m);
	}
	if (rc == 0 && cb->ncodes == 0) {
		rc = md_error(&m, 0, " (every heading is a code)", "no codes");
	}
	item_clear(&m);
	sb_release(&m.desc);
	return rc;
}

int codebook_read_md(struct codebook *cb, const char *path,
		     struct cb_error *err)
{
	char *raw = NULL;
	size_t rawlen = 0;
	int rc;

	if (read_file(path, &raw, &rawlen) != 0) {
		cb_error_set(err, NULL, 0, NULL, "cannot read '%s': %s", path,
			     strerror(errno));
		return -1;
	}
	rc = codebook_read_md_mem(cb, path, raw, rawlen, err);
	free(raw);
	return rc;
}

int codebook_read_md_mem(struct codebook *cb, const char *name,
			 const char *raw, size_t rawlen, struct cb_error *err)
{
	char *text;
	size_t len;
	struct utf8_error ue;
	int rc;

	if (utf8_validate(raw, rawlen, &ue) != 0) {
		cb_error_set(err, name, ue.line, NULL, "invalid UTF-8");
		/* Name the byte too: "... at line N, byte B". */
		{
			char *msg = xasprintf("%s, byte %zu (save it as UTF-8)",
					      err->msg, ue.byte);

			free(err->msg);
			err->msg = msg;
		}
		return -1;
	}
	text = text_normalize(raw, rawlen, &len);
	rc = codebook_parse_md(cb, name, text, len, err);
	free(text);
	return rc;
}

/* ---- writing ---- */

/* Write "- KEY: " and ITEMS, wrapped after a comma near 78 columns with
 * continuation lines indented by two spaces. */
static void put_list(FILE *out, const char *key, char *const *items)
{
	struct strbuf line = STRBUF_INIT;
	size_t n = strv_len(items);

	if (!items) {
		fprintf(out, "- %s: *\n", key); /* all, whatever inherited */
		return;
	}
	sb_addf(&line, "- %s:", key);
	for (size_t i = 0; i < n; i++) {
		char *one[2] = { items[i], NULL };
		char *piece = cb_list_format(one);
		size_t w = text_width(line.buf, line.len);
		size_t pw = text_width(piece, strlen(piece)) + 1;

		if (i > 0 && w + 1 + pw > 78) {
			fprintf(out, "%s\n", sb_str(&line));
			sb_reset(&line);
			sb_adds(&line, " ");
		}
		sb_addf(&line, " %s%s", piece, i + 1 < n ? "," : "");
		free(piece);
	}
	fprintf(out, "%s\n", sb_str(&line));
	sb_release(&line);
}

/* The rules of C of KIND, as a NULL-terminated array of borrowed
 * strings (free the array only). */
static char **rules_of(const struct cb_code *c, enum cb_rule_kind kind)
{
	char **v = xmalloc((c->nrules + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < c->nrules; i++) {
		if (c->rules[i].kind == kind) {
			v[n++] = c->rules[i].pattern;
		}
	}
	v[n] = NULL;
	return v;
}

/* PREFIX and the pattern PAT on a line, "<!--" written "\<!--" (which
 * matches the same, and starts no comment). */
static void put_pattern(FILE *out, const char *prefix, const char *pat)
{
	fputs(prefix, out);
	for (const char *s = pat; *s; s++) {
		if (strncmp(s, "<!--", 4) == 0 && (s == pat || s[-1] != '\\')) {
			fputc('\\', out);
		}
		fputc(*s, out);
	}
	fputc('\n', out);
}

/* One-line form of a free text value. */
static void put_flat(FILE *out, const char *s)
{
	for (; *s; s++) {
		fputc(*s == '\n' || *s == '\t' ? ' ' : *s, out);
	}
}

/* Before a code's first property: the blank line after the heading or
 * description. */
static void prop(FILE *out, int *props)
{
	if (!*props) {
		fputc('\n', out);
		*props = 1;
	}
}

static void put_description(FILE *out, const char *d)
{
	int bol = 1;

	for (const char *s = d; *s; s++) {
		if (bol && strchr("#-*+<\\", *s)) {
			fputc('\\', out);
		}
		fputc(*s, out);
		bol = *s == '\n';
	}
	fputc('\n', out);
}

/* The value top-level codes share, when every one has it and it differs
 * from the built-in default; else NULL.  (FIELD is a member offset.) */
static const char *common_str(const struct codebook *cb, size_t off,
			      const char *dflt)
{
	const char *v = NULL;
	int first = 1;

	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];
		const char *x = *(char *const *)((const char *)c + off);

		if (c->parent >= 0) {
			continue;
		}
		if (first) {
			v = x;
			first = 0;
		} else if (!cb_str_equal(v, x)) {
			return NULL;
		}
	}
	return cb_str_equal(v, dflt) ? NULL : v;
}

static char *const *common_strv(const struct codebook *cb, size_t off)
{
	char *const *v = NULL;
	int first = 1;

	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];
		char *const *x = *(char **const *)((const char *)c + off);

		if (c->parent >= 0) {
			continue;
		}
		if (first) {
			v = x;
			first = 0;
		} else if (!cb_strv_equal(v, x)) {
			return NULL;
		}
	}
	return v;
}

void codebook_write_md(const struct codebook *cb, FILE *out)
{
	const char *language =
		common_str(cb, offsetof(struct cb_code, language), NULL);
	const char *unit =
		common_str(cb, offsetof(struct cb_code, unit), "segment");
	char *const *questions =
		common_strv(cb, offsetof(struct cb_code, questions));
	char *const *speakers =
		common_strv(cb, offsetof(struct cb_code, speakers));
	int any = 0, no_normalise = cb->ncodes > 0;

	/* "normalise: no" is a file default when every top-level code has
	 * it. */
	for (size_t i = 0; i < cb->ncodes; i++) {
		if (cb->codes[i].parent < 0 && !cb->codes[i].no_normalise) {
			no_normalise = 0;
		}
	}
	if (language) {
		fprintf(out, "- language: %s\n", language);
		any = 1;
	}
	if (no_normalise) {
		fputs("- normalise: no\n", out);
		any = 1;
	}
	if (unit) {
		fprintf(out, "- unit: %s\n", unit);
		any = 1;
	}
	if (questions) {
		put_list(out, "questions", questions);
		any = 1;
	}
	if (speakers) {
		put_list(out, "speakers", speakers);
		any = 1;
	}
	if (any) {
		fputc('\n', out);
	}
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];
		const struct cb_code *up =
			c->parent >= 0 ? &cb->codes[c->parent] : NULL;
		const char *in_language = up ? up->language : language;
		int in_no_normalise = up ? up->no_normalise : no_normalise;
		const char *in_unit = up ? up->unit : unit ? unit : "segment";
		char *const *in_questions = up ? up->questions : questions;
		char *const *in_speakers = up ? up->speakers : speakers;
		char **v;
		int props = 0;

		if (i) {
			fputc('\n', out);
		}
		fprintf(out, "%.*s %s\n", c->depth, "######", c->name);
		if (c->description && *c->description) {
			fputc('\n', out);
			put_description(out, c->description);
		}
		v = rules_of(c, CB_KEYWORD);
		if (v[0]) {
			prop(out, &props);
			put_list(out, "keywords", v);
		}
		free(v);
		v = rules_of(c, CB_REGEX);
		for (size_t k = 0; v[k]; k++) {
			prop(out, &props);
			put_pattern(out, "- regex: ", v[k]);
		}
		free(v);
		v = rules_of(c, CB_EXCLUDE_KEYWORD);
		if (v[0]) {
			prop(out, &props);
			put_list(out, "exclude", v);
		}
		free(v);
		v = rules_of(c, CB_EXCLUDE_REGEX);
		for (size_t k = 0; v[k]; k++) {
			prop(out, &props);
			put_pattern(out, "- exclude: regex: ", v[k]);
		}
		free(v);
		if (!cb_str_equal(c->unit, in_unit)) {
			prop(out, &props);
			fprintf(out, "- unit: %s\n", c->unit);
		}
		if (!cb_str_equal(c->language, in_language)) {
			prop(out, &props);
			fprintf(out, "- language: %s\n",
				c->language ? c->language : "none");
		}
		if (c->no_normalise != in_no_normalise) {
			prop(out, &props);
			fprintf(out, "- normalise: %s\n",
				c->no_normalise ? "no" : "yes");
		}
		if (!cb_strv_equal(c->questions, in_questions)) {
			prop(out, &props);
			put_list(out, "questions", c->questions);
		}
		if (!cb_strv_equal(c->speakers, in_speakers)) {
			prop(out, &props);
			put_list(out, "speakers", c->speakers);
		}
		if (c->color) {
			prop(out, &props);
			fprintf(out, "- color: %s\n", c->color);
		}
		if (c->example && *c->example) {
			prop(out, &props);
			fputs("- example: ", out);
			put_flat(out, c->example);
			fputc('\n', out);
		}
		if (!c->codable) {
			prop(out, &props);
			fputs("- codable: no\n", out);
		}
	}
}
