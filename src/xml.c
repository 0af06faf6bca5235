/*
 * xml.c - safe XML parsing and the normalisations REFI-QDA files
 * need (see xml.h and ../shared/refi/README.md, "Pitfalls").
 */
#include "xml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>

#include "sha256.h"

void refi_problems_add(struct refi_problems *ps, long line, const char *fmt,
		       ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n].place = xstrdup(ps->place ? ps->place : "");
	ps->v[ps->n].line = line;
	ps->v[ps->n].msg = msg;
	ps->n++;
}

void refi_problems_release(struct refi_problems *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].place);
		free(ps->v[i].msg);
	}
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

/* The first error libxml2 reports while parsing. */
struct first_error {
	long line;
	char *msg;
};

/* Keep E in *LINE and *MSG when it is the first error (not warning). */
static void keep_error(long *line, char **msg, xmlErrorPtr e)
{
	size_t n;

	if (!e || *msg || e->level < XML_ERR_ERROR) {
		return;
	}
	*line = e->line;
	*msg = xstrdup(e->message ? e->message : "unknown error");
	n = strlen(*msg);
	while (n > 0 && isspace((unsigned char)(*msg)[n - 1])) {
		(*msg)[--n] = '\0';
	}
}

/* Keep the first error (not warning) libxml2 reports. */
static void on_error(void *ctx, xmlErrorPtr e)
{
	struct first_error *fe = ctx;

	keep_error(&fe->line, &fe->msg, e);
}

static xmlExternalEntityLoader default_loader;

/* Load local files only (the schemas); refuse any URL with a scheme other
 * than file: REFI files never need the network. */
static xmlParserInputPtr local_loader(const char *url, const char *id,
				      xmlParserCtxtPtr ctxt)
{
	if (url && strstr(url, "://") && strncmp(url, "file://", 7) != 0) {
		return NULL;
	}
	return default_loader(url, id, ctxt);
}

void refi_xml_init(void)
{
	if (!default_loader) {
		default_loader = xmlGetExternalEntityLoader();
		xmlSetExternalEntityLoader(local_loader);
	}
}

/* Line of byte offset OFF in BUF. */
static long line_at(const char *buf, size_t off)
{
	long line = 1;

	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			line++;
		}
	}
	return line;
}

/* What scan_prolog() found. */
enum prolog {
	PROLOG_DOCTYPE, /* a <!DOCTYPE, at *AT */
	PROLOG_DONE,	/* the prolog ended without one */
	PROLOG_MORE	/* BUF ends inside the prolog */
};

/* Scan the prolog of BUF (declarations, processing instructions,
 * comments, spaces) for a <!DOCTYPE. */
static enum prolog scan_prolog(const char *buf, size_t len, size_t *at)
{
	size_t i = 0;

	while (i < len) {
		size_t n = len - i;

		if (isspace((unsigned char)buf[i])) {
			i++;
		} else if (n >= 2 && memcmp(buf + i, "<?", 2) == 0) {
			const char *e = memmem(buf + i, n, "?>", 2);

			if (!e) {
				return PROLOG_MORE;
			}
			i = (size_t)(e - buf) + 2;
		} else if (n >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
			const char *e = memmem(buf + i, n, "-->", 3);

			if (!e) {
				return PROLOG_MORE;
			}
			i = (size_t)(e - buf) + 3;
		} else if (n >= 9 && strncasecmp(buf + i, "<!DOCTYPE", 9) == 0) {
			*at = i;
			return PROLOG_DOCTYPE;
		} else if (n < 9 && (strncasecmp(buf + i, "<!DOCTYPE", n) == 0 ||
				     (n < 4 &&
				      memcmp(buf + i, "<!--", n) == 0))) {
			return PROLOG_MORE;
		} else {
			return PROLOG_DONE;
		}
	}
	return PROLOG_MORE;
}

/* Offset of a <!DOCTYPE in the prolog of BUF, or -1. */
static long find_doctype(const char *buf, size_t len)
{
	size_t at;

	return scan_prolog(buf, len, &at) == PROLOG_DOCTYPE ? (long)at : -1;
}

