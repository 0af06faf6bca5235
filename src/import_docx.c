/*
 * import_docx.c - Word (.docx) and OpenDocument (.odt) transcripts: the
 * body's paragraphs are extracted as plain text, one paragraph per block
 * separated by a blank line, and segmented exactly as a .txt file is
 * (speaker turns or paragraphs, segment.c).  The archive is read with
 * zipfile.c (entry names and sizes checked) and the XML with xml.c
 * (no network, no entities, no DOCTYPE).
 */
#include "import.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "segment.h"
#include "text.h"
#include "util.h"
#include "xml.h"
#include "zipfile.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"

/* 1 when N is an element in namespace NS called NAME. */
static int is_el(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* 1 when N is an element in namespace NS. */
static int in_ns(const xmlNode *n, const char *ns)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0;
}

/* The first descendant element of N (depth first) in NS called NAME. */
static xmlNodePtr find_el(xmlNodePtr n, const char *ns, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
		xmlNodePtr r;

		if (is_el(c, ns, name)) {
			return c;
		}
		r = find_el(c, ns, name);
		if (r) {
			return r;
		}
	}
	return NULL;
}

/* Append paragraph PARA to OUT unless it is blank, a blank line before
 * it when OUT already holds one; PARA is emptied. */
static void end_para(struct strbuf *out, struct strbuf *para)
{
	int blank = 1;

	for (size_t i = 0; i < para->len; i++) {
		char c = para->buf[i];

		if (c != ' ' && c != '\t' && c != '\n') {
			blank = 0;
			break;
		}
	}
	if (!blank) {
		if (out->len) {
			sb_adds(out, "\n\n");
		}
		sb_add(out, para->buf, para->len);
	}
	sb_reset(para);
}

/* The text of the DOCX run content under N into PARA: w:t text, w:tab
 * a tab, w:br / w:cr a newline; properties, deleted text, field codes
 * and the fallback copy of alternate content are left out. */
static void docx_runs(const xmlNode *n, struct strbuf *para)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			continue;
		}
		if (is_el(c, NS_W, "t")) {
			char *s = refi_text(c);

			sb_adds(para, s);
			free(s);
		} else if (is_el(c, NS_W, "tab")) {
			sb_addc(para, '\t');
		} else if (is_el(c, NS_W, "br") || is_el(c, NS_W, "cr")) {
			sb_addc(para, '\n');
		} else if (is_el(c, NS_W, "pPr") || is_el(c, NS_W, "rPr") ||
			   is_el(c, NS_W, "delText") ||
			   is_el(c, NS_W, "instrText") ||
			   is_el(c, NS_W, "del") ||
			   is_el(c, NS_MC, "Fallback")) {
			continue;
		} else {
			docx_runs(c, para);
		}
	}
}

/* Walk the DOCX block content under N (body, tables, cells, content
 * controls): each w:p becomes a paragraph of OUT. */
static void docx_blocks(const xmlNode *n, struct strbuf *out,
			struct strbuf *para)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || is_el(c, NS_W, "sectPr") ||
		    is_el(c, NS_W, "tblPr") || is_el(c, NS_W, "trPr") ||
		    is_el(c, NS_W, "tcPr") || is_el(c, NS_W, "del")) {
			continue;
		}
		if (is_el(c, NS_W, "p")) {
			docx_runs(c, para);
			end_para(out, para);
		} else {
			docx_blocks(c, out, para);
		}
	}
}

/* Append ODT text S to PARA, collapsing white space as ODF does: a run
 * of spaces, tabs and newlines is one space, none at a paragraph's
 * start.  *COLLAPSE is 1 while a space would be dropped. */
static void odt_chars(const char *s, struct strbuf *para, int *collapse)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!*collapse) {
				sb_addc(para, ' ');
				*collapse = 1;
			}
		} else {
			sb_addc(para, *s);
			*collapse = 0;
		}
	}
}

/* The inline content of an ODT paragraph or heading N into PARA: spans
 * and links, text:s (text:c spaces), text:tab, text:line-break; notes,
 * annotations and drawings are left out. */
static void odt_inline(const xmlNode *n, struct strbuf *para, int *collapse)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			odt_chars((const char *)c->content, para, collapse);
		} else if (c->type != XML_ELEMENT_NODE) {
			continue;
		} else if (is_el(c, NS_TEXT, "s")) {
			char *v = (char *)xmlGetNsProp(c, (const xmlChar *)"c",
						       (const xmlChar *)NS_TEXT);
			long k = v ? strtol(v, NULL, 10) : 1;

			xmlFree(v);
			for (long i = 0; i < k && i < 1000; i++) {
				sb_addc(para, ' ');
			}
			*collapse = 0;
		} else if (is_el(c, NS_TEXT, "tab")) {
			sb_addc(para, '\t');
			*collapse = 0;
		} else if (is_el(c, NS_TEXT, "line-break")) {
			sb_addc(para, '\n');
			*collapse = 1;
		} else if (is_el(c, NS_TEXT, "note") ||
			   is_el(c, NS_OFFICE, "annotation") ||
			   (!in_ns(c, NS_TEXT) && !in_ns(c, NS_OFFICE))) {
			continue;
		} else {
			odt_inline(c, para, collapse);
		}
	}
}

