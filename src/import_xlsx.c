/*
 * import_xlsx.c - a sheet of an Excel workbook (.xlsx) as a survey
 * export: the rows of the sheet go through the same survey import as a
 * CSV file's (import_csv.c), with the same options.
 *
 * The workbook is read from its file with libzip (every entry checked as
 * zipfile.c does: no path traversal, size limits) and the sheet's XML is
 * parsed as it is unpacked, with libxml2's xmlTextReader, so memory holds
 * one row, never the sheet.  Shared strings go into a temporary table of
 * the project's connection (a workbook's strings can be as large as its
 * text), looked up by index.  Cells read as Excel shows them: shared and
 * inline strings, numbers as the shortest text that reads back as the
 * same number (Excel's General), TRUE and FALSE, error values, and dates
 * and times in the cell's number format (the builtin date formats 14-22
 * and 45-47, or a custom format with y, m, d, h or s): xlsx_cell.c.  A
 * merged cell of the header rows gives its value to every cell of its
 * range.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "survey.h"
#include "util.h"
#include "xlsx_cell.h"
#include "zipfile.h"

/* Entries read whole (workbook, relationships, styles) are small; a
 * larger one is refused rather than held in memory. */
#define SMALL_ENTRY ((size_t)16 << 20)

/* A merged range of the header rows (0-based columns, 1-based rows) and
 * the value of its top-left cell once read. */
struct merge {
	size_t r1, c1, r2, c2;
	char *value;
};

/* A custom number format of styles.xml. */
struct numfmt {
	long id;
	char *code;
};

struct xlsx_source {
	struct row_source base;
	struct import_ctx *ic;
	const struct import_file *f;
	struct refi_zip rz;
	size_t file_size;      /* the workbook's bytes, for progress */
	char *sheet;           /* the sheet's name */
	char *entry;           /* its entry in the archive */
	int date1904;
	/* Styles: the number format of each cell style (cellXfs). */
	long *xf_fmt;
	size_t nxf;
	struct numfmt *fmts;
	size_t nfmts;
	/* Shared strings, in a temporary table. */
	size_t nsst;
	sqlite3_stmt *sst_get;
	/* Merged ranges starting in the header rows. */
	struct merge *merges;
	size_t nmerges;
	size_t header_rows;
	/* The sheet, as it is read. */
	zip_file_t *zf;
	size_t entry_size;     /* unpacked size of the sheet's entry */
	size_t unpacked;       /* bytes of it read so far */
	xmlTextReaderPtr rd;
	char *xml_err;         /* the first libxml2 error */
	long xml_err_line;
	int in_data, ended;
	/* The row read ahead: its number, cells and whether it is there. */
	size_t row;
	int have_row;
	size_t expect;         /* the row number to hand out next */
	struct strbuf cells;   /* the row's cell texts, NUL-separated */
	size_t *coff;          /* [column]: offset in CELLS, or SIZE_MAX */
	size_t ncols;          /* columns the row has */
	size_t ccap;
	char **fields;
	size_t fcap;
	struct strbuf val;     /* the cell being read */
};

/* ---- Messages ---- */

static _Noreturn void bad_workbook(const struct xlsx_source *x,
				   const char *what)
{
	die(QC_INPUT, "cannot read the workbook '%s': %s", x->f->path, what);
}

static void xml_error(void *arg, const char *msg,
		      xmlParserSeverities severity, xmlTextReaderLocatorPtr loc)
{
	struct xlsx_source *x = arg;
	char *m;
	size_t n;

	if (x->xml_err || (severity != XML_PARSER_SEVERITY_ERROR &&
			   severity != XML_PARSER_SEVERITY_VALIDITY_ERROR)) {
		return;
	}
	m = xstrdup(msg);
	n = strlen(m);
	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) {
		m[--n] = '\0';
	}
	x->xml_err = m;
	x->xml_err_line = xmlTextReaderLocatorLineNumber(loc);
}