/* refi_xml_parse with the libxml2 OPTIONS added. */
static xmlDocPtr parse(const char *buf, size_t len, long *line, char **msg,
		       int options)
{
	struct first_error fe = { 0, NULL };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	long dt;

	*line = 0;
	*msg = NULL;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	dt = find_doctype(buf, len);
	if (dt >= 0) {
		*line = line_at(buf, (size_t)dt);
		*msg = xstrdup("a DOCTYPE is not allowed in a REFI-QDA file");
		return NULL;
	}
	if (len > 0x7fffffff) {
		*msg = xstrdup("the file is too large");
		return NULL;
	}
	refi_xml_init();
	xmlSetStructuredErrorFunc(&fe, on_error);
	ctxt = xmlNewParserCtxt();
	if (ctxt) {
		/* COMPACT: short texts go inside their node (a large
		 * project's tree is most of an import's memory). */
		doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
					XML_PARSE_NONET | XML_PARSE_BIG_LINES |
						XML_PARSE_COMPACT | options);
		xmlFreeParserCtxt(ctxt);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc && !fe.msg && (doc->intSubset || doc->extSubset)) {
		fe.msg = xstrdup("a DOCTYPE is not allowed in a REFI-QDA file");
	}
	if (doc && !fe.msg && !xmlDocGetRootElement(doc)) {
		fe.msg = xstrdup("the document has no root element");
	}
	if (!doc && !fe.msg) {
		fe.msg = xstrdup("cannot parse the XML");
	}
	if (fe.msg) {
		xmlFreeDoc(doc);
		*line = fe.line;
		*msg = fe.msg;
		return NULL;
	}
	return doc;
}

xmlDocPtr refi_xml_parse(const char *buf, size_t len, long *line, char **msg)
{
	return parse(buf, len, line, msg, 0);
}

xmlDocPtr refi_xml_parse_data(const char *buf, size_t len, long *line,
			      char **msg)
{
	return parse(buf, len, line, msg, XML_PARSE_NOBLANKS);
}

/* The reader's errors: the first is kept. */
static void on_reader_error(void *ctx, xmlErrorPtr e)
{
	struct refi_reader *rd = ctx;

	keep_error(&rd->line, &rd->msg, e);
}

/* Input read in pieces: the prefix that was checked first, then READ. */
struct refi_io {
	long (*read)(void *ctx, char *buf, size_t len);
	void *ctx;
	char *pre;
	size_t npre, at;
};

/* Fail RD with MSG at the parser's line; returns -1. */
static int reader_fail(struct refi_reader *rd, const char *msg)
{
	if (!rd->msg) {
		rd->line = rd->r ? xmlTextReaderGetParserLineNumber(rd->r) : 0;
		rd->msg = xstrdup(msg);
	}
	return -1;
}

int refi_reader_open(struct refi_reader *rd, const char *buf, size_t len)
{
	long dt;

	memset(rd, 0, sizeof(*rd));
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	dt = find_doctype(buf, len);
	if (dt >= 0) {
		rd->line = line_at(buf, (size_t)dt);
		rd->msg = xstrdup("a DOCTYPE is not allowed in a REFI-QDA file");
		return -1;
	}
	if (len > 0x7fffffff) {
		rd->msg = xstrdup("the file is too large");
		return -1;
	}
	refi_xml_init();
	/* The options of refi_xml_parse_data(). */
	rd->r = xmlReaderForMemory(buf, (int)len, NULL, NULL,
				   XML_PARSE_NONET | XML_PARSE_BIG_LINES |
					   XML_PARSE_COMPACT |
					   XML_PARSE_NOBLANKS);
	if (!rd->r) {
		return reader_fail(rd, "cannot parse the XML");
	}
	xmlTextReaderSetStructuredErrorHandler(rd->r, on_reader_error, rd);
	return 0;
}


