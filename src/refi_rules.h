/*
 * refi_rules.h - qcode's rules inside a REFI-QDA code description.
 *
 * REFI-QDA codes have a name, a colour, isCodable and a free-text
 * Description; qcode's rules (keywords, regexes, exclusions) and its other
 * properties (unit, language, questions, speakers, example) travel in the
 * Description, after the description proper, as the lines of a clearly
 * marked block in the syntax of the Markdown codebook:
 *
 *   Mentions of learning from data.
 *
 *   --- qcode rules ---
 *   - keywords: נתונים, data*, "data, science"
 *   - regex: \bdata[- ]driven\b
 *   - exclude: big data
 *   - exclude: regex: ^Q\d
 *   - unit: sentence
 *   --- end qcode rules ---
 *
 * Another tool shows the block as text; qcode reads it back.  unit,
 * language, questions and speakers are written where a code's value
 * differs from what it inherits (from its parent, or the defaults).
 */
#ifndef QCODE_REFI_RULES_H
#define QCODE_REFI_RULES_H

#include <stddef.h>

#include "codebook.h"
#include "project.h"

#define REFI_RULES_BEGIN "--- qcode rules ---"
#define REFI_RULES_END "--- end qcode rules ---"

/* The Description to write for code C whose parent is PARENT (NULL at the
 * top): its description, then the rules block when it has anything to
 * say.  Caller frees; NULL when both are empty. */
char *refi_rules_describe(const struct cb_code *c,
			  const struct cb_code *parent);

/* Read the Description TEXT, whose first line is line FIRST of its file,
 * into C (added with codebook_add, so holding what it inherits): the text
 * outside the block becomes its description, the block's items its rules
 * and properties.  Returns 0, or -1 with *WHY (malloc'd) and *LINE (the
 * line of the file). */
int refi_rules_parse(struct cb_code *c, const char *text, size_t first,
		     char **why, size_t *line);

/* Store the rules and properties of C (description, colour and
 * codability aside) on the code ID, which has none yet. */
void refi_rules_store(struct project *p, long long id,
		      const struct cb_code *c);

#endif