/* Die on a libxml2 failure while reading ENTRY. */
static _Noreturn void xml_die(struct xlsx_source *x, xmlTextReaderPtr rd,
			      const char *entry)
{
	long line = x->xml_err ? x->xml_err_line
			       : xmlTextReaderGetParserLineNumber(rd);

	die(QC_INPUT, "malformed XML in '%s' of '%s' at line %ld: %s", entry,
	    x->f->path, line, x->xml_err ? x->xml_err : "unexpected end");
}

/* ---- Reading entries ---- */

/* A reader over ENTRY read whole (it must be small), or NULL when the
 * archive has no such entry.  *BUF holds the text: free it after the
 * reader. */
static xmlTextReaderPtr open_small(struct xlsx_source *x, const char *entry,
				   char **buf)
{
	long i = refi_zip_find(&x->rz, entry);
	xmlTextReaderPtr rd;
	size_t len;
	char *msg;

	*buf = NULL;
	if (i < 0) {
		return NULL;
	}
	if (x->rz.sizes[i] > SMALL_ENTRY) {
		char *m = xasprintf("entry '%s' is too large (%zu bytes)",
				    entry, x->rz.sizes[i]);

		bad_workbook(x, m);
	}
	if (refi_zip_read(&x->rz, i, buf, &len, &msg) != 0) {
		bad_workbook(x, msg);
	}
	rd = xmlReaderForMemory(*buf, (int)len, entry, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (!rd) {
		bad_workbook(x, "out of memory");
	}
	xmlTextReaderSetErrorHandler(rd, xml_error, x);
	return rd;
}

/* The next node of RD: 1, or 0 at the end; dies on malformed XML and on
 * a DOCTYPE (entities are never expanded). */
static int next_node(struct xlsx_source *x, xmlTextReaderPtr rd,
		     const char *entry)
{
	int rc = xmlTextReaderRead(rd);

	if (rc < 0 || x->xml_err) {
		xml_die(x, rd, entry);
	}
	if (rc == 1 &&
	    xmlTextReaderNodeType(rd) == XML_READER_TYPE_DOCUMENT_TYPE) {
		die(QC_INPUT, "'%s' of '%s' has a DOCTYPE, which a workbook "
			      "never has; refusing it", entry, x->f->path);
	}
	return rc == 1;
}

/* 1 when RD is at the start of an element named NAME (any prefix). */
static int at_start(xmlTextReaderPtr rd, const char *name)
{
	return xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT &&
	       strcmp((const char *)xmlTextReaderConstLocalName(rd), name) ==
		       0;
}

/* 1 when RD is at the end of an element named NAME. */
static int at_end(xmlTextReaderPtr rd, const char *name)
{
	return xmlTextReaderNodeType(rd) == XML_READER_TYPE_END_ELEMENT &&
	       strcmp((const char *)xmlTextReaderConstLocalName(rd), name) ==
		       0;
}

/* The attribute NAME of RD's element (any namespace), or NULL.  Caller
 * frees with xmlFree(). */
static char *attr(xmlTextReaderPtr rd, const char *name)
{
	char *v = (char *)xmlTextReaderGetAttribute(rd, BAD_CAST name);

	if (v) {
		return v;
	}
	/* r:id and the like: by local name in any namespace. */
	if (xmlTextReaderMoveToFirstAttribute(rd) == 1) {
		do {
			if (strcmp((const char *)xmlTextReaderConstLocalName(rd),
				   name) == 0) {
				v = (char *)xmlTextReaderValue(rd);
				break;
			}
		} while (xmlTextReaderMoveToNextAttribute(rd) == 1);
		xmlTextReaderMoveToElement(rd);
	}
	return v;
}

/* 1 when RD is at text inside an element (text, CDATA or white space). */
static int at_text(xmlTextReaderPtr rd)
{
	int t = xmlTextReaderNodeType(rd);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_WHITESPACE ||
	       t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Read the text of the string item RD is at (<si> or <is>: its <t>
 * elements, rich-text runs included, phonetic runs left out) into OUT. */
static void read_string_item(struct xlsx_source *x, xmlTextReaderPtr rd,
			     const char *entry, struct strbuf *out)
{
	const char *item = (const char *)xmlTextReaderConstLocalName(rd);
	char *name = xstrdup(item);
	struct strbuf raw = STRBUF_INIT;
	int in_t = 0, in_rph = 0;

	if (xmlTextReaderIsEmptyElement(rd)) {
		free(name);
		return;
	}
	while (next_node(x, rd, entry)) {
		if (at_end(rd, name)) {
			break;
		}
		if (at_start(rd, "rPh")) {
			in_rph = !xmlTextReaderIsEmptyElement(rd);
		} else if (at_end(rd, "rPh")) {
			in_rph = 0;
		} else if (at_start(rd, "t")) {
			in_t = !xmlTextReaderIsEmptyElement(rd);
		} else if (at_end(rd, "t")) {
			in_t = 0;
		} else if (in_t && !in_rph && at_text(rd)) {
			sb_adds(&raw, (const char *)xmlTextReaderConstValue(rd));
		}
	}
	xlsx_text(out, raw.buf ? raw.buf : "", raw.len);
	sb_release(&raw);
	free(name);
}

/* ---- The workbook ---- */

/* Read xl/workbook.xml: the sheets' names and relationship ids (filled
 * in order into NAMES and RIDS, NULL-terminated), and the date system. */
static void read_workbook(struct xlsx_source *x, char ***names, char ***rids)
{
	static const char entry[] = "xl/workbook.xml";
	char *buf;
	xmlTextReaderPtr rd = open_small(x, entry, &buf);
	size_t n = 0, cap = 8;

	if (!rd) {
		die(QC_INPUT, "'%s' is not an Excel workbook (it has no %s)",
		    x->f->path, entry);
	}
	*names = xcalloc(cap + 1, sizeof(char *));
	*rids = xcalloc(cap + 1, sizeof(char *));
	while (next_node(x, rd, entry)) {
		if (at_start(rd, "workbookPr")) {
			char *v = attr(rd, "date1904");

			x->date1904 = v && (strcmp(v, "1") == 0 ||
					    strcmp(v, "true") == 0);
			xmlFree(v);
		} else if (at_start(rd, "sheet")) {
			char *name = attr(rd, "name");
			char *rid = attr(rd, "id");

			if (n == cap) {
				cap *= 2;
				*names = xrealloc(*names,
						  (cap + 1) * sizeof(char *));
				*rids = xrealloc(*rids,
						 (cap + 1) * sizeof(char *));
			}
			(*names)[n] = xstrdup(name ? name : "");
			(*rids)[n] = xstrdup(rid ? rid : "");
			(*names)[++n] = NULL;
			(*rids)[n] = NULL;
			xmlFree(name);
			xmlFree(rid);
		}
	}
	xmlFreeTextReader(rd);
	free(buf);
	if (!n) {
		die(QC_INPUT, "the workbook '%s' has no sheets", x->f->path);
	}
}

/* The archive entry a workbook relationship target names: relative to
 * xl/, or absolute from the archive's root. */
static char *target_entry(const char *target)
{
	if (target[0] == '/') {
		return xstrdup(target + 1);
	}
	return xasprintf("xl/%s", target);
}

/* From xl/_rels/workbook.xml.rels: the target of relationship RID (when
 * RID is not NULL), and of the shared strings and styles parts (else
 * their usual names).  Caller frees. */
static void read_rels(struct xlsx_source *x, const char *rid, char **sheet,
		      char **sst, char **styles)
{
	static const char entry[] = "xl/_rels/workbook.xml.rels";
	char *buf;
	xmlTextReaderPtr rd = open_small(x, entry, &buf);

	*sheet = NULL;
	*sst = NULL;
	*styles = NULL;
	while (rd && next_node(x, rd, entry)) {
		char *id, *type, *target;

		if (!at_start(rd, "Relationship")) {
			continue;
		}
		id = attr(rd, "Id");
		type = attr(rd, "Type");
		target = attr(rd, "Target");
		if (id && target && rid && strcmp(id, rid) == 0 && !*sheet) {
			*sheet = target_entry(target);
		} else if (type && target && !*sst &&
			   strlen(type) >= 14 &&
			   strcmp(type + strlen(type) - 14,
				  "/sharedStrings") == 0) {
			*sst = target_entry(target);
		} else if (type && target && !*styles && strlen(type) >= 7 &&
			   strcmp(type + strlen(type) - 7, "/styles") == 0) {
			*styles = target_entry(target);
		}
		xmlFree(id);
		xmlFree(type);
		xmlFree(target);
	}
	if (rd) {
		xmlFreeTextReader(rd);
	}
	free(buf);
	if (!*sst) {
		*sst = xstrdup("xl/sharedStrings.xml");
	}
	if (!*styles) {
		*styles = xstrdup("xl/styles.xml");
	}
}

/* Choose the sheet --sheet names (by name, else by its number from 1;
 * the first without --sheet); dies listing the sheets when there is no
 * such sheet.  Returns its index. */
static size_t choose_sheet(struct xlsx_source *x, char **names)
{
	const char *want = x->ic->o->sheet;
	size_t n = strv_len(names);
	struct strbuf list = STRBUF_INIT;
	char *end;
	long k;

	if (!want) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], want) == 0) {
			return i;
		}
	}
	errno = 0;
	k = strtol(want, &end, 10);
	if (!errno && end != want && !*end && k >= 1 && (size_t)k <= n) {
		return (size_t)k - 1;
	}
	for (size_t i = 0; i < n; i++) {
		sb_addf(&list, "%s'%s'", i ? ", " : "", names[i]);
	}
	/* die() exits: the list is reclaimed with the process. */
	die(QC_INPUT, "no sheet '%s' in '%s'; its sheets are: %s (name one "
		      "with --sheet NAME, or --sheet N for the Nth)",
	    want, x->f->path, list.buf);
}

