/*
 * out_docx.c - Word documents (see out_docx.h).  The body is written with
 * libxml2's xmlTextWriter (escaping), the package with refi_zip's writer
 * (fixed entry order and timestamps: deterministic bytes).
 */
#include "out_docx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "labels.h"
#include "out.h"
#include "out_html.h"
#include "out_quotes.h"
#include "text.h"
#include "util.h"
#include "zipfile.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_DOC "http://schemas.openxmlformats.org/officeDocument/2006/" \
		"relationships/officeDocument"
#define REL_STYLES "http://schemas.openxmlformats.org/officeDocument/" \
		   "2006/relationships/styles"
#define CT_MAIN "application/vnd.openxmlformats-officedocument." \
		"wordprocessingml.document.main+xml"
#define CT_STYLES "application/vnd.openxmlformats-officedocument." \
		  "wordprocessingml.styles+xml"

struct docx {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	char *lang;
	int rtl; /* the language is right-to-left */
};

#define X (const xmlChar *)

static void start(struct docx *d, const char *el)
{
	xmlTextWriterStartElement(d->w, X el);
}

static void end(struct docx *d)
{
	xmlTextWriterEndElement(d->w);
}

static void attr(struct docx *d, const char *name, const char *value)
{
	xmlTextWriterWriteAttribute(d->w, X name, X value);
}

/* <EL w:val="VALUE"/> */
static void val(struct docx *d, const char *el, const char *value)
{
	start(d, el);
	if (value) {
		attr(d, "w:val", value);
	}
	end(d);
}

struct docx *docx_new(const char *lang)
{
	struct docx *d = xcalloc(1, sizeof(*d));

	d->buf = xmlBufferCreate();
	d->w = d->buf ? xmlNewTextWriterMemory(d->buf, 0) : NULL;
	if (!d->w) {
		die(QC_INTERNAL, "cannot start a Word document (libxml2)");
	}
	d->lang = lang && *lang ? xstrdup(lang) : NULL;
	d->rtl = lang && lang_is_rtl(lang);
	xmlTextWriterStartDocument(d->w, NULL, "UTF-8", "yes");
	start(d, "w:document");
	attr(d, "xmlns:w", W_NS);
	start(d, "w:body");
	return d;
}

void docx_free(struct docx *d)
{
	if (!d) {
		return;
	}
	if (d->w) {
		xmlFreeTextWriter(d->w);
	}
	if (d->buf) {
		xmlBufferFree(d->buf);
	}
	free(d->lang);
	free(d);
}

/* Runs of TEXT: a line break is <w:br/>, a tab <w:tab/>; characters XML
 * 1.0 cannot hold are left out (other control characters) or become
 * U+FFFD (U+FFFE, U+FFFF). */
static void runs(struct docx *d, const char *text, int rtl)
{
	const char *s = text;

	start(d, "w:r");
	if (rtl) {
		start(d, "w:rPr");
		val(d, "w:rtl", NULL);
		end(d);
	}
	while (*s) {
		size_t n = 0;

		while (s[n] && (unsigned char)s[n] >= 0x20) {
			n++;
		}
		if (n) {
			char *part = xstrndup(s, n);
			char *safe = text_xml_safe(part);

			start(d, "w:t");
			attr(d, "xml:space", "preserve");
			xmlTextWriterWriteString(d->w, X(safe ? safe : part));
			end(d);
			free(safe);
			free(part);
			s += n;
			continue;
		}
		if (*s == '\n') {
			val(d, "w:br", NULL);
		} else if (*s == '\t') {
			val(d, "w:tab", NULL);
		}
		s++;
	}
	end(d);
}

/* BEFORE (text in the paragraph's direction, RTL), then VALUE as an
 * isolate in a run of its own direction, then AFTER; BEFORE and AFTER
 * may be NULL. */
static void iso_run(struct docx *d, const char *before, const char *value,
		    const char *after, int rtl)
{
	char *iso = xasprintf("\xE2\x81\xA8%s\xE2\x81\xA9", value);

	if (before) {
		runs(d, before, rtl);
	}
	runs(d, iso, text_is_rtl(value, strlen(value)));
	if (after) {
		runs(d, after, rtl);
	}
	free(iso);
}