/* libxml2's read callback over a refi_io. */
static int io_read(void *ctx, char *buf, int len)
{
	struct refi_io *io = ctx;
	long r;

	if (len <= 0) {
		return 0;
	}
	if (io->at < io->npre) {
		size_t n = io->npre - io->at;

		if (n > (size_t)len) {
			n = (size_t)len;
		}
		memcpy(buf, io->pre + io->at, n);
		io->at += n;
		return (int)n;
	}
	r = io->read(io->ctx, buf, (size_t)len);
	return r < 0 ? -1 : (int)r;
}

/* The prolog of a file is checked for a DOCTYPE within this many bytes
 * (later, libxml2 reports it as a node, refused too, at the line after
 * it); it is read IO_FIRST bytes first, then twice as many at a time
 * while it goes on. */
#define IO_PREFIX ((size_t)1 << 20)
#define IO_FIRST ((size_t)16 << 10)

int refi_xml_check(const char *buf, size_t len,
		   long (*read)(void *ctx, char *buf, size_t len), void *ctx,
		   long *line, char **msg)
{
	struct first_error fe = { 0, NULL };
	struct refi_io io;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES |
		      XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;

	if (buf && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (buf && len > 0x7fffffff) {
		return 0;
	}
	refi_xml_init();
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		return 0;
	}
	/* The parser's checks and messages, and no tree. */
	ctxt->sax->startElementNs = NULL;
	ctxt->sax->endElementNs = NULL;
	ctxt->sax->startElement = NULL;
	ctxt->sax->endElement = NULL;
	ctxt->sax->characters = NULL;
	ctxt->sax->ignorableWhitespace = NULL;
	ctxt->sax->cdataBlock = NULL;
	ctxt->sax->comment = NULL;
	ctxt->sax->processingInstruction = NULL;
	ctxt->sax->reference = NULL;
	xmlSetStructuredErrorFunc(&fe, on_error);
	if (buf) {
		doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
					options);
	} else {
		memset(&io, 0, sizeof(io));
		io.read = read;
		io.ctx = ctx;
		doc = xmlCtxtReadIO(ctxt, io_read, NULL, &io, NULL, NULL,
				    options);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (!fe.msg) {
		return 0;
	}
	*line = fe.line;
	*msg = fe.msg;
	return -1;
}

/* refi_reader_open_io with libxml2's OPTIONS besides the usual ones. */
static int open_io(struct refi_reader *rd,
		   long (*read)(void *ctx, char *buf, size_t len), void *ctx,
		   int options)
{
	struct refi_io *io = xcalloc(1, sizeof(*io));
	size_t cap = IO_FIRST, dt = 0;
	enum prolog st;
	long r = 1;

	memset(rd, 0, sizeof(*rd));
	rd->io = io;
	io->read = read;
	io->ctx = ctx;
	io->pre = xmalloc(cap);
	for (;;) {
		while (io->npre < cap &&
		       (r = read(ctx, io->pre + io->npre, cap - io->npre)) > 0) {
			io->npre += (size_t)r;
		}
		if (r < 0) {
			rd->msg = xstrdup("cannot read the XML");
			return -1;
		}
		io->at = 0;
		if (io->npre >= 3 &&
		    memcmp(io->pre, "\xEF\xBB\xBF", 3) == 0) {
			io->at = 3;
		}
		st = scan_prolog(io->pre + io->at, io->npre - io->at, &dt);
		if (st != PROLOG_MORE || r == 0 || cap >= IO_PREFIX) {
			break;
		}
		cap *= 2;
		io->pre = xrealloc(io->pre, cap);
	}
	if (st == PROLOG_DOCTYPE) {
		rd->line = line_at(io->pre + io->at, dt);
		rd->msg = xstrdup("a DOCTYPE is not allowed in a REFI-QDA file");
		return -1;
	}
	refi_xml_init();
	rd->r = xmlReaderForIO(io_read, NULL, io, NULL, NULL,
			       XML_PARSE_NONET | XML_PARSE_BIG_LINES |
				       XML_PARSE_COMPACT | options);
	if (!rd->r) {
		return reader_fail(rd, "cannot parse the XML");
	}
	xmlTextReaderSetStructuredErrorHandler(rd->r, on_reader_error, rd);
	return 0;
}

