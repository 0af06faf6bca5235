/*
 * import_docx.c - Word (.docx) and OpenDocument (.odt) transcripts: the
 * body's paragraphs are extracted as plain text, one paragraph per block
 * separated by a blank line, and segmented exactly as a .txt file is
 * (speaker turns or paragraphs, segment.c).  The text is what a reader
 * sees: hidden text (directly or by its style, read from the styles
 * part), deleted text and field codes are left out; a text box's
 * paragraphs follow the paragraph it sits in.  The archive is read with
 * zipfile.c (entry names and sizes checked) and the XML with xml.c
 * (no network, no entities, no DOCTYPE), the body as a stream: a
 * paragraph or a table row at a time.
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
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"

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

/* Where a DOCX walk is in Word's fields (w:fldChar begin, separate,
 * end), which may span runs and paragraphs and nest: a field's code
 * (begin to separate) is not shown, its result (separate to end) is,
 * unless an enclosing field is in its code (IF { PAGE } = 3 "yes": the
 * inner result "3" is part of the outer code). */
struct docx_fields {
	unsigned char code[64]; /* per open field: still in its code */
	size_t depth;           /* open fields (beyond 64: all in code) */
	size_t ncode;           /* open fields in their code */
};

/* An attribute of N in namespace NS, malloc'd (xmlFree), or NULL. */
static char *ns_attr(const xmlNode *n, const char *ns, const char *name)
{
	return (char *)xmlGetNsProp(n, (const xmlChar *)name,
				    (const xmlChar *)ns);
}

/* The w:val of N, malloc'd (xmlFree), or NULL. */
static char *w_val(const xmlNode *n)
{
	return n ? ns_attr(n, NS_W, "val") : NULL;
}

/* 1 when the boolean property element N (w:vanish) is on: no w:val, or
 * one other than 0, false, off. */
static int prop_on(const xmlNode *n)
{
	char *v = w_val(n);
	int on = !v || (strcmp(v, "0") != 0 && strcmp(v, "false") != 0 &&
			strcmp(v, "off") != 0);

	xmlFree(v);
	return on;
}

/* Whether the run properties RPR (a w:rPr) hide text: 1 (w:vanish or
 * w:specVanish on), 0 (set off), -1 (not said). */
static int rpr_vanish(const xmlNode *rpr)
{
	int v = -1;

	for (xmlNodePtr q = rpr ? rpr->children : NULL; q; q = q->next) {
		if (is_el(q, NS_W, "vanish") || is_el(q, NS_W, "specVanish")) {
			if (prop_on(q)) {
				return 1;
			}
			v = 0;
		}
	}
	return v;
}

/* The first child of N that is the w: element NAME, or NULL. */
static xmlNodePtr w_child(const xmlNode *n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
		if (is_el(c, NS_W, name)) {
			return c;
		}
	}
	return NULL;
}

/* Word's styles (word/styles.xml) as far as hidden text goes.  w:vanish
 * is a toggle property (ECMA-376 17.7.3): in a style, on turns hiding
 * over from what the style is based on and off changes nothing; the
 * paragraph style's and the character style's turns add up; a run's own
 * w:vanish, on or off, is what it says.  That is how Word shows a
 * document.  LibreOffice reads a style's w:vanish as what it says, the
 * nearest one winning: where the two differ, the import says so. */
struct docx_style {
	char *id, *based;
	int own;   /* its own w:vanish: 1 on, 0 off, -1 not said */
	int turns; /* Word: whether it turns hiding over, bases included */
	int says;  /* LibreOffice: the nearest w:vanish in its chain, -1 */
	int conditional; /* OpenDocument: hidden on a condition (shown) */
};

struct docx_styles {
	struct docx_style *v; /* sorted by id */
	size_t n, cap;
	char *default_para; /* the paragraph style of a w:p naming none */
	int default_vanish; /* w:docDefaults' run properties: 1, 0, -1 */
	char *disagree;     /* the first style Word and LibreOffice read
			     * differently for a run of the document */
};