/* Open a paragraph of STYLE (NULL: Normal): RTL 1 right to left, LTR 1
 * left to right said explicitly (w:bidi w:val="0"), neither the
 * document's direction. */
static void para_start(struct docx *d, const char *style, const char *jc,
		       int rtl, int ltr)
{
	start(d, "w:p");
	if (style || rtl || ltr || jc) {
		start(d, "w:pPr");
		if (style) {
			val(d, "w:pStyle", style);
		}
		if (rtl) {
			val(d, "w:bidi", NULL);
		} else if (ltr) {
			val(d, "w:bidi", "0");
		}
		if (jc) {
			val(d, "w:jc", jc);
		}
		end(d);
	}
}

/* A paragraph of STYLE (NULL: Normal) holding TEXT.  RTL 1: right to
 * left; 0: left to right (said explicitly in a right-to-left document);
 * -1: right to left when TEXT's first strong character is, else the
 * document's direction. */
static void para(struct docx *d, const char *style, const char *text,
		 const char *jc, int rtl)
{
	int ltr = rtl == 0 && d->rtl;

	if (rtl < 0) {
		rtl = text_is_rtl(text, strlen(text));
	}
	para_start(d, style, jc, rtl, ltr);
	runs(d, text, rtl);
	end(d);
}

void docx_title(struct docx *d, const char *text)
{
	para(d, "Title", text, NULL, -1);
}

void docx_heading(struct docx *d, int level, const char *text)
{
	char style[32];

	level = level < 1 ? 1 : level > 9 ? 9 : level;
	snprintf(style, sizeof(style), "Heading%d", level);
	para(d, style, text, NULL, -1);
}

void docx_para(struct docx *d, const char *style, const char *text,
	       int rtl)
{
	para(d, style, text, NULL, rtl);
}

void docx_table(struct docx *d, const struct rows *r)
{
	char buf[64];
	int rtl = rows_first_col_rtl(r, 1);

	start(d, "w:tbl");
	start(d, "w:tblPr");
	val(d, "w:tblStyle", "Table");
	start(d, "w:tblW");
	attr(d, "w:w", "0");
	attr(d, "w:type", "auto");
	end(d);
	if (rtl) {
		val(d, "w:bidiVisual", NULL);
	}
	end(d);
	start(d, "w:tblGrid");
	for (size_t c = 0; c < r->ncols; c++) {
		val(d, "w:gridCol", NULL);
	}
	end(d);
	for (size_t i = 0; i <= r->nrows; i++) {
		start(d, "w:tr");
		if (i == 0) {
			start(d, "w:trPr");
			val(d, "w:tblHeader", NULL);
			end(d);
		}
		for (size_t c = 0; c < r->ncols; c++) {
			const struct cell *cl = i ? rows_cell(r, i - 1, c)
						  : NULL;
			int num = cl && (cl->kind == CELL_INT ||
					 cl->kind == CELL_REAL);

			start(d, "w:tc");
			para(d, i ? NULL : "TableHeading",
			     cl ? cell_text(cl, buf, sizeof(buf)) : r->cols[c],
			     num ? "end" : NULL, -1);
			end(d);
		}
		end(d);
	}
	end(d);
	/* Word needs a paragraph between two tables and at the end. */
	para(d, NULL, "", NULL, -1);
}

/* ---- the package ---- */

/* Write one XML part with a fresh writer; returns its bytes. */
static char *xml_part(void (*fn)(xmlTextWriterPtr w, const struct docx *d),
		      const struct docx *d, size_t *len)
{
	xmlBufferPtr b = xmlBufferCreate();
	xmlTextWriterPtr w = b ? xmlNewTextWriterMemory(b, 0) : NULL;
	char *out;

	if (!w) {
		die(QC_INTERNAL, "cannot build a Word document (libxml2)");
	}
	xmlTextWriterStartDocument(w, NULL, "UTF-8", "yes");
	fn(w, d);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	*len = (size_t)xmlBufferLength(b);
	out = xmalloc(*len + 1);
	memcpy(out, xmlBufferContent(b), *len);
	out[*len] = '\0';
	xmlBufferFree(b);
	return out;
}