int refi_reader_open_io(struct refi_reader *rd,
			long (*read)(void *ctx, char *buf, size_t len),
			void *ctx)
{
	return open_io(rd, read, ctx, XML_PARSE_NOBLANKS);
}

int refi_reader_open_io_text(struct refi_reader *rd,
			     long (*read)(void *ctx, char *buf, size_t len),
			     void *ctx)
{
	return open_io(rd, read, ctx, 0);
}

/* The outcome R of a move of RD's reader, checked. */
static int reader_moved(struct refi_reader *rd, int r)
{
	if (r < 0 || rd->msg) {
		return reader_fail(rd, "cannot parse the XML");
	}
	if (r == 0) {
		return rd->root ? 0
				: reader_fail(rd, "the document has no root "
						  "element");
	}
	switch (xmlTextReaderNodeType(rd->r)) {
	case XML_READER_TYPE_DOCUMENT_TYPE:
		return reader_fail(rd, "a DOCTYPE is not allowed in a "
				       "REFI-QDA file");
	case XML_READER_TYPE_ELEMENT:
		rd->root = 1;
		break;
	default:
		break;
	}
	return 1;
}

int refi_reader_read(struct refi_reader *rd)
{
	return rd->msg ? -1 : reader_moved(rd, xmlTextReaderRead(rd->r));
}

int refi_reader_skip(struct refi_reader *rd)
{
	return rd->msg ? -1 : reader_moved(rd, xmlTextReaderNext(rd->r));
}

xmlNodePtr refi_reader_expand(struct refi_reader *rd)
{
	xmlNodePtr n = rd->msg ? NULL : xmlTextReaderExpand(rd->r);

	if (!n || rd->msg) {
		reader_fail(rd, "cannot parse the XML");
		return NULL;
	}
	return n;
}

void refi_reader_close(struct refi_reader *rd)
{
	if (rd->r) {
		xmlFreeTextReader(rd->r);
	}
	if (rd->io) {
		free(rd->io->pre);
		free(rd->io);
	}
	free(rd->msg);
	memset(rd, 0, sizeof(*rd));
}

/* 1 when HREF is a REFI-QDA namespace of any version. */
static int is_refi_ns(const xmlChar *href)
{
	return href && strncasecmp((const char *)href, "urn:QDA-XML:", 12) == 0;
}

struct ns_walk {
	const char *target;
	xmlNsPtr ns; /* TARGET declared on the root, for bare elements */
	int count;
	char *what;
	long line;
};

/* Count a variant, describing the first. */
static void note_variant(struct ns_walk *w, xmlNodePtr n, const char *what)
{
	w->count++;
	if (!w->what) {
		w->what = xstrdup(what);
		w->line = refi_line(n);
	}
}

/* Rewrite the namespace variants of N, its siblings and descendants. */
static void walk_ns(struct ns_walk *w, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE) {
			continue;
		}
		for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next) {
			if (is_refi_ns(ns->href) &&
			    strcmp((const char *)ns->href, w->target) != 0) {
				char *what = xasprintf(
					"namespace '%s' is not '%s'",
					(const char *)ns->href, w->target);

				note_variant(w, n, what);
				free(what);
				xmlFree((xmlChar *)ns->href);
				ns->href = xmlStrdup(BAD_CAST w->target);
			}
		}
		if (!n->ns && w->ns) {
			xmlSetNs(n, w->ns);
		}
		walk_ns(w, n->children);
	}
}

