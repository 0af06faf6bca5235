/*
 * codebook.h - the codebook in memory: a tree of codes in file order, each
 * with its properties and rules; the Markdown format (codebook_md.c); the
 * project's codes and rules tables (codebook_store.c); and writers for
 * Markdown, CSV and JSON.
 *
 * Producers (the Markdown parser, the REFI .qdc reader, codebook_read_db)
 * build a struct codebook; codebook_apply() makes the project's codebook
 * equal to it; writers print it.
 *
 * In the project (src/schema.c):
 *   codes.path       names from the root joined by '/' (identity)
 *   codes.ord        position in file order (pre-order), from 0
 *   codes.language   NULL, or a code of cb_languages ("he", "ar", ...)
 *   codes.normalise  1, or 0 for "normalise: no" (language ar: keywords
 *                    match only their own spelling)
 *   codes.unit       "match", "sentence" or "segment" (NULL: "segment")
 *   codes.questions  NULL (every question), or a JSON array of names:
 *   codes.speakers     read with json_each(codes.questions)
 *   codes.codable    0 for a grouping node
 *   rules.kind       "keyword", "regex", "exclude_keyword", "exclude_regex"
 *   rules.pattern    one keyword or phrase (a trailing '*' lets the last
 *                    word continue; whitespace runs are single spaces), or
 *                    one PCRE2 pattern (compile with PCRE2_UTF|PCRE2_UCP)
 *   rules.ord        order within the code: keywords, regexes, exclude
 *                    keywords, exclude regexes, each in file order
 * language, normalise, unit, questions and speakers are stored as
 * effective values:
 * what the code inherits from its parent (or the file defaults) unless it
 * sets its own.
 */
#ifndef QCODE_CODEBOOK_H
#define QCODE_CODEBOOK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "project.h"

enum cb_rule_kind {
	CB_KEYWORD,
	CB_REGEX,
	CB_EXCLUDE_KEYWORD,
	CB_EXCLUDE_REGEX,
};

/* One rule of a code. */
struct cb_rule {
	enum cb_rule_kind kind;
	char *pattern; /* owned */
	size_t line;   /* source line, 0 when not from a file */
};

/* One code.  Every string is owned by the codebook; NULL when unset. */
struct cb_code {
	long long id;      /* codes.id when read from a project, else 0 */
	char *path;        /* "Parent/Child" */
	char *name;        /* "Child" */
	long parent;       /* index of the parent in codebook.codes, -1 */
	int depth;         /* 1 for a top-level code */
	char *description; /* paragraphs joined by "\n\n", lines by "\n" */
	char *color;       /* "#rrggbb" (lowercase) */
	int codable;       /* 0 for a grouping node ("codable: no") */
	char *example;
	char *language;    /* effective; NULL: no language rules */
	int no_normalise;  /* effective; 1: "normalise: no" */
	char *unit;        /* effective; never NULL ("segment" by default) */
	char **questions;  /* effective, NULL-terminated; NULL: all */
	char **speakers;   /* effective, NULL-terminated; NULL: all */
	struct cb_rule *rules;
	size_t nrules;
	char *guid;        /* REFI GUID when known */
	size_t line;       /* source line of the heading, 0 if none */
};

/* A codebook: file defaults and the codes in file order (pre-order: a
 * parent comes before its children, siblings in order). */
struct codebook {
	/* File defaults that top-level codes inherit. */
	char *language;
	int no_normalise; /* "normalise: no" */
	char *unit;       /* NULL: "segment" */
	char **questions;
	char **speakers;
	struct cb_code *codes;
	size_t ncodes, cap;
};

/* Where and why a codebook was rejected. */
struct cb_error {
	char *file;   /* as named by the caller, or NULL */
	size_t line;  /* 1-based, 0 when not known */
	char *msg;    /* the whole message: "REASON in 'FILE' at line N..." */
};

void codebook_init(struct codebook *cb);
void codebook_release(struct codebook *cb);
void cb_error_init(struct cb_error *e);
void cb_error_release(struct cb_error *e);
/* Fill E: the printf REASON, then " in 'FILE'" (when FILE), " at line N"
 * (when LINE), then DETAIL verbatim (when not NULL). */