/* Read the number format of every cell style from ENTRY. */
static void read_styles(struct xlsx_source *x, const char *entry)
{
	char *buf;
	xmlTextReaderPtr rd = open_small(x, entry, &buf);
	int in_xfs = 0;
	size_t cap = 0, fcap = 0;

	while (rd && next_node(x, rd, entry)) {
		if (at_start(rd, "numFmt")) {
			char *id = attr(rd, "numFmtId");
			char *code = attr(rd, "formatCode");

			if (id && code) {
				if (x->nfmts == fcap) {
					fcap = fcap ? fcap * 2 : 8;
					x->fmts = xrealloc(
						x->fmts,
						fcap * sizeof(*x->fmts));
				}
				x->fmts[x->nfmts].id = strtol(id, NULL, 10);
				x->fmts[x->nfmts++].code = xstrdup(code);
			}
			xmlFree(id);
			xmlFree(code);
		} else if (at_start(rd, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(rd);
		} else if (at_end(rd, "cellXfs")) {
			in_xfs = 0;
		} else if (in_xfs && at_start(rd, "xf")) {
			char *id = attr(rd, "numFmtId");

			if (x->nxf == cap) {
				cap = cap ? cap * 2 : 16;
				x->xf_fmt = xrealloc(x->xf_fmt,
						     cap * sizeof(*x->xf_fmt));
			}
			x->xf_fmt[x->nxf++] = id ? strtol(id, NULL, 10) : 0;
			xmlFree(id);
		}
	}
	if (rd) {
		xmlFreeTextReader(rd);
	}
	free(buf);
}

/* The date format code of cell style S, or NULL when it shows no date. */
static const char *date_format(const struct xlsx_source *x, long s)
{
	long id;

	if (s < 0 || (size_t)s >= x->nxf) {
		return NULL;
	}
	id = x->xf_fmt[s];
	for (size_t i = 0; i < x->nfmts; i++) {
		if (x->fmts[i].id == id) {
			return xlsx_is_date_code(x->fmts[i].code) ? x->fmts[i].code
							     : NULL;
		}
	}
	return xlsx_builtin_date(id);
}

/* Context of a streamed entry: the archive file and a size guard. */
static int zip_read_cb(void *ctx, char *buf, int len)
{
	struct xlsx_source *x = ctx;
	zip_int64_t n = zip_fread(x->zf, buf, (zip_uint64_t)len);

	if (n < 0) {
		return -1;
	}
	x->unpacked += (size_t)n;
	/* Never more than the size the archive declared. */
	if (x->unpacked > x->entry_size) {
		return -1;
	}
	return (int)n;
}

static int zip_close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Open ENTRY for streaming through X->rd. */
static void open_stream(struct xlsx_source *x, const char *entry)
{
	long i = refi_zip_find(&x->rz, entry);

	if (i < 0) {
		char *m = xasprintf("it has no entry '%s'", entry);

		bad_workbook(x, m);
	}
	x->zf = zip_fopen_index(x->rz.z, (zip_uint64_t)i, 0);
	if (!x->zf) {
		char *m = xasprintf("cannot open entry '%s' (%s)", entry,
				    zip_strerror(x->rz.z));

		bad_workbook(x, m);
	}
	x->entry_size = x->rz.sizes[i];
	x->unpacked = 0;
	x->rd = xmlReaderForIO(zip_read_cb, zip_close_cb, x, entry, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR |
				       XML_PARSE_NOWARNING);
	if (!x->rd) {
		bad_workbook(x, "out of memory");
	}
	xmlTextReaderSetErrorHandler(x->rd, xml_error, x);
}

static void close_stream(struct xlsx_source *x)
{
	if (x->rd) {
		xmlFreeTextReader(x->rd);
		x->rd = NULL;
	}
	if (x->zf) {
		zip_fclose(x->zf);
		x->zf = NULL;
	}
}

/* Stream the shared strings of ENTRY into a temporary table. */
static void read_shared_strings(struct xlsx_source *x, const char *entry)
{
	struct project *p = x->ic->p;
	struct strbuf s = STRBUF_INIT;
	sqlite3_stmt *ins;

	db_exec(p, "DROP TABLE IF EXISTS temp.qcode_xlsx_sst; "
		   "CREATE TEMP TABLE qcode_xlsx_sst(i INTEGER PRIMARY KEY, "
		   "s TEXT NOT NULL)");
	x->sst_get = db_prepare(p, "SELECT s FROM temp.qcode_xlsx_sst "
				   "WHERE i = ?");
	if (refi_zip_find(&x->rz, entry) < 0) {
		return;
	}
	ins = db_prepare(p, "INSERT INTO temp.qcode_xlsx_sst(i, s) "
			    "VALUES(?, ?)");
	open_stream(x, entry);
	while (next_node(x, x->rd, entry)) {
		if (!at_start(x->rd, "si")) {
			continue;
		}
		sb_reset(&s);
		read_string_item(x, x->rd, entry, &s);
		sqlite3_bind_int64(ins, 1, (long long)x->nsst++);
		if (sqlite3_bind_text(ins, 2, s.buf ? s.buf : "", (int)s.len,
				      SQLITE_STATIC) != SQLITE_OK) {
			db_die(p, "bind");
		}
		db_run(p, ins);
	}
	close_stream(x);
	sqlite3_finalize(ins);
	sb_release(&s);
}

/* Read the merged ranges of the sheet that start in its header rows (a
 * first pass over the sheet: <mergeCells> follows the cells). */
static void read_merges(struct xlsx_source *x)
{
	size_t cap = 0;

	open_stream(x, x->entry);
	while (next_node(x, x->rd, x->entry)) {
		char *ref;
		char *colon;
		struct merge m;

		if (at_start(x->rd, "sheetData") &&
		    !xmlTextReaderIsEmptyElement(x->rd)) {
			/* Skip the cells. */
			if (xmlTextReaderNext(x->rd) < 0 || x->xml_err) {
				xml_die(x, x->rd, x->entry);
			}
			if (!at_start(x->rd, "mergeCell")) {
				continue;
			}
		}
		if (!at_start(x->rd, "mergeCell")) {
			continue;
		}
		ref = attr(x->rd, "ref");
		colon = ref ? strchr(ref, ':') : NULL;
		memset(&m, 0, sizeof(m));
		if (!colon) {
			xmlFree(ref);
			continue;
		}
		*colon = '\0';
		if (xlsx_parse_ref(ref, &m.c1, &m.r1) != 0 ||
		    xlsx_parse_ref(colon + 1, &m.c2, &m.r2) != 0 || m.r2 < m.r1 ||
		    m.c2 < m.c1) {
			*colon = ':';
			die(QC_INPUT, "bad merged range '%s' in sheet '%s' of "
				      "'%s'", ref, x->sheet, x->f->path);
		}
		xmlFree(ref);
		if (m.r1 > x->header_rows) {
			continue;
		}
		if (m.r2 > x->header_rows) {
			m.r2 = x->header_rows;
		}
		if (x->nmerges == cap) {
			cap = cap ? cap * 2 : 8;
			x->merges = xrealloc(x->merges,
					     cap * sizeof(*x->merges));
		}
		x->merges[x->nmerges++] = m;
	}
	close_stream(x);
}

/* ---- Rows ---- */

/* Set cell C of the current row to S[0..LEN). */
static void set_cell(struct xlsx_source *x, size_t c, const char *s,
		     size_t len)
{
	if (c >= x->ccap) {
		size_t cap = x->ccap ? x->ccap : 16;

		while (cap <= c) {
			cap *= 2;
		}
		x->coff = xrealloc(x->coff, cap * sizeof(*x->coff));
		for (size_t i = x->ccap; i < cap; i++) {
			x->coff[i] = SIZE_MAX;
		}
		x->ccap = cap;
	}
	x->coff[c] = x->cells.len;
	sb_add(&x->cells, s, len);
	sb_addc(&x->cells, '\0');
	if (c + 1 > x->ncols) {
		x->ncols = c + 1;
	}
}

/* The text of the cell that RD's <c> element holds (type T, style S)
 * into X->val, as Excel shows it. */
static void read_cell(struct xlsx_source *x, const char *t, long s)
{
	xmlTextReaderPtr rd = x->rd;
	struct strbuf v = STRBUF_INIT;
	int in_v = 0, have_v = 0;

	sb_reset(&x->val);
	if (xmlTextReaderIsEmptyElement(rd)) {
		return;
	}
	while (next_node(x, rd, x->entry)) {
		if (at_end(rd, "c")) {
			break;
		}
		if (at_start(rd, "is")) {
			read_string_item(x, rd, x->entry, &x->val);
			sb_release(&v);
			return;
		}
		if (at_start(rd, "v")) {
			in_v = !xmlTextReaderIsEmptyElement(rd);
			have_v = 1;
		} else if (at_end(rd, "v")) {
			in_v = 0;
		} else if (in_v && at_text(rd)) {
			sb_adds(&v, (const char *)xmlTextReaderConstValue(rd));
		}
	}
	if (!have_v) {
		sb_release(&v);
		return;
	}
	if (strcmp(t, "s") == 0) {
		char *end;
		long long i = strtoll(v.buf ? v.buf : "", &end, 10);

		if (!v.buf || end == v.buf || *end || i < 0 ||
		    (size_t)i >= x->nsst) {
			die(QC_INPUT, "bad shared string index '%s' in sheet "
				      "'%s' of '%s' at row %zu",
			    v.buf ? v.buf : "", x->sheet, x->f->path, x->row);
		}
		sqlite3_bind_int64(x->sst_get, 1, i);
		if (db_step(x->ic->p, x->sst_get)) {
			sb_adds(&x->val, db_col_text(x->sst_get, 0));
		}
		sqlite3_reset(x->sst_get);
	} else if (strcmp(t, "b") == 0) {
		sb_adds(&x->val, v.buf && strcmp(v.buf, "0") != 0 ? "TRUE"
								  : "FALSE");
	} else if (strcmp(t, "n") == 0) {
		const char *code = date_format(x, s);
		char *end;
		double d = strtod(v.buf ? v.buf : "", &end);

		if (!v.buf || end == v.buf || *end) {
			die(QC_INPUT, "bad number '%s' in sheet '%s' of '%s' "
				      "at row %zu", v.buf ? v.buf : "",
			    x->sheet, x->f->path, x->row);
		}
		if (code) {
			xlsx_date(&x->val, d, x->date1904, code);
		} else {
			xlsx_number(&x->val, d);
		}
	} else {
		/* str (a formula's text), e (an error value), d (ISO). */
		xlsx_text(&x->val, v.buf ? v.buf : "", v.len);
	}
	sb_release(&v);
}

/* Give the merged ranges' values to the cells of their ranges in the
 * current row (a header row). */
static void apply_merges(struct xlsx_source *x)
{
	for (size_t i = 0; i < x->nmerges; i++) {
		struct merge *m = &x->merges[i];

		if (x->row < m->r1 || x->row > m->r2) {
			continue;
		}
		if (x->row == m->r1) {
			size_t o = m->c1 < x->ccap ? x->coff[m->c1] : SIZE_MAX;

			free(m->value);
			m->value = xstrdup(o == SIZE_MAX ? ""
							 : x->cells.buf + o);
		}
		for (size_t c = m->c1; c <= m->c2; c++) {
			if (c == m->c1 && x->row == m->r1) {
				continue;
			}
			set_cell(x, c, m->value, strlen(m->value));
		}
	}
}

/* Read the next <row> of the sheet into the cells: 1, or 0 at the end
 * of the sheet's data. */
static int read_row(struct xlsx_source *x)
{
	xmlTextReaderPtr rd = x->rd;
	size_t col = 0;

	for (size_t c = 0; c < x->ncols; c++) {
		x->coff[c] = SIZE_MAX;
	}
	x->ncols = 0;
	sb_reset(&x->cells);
	while (!x->in_data) {
		if (!next_node(x, rd, x->entry)) {
			return 0;
		}
		if (at_start(rd, "sheetData")) {
			if (xmlTextReaderIsEmptyElement(rd)) {
				return 0;
			}
			x->in_data = 1;
		}
	}
	for (;;) {
		char *r;

		if (!next_node(x, rd, x->entry) || at_end(rd, "sheetData")) {
			return 0;
		}
		if (!at_start(rd, "row")) {
			continue;
		}
		r = attr(rd, "r");
		if (r) {
			char *end;
			long long n = strtoll(r, &end, 10);

			if (end == r || *end || n < 1 || n > XLSX_MAX_ROWS ||
			    (size_t)n <= x->row) {
				die(QC_INPUT, "bad row number '%s' in sheet "
					      "'%s' of '%s' after row %zu", r,
				    x->sheet, x->f->path, x->row);
			}
			x->row = (size_t)n;
		} else {
			x->row++;
		}
		xmlFree(r);
		break;
	}
	if (xmlTextReaderIsEmptyElement(rd)) {
		return 1;
	}
	while (next_node(x, rd, x->entry)) {
		char *ref, *t, *s;
		size_t c, row;

		if (at_end(rd, "row")) {
			break;
		}
		if (!at_start(rd, "c")) {
			continue;
		}
		ref = attr(rd, "r");
		t = attr(rd, "t");
		s = attr(rd, "s");
		c = col;
		if (ref && (xlsx_parse_ref(ref, &c, &row) != 0 || row != x->row)) {
			die(QC_INPUT, "bad cell reference '%s' in sheet '%s' of "
				      "'%s' at row %zu", ref, x->sheet,
			    x->f->path, x->row);
		}
		read_cell(x, t ? t : "n", s ? strtol(s, NULL, 10) : 0);
		if (x->val.len) {
			set_cell(x, c, x->val.buf, x->val.len);
		}
		col = c + 1;
		xmlFree(ref);
		xmlFree(t);
		xmlFree(s);
	}
	if (x->row <= x->header_rows && x->nmerges) {
		apply_merges(x);
	}
	return 1;
}

static int xlsx_next(struct row_source *src)
{
	struct xlsx_source *x = (struct xlsx_source *)src;

	if (!x->have_row) {
		if (x->ended || !read_row(x)) {
			x->ended = 1;
			return 0;
		}
		x->have_row = 1;
		/* Rows before the first one with cells are not rows. */
		if (!x->expect) {
			x->expect = x->row;
		}
	}
	src->line = x->expect;
	if (x->expect < x->row) {
		/* A row the sheet leaves out is an empty row. */
		src->nfields = 0;
		x->expect++;
		return 1;
	}
	if (x->ncols + 1 > x->fcap) {
		x->fcap = x->ncols + 16;
		x->fields = xrealloc(x->fields, x->fcap * sizeof(*x->fields));
	}
	for (size_t c = 0; c < x->ncols; c++) {
		size_t o = x->coff[c];

		/* An empty cell: the NUL that ends the buffer (a strbuf
		 * always has one). */
		x->fields[c] = o == SIZE_MAX ? x->cells.buf + x->cells.len
					     : x->cells.buf + o;
	}
	src->fields = x->fields;
	src->nfields = x->ncols;
	x->have_row = 0;
	x->expect++;
	return 1;
}

static size_t xlsx_consumed(struct row_source *src)
{
	struct xlsx_source *x = (struct xlsx_source *)src;
	double share = x->entry_size
			       ? (double)x->unpacked / (double)x->entry_size
			       : 1.0;

	/* The sheet's share of the file, as the file's bytes. */
	return (size_t)(share * (double)x->file_size);
}

static void xlsx_free(struct row_source *src)
{
	struct xlsx_source *x = (struct xlsx_source *)src;

	close_stream(x);
	sqlite3_finalize(x->sst_get);
	db_exec(x->ic->p, "DROP TABLE IF EXISTS temp.qcode_xlsx_sst");
	refi_zip_close(&x->rz);
	for (size_t i = 0; i < x->nfmts; i++) {
		free(x->fmts[i].code);
	}
	free(x->fmts);
	free(x->xf_fmt);
	for (size_t i = 0; i < x->nmerges; i++) {
		free(x->merges[i].value);
	}
	free(x->merges);
	sb_release(&x->cells);
	sb_release(&x->val);
	free(x->coff);
	free(x->fields);
	free(x->xml_err);
	free(x->sheet);
	free(x->entry);
	free(src->where);
	free(src->desc);
	free(x);
}

struct row_source *xlsx_source_open(struct import_ctx *ic,
				    const struct import_file *f)
{
	struct xlsx_source *x = xcalloc(1, sizeof(*x));
	char **names, **rids, *sst, *styles, *msg;
	struct stat st;
	size_t k;

	x->ic = ic;
	x->f = f;
	x->header_rows = ic->o->header_rows ? (size_t)ic->o->header_rows : 1;
	if (ic->o->encoding) {
		die(QC_USAGE, "--encoding does not apply to the workbook '%s' "
			      "(a workbook's text is always Unicode)",
		    f->path);
	}
	if (ic->o->delimiter) {
		die(QC_USAGE, "--delimiter does not apply to the workbook '%s'",
		    f->path);
	}
	if (f->data) {
		x->file_size = f->datalen;
	} else if (stat(f->path, &st) == 0) {
		x->file_size = (size_t)st.st_size;
	}
	if (import_open_zip(&x->rz, f, &msg) != 0) {
		bad_workbook(x, msg);
	}
	read_workbook(x, &names, &rids);
	k = choose_sheet(x, names);
	x->sheet = xstrdup(names[k]);
	read_rels(x, rids[k], &x->entry, &sst, &styles);
	if (!x->entry) {
		die(QC_INPUT, "the workbook '%s' does not say where its sheet "
			      "'%s' is (relationship '%s')", f->path,
		    x->sheet, rids[k]);
	}
	free_strv(names);
	free_strv(rids);
	read_styles(x, styles);
	read_shared_strings(x, sst);
	free(sst);
	free(styles);
	read_merges(x);
	open_stream(x, x->entry);
	x->base.unit = "row";
	x->base.where = xasprintf("sheet '%s' of '%s'", x->sheet, f->path);
	x->base.desc = xstrdup(x->base.where);
	x->base.next = xlsx_next;
	x->base.consumed = xlsx_consumed;
	x->base.free = xlsx_free;
	return &x->base;
}

/* The importer of format "xlsx". */
void import_xlsx(struct import_ctx *ic, struct import_file *f)
{
	survey_check_opts(ic, f);
	survey_import(ic, f, xlsx_source_open(ic, f), "xlsx", 0);
}