static int style_cmp(const void *a, const void *b)
{
	return strcmp(((const struct docx_style *)a)->id,
		      ((const struct docx_style *)b)->id);
}

static const struct docx_style *style_find(const struct docx_styles *st,
					   const char *id)
{
	struct docx_style key = { (char *)id, NULL, 0, 0, 0, 0 };

	return id && st->n ? bsearch(&key, st->v, st->n, sizeof(*st->v),
				     style_cmp)
			   : NULL;
}

/* Whether style ID turns hiding over (Word): its own w:vanish on, turned
 * over again by each base's, at most DEPTH of them (a cycle ends). */
static int style_turns(const struct docx_styles *st, const char *id,
		       int depth)
{
	const struct docx_style *s = style_find(st, id);

	if (!s || depth <= 0) {
		return 0;
	}
	return (s->own > 0) ^ style_turns(st, s->based, depth - 1);
}

/* The nearest w:vanish in style ID's chain (LibreOffice), or -1. */
static int style_says(const struct docx_styles *st, const char *id,
		      int depth)
{
	const struct docx_style *s = style_find(st, id);

	if (!s || depth <= 0) {
		return -1;
	}
	return s->own >= 0 ? s->own : style_says(st, s->based, depth - 1);
}

static void styles_release(struct docx_styles *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].id);
		free(st->v[i].based);
	}
	free(st->v);
	free(st->default_para);
	free(st->disagree);
	memset(st, 0, sizeof(*st));
}

/* The style of paragraph P: its w:pStyle, else the default paragraph
 * style (NULL: none known). */
static const struct docx_style *para_style(const xmlNode *p,
					   const struct docx_styles *st)
{
	char *ps = w_val(w_child(w_child(p, "pPr"), "pStyle"));
	const struct docx_style *s = style_find(st, ps);

	/* none named, or one not in styles.xml: the default (as Word and
	 * LibreOffice do) */
	if (!s) {
		s = style_find(st, st->default_para);
	}
	xmlFree(ps);
	return s;
}

/* Whether the run R, in a paragraph of style PS (or NULL), is hidden
 * text: its own w:vanish (w:specVanish) on or off, else its styles'.
 * Where Word (the document default turned over by the paragraph style
 * and by the character style, w:rStyle) and LibreOffice (the nearest
 * w:vanish) read the styles differently, the text is kept (a reader may
 * see it) and the style noted in ST->disagree. */
static int run_hidden(const xmlNode *r, struct docx_styles *st,
		      const struct docx_style *ps)
{
	xmlNodePtr rpr = w_child(r, "rPr");
	const struct docx_style *cs, *who;
	char *name;
	int v = rpr_vanish(rpr), lo;

	if (v >= 0) {
		return v;
	}
	name = w_val(w_child(rpr, "rStyle"));
	cs = style_find(st, name);
	xmlFree(name);
	v = (st->default_vanish > 0) ^ (ps ? ps->turns : 0) ^
	    (cs ? cs->turns : 0);
	lo = cs && cs->says >= 0   ? cs->says
	     : ps && ps->says >= 0 ? ps->says
				   : st->default_vanish > 0;
	if (v == lo) {
		return v;
	}
	/* the style whose w:vanish made the difference */
	who = cs && cs->says >= 0 ? cs : ps;
	if (!st->disagree) {
		st->disagree = xstrdup(who ? who->id : "(document default)");
	}
	return 0;
}

/* Follow the w:fldChar N in FS. */
static void field_char(const xmlNode *n, struct docx_fields *fs)
{
	char *t = ns_attr(n, NS_W, "fldCharType");

	if (!t) {
		return;
	}
	if (strcmp(t, "begin") == 0) {
		if (fs->depth < sizeof(fs->code)) {
			fs->code[fs->depth] = 1;
		}
		fs->depth++;
		fs->ncode++;
	} else if (strcmp(t, "separate") == 0 && fs->depth > 0 &&
		   fs->depth <= sizeof(fs->code) &&
		   fs->code[fs->depth - 1]) {
		fs->code[fs->depth - 1] = 0;
		fs->ncode--;
	} else if (strcmp(t, "end") == 0 && fs->depth > 0) {
		fs->depth--;
		if (fs->depth >= sizeof(fs->code) || fs->code[fs->depth]) {
			fs->ncode--;
		}
	}
	xmlFree(t);
}

