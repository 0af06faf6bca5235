/*
 * out_docx.h - a Word document (.docx, Office Open XML): headings,
 * paragraphs and tables, right-to-left where the text is, written as a
 * minimal package ([Content_Types].xml, _rels/.rels, word/document.xml,
 * word/styles.xml and its relationships) through refi_zip's writer, so
 * the same content always gives the same bytes.
 */
#ifndef QCODE_OUT_DOCX_H
#define QCODE_OUT_DOCX_H

#include "report.h"
#include "rows.h"

struct docx;

/* Start a document whose language is LANG (e.g. "he", "en"; NULL: none);
 * a right-to-left LANG makes the default paragraph direction rtl. */
struct docx *docx_new(const char *lang);
/* The document's title (style Title). */
void docx_title(struct docx *d, const char *text);
/* A heading of LEVEL (1..9, style HeadingN). */
void docx_heading(struct docx *d, int level, const char *text);
/* A paragraph of STYLE ("Quote", "Attribution", "Note" or NULL for
 * Normal); line breaks in TEXT become breaks, tabs tabs.  A right-to-left
 * paragraph (RTL 1; -1: when TEXT's first strong character is Hebrew or
 * Arabic) gets w:bidi and its runs w:rtl; RTL 0 in a right-to-left
 * document says left-to-right (w:bidi w:val="0"); -1 with left-to-right
 * text keeps the document's direction. */
void docx_para(struct docx *d, const char *style, const char *text,
	       int rtl);
/* R as a Word table with a header row (repeated on each page). */
void docx_table(struct docx *d, const struct rows *r);
/* Write the package to PATH (a path from out_target: libzip writes a
 * temporary file and renames it) and free D.  Dies with QC_OUTPUT. */
void docx_write(struct docx *d, const char *path);
/* Free D without writing. */
void docx_free(struct docx *d);

/* The quote book (quotes_md's content without its title): a heading per
 * code (top-level codes at LEVEL), each quote its own paragraph, then
 * its attribution. */
void quotes_docx(const struct report *r, const struct report_quotes *qs,
		 const char *lang, int level, struct docx *d);

#endif