static void el_attr(xmlTextWriterPtr w, const char *el, const char *a1,
		    const char *v1, const char *a2, const char *v2,
		    const char *a3, const char *v3)
{
	xmlTextWriterStartElement(w, X el);
	xmlTextWriterWriteAttribute(w, X a1, X v1);
	if (a2) {
		xmlTextWriterWriteAttribute(w, X a2, X v2);
	}
	if (a3) {
		xmlTextWriterWriteAttribute(w, X a3, X v3);
	}
	xmlTextWriterEndElement(w);
}

static void content_types(xmlTextWriterPtr w, const struct docx *d)
{
	xmlTextWriterStartElement(w, X "Types");
	xmlTextWriterWriteAttribute(w, X "xmlns", X "http://schemas."
				    "openxmlformats.org/package/2006/"
				    "content-types");
	el_attr(w, "Default", "Extension", "rels", "ContentType",
		"application/vnd.openxmlformats-package.relationships+xml",
		NULL, NULL);
	el_attr(w, "Default", "Extension", "xml", "ContentType",
		"application/xml", NULL, NULL);
	el_attr(w, "Override", "PartName", "/word/document.xml",
		"ContentType", CT_MAIN, NULL, NULL);
	el_attr(w, "Override", "PartName", "/word/styles.xml", "ContentType",
		CT_STYLES, NULL, NULL);
	xmlTextWriterEndElement(w);
}

static void package_rels(xmlTextWriterPtr w, const struct docx *d)
{
	xmlTextWriterStartElement(w, X "Relationships");
	xmlTextWriterWriteAttribute(w, X "xmlns", X REL_NS);
	el_attr(w, "Relationship", "Id", "rId1", "Type", REL_DOC, "Target",
		"word/document.xml");
	xmlTextWriterEndElement(w);
}

static void document_rels(xmlTextWriterPtr w, const struct docx *d)
{
	xmlTextWriterStartElement(w, X "Relationships");
	xmlTextWriterWriteAttribute(w, X "xmlns", X REL_NS);
	el_attr(w, "Relationship", "Id", "rId1", "Type", REL_STYLES,
		"Target", "styles.xml");
	xmlTextWriterEndElement(w);
}

static void wval(xmlTextWriterPtr w, const char *el, const char *v)
{
	xmlTextWriterStartElement(w, X el);
	if (v) {
		xmlTextWriterWriteAttribute(w, X "w:val", X v);
	}
	xmlTextWriterEndElement(w);
}

/* A paragraph style: NAME, based on Normal, with a size in half points,
 * bold, italic, and space before and after in twentieths of a point. */