/* A walk of a document's body: the fields open (Word), the styles,
 * where the text boxes of the paragraph being read go (BOXES: their
 * paragraphs follow it), and what was left out or kept unsure. */
struct office_walk {
	struct docx_fields fs;
	struct docx_styles st;
	struct strbuf *boxes;
	size_t hidden;      /* pieces of text left out as hidden */
	size_t conditional; /* parts hidden on a condition, kept */
};

static void docx_blocks(const xmlNode *n, struct strbuf *out,
			struct strbuf *para, struct office_walk *w);

/* The text Word shows of the DOCX run content under N into PARA: w:t
 * text, w:tab a tab, w:br / w:cr a newline, w:noBreakHyphen '-';
 * properties, deleted and moved-away text (w:del, w:moveFrom), hidden
 * runs (w:vanish, their own or their character or paragraph style's,
 * word/styles.xml), optional hyphens (w:softHyphen), field codes (also
 * the results of fields nested in a code: W's fields) and the fallback
 * copy of alternate content are left out; a text box's paragraphs go to
 * W->boxes.  PS: the paragraph's style (para_style()); HIDDEN: N is
 * inside a hidden run. */
static void docx_runs(const xmlNode *n, struct strbuf *para,
		      struct office_walk *w, const struct docx_style *ps,
		      int hidden)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		int show = !hidden && w->fs.ncode == 0;

		if (c->type != XML_ELEMENT_NODE) {
			continue;
		}
		if (is_el(c, NS_W, "fldChar")) {
			field_char(c, &w->fs);
		} else if (is_el(c, NS_W, "t")) {
			if (show) {
				char *t = refi_text(c);

				sb_adds(para, t);
				free(t);
			} else if (hidden && w->fs.ncode == 0) {
				w->hidden++;
			}
		} else if (is_el(c, NS_W, "tab")) {
			if (show) {
				sb_addc(para, '\t');
			}
		} else if (is_el(c, NS_W, "br") || is_el(c, NS_W, "cr")) {
			if (show) {
				sb_addc(para, '\n');
			}
		} else if (is_el(c, NS_W, "noBreakHyphen")) {
			if (show) {
				sb_addc(para, '-');
			}
		} else if (is_el(c, NS_W, "pPr") || is_el(c, NS_W, "rPr") ||
			   is_el(c, NS_W, "delText") ||
			   is_el(c, NS_W, "instrText") ||
			   is_el(c, NS_W, "softHyphen") ||
			   is_el(c, NS_W, "del") ||
			   is_el(c, NS_W, "moveFrom") ||
			   is_el(c, NS_MC, "Fallback")) {
			continue;
		} else if (is_el(c, NS_W, "txbxContent")) {
			/* a text box: its paragraphs after this one (not
			 * glued into its words) */
			if (!hidden) {
				struct strbuf bp = STRBUF_INIT;

				docx_blocks(c, w->boxes, &bp, w);
				sb_release(&bp);
			}
		} else if (is_el(c, NS_W, "r")) {
			docx_runs(c, para, w, ps,
				  hidden || run_hidden(c, &w->st, ps));
		} else {
			docx_runs(c, para, w, ps, hidden);
		}
	}
}

static void odt_inline(const xmlNode *n, struct strbuf *para, int *collapse,
		       struct office_walk *w, int hidden);

/* Read paragraph P (Word: ODT 0; OpenDocument: 1) into PARA and end it
 * in OUT, then the paragraphs of its text boxes.  HIDDEN: an ODT
 * paragraph's style hides its text (odt_hidden()). */
