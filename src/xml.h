/*
 * xml.h - parsing XML safely (no network, no entity expansion, no
 * DOCTYPE) for every XML reader (REFI-QDA .qdpx/.qdc, Word, OpenDocument),
 * and what the REFI-QDA readers and writers share: normalising the
 * variants real files carry (namespace versions, GUIDs in braces or upper
 * case, colours with an alpha channel, a BOM), walking elements, deriving
 * stable GUIDs, and escaping text for the XML we write.
 */
#ifndef QCODE_XML_H
#define QCODE_XML_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "util.h"

#define REFI_NS_PROJECT "urn:QDA-XML:project:1.0"
#define REFI_NS_CODEBOOK "urn:QDA-XML:codebook:1.0"

/* A problem found while reading: where (the file, or the file and an
 * archive entry), 1-based line (0 when unknown) and a message (all
 * malloc'd). */
struct refi_problem {
	char *place;
	long line;
	char *msg;
};

/* A growing list of problems; refi_problems_release() frees it.  PLACE
 * (not owned) is copied into each problem added. */
struct refi_problems {
	struct refi_problem *v;
	size_t n, cap;
	const char *place;
};
void refi_problems_add(struct refi_problems *ps, long line, const char *fmt,
		       ...) QC_PRINTF(3, 4);
void refi_problems_release(struct refi_problems *ps);

/* Make libxml2 load local files only (never a URL); refi_xml_parse()
 * calls it, schema validation must too. */
void refi_xml_init(void);

/*
 * Parse BUF[0..LEN) (a leading UTF-8 BOM is skipped).  Network access and
 * entity expansion are off and a DOCTYPE is refused.  Returns the document
 * (free with xmlFreeDoc), or NULL with *LINE and *MSG (malloc'd) set to the
 * first error.
 */
xmlDocPtr refi_xml_parse(const char *buf, size_t len, long *line, char **msg);
/* The same for XML that holds data, not text with markup (a REFI-QDA
 * project, qcode.xml): the blanks between elements are not kept, which
 * makes the tree of a large project smaller.  Not for Word or
 * OpenDocument text, where a space between two runs is text. */
xmlDocPtr refi_xml_parse_data(const char *buf, size_t len, long *line,
			      char **msg);

/*
 * A streaming reader over XML that holds data, with refi_xml_parse_data's
 * rules (no network, no entity expansion, a DOCTYPE refused, no blanks
 * between elements): one element at a time, so memory does not grow with
 * the document.  r is libxml2's reader; after a call failed, line and
 * msg (malloc'd) say where and why (the first error).
 */
struct refi_reader {
	xmlTextReaderPtr r;
	long line;
	char *msg;
	int root;              /* an element was seen */
	struct refi_io *io;    /* refi_reader_open_io's input */
};
/* Start reading BUF[0..LEN) (a leading BOM skipped; BUF must outlive the
 * reader).  Returns 0, or -1 (line and msg set). */
int refi_reader_open(struct refi_reader *rd, const char *buf, size_t len);
/* The same for XML that READ gives in pieces (CTX passed on): up to LEN
 * bytes into BUF, 0 at the end, -1 on an error (then the reader fails,
 * and the caller knows why). */
int refi_reader_open_io(struct refi_reader *rd,
			long (*read)(void *ctx, char *buf, size_t len),
			void *ctx);
/* The same for text with markup (Word, OpenDocument), like
 * refi_xml_parse(): the blanks between elements are kept. */
int refi_reader_open_io_text(struct refi_reader *rd,
			     long (*read)(void *ctx, char *buf, size_t len),
			     void *ctx);
/* Move to the next node (read), or past the current node and its
 * subtree (skip).  1 on a node, 0 at the end of the document, -1 on an
 * error (line and msg set). */
int refi_reader_read(struct refi_reader *rd);
int refi_reader_skip(struct refi_reader *rd);
/* The first error of the parser (not the reader) in BUF[0..LEN), or in
 * what READ gives when BUF is NULL, without building a tree: libxml2's
 * reader words some errors differently (an empty or truncated document),
 * so a reader's failure is reported in the parser's words.  Returns 0
 * when it finds none, else -1 with *LINE and *MSG (malloc'd). */