static void style(xmlTextWriterPtr w, const char *id, const char *name,
		  const char *size, int bold, int italic, const char *before,
		  const char *after, int outline)
{
	char lvl[16];

	xmlTextWriterStartElement(w, X "w:style");
	xmlTextWriterWriteAttribute(w, X "w:type", X "paragraph");
	xmlTextWriterWriteAttribute(w, X "w:styleId", X id);
	wval(w, "w:name", name);
	wval(w, "w:basedOn", "Normal");
	wval(w, "w:next", "Normal");
	wval(w, "w:qFormat", NULL);
	xmlTextWriterStartElement(w, X "w:pPr");
	if (outline >= 0) {
		wval(w, "w:keepNext", NULL);
	}
	xmlTextWriterStartElement(w, X "w:spacing");
	xmlTextWriterWriteAttribute(w, X "w:before", X before);
	xmlTextWriterWriteAttribute(w, X "w:after", X after);
	xmlTextWriterEndElement(w);
	if (strcmp(id, "Quote") == 0 || strcmp(id, "Attribution") == 0) {
		xmlTextWriterStartElement(w, X "w:ind");
		xmlTextWriterWriteAttribute(w, X "w:left", X "567");
		xmlTextWriterWriteAttribute(w, X "w:right", X "567");
		xmlTextWriterEndElement(w);
	}
	if (outline >= 0) {
		snprintf(lvl, sizeof(lvl), "%d", outline);
		wval(w, "w:outlineLvl", lvl);
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, X "w:rPr");
	if (bold) {
		wval(w, "w:b", NULL);
		wval(w, "w:bCs", NULL);
	}
	if (italic) {
		wval(w, "w:i", NULL);
		wval(w, "w:iCs", NULL);
	}
	if (size) {
		wval(w, "w:sz", size);
		wval(w, "w:szCs", size);
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
}

static void styles(xmlTextWriterPtr w, const struct docx *d)
{
	static const char *const sizes[] = { "32", "28", "26", "24", "24",
					     "22", "22", "22", "22" };

	xmlTextWriterStartElement(w, X "w:styles");
	xmlTextWriterWriteAttribute(w, X "xmlns:w", X W_NS);
	xmlTextWriterStartElement(w, X "w:docDefaults");
	xmlTextWriterStartElement(w, X "w:rPrDefault");
	xmlTextWriterStartElement(w, X "w:rPr");
	wval(w, "w:sz", "22");
	wval(w, "w:szCs", "22");
	if (d->lang) {
		xmlTextWriterStartElement(w, X "w:lang");
		xmlTextWriterWriteAttribute(w, X "w:val", X d->lang);
		xmlTextWriterWriteAttribute(w, X "w:bidi", X d->lang);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, X "w:pPrDefault");
	xmlTextWriterStartElement(w, X "w:pPr");
	xmlTextWriterStartElement(w, X "w:spacing");
	xmlTextWriterWriteAttribute(w, X "w:after", X "120");
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	/* Normal, the default paragraph style. */
	xmlTextWriterStartElement(w, X "w:style");
	xmlTextWriterWriteAttribute(w, X "w:type", X "paragraph");
	xmlTextWriterWriteAttribute(w, X "w:default", X "1");
	xmlTextWriterWriteAttribute(w, X "w:styleId", X "Normal");
	wval(w, "w:name", "Normal");
	wval(w, "w:qFormat", NULL);
	if (d->rtl) {
		xmlTextWriterStartElement(w, X "w:pPr");
		wval(w, "w:bidi", NULL);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	style(w, "Title", "Title", "40", 1, 0, "0", "240", -1);
	for (int i = 1; i <= 9; i++) {
		char id[32], name[32];

		snprintf(id, sizeof(id), "Heading%d", i);
		snprintf(name, sizeof(name), "heading %d", i);
		style(w, id, name, sizes[i - 1], 1, i > 4, "240", "120",
		      i - 1);
	}
	style(w, "Quote", "Quote", NULL, 0, 0, "120", "60", -1);
	style(w, "Attribution", "Attribution", "18", 0, 1, "0", "200", -1);
	style(w, "Note", "Note", "18", 0, 1, "0", "120", -1);
	style(w, "TableHeading", "Table Heading", NULL, 1, 0, "0", "0", -1);
	/* The table style: thin borders. */
	xmlTextWriterStartElement(w, X "w:style");
	xmlTextWriterWriteAttribute(w, X "w:type", X "table");
	xmlTextWriterWriteAttribute(w, X "w:styleId", X "Table");
	wval(w, "w:name", "Table Grid");
	xmlTextWriterStartElement(w, X "w:tblPr");
	xmlTextWriterStartElement(w, X "w:tblBorders");
	{
		static const char *const sides[] = { "w:top", "w:left",
						     "w:bottom", "w:right",
						     "w:insideH",
						     "w:insideV" };

		for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]);
		     i++) {
			xmlTextWriterStartElement(w, X sides[i]);
			xmlTextWriterWriteAttribute(w, X "w:val", X "single");
			xmlTextWriterWriteAttribute(w, X "w:sz", X "4");
			xmlTextWriterWriteAttribute(w, X "w:space", X "0");
			xmlTextWriterWriteAttribute(w, X "w:color", X "auto");
			xmlTextWriterEndElement(w);
		}
	}
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
}

static void add(struct refi_zipw *zw, const char *path, const char *name,
		char *data, size_t len)
{
	char *msg = NULL;

	if (refi_zipw_add(zw, name, data, len, &msg) != 0) {
		refi_zipw_discard(zw);
		die_after(QC_OUTPUT, free, msg, "cannot write '%s': %s",
			  path, msg);
	}
}