static void office_para(const xmlNode *p, struct strbuf *out,
			struct strbuf *para, struct office_walk *w, int odt,
			int hidden)
{
	struct strbuf boxes = STRBUF_INIT, *outer = w->boxes;

	w->boxes = &boxes;
	if (odt) {
		int collapse = 1;

		odt_inline(p, para, &collapse, w, hidden);
	} else {
		docx_runs(p, para, w, para_style(p, &w->st), 0);
	}
	end_para(out, para);
	if (boxes.len) {
		if (out->len) {
			sb_adds(out, "\n\n");
		}
		sb_add(out, boxes.buf, boxes.len);
	}
	sb_release(&boxes);
	w->boxes = outer;
}

/* The DOCX block C (a child of the body, a table, a cell, a content
 * control, a text box): a w:p becomes a paragraph of OUT, other blocks
 * are walked; W follows the fields open across blocks. */
static void docx_block(const xmlNode *c, struct strbuf *out,
		       struct strbuf *para, struct office_walk *w)
{
	if (c->type != XML_ELEMENT_NODE || is_el(c, NS_W, "sectPr") ||
	    is_el(c, NS_W, "tblPr") || is_el(c, NS_W, "trPr") ||
	    is_el(c, NS_W, "tcPr") || is_el(c, NS_W, "del") ||
	    is_el(c, NS_W, "moveFrom")) {
		return;
	}
	if (is_el(c, NS_W, "p")) {
		office_para(c, out, para, w, 0, 0);
	} else {
		docx_blocks(c, out, para, w);
	}
}

/* Walk the DOCX block content under N (body, tables, cells, content
 * controls): each w:p becomes a paragraph of OUT. */
static void docx_blocks(const xmlNode *n, struct strbuf *out,
			struct strbuf *para, struct office_walk *w)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		docx_block(c, out, para, w);
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

/* An OpenDocument style's key among ST's: its family's letter (t: text,
 * p: paragraph), ':' and its name. */
static char *odt_key(char family, const char *name)
{
	return name ? xasprintf("%c:%s", family, name) : NULL;
}

/* Whether the text of ODT element N (a paragraph, heading or span) is
 * hidden, given that of what holds it (HIDDEN: 1, 0, -1): the nearest
 * text:display of its style's chain (FAMILY) in W, else HIDDEN.  A
 * style hiding on a condition (kept: shown) is counted in W. */
static int odt_hidden(const xmlNode *n, struct office_walk *w, char family,
		      int hidden)
{
	char *name, *key;
	const struct docx_style *s;

	if (!w->st.n) {
		return hidden; /* no styles: nothing to look up */
	}
	name = ns_attr(n, NS_TEXT, "style-name");
	key = odt_key(family, name);
	s = style_find(&w->st, key);

	xmlFree(name);
	free(key);
	if (s && s->conditional) {
		w->conditional++;
	}
	return s && s->says >= 0 ? s->says : hidden;
}

static void odt_blocks(const xmlNode *n, struct strbuf *out,
		       struct strbuf *para, struct office_walk *w);

/* The inline content of an ODT paragraph or heading N into PARA: spans
 * and links, text:s (text:c spaces), text:tab, text:line-break; the
 * paragraphs of a text box (draw:frame, draw:text-box) go to W->boxes;
 * notes, annotations, other drawings and text hidden by its style are
 * left out (HIDDEN > 0: the paragraph's or an enclosing span's style
 * says so, unless a span's own style says otherwise). */
static void odt_inline(const xmlNode *n, struct strbuf *para, int *collapse,
		       struct office_walk *w, int hidden)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (hidden <= 0) {
				odt_chars((const char *)c->content, para,
					  collapse);
			} else {
				w->hidden++;
			}
		} else if (c->type != XML_ELEMENT_NODE) {
			continue;
		} else if (hidden > 0 && (is_el(c, NS_TEXT, "s") ||
					  is_el(c, NS_TEXT, "tab") ||
					  is_el(c, NS_TEXT, "line-break"))) {
			continue;
		} else if (is_el(c, NS_TEXT, "s")) {
			char *v = ns_attr(c, NS_TEXT, "c");
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
		} else if (is_el(c, NS_DRAW, "frame")) {
			for (xmlNodePtr b = c->children; b && hidden <= 0;
			     b = b->next) {
				if (is_el(b, NS_DRAW, "text-box")) {
					struct strbuf bp = STRBUF_INIT;

					odt_blocks(b, w->boxes, &bp, w);
					sb_release(&bp);
				}
			}
		} else if (is_el(c, NS_TEXT, "note") ||
			   is_el(c, NS_OFFICE, "annotation") ||
			   (!in_ns(c, NS_TEXT) && !in_ns(c, NS_OFFICE))) {
			continue;
		} else if (is_el(c, NS_TEXT, "span")) {
			odt_inline(c, para, collapse, w,
				   odt_hidden(c, w, 't', hidden));
		} else {
			odt_inline(c, para, collapse, w, hidden);
		}
	}
}