void cb_error_set(struct cb_error *e, const char *file, size_t line,
		  const char *detail, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A copy of a NULL-terminated string array (NULL for NULL); free_strv. */
char **cb_strv_dup(char *const *v);
/* 1 when A and B are equal strings, or both NULL. */
int cb_str_equal(const char *a, const char *b);
/* 1 when A and B hold the same strings in order, or are both NULL. */
int cb_strv_equal(char *const *a, char *const *b);
/* V as a compact JSON array of strings (how codes.questions and
 * codes.speakers are stored), or NULL for NULL; caller frees. */
char *cb_strv_json(char *const *v);

/*
 * Append a code named NAME (not checked; see codebook_validate) under the
 * code at index PARENT (-1: top level); the parent must be the last code
 * added at its depth or above, so the codes stay in pre-order.  The new
 * code is codable, takes its path and depth from the parent, and
 * inherits language, normalise, unit, questions and speakers from the
 * parent or the file defaults: set a code's own values before adding its
 * children.
 * Returns the new code (valid until the next codebook_add).
 */
struct cb_code *codebook_add(struct codebook *cb, long parent,
			     const char *name, size_t line);
/* Append a rule to C (PATTERN is copied). */
void cb_code_add_rule(struct cb_code *c, enum cb_rule_kind kind,
		      const char *pattern, size_t line);
/* Index of the code at PATH, or -1. */
long codebook_find(const struct codebook *cb, const char *path);

/* "keyword", "regex", "exclude_keyword", "exclude_regex". */
const char *cb_rule_kind_name(enum cb_rule_kind kind);
/* Parse a kind name; returns 0, or -1 when unknown. */
int cb_rule_kind_parse(const char *name, enum cb_rule_kind *kind);

/*
 * Value checks shared by every producer.  Each returns 0 when VALUE is
 * good, else -1 and a reason in *WHY (caller frees; may be NULL).
 */
/* A PCRE2 pattern compiled with PCRE2_UTF|PCRE2_UCP; *WHY is PCRE2's
 * message and the offset in code points: "missing closing parenthesis at
 * offset 4". */
int cb_check_regex(const char *pattern, char **why);
/* A keyword or phrase: not empty, '*' only once and at the end. */
int cb_check_keyword(const char *keyword, char **why);
/* "#RGB" or "#RRGGBB"; on success writes "#rrggbb" into OUT. */
int cb_check_color(const char *color, char out[8], char **why);
int cb_check_unit(const char *unit, char **why);
int cb_check_language(const char *language, char **why);
/* A code name: not empty, no '/', no line break, no space and nothing
 * invisible at either end. */
int cb_check_name(const char *name, char **why);
/* NAME (not NULL) as a code name, from a file another program wrote
 * (REFI-QDA): a '/' becomes U+2215 (it would split the name), a line
 * break or tab inside a space, spaces and invisible characters at
 * either end go (cb_invisible_edge()).  Returns the name (malloc'd;
 * FALLBACK when nothing is left) and, when it differs from NAME, says
 * why in WHY ("; ..." per reason; WHY may be NULL). */
char *cb_clean_name(const char *name, const char *fallback, char **why);
/* Whether CP shows nothing or is a space other than ' ' and tab (a
 * no-break space, a direction mark, a joiner, a byte order mark): at
 * either end of a code name cb_check_name() refuses it. */
int cb_invisible_edge(uint32_t cp);

/* One rule: a keyword check, or "bad regex 'P': MESSAGE at offset N". */
int cb_check_rule(const struct cb_rule *r, char **why);

/* Known language codes, NULL-terminated: "ar", "de", "en", ... */
extern const char *const cb_languages[];

/*
 * Check a codebook built by a producer other than the Markdown parser
 * (which checks as it reads): names, unique paths, unit, colour,
 * language, every rule, and no rules on a non-codable code.  Returns 0,
 * or -1 with ERR filled (FILE names the source in messages; may be NULL).
 */
int codebook_validate(const struct codebook *cb, const char *file,
		      struct cb_error *err);

/*
 * The list syntax of keywords, exclude, questions and speakers: items
 * separated by commas, each trimmed, empty items dropped; an item that
 * starts with '"' runs to the closing '"' and may hold commas ("" is a
 * quote inside it); a '"' elsewhere is an ordinary character (מנכ"ל).
 * cb_list_parse returns a NULL-terminated array (free_strv), or NULL with
 * a reason in *WHY on an unterminated quote.  cb_list_format joins items
 * with ", ", quoting where needed; caller frees.
 */
char **cb_list_parse(const char *s, char **why);
char *cb_list_format(char *const *items);

/*
 * Markdown (codebook_md.c).  Parse TEXT (LEN bytes, valid UTF-8, LF line
 * ends) named FILE into CB (initialised, empty).  Returns 0, or -1 with
 * ERR filled; CB must still be released.
 */
int codebook_parse_md(struct codebook *cb, const char *file,
		      const char *text, size_t len, struct cb_error *err);
/* Read PATH (BOM and CRLF allowed; UTF-8 checked) and parse it as
 * Markdown.  Returns 0, or -1 with ERR filled. */
int codebook_read_md(struct codebook *cb, const char *path,
		     struct cb_error *err);
/* The same for the file's bytes RAW[0..RAWLEN), named NAME. */
int codebook_read_md_mem(struct codebook *cb, const char *name,
			 const char *raw, size_t rawlen, struct cb_error *err);
/* Write CB as Markdown; loading it gives CB back. */
void codebook_write_md(const struct codebook *cb, FILE *out);
/* One row per code: path, name, parent, depth, description, color,
 * codable, example, language, unit, questions, speakers, keywords,
 * regex, exclude (lists in the Markdown list syntax; regexes one per
 * line), normalise (yes or no). */
void codebook_write_csv(const struct codebook *cb, FILE *out);
/* A JSON array, one object per code: path, name, parent, depth,
 * description, color, codable (boolean), example, language, unit,
 * questions, speakers (arrays or null), rules (array of {kind,
 * pattern}), normalise (boolean). */
void codebook_write_json(const struct codebook *cb, FILE *out);
/* Read what codebook_write_csv / codebook_write_json wrote (codebook_in.c;
 * the normalise column or key may be missing, as in older exports: yes)
 * into CB (initialised, empty) and validate it.  Returns 0, or -1 with
 * ERR filled; CB must still be released.  Dies on unreadable files and
 * invalid UTF-8, like every reader. */
int codebook_read_csv(struct codebook *cb, const char *path,
		      struct cb_error *err);
int codebook_read_json(struct codebook *cb, const char *path,
		       struct cb_error *err);
/* The same for a file's bytes DATA[0..LEN), named NAME in messages. */
int codebook_read_csv_mem(struct codebook *cb, const char *name,
			  const char *data, size_t len, struct cb_error *err);
int codebook_read_json_mem(struct codebook *cb, const char *name,
			   const char *data, size_t len, struct cb_error *err);

/* What to do with project codes the codebook no longer has. */
enum cb_remove {
	/* Delete them with their unreviewed auto codings; refuse (return
	 * -1, items of kind CB_BLOCKED) when any has manual, imported,
	 * accepted or rejected codings. */
	CB_REMOVE_SAFE,
	CB_REMOVE_KEEP,  /* keep them (after the codebook's codes) */
	CB_REMOVE_FORCE, /* delete them and every coding of them */
};

enum cb_change_kind { CB_ADDED, CB_CHANGED, CB_REMOVED, CB_KEPT,
		      CB_BLOCKED };

struct cb_change {
	enum cb_change_kind kind;
	char *path;
	long long codings; /* CB_BLOCKED: its protected codings */
};

/* What codebook_apply did.  REMOVE is an input (CB_REMOVE_SAFE after
 * cb_changes_init). */
struct cb_changes {
	enum cb_remove remove;
	struct cb_change *items; /* added and changed in codebook order,
				    then removed / kept / blocked */
	size_t nitems, cap;
	size_t added, changed, removed, kept, blocked, unchanged;
};
void cb_changes_init(struct cb_changes *ch);
void cb_changes_release(struct cb_changes *ch);

/*
 * Make the project's codebook equal to CB (valid: parsed, or passed
 * codebook_validate), inside the caller's transaction: add codes by
 * path, update changed ones (properties or rules; the order follows CB
 * and a move alone is not a change), keep the codings of every code that
 * stays, and remove codes CB lacks as CH->remove says.  Returns 0, or -1
 * when CB_REMOVE_SAFE refuses (nothing was changed; CH lists the
 * blocking codes).
 */
int codebook_apply(struct project *p, const struct codebook *cb,
		   struct cb_changes *ch);

/* Insert C's rules as the rules of code ID (which has none). */
void codebook_store_rules(struct project *p, long long id,
			  const struct cb_code *c);
/* Load the project's codebook into CB (initialised, empty), in tree
 * pre-order (siblings by ord), ids filled. */
void codebook_read_db(struct project *p, struct codebook *cb);

#endif