void docx_write(struct docx *d, const char *path)
{
	struct refi_zipw zw;
	char *msg = NULL, *data;
	size_t len;

	/* A section with A4 pages, right-to-left for rtl languages. */
	start(d, "w:sectPr");
	start(d, "w:pgSz");
	attr(d, "w:w", "11906");
	attr(d, "w:h", "16838");
	end(d);
	start(d, "w:pgMar");
	attr(d, "w:top", "1440");
	attr(d, "w:right", "1440");
	attr(d, "w:bottom", "1440");
	attr(d, "w:left", "1440");
	attr(d, "w:header", "708");
	attr(d, "w:footer", "708");
	attr(d, "w:gutter", "0");
	end(d);
	if (d->rtl) {
		val(d, "w:bidi", NULL);
	}
	end(d);
	xmlTextWriterEndDocument(d->w); /* closes body and document */
	xmlFreeTextWriter(d->w);
	d->w = NULL;
	if (refi_zipw_open(&zw, path, &msg) != 0) {
		die_after(QC_OUTPUT, free, msg, "cannot write '%s': %s",
			  path, msg);
	}
	data = xml_part(content_types, d, &len);
	add(&zw, path, "[Content_Types].xml", data, len);
	data = xml_part(package_rels, d, &len);
	add(&zw, path, "_rels/.rels", data, len);
	len = (size_t)xmlBufferLength(d->buf);
	data = xmalloc(len + 1);
	memcpy(data, xmlBufferContent(d->buf), len);
	add(&zw, path, "word/document.xml", data, len);
	data = xml_part(document_rels, d, &len);
	add(&zw, path, "word/_rels/document.xml.rels", data, len);
	data = xml_part(styles, d, &len);
	add(&zw, path, "word/styles.xml", data, len);
	if (refi_zipw_close(&zw, &msg) != 0) {
		die_after(QC_OUTPUT, free, msg, "cannot write '%s': %s",
			  path, msg);
	}
	docx_free(d);
}

/* ---- the quote book ---- */

/* The attribution paragraph of quote Q (right to left with RTL 1, else
 * left to right): one run as it was when it needs no isolates
 * (quote_line), else a run per piece, each value between FIRST STRONG
 * ISOLATE and POP DIRECTIONAL ISOLATE in a run of its own direction
 * (w:rtl when its first strong character is right-to-left) and the
 * separators and labels in runs of the paragraph's direction: Word and
 * LibreOffice then show "2/answer#1" as written, not "answer#1/2". */
static void attribution(struct docx *d, const struct report_quote *q,
			const char *lang, int rtl)
{
	struct quote_line l;

	quote_line(q, lang, rtl, &l);
	para_start(d, "Attribution", NULL, rtl, !rtl && d->rtl);
	if (!l.isolate) {
		char *line = quote_line_text(&l);

		runs(d, line, rtl);
		free(line);
	} else {
		iso_run(d, "— ", l.attribution, " · ", rtl);
		for (size_t i = 0; i < l.n; i++) {
			if (l.p[i].value) {
				iso_run(d, NULL, l.p[i].text, NULL, rtl);
			} else {
				runs(d, l.p[i].text, rtl);
			}
		}
	}
	end(d);
	quote_line_free(&l);
}

void quotes_docx(const struct report *r, const struct report_quotes *qs,
		 const char *lang, int level, struct docx *d)
{
	long long *sub;
	char *shown = headed_codes(r, qs, &sub);
	size_t k = 0;
	char *note, *label;

	for (size_t i = 0; i < r->ncodes; i++) {
		int h;

		if (!shown[i] || sub[i] == 0) {
			continue;
		}
		h = level + report_tree_place(r, shown, i, &label);
		docx_heading(d, h, label);
		free(label);
		note = quotes_shown_note(qs, k, i, lang);
		if (note) {
			docx_para(d, "Note", note, -1);
			free(note);
		}
		while (k < qs->n && qs->q[k].code == i) {
			const struct report_quote *q = &qs->q[k];
			int rtl = text_is_rtl(q->text, strlen(q->text));

			/* The attribution reads in the quote's direction
			 * (as in the Markdown and HTML quote books). */
			docx_para(d, "Quote", q->text, rtl);
			attribution(d, q, lang, rtl);
			k++;
		}
	}
	free(shown);
	free(sub);
}