/* The ODT block C (a child of office:text, a section, a list or item, a
 * table or cell, a text box): a text:p or text:h becomes a paragraph of
 * OUT, other blocks are walked; tracked changes (deleted text) and
 * hidden sections (text:display="none") are left out; a section hidden
 * on a condition is kept (counted in W). */
static void odt_block(const xmlNode *c, struct strbuf *out,
		      struct strbuf *para, struct office_walk *w)
{
	if (c->type != XML_ELEMENT_NODE ||
	    is_el(c, NS_TEXT, "tracked-changes") ||
	    is_el(c, NS_TEXT, "sequence-decls") ||
	    (!in_ns(c, NS_TEXT) && !in_ns(c, NS_TABLE))) {
		return;
	}
	if (is_el(c, NS_TEXT, "p") || is_el(c, NS_TEXT, "h")) {
		office_para(c, out, para, w, 1, odt_hidden(c, w, 'p', -1));
	} else if (is_el(c, NS_TEXT, "section")) {
		char *d = ns_attr(c, NS_TEXT, "display");
		int none = d && strcmp(d, "none") == 0;

		if (d && strcmp(d, "condition") == 0) {
			w->conditional++;
		}
		xmlFree(d);
		if (!none) {
			odt_blocks(c, out, para, w);
		}
	} else {
		odt_blocks(c, out, para, w);
	}
}

/* Walk the ODT block content under N: each text:p and text:h becomes a
 * paragraph of OUT. */
static void odt_blocks(const xmlNode *n, struct strbuf *out,
		       struct strbuf *para, struct office_walk *w)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		odt_block(c, out, para, w);
	}
}

/* Die: entry I (NAME) of F's archive RZ, read by P, is damaged or its
 * XML malformed; in the words of reading it whole and parsing it. */
static _Noreturn void part_malformed(const struct refi_zip *rz, long i,
				     struct refi_zip_xml *p,
				     const struct import_file *f,
				     const char *name)
{
	char *msg = NULL;
	long line = p->rd.line;

	/* A damaged entry is reported as such, even when the damage broke
	 * the XML before its end. */
	refi_zip_xml_drain(p);
	if (p->zmsg) {
		msg = xstrdup(p->zmsg);
		refi_zip_xml_close(p);
		die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
			  f->path, msg);
	}
	/* libxml2's reader words some errors differently from its parser
	 * (an empty or truncated document): the parser's words. */
	if (!p->rd.msg || strncmp(p->rd.msg, "a DOCTYPE", 9) != 0) {
		struct refi_zip_xml again;

		memset(&again, 0, sizeof(again));
		again.zs = refi_zip_stream_open(rz, i, &again.zmsg);
		if (again.zs &&
		    refi_xml_check(NULL, 0, refi_zip_xml_read, &again, &line,
				   &msg) != 0) {
			free(p->rd.msg);
			p->rd.msg = msg;
			p->rd.line = line;
		}
		refi_zip_xml_close(&again);
	}
	msg = xstrdup(p->rd.msg ? p->rd.msg : "cannot parse the XML");
	line = p->rd.line;
	refi_zip_xml_close(p);
	die_after(QC_INPUT, free, msg,
		  "malformed XML in '%s' (%s) at line %ld: %s", f->path, name,
		  line, msg);
}