/* Walk the ODT block content under N (office:text, sections, lists and
 * their items, tables and cells): each text:p and text:h becomes a
 * paragraph of OUT.  Tracked changes (deleted text) are left out. */
static void odt_blocks(const xmlNode *n, struct strbuf *out,
		       struct strbuf *para)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    is_el(c, NS_TEXT, "tracked-changes") ||
		    is_el(c, NS_TEXT, "sequence-decls") ||
		    (!in_ns(c, NS_TEXT) && !in_ns(c, NS_TABLE))) {
			continue;
		}
		if (is_el(c, NS_TEXT, "p") || is_el(c, NS_TEXT, "h")) {
			int collapse = 1;

			odt_inline(c, para, &collapse);
			end_para(out, para);
		} else {
			odt_blocks(c, out, para);
		}
	}
}

/* Read entry NAME of F's archive RZ and parse it; dies naming the file
 * (and the line) when it is absent or malformed.  WHAT describes the
 * format for the message when the entry is missing. */
static xmlDocPtr read_part(const struct refi_zip *rz,
			   const struct import_file *f, const char *name,
			   const char *what)
{
	long i = refi_zip_find(rz, name);
	xmlDocPtr doc;
	char *xml, *msg;
	size_t len;
	long line;

	if (i < 0) {
		die(QC_INPUT, "'%s' holds no %s; is it %s?", f->path, name,
		    what);
	}
	if (refi_zip_read(rz, i, &xml, &len, &msg) != 0) {
		die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
			  f->path, msg);
	}
	doc = refi_xml_parse(xml, len, &line, &msg);
	free(xml);
	if (!doc) {
		die_after(QC_INPUT, free, msg,
			  "malformed XML in '%s' (%s) at line %ld: %s",
			  f->path, name, line, msg);
	}
	return doc;
}

/* Store TEXT (extracted from F, malloc'd, taken over) as one document of
 * FORMAT, segmented as a .txt transcript. */
static void store(struct import_ctx *ic, struct import_file *f,
		  const char *format, char *text, size_t len)
{
	struct utf8_error err;
	struct segments segs;
	long long case_id, doc;

	if (utf8_validate(text, len, &err) != 0) {
		free(text);
		die(QC_INPUT, "'%s' holds a NUL or invalid character in its "
			      "text, at line %zu", f->path, err.line);
	}
	f->text = text_normalize(text, len, &f->len);
	free(text);
	case_id = import_doc_case(ic);
	doc = import_document(ic, import_doc_name(ic, f), case_id, NULL,
			      format, f->text, f->len);
	segments_init(&segs);
	segment_text(f->text, f->len, 0, &segs);
	import_segments(ic, doc, f->text, f->len, &segs);
	segments_release(&segs);
}

/* Import F, a docx (ODT 0) or odt (ODT 1) archive. */
static void import_office(struct import_ctx *ic, struct import_file *f,
			  int odt)
{
	struct strbuf out = STRBUF_INIT, para = STRBUF_INIT;
	struct refi_zip rz;
	xmlDocPtr doc;
	xmlNodePtr root, body;
	char *msg, *text;
	size_t len;

	if (refi_zip_open(&rz, f->raw, f->rawlen, &msg) != 0) {
		die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
			  f->path, msg);
	}
	if (odt) {
		doc = read_part(&rz, f, "content.xml",
				"an OpenDocument text (.odt)");
	} else {
		doc = read_part(&rz, f, "word/document.xml",
				"a Word document (.docx)");
	}
	refi_zip_close(&rz);
	root = xmlDocGetRootElement(doc);
	if (odt) {
		body = find_el(root ? root->parent : NULL, NS_OFFICE, "text");
	} else {
		body = find_el(root ? root->parent : NULL, NS_W, "body");
	}
	if (!body) {
		xmlFreeDoc(doc);
		die(QC_INPUT, "'%s' has no %s in %s; is it %s?", f->path,
		    odt ? "office:text" : "w:body",
		    odt ? "content.xml" : "word/document.xml",
		    odt ? "an OpenDocument text (.odt)"
			: "a Word document (.docx)");
	}
	if (odt) {
		odt_blocks(body, &out, &para);
	} else {
		docx_blocks(body, &out, &para);
	}
	xmlFreeDoc(doc);
	sb_release(&para);
	text = sb_detach(&out, &len);
	store(ic, f, odt ? "odt" : "docx", text, len);
}

void import_docx(struct import_ctx *ic, struct import_file *f)
{
	import_office(ic, f, 0);
}

void import_odt(struct import_ctx *ic, struct import_file *f)
{
	import_office(ic, f, 1);
}