int refi_xml_normalize_ns(xmlDocPtr doc, char **what, long *line)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct ns_walk w;

	memset(&w, 0, sizeof(w));
	if (what) {
		*what = NULL;
	}
	if (line) {
		*line = 0;
	}
	if (!root) {
		return 0;
	}
	w.target = strcmp((const char *)root->name, "CodeBook") == 0
			   ? REFI_NS_CODEBOOK
			   : REFI_NS_PROJECT;
	if (!root->ns) {
		w.ns = xmlNewNs(root, BAD_CAST w.target, NULL);
		note_variant(&w, root, "the root element has no namespace");
	}
	walk_ns(&w, root);
	if (what) {
		*what = w.what;
	} else {
		free(w.what);
	}
	if (line) {
		*line = w.line;
	}
	return w.count;
}

/* The value of hex digit C, or -1. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = tolower(c);
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return -1;
}

int refi_guid_norm(const char *in, char out[37])
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	const char *p = in;
	size_t len, o = 0;

	while (isspace((unsigned char)*p)) {
		p++;
	}
	len = strlen(p);
	while (len > 0 && isspace((unsigned char)p[len - 1])) {
		len--;
	}
	if (len > 0 && p[0] == '{') {
		if (len < 2 || p[len - 1] != '}') {
			return -1;
		}
		p++;
		len -= 2;
	}
	if (len != 36) {
		return -1;
	}
	for (size_t g = 0; g < 5; g++) {
		for (int k = 0; k < groups[g]; k++) {
			if (hexval((unsigned char)*p) < 0) {
				return -1;
			}
			out[o++] = (char)tolower((unsigned char)*p++);
		}
		if (g < 4) {
			if (*p++ != '-') {
				return -1;
			}
			out[o++] = '-';
		}
	}
	out[o] = '\0';
	return 0;
}

void refi_guid_derive(const char *kind, const char *identity, size_t idlen,
		      char out[37])
{
	struct sha256 c;
	char hex[65];
	size_t o = 0;

	sha256_init(&c);
	sha256_update(&c, "qcode", 6);
	sha256_update(&c, kind, strlen(kind) + 1);
	sha256_update(&c, identity, idlen);
	sha256_final_hex(&c, hex);
	hex[12] = '8';                                       /* version 8 */
	hex[16] = "89ab"[hexval((unsigned char)hex[16]) & 3]; /* RFC variant */
	for (size_t i = 0; i < 32; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20) {
			out[o++] = '-';
		}
		out[o++] = hex[i];
	}
	out[o] = '\0';
}

void refi_guids_add(struct refi_guids *s, const char *g)
{
	char n[37];

	if (!g || refi_guid_norm(g, n) != 0) {
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	memcpy(s->v[s->n++], n, sizeof(n));
}

/* qsort/bsearch order of GUIDs. */
static int cmp_guid(const void *a, const void *b)
{
	return strcmp(a, b);
}

void refi_guids_sort(struct refi_guids *s)
{
	if (s->n > 1) {
		qsort(s->v, s->n, sizeof(*s->v), cmp_guid);
	}
}

int refi_guids_has(const struct refi_guids *s, const char *g)
{
	return s && s->n && bsearch(g, s->v, s->n, sizeof(*s->v), cmp_guid);
}

void refi_guids_release(struct refi_guids *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void refi_code_guid(const char *path, const struct refi_guids *stored,
		    char out[37])
{
	refi_guid_derive("code", path, strlen(path), out);
	for (unsigned k = 2; refi_guids_has(stored, out); k++) {
		/* Another kind, and the path, a NUL and the count: it is
		 * no other path's GUID. */
		char *id = xasprintf("%s%c%u", path, 0, k);
		size_t n = strlen(path) + 1;

		refi_guid_derive("code again", id, n + strlen(id + n), out);
		free(id);
	}
}

void refi_doc_guid(const char *guid, const char *name, const char *sha,
		   char out[37])
{
	char *id;

	if (guid && refi_guid_norm(guid, out) == 0) {
		return;
	}
	id = xasprintf("%s%c%s", name ? name : "", 31, sha ? sha : "");
	refi_guid_derive("document", id, strlen(id), out);
	free(id);
}

int refi_color_norm(const char *in, char out[8])
{
	const char *p = in;
	size_t n = 0;
	char hex[8];

	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p != '#') {
		return -1;
	}
	p++;
	while (p[n] && !isspace((unsigned char)p[n])) {
		if (hexval((unsigned char)p[n]) < 0 || n >= 8) {
			return -1;
		}
		n++;
	}
	for (size_t i = n; p[i]; i++) {
		if (!isspace((unsigned char)p[i])) {
			return -1;
		}
	}
	switch (n) {
	case 3:
	case 4: /* #RGB, #ARGB: drop alpha, double each digit */
		for (size_t i = 0; i < 3; i++) {
			hex[2 * i] = hex[2 * i + 1] = p[n - 3 + i];
		}
		break;
	case 6:
	case 8: /* #RRGGBB, #AARRGGBB */
		memcpy(hex, p + n - 6, 6);
		break;
	default:
		return -1;
	}
	out[0] = '#';
	for (size_t i = 0; i < 6; i++) {
		out[i + 1] = (char)tolower((unsigned char)hex[i]);
	}
	out[7] = '\0';
	return 0;
}

int refi_is(const xmlNode *n, const char *name)
{
	const char *href;

	if (!n || n->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)n->name, name) != 0) {
		return 0;
	}
	if (!n->ns) {
		return 1;
	}
	/* Any version: what refi_xml_normalize_ns() would rewrite to 1.0
	 * (the streaming reader cannot rewrite before it reads). */
	href = (const char *)n->ns->href;
	return is_refi_ns(BAD_CAST href);
}