/* Add style ID (based on BASED, either may be NULL; both taken over,
 * malloc'd) saying OWN (1, 0, -1) to ST; an ID of NULL adds nothing. */
static void styles_add(struct docx_styles *st, char *id, char *based, int own)
{
	if (!id) {
		free(based);
		return;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		st->v = xrealloc(st->v, st->cap * sizeof(*st->v));
	}
	memset(&st->v[st->n], 0, sizeof(st->v[st->n]));
	st->v[st->n].id = id;
	st->v[st->n].based = based;
	st->v[st->n].own = own;
	st->n++;
}

/* Sort ST and resolve each style through its bases. */
static void styles_resolve(struct docx_styles *st)
{
	if (st->n) {
		qsort(st->v, st->n, sizeof(*st->v), style_cmp);
	}
	for (size_t k = 0; k < st->n; k++) {
		st->v[k].turns = style_turns(st, st->v[k].id, 32);
		st->v[k].says = style_says(st, st->v[k].id, 32);
	}
}

/* A copy of libxml2's string X (freed), or NULL. */
static char *own_str(xmlChar *x)
{
	char *s = x ? xstrdup((const char *)x) : NULL;

	xmlFree(x);
	return s;
}

/* The entry NAME of F's archive RZ parsed whole (a styles part is
 * small), or NULL when there is none.  Dies naming the file (and the
 * line) when it is damaged or malformed, as for the document itself. */
static xmlDocPtr styles_part(const struct refi_zip *rz,
			     const struct import_file *f, const char *name)
{
	long i = refi_zip_find(rz, name), line = 0;
	size_t len;
	char *buf, *msg = NULL;
	xmlDocPtr doc;

	if (i < 0) {
		return NULL;
	}
	if (refi_zip_read(rz, i, &buf, &len, &msg) != 0) {
		die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
			  f->path, msg);
	}
	doc = refi_xml_parse(buf, len, &line, &msg);
	free(buf);
	if (!doc) {
		die_after(QC_INPUT, free, msg,
			  "malformed XML in '%s' (%s) at line %ld: %s",
			  f->path, name, line, msg);
	}
	return doc;
}

/* Word's styles, from word/styles.xml of F's archive RZ, into ST (no
 * such entry: no styles). */
static void styles_load(const struct refi_zip *rz, const struct import_file *f,
			struct docx_styles *st)
{
	xmlDocPtr doc = styles_part(rz, f, "word/styles.xml");
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (is_el(c, NS_W, "docDefaults")) {
			st->default_vanish = rpr_vanish(
				w_child(w_child(c, "rPrDefault"), "rPr"));
		} else if (is_el(c, NS_W, "style")) {
			char *id = own_str((xmlChar *)ns_attr(c, NS_W,
							      "styleId"));
			char *type = ns_attr(c, NS_W, "type");
			char *def = ns_attr(c, NS_W, "default");

			if (id && type && strcmp(type, "paragraph") == 0 &&
			    def &&
			    (strcmp(def, "1") == 0 ||
			     strcmp(def, "true") == 0 ||
			     strcmp(def, "on") == 0) &&
			    !st->default_para) {
				st->default_para = xstrdup(id);
			}
			xmlFree(type);
			xmlFree(def);
			styles_add(st, id,
				   own_str((xmlChar *)w_val(
					   w_child(c, "basedOn"))),
				   rpr_vanish(w_child(c, "rPr")));
		}
	}
	if (doc) {
		xmlFreeDoc(doc);
	}
	styles_resolve(st);
}

/* The text and paragraph styles among the children of N (office:styles,
 * office:automatic-styles) into ST: whether each hides its text
 * (style:text-properties text:display: "none" 1, another value 0, none
 * -1) and its parent style. */