int refi_xml_check(const char *buf, size_t len,
		   long (*read)(void *ctx, char *buf, size_t len), void *ctx,
		   long *line, char **msg);
/* The current element with its whole subtree (freed when the reader moves
 * past it), or NULL on an error (line and msg set). */
xmlNodePtr refi_reader_expand(struct refi_reader *rd);
void refi_reader_close(struct refi_reader *rd);

/*
 * Rewrite the namespace variants of the REFI-QDA namespaces in DOC to the
 * 1.0 namespace of the root's kind (Project or CodeBook), giving elements
 * without a namespace that namespace too.  Returns the number of variants
 * rewritten; the first is described in *WHAT (malloc'd; may be NULL) with
 * its line in *LINE.
 */
int refi_xml_normalize_ns(xmlDocPtr doc, char **what, long *line);

/* Normalise a GUID: surrounding blanks and braces dropped, lower case.
 * Returns 0 and fills OUT, or -1 when IN is not 8-4-4-4-12 hex digits. */
int refi_guid_norm(const char *in, char out[37]);

/* A stable GUID for an object without one: a name-based UUID (version 8)
 * from the SHA-256 of KIND and IDENTITY (IDLEN bytes). */
void refi_guid_derive(const char *kind, const char *identity, size_t idlen,
		      char out[37]);
/* GUIDs stored on objects of a project, normalised and sorted, for
 * refi_code_guid(). */
struct refi_guids {
	char (*v)[37];
	size_t n, cap;
};

/* Add G (normalised; ignored when it is not a GUID) to S. */
void refi_guids_add(struct refi_guids *s, const char *g);
/* Sort S, once everything is added, before refi_guids_has(). */
void refi_guids_sort(struct refi_guids *s);
/* 1 when the normalised G is in the sorted S. */
int refi_guids_has(const struct refi_guids *s, const char *g);
void refi_guids_release(struct refi_guids *s);

/* The GUID a code without one is exported under: derived from its PATH;
 * when a code's STORED GUID (sorted; may be NULL) is that one (a renamed
 * code keeps its GUID, and a new code may take its old path), derived
 * from the path and a count (2, 3, ...) until it is none.  The same
 * project always gives the same GUIDs, and import finds them. */
void refi_code_guid(const char *path, const struct refi_guids *stored,
		    char out[37]);

/* The GUID a document is exported under: GUID (stored; may be NULL),
 * else one derived from its NAME and the SHA256 of its text. */
void refi_doc_guid(const char *guid, const char *name, const char *sha,
		   char out[37]);

/* Normalise a colour to "#rrggbb": accepts #RGB, #RRGGBB and, dropping
 * the alpha channel, #ARGB and #AARRGGBB.  Returns 0, or -1 when IN is
 * none of these. */
int refi_color_norm(const char *in, char out[8]);

/* 1 when N is an element named NAME (in no namespace or a REFI one, of
 * any version). */
int refi_is(const xmlNode *n, const char *name);
/* The first element child of N, and the element sibling after N; NULL
 * when there is none. */
xmlNodePtr refi_first(const xmlNode *n);
xmlNodePtr refi_next(const xmlNode *n);
/* The first element child of N named NAME, or NULL. */
xmlNodePtr refi_child(const xmlNode *n, const char *name);
/* Attribute NAME of N (no namespace), malloc'd; NULL when absent. */
char *refi_attr(const xmlNode *n, const char *name);
/* The text content of N, malloc'd (never NULL). */
char *refi_text(const xmlNode *n);
/* Line of N (0 when unknown). */
long refi_line(const xmlNode *n);

/* Append to SB: ` NAME="VALUE"` escaped for an attribute; VALUE NULL
 * appends nothing. */
void refi_put_attr(struct strbuf *sb, const char *name, const char *value);
/* Append S escaped as element text. */
void refi_put_text(struct strbuf *sb, const char *s);

#endif