xmlNodePtr refi_first(const xmlNode *n)
{
	xmlNodePtr c = n ? n->children : NULL;

	while (c && c->type != XML_ELEMENT_NODE) {
		c = c->next;
	}
	return c;
}

xmlNodePtr refi_next(const xmlNode *n)
{
	xmlNodePtr c = n ? n->next : NULL;

	while (c && c->type != XML_ELEMENT_NODE) {
		c = c->next;
	}
	return c;
}

xmlNodePtr refi_child(const xmlNode *n, const char *name)
{
	for (xmlNodePtr c = refi_first(n); c; c = refi_next(c)) {
		if (refi_is(c, name)) {
			return c;
		}
	}
	return NULL;
}

char *refi_attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	char *s;

	if (!v) {
		return NULL;
	}
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

char *refi_text(const xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

long refi_line(const xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : 0;

	return l > 0 ? l : 0;
}

/* Append S escaped; ATTR also escapes quotes and whitespace controls.
 * Characters XML 1.0 cannot carry become U+FFFD. */
static void put_escaped(struct strbuf *sb, const char *s, int attr)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; u[i]; i++) {
		unsigned c = u[i];

		if (c == '&') {
			sb_adds(sb, "&amp;");
		} else if (c == '<') {
			sb_adds(sb, "&lt;");
		} else if (c == '>') {
			sb_adds(sb, "&gt;");
		} else if (c == '"' && attr) {
			sb_adds(sb, "&quot;");
		} else if (c == '\r') {
			sb_adds(sb, "&#13;");
		} else if ((c == '\n' || c == '\t') && attr) {
			sb_addf(sb, "&#%u;", c);
		} else if (c < 0x20 && c != '\n' && c != '\t') {
			sb_adds(sb, "\xEF\xBF\xBD");
		} else if (c == 0xEF && u[i + 1] == 0xBF &&
			   (u[i + 2] == 0xBE || u[i + 2] == 0xBF)) {
			sb_adds(sb, "\xEF\xBF\xBD");
			i += 2;
		} else {
			sb_addc(sb, (char)c);
		}
	}
}

void refi_put_attr(struct strbuf *sb, const char *name, const char *value)
{
	if (!value) {
		return;
	}
	sb_addf(sb, " %s=\"", name);
	put_escaped(sb, value, 1);
	sb_addc(sb, '"');
}

void refi_put_text(struct strbuf *sb, const char *s)
{
	put_escaped(sb, s, 0);
}