static void odt_styles_add(struct docx_styles *st, const xmlNode *n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		char *family, *name, *parent, fam;
		int own = -1, conditional = 0;

		if (!is_el(c, NS_STYLE, "style")) {
			continue;
		}
		family = ns_attr(c, NS_STYLE, "family");
		fam = !family			      ? 0
		      : strcmp(family, "text") == 0	      ? 't'
		      : strcmp(family, "paragraph") == 0 ? 'p'
							 : 0;
		xmlFree(family);
		if (!fam) {
			continue;
		}
		for (xmlNodePtr q = c->children; q; q = q->next) {
			if (is_el(q, NS_STYLE, "text-properties")) {
				char *d = ns_attr(q, NS_TEXT, "display");

				if (d) {
					own = strcmp(d, "none") == 0;
					conditional = strcmp(d, "condition") ==
						      0;
				}
				xmlFree(d);
			}
		}
		name = ns_attr(c, NS_STYLE, "name");
		parent = ns_attr(c, NS_STYLE, "parent-style-name");
		styles_add(st, odt_key(fam, name), odt_key(fam, parent), own);
		if (name && conditional) {
			st->v[st->n - 1].conditional = 1;
		}
		xmlFree(name);
		xmlFree(parent);
	}
}

/* The common styles of an OpenDocument text, from styles.xml of F's
 * archive RZ, into ST (the body's automatic styles come with
 * content.xml; those of styles.xml are for headers, footers and pages,
 * and may reuse the body's names). */
static void odt_styles_load(const struct refi_zip *rz,
			    const struct import_file *f, struct docx_styles *st)
{
	xmlDocPtr doc = styles_part(rz, f, "styles.xml");
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (is_el(c, NS_OFFICE, "styles")) {
			odt_styles_add(st, c);
		}
	}
	if (doc) {
		xmlFreeDoc(doc);
	}
}

/* 1 when the reader X is on an element in namespace NS called NAME. */
static int reader_is(xmlTextReaderPtr x, const char *ns, const char *name)
{
	const xmlChar *uri = xmlTextReaderConstNamespaceUri(x);

	return xmlTextReaderNodeType(x) == XML_READER_TYPE_ELEMENT && uri &&
	       strcmp((const char *)uri, ns) == 0 &&
	       strcmp((const char *)xmlTextReaderConstLocalName(x), name) ==
		       0;
}

/* What the import of F, read by W into OUT, left out or kept unsure. */
static void office_warnings(const struct import_file *f,
			    const struct strbuf *out,
			    const struct office_walk *w)
{
	if (w->st.disagree) {
		warn("'%s': Word and LibreOffice show different text of it: "
		     "they read whether style '%s' hides text differently "
		     "(w:vanish in styles based on one another, or in both "
		     "a paragraph and a character style); that text is "
		     "kept: check it with 'qcode show'",
		     f->path, w->st.disagree);
	}
	if (w->conditional) {
		warn("'%s': %zu part%s of it %s hidden on a condition "
		     "(text:display=\"condition\"), which qcode cannot "
		     "evaluate; %s kept: check %s with 'qcode show'",
		     f->path, w->conditional, w->conditional == 1 ? "" : "s",
		     w->conditional == 1 ? "is" : "are",
		     w->conditional == 1 ? "its text is" : "their text is",
		     w->conditional == 1 ? "it" : "them");
	}
	if (out->len == 0) {
		warn("'%s' has no text%s: imported as a document with no "
		     "segments", f->path,
		     w->hidden ? " shown (all of it is hidden text, left "
				 "out)"
			       : "");
	}
}

/* Extract the text of entry NAME of F's archive RZ (ODT: an OpenDocument
 * text, else Word) into OUT, reading it as a stream: one block of the
 * body (a paragraph, a table row) at a time is held as a tree.  Dies naming
 * the file (and the line) when the entry is absent, damaged or
 * malformed, or has no body; WHAT describes the format. */
static void read_part(const struct refi_zip *rz, const struct import_file *f,
		      const char *name, const char *what, int odt,
		      struct strbuf *out)
{
	const char *ns = odt ? NS_OFFICE : NS_W;
	const char *body = odt ? "text" : "body";
	struct strbuf para = STRBUF_INIT;
	long i = refi_zip_find(rz, name);
	struct refi_zip_xml p;
	struct office_walk w;
	int r, found = 0;

	if (i < 0) {
		die(QC_INPUT, "'%s' holds no %s; is it %s?", f->path, name,
		    what);
	}
	memset(&w, 0, sizeof(w));
	w.st.default_vanish = -1;
	if (odt) {
		odt_styles_load(rz, f, &w.st);
	} else {
		styles_load(rz, f, &w.st);
	}
	memset(&p, 0, sizeof(p));
	p.zs = refi_zip_stream_open(rz, i, &p.zmsg);
	if (!p.zs) {
		styles_release(&w.st);
		part_malformed(rz, i, &p, f, name);
	}
	r = refi_reader_open_io_text(&p.rd, refi_zip_xml_read, &p);
	if (r == 0) {
		r = refi_reader_read(&p.rd);
	}
	/* The first element named BODY in document order. */
	while (r == 1 && !found) {
		xmlTextReaderPtr x = p.rd.r;

		if (reader_is(x, ns, body)) {
			found = 1;
			if (odt) {
				styles_resolve(&w.st);
			}
		} else if (odt &&
			   reader_is(x, NS_OFFICE, "automatic-styles")) {
			/* content.xml's own styles, before its body */
			xmlNodePtr c = refi_reader_expand(&p.rd);

			if (!c) {
				r = -1;
				break;
			}
			odt_styles_add(&w.st, c);
			r = refi_reader_skip(&p.rd);
		} else {
			r = refi_reader_read(&p.rd);
		}
	}
	if (found) {
		int depth = xmlTextReaderDepth(p.rd.r);

		r = xmlTextReaderIsEmptyElement(p.rd.r)
			    ? refi_reader_skip(&p.rd)
			    : refi_reader_read(&p.rd);
		while (r == 1 && xmlTextReaderDepth(p.rd.r) > depth) {
			xmlNodePtr c;

			if (xmlTextReaderNodeType(p.rd.r) !=
			    XML_READER_TYPE_ELEMENT) {
				r = refi_reader_skip(&p.rd);
				continue;
			}
			/* A table is read a row at a time (one table may
			 * hold a whole interview): into it, and its rows
			 * and other parts are blocks of their own. */
			if (!xmlTextReaderIsEmptyElement(p.rd.r) &&
			    reader_is(p.rd.r, odt ? NS_TABLE : NS_W,
				      odt ? "table" : "tbl")) {
				r = refi_reader_read(&p.rd);
				continue;
			}
			c = refi_reader_expand(&p.rd);
			if (!c) {
				r = -1;
				break;
			}
			if (odt) {
				odt_block(c, out, &para, &w);
			} else {
				docx_block(c, out, &para, &w);
			}
			r = refi_reader_skip(&p.rd);
		}
	}
	/* The rest is read too: a file broken anywhere is refused. */
	while (r == 1) {
		r = refi_reader_skip(&p.rd);
	}
	sb_release(&para);
	if (r >= 0 && found) {
		office_warnings(f, out, &w);
	}
	styles_release(&w.st);
	if (r < 0) {
		sb_release(out);
		part_malformed(rz, i, &p, f, name);
	}
	refi_zip_xml_close(&p);
	if (!found) {
		sb_release(out);
		die(QC_INPUT, "'%s' has no %s in %s; is it %s?", f->path,
		    odt ? "office:text" : "w:body", name, what);
	}
	if (w.fs.ncode > 0) {
		warn("'%s': a field (w:fldChar) opened in %s is never "
		     "closed; the text after its start was read as its "
		     "code and left out", f->path, name);
	}
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
	struct strbuf out = STRBUF_INIT;
	struct refi_zip rz;
	char *msg, *text;
	size_t len;

	if (import_open_zip(&rz, f, &msg) != 0) {
		die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
			  f->path, msg);
	}
	if (odt) {
		read_part(&rz, f, "content.xml", "an OpenDocument text (.odt)",
			  1, &out);
	} else {
		read_part(&rz, f, "word/document.xml",
			  "a Word document (.docx)", 0, &out);
	}
	refi_zip_close(&rz);
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
