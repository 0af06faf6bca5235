/*
 * import.c - shared importer machinery: format table and detection,
 * reading and decoding files, de-duplication, and the store helpers.
 */
#include "import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "instream.h"
#include "sha256.h"
#include "text.h"
#include "util.h"
#include "zipfile.h"

/* Every importer, in detection order.  Importers add their row here. */
static const struct import_format formats[] = {
	{ "txt", ".txt .text", import_txt, 0, 0 },
	{ "md", ".md .markdown", import_md, 0, 0 },
	{ "vtt", ".vtt", import_vtt, 0, 0 },
	{ "srt", ".srt", import_srt, 0, 0 },
	{ "qdpx", ".qdpx", import_qdpx, FMT_ZIP, 0 },
	{ "qde", ".qde", import_qde, 1, 0 },
	{ "docx", ".docx", import_docx, FMT_ZIP, 0 },
	{ "odt", ".odt", import_odt, FMT_ZIP, 0 },
	{ "csv", ".csv", import_csv, 0, 1 },
	{ "tsv", ".tsv .tab", import_tsv, 0, 1 },
	{ "xlsx", ".xlsx", import_xlsx, FMT_ZIP, 1 },
	{ "turns", "", import_turns, 0, 0 }, /* by header: import_path() */
	{ NULL, NULL, NULL, 0, 0 },
};


const struct import_format *import_format_by_name(const char *name)
{
	for (size_t i = 0; formats[i].name; i++) {
		if (strcmp(formats[i].name, name) == 0) {
			return &formats[i];
		}
	}
	return NULL;
}

const char *import_format_list(void)
{
	static char list[256];
	size_t n = 0;

	list[0] = '\0';
	for (size_t i = 0; formats[i].name; i++) {
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      i ? ", " : "", formats[i].name);
		if (n >= sizeof(list)) {
			break;
		}
	}
	return list;
}

static int has_extension(const char *path, const char *exts)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!dot || (slash && dot < slash)) {
		return 0;
	}
	n = strlen(dot);
	for (const char *p = exts; *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncasecmp(p, dot, n) == 0) {
			return 1;
		}
		p += len;
		while (*p == ' ') {
			p++;
		}
	}
	return 0;
}

/* The format PATH's extension names, or NULL. */
static const struct import_format *by_extension(const char *path)
{
	for (size_t i = 0; formats[i].name; i++) {
		if (has_extension(path, formats[i].extensions)) {
			return &formats[i];
		}
	}
	return NULL;
}

const struct import_format *import_detect(const char *path, const char *raw,
					  size_t rawlen)
{
	const struct import_format *fmt = by_extension(path);

	if (fmt) {
		return fmt;
	}
	/* By content: a zip container (what it holds tells which), a
	 * WebVTT header. */
	if (rawlen >= 4 && memcmp(raw, "PK\x03\x04", 4) == 0) {
		const char *kind = zipfile_kind(raw, rawlen);

		return kind ? import_format_by_name(kind) : NULL;
	}
	if (rawlen >= 6 && (memcmp(raw, "WEBVTT", 6) == 0 ||
			    (rawlen >= 9 &&
			     memcmp(raw, "\xEF\xBB\xBFWEBVTT", 9) == 0))) {
		return import_format_by_name("vtt");
	}
	return import_format_by_name("txt");
}

/* When PATH (no extension qcode knows) is a kind of file qcode does not
 * read as a transcript, what it is and what to do, else NULL: read as
 * plain text, its markup would become the transcript and rules would
 * run over it. */
static const char *other_kind(const char *path, const char *raw,
			      size_t len)
{
	static const struct {
		const char *ext, *magic;
		size_t n;
		const char *what;
	} kinds[] = {
		{ ".rtf", "{\\rtf", 5, "a Rich Text (RTF) file; save it as "
					 ".docx or .txt" },
		{ ".pdf", "%PDF-", 5, "a PDF; save its text as .txt (or the "
				     "document as .docx)" },
		{ ".doc .xls .ppt", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8,
		  "an old Microsoft Office file (.doc, .xls); save it as "
		  ".docx or .xlsx" },
		{ ".qdc", NULL, 0, "a REFI-QDA codebook; load it with 'qcode "
				   "codebook load'" },
		{ ".json", NULL, 0, "a JSON file; qcode imports transcripts, "
				    "subtitles, surveys and projects (a JSON "
				    "codebook: 'qcode codebook load')" },
		{ ".xml .html .htm", NULL, 0, "an XML or HTML file; save its "
					     "text as .txt" },
		{ ".pages .key .numbers .zip .gz .7z .mp3 .mp4 .m4a .wav "
		  ".ogg .jpg .jpeg .png", NULL, 0, "not a text qcode reads "
						   "(an archive, sound, "
						   "video or image)" },
	};
	size_t skip = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (has_extension(path, kinds[i].ext) ||
		    (kinds[i].magic && len >= kinds[i].n &&
		     memcmp(raw, kinds[i].magic, kinds[i].n) == 0)) {
			return kinds[i].what;
		}
	}
	if ((len - skip >= 5 && (memcmp(raw + skip, "<?xml", 5) == 0 ||
				 strncasecmp(raw + skip, "<html", 5) == 0)) ||
	    (len - skip >= 9 && strncasecmp(raw + skip, "<!DOCTYPE", 9) == 0)) {
		return "an XML or HTML file; save its text as .txt";
	}
	return NULL;
}

/* The encoding name stored for ENCODING (--encoding, or NULL). */
static const char *encoding_name(const char *encoding)
{
	return encoding && strcasecmp(encoding, "utf-8") != 0 &&
			       strcasecmp(encoding, "utf8") != 0
		       ? encoding
		       : "utf-8";
}

/* F set up for PATH, read from DATA[0..LEN) when DATA is not NULL. */
static void file_init(struct import_file *f, const char *path,
		      const char *data, size_t len)
{
	const char *slash = strrchr(path, '/');

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->base = slash ? slash + 1 : path;
	f->data = data;
	f->datalen = len;
}

void import_open_text(struct instream *in, const struct import_file *f,
		      const char *encoding)
{
	if (f->data) {
		instream_open_mem(in, f->path, f->data, f->datalen, encoding,
				  0);
	} else {
		instream_open(in, f->path, encoding, 0);
	}
}

int import_open_zip(struct refi_zip *rz, const struct import_file *f,
		    char **msg)
{
	if (f->raw) {
		return refi_zip_open(rz, f->raw, f->rawlen, msg);
	}
	if (f->data) {
		return refi_zip_open(rz, f->data, f->datalen, msg);
	}
	return refi_zip_open_file(rz, f->path, msg);
}

/* Read F's text or bytes (F set up by file_init). */
static void read_file_in(struct import_file *f, const char *encoding,
			 int binary)
{
	struct instream in;

	if (binary) {
		if (f->data) {
			f->raw = xmalloc(f->datalen + 1);
			memcpy(f->raw, f->data, f->datalen);
			f->raw[f->datalen] = '\0';
			f->rawlen = f->datalen;
		} else if (read_file(f->path, &f->raw, &f->rawlen) != 0) {
			die(QC_INPUT, "cannot read '%s': %s", f->path,
			    strerror(errno));
		}
		f->encoding = "binary";
		sha256_hex(f->raw, f->rawlen, f->sha256);
		return;
	}
	f->encoding = encoding_name(encoding);
	import_open_text(&in, f, encoding);
	f->text = instream_slurp_open(&in, &f->len, f->sha256);
}

void import_read(struct import_file *f, const char *path,
		 const char *encoding, int binary)
{
	file_init(f, path, NULL, 0);
	read_file_in(f, encoding, binary);
}

void import_read_mem(struct import_file *f, const char *name,
		     const char *data, size_t len, const char *encoding,
		     int binary)
{
	file_init(f, name, data ? data : "", len);
	read_file_in(f, encoding, binary);
}

/* For a streamed format: check F's text (the same checks and messages)
 * and hash it into F without keeping it: F->text stays NULL. */
static void scan_text(struct import_file *f, const char *encoding)
{
	struct strbuf sb = STRBUF_INIT;
	struct instream in;

	f->encoding = encoding_name(encoding);
	import_open_text(&in, f, encoding);
	while (instream_read(&in, &sb) > 0) {
		sb_reset(&sb);
	}
	instream_sha256(&in, f->sha256);
	memcpy(f->text_sha, f->sha256, sizeof(f->text_sha));
	instream_close(&in);
	sb_release(&sb);
}

/* For a streamed binary format (.xlsx): hash F's bytes piece by piece;
 * F->text and F->raw stay NULL. */
static void scan_binary(struct import_file *f)
{
	char *buf;
	struct sha256 c;
	FILE *fp;
	size_t n;

	f->encoding = "binary";
	if (f->data) {
		sha256_hex(f->data, f->datalen, f->sha256);
		return;
	}
	fp = fopen(f->path, "rb");
	if (!fp) {
		die(QC_INPUT, "cannot read '%s': %s", f->path,
		    strerror(errno));
	}
	buf = xmalloc(1 << 16);
	sha256_init(&c);
	while ((n = fread(buf, 1, 1 << 16, fp)) > 0) {
		sha256_update(&c, buf, n);
	}
	if (ferror(fp)) {
		die(QC_INPUT, "cannot read '%s': %s", f->path,
		    strerror(errno));
	}
	fclose(fp);
	free(buf);
	sha256_final_hex(&c, f->sha256);
}

void import_file_release(struct import_file *f)
{
	free(f->raw);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

/* The statements of an import, from the project's cache (db_cached):
 * prepared once per project, so a context costs nothing to set up. */
struct stmts {
	sqlite3_stmt *case_get, *case_ins, *attr_get, *attr_ins, *cattr,
		*doc_ins, *seg_ins, *src_ins;
};

void import_ctx_init(struct import_ctx *ic, struct project *p,
		     const struct import_opts *o)
{
	struct stmts *s = xcalloc(1, sizeof(*s));

	memset(ic, 0, sizeof(*ic));
	ic->p = p;
	ic->o = o;
	ic->stmts = s;
	s->case_get = db_cached(p, "SELECT id FROM cases WHERE name = ?");
	s->case_ins = db_cached(p, "INSERT INTO cases(name) VALUES(?)");
	s->attr_get = db_cached(p, "SELECT id FROM attributes WHERE name = ?");
	s->attr_ins = db_cached(p, "INSERT INTO attributes(name) VALUES(?)");
	s->cattr = db_cached(
		p, "INSERT INTO case_attributes(case_id, attr_id, value) "
		   "VALUES(?, ?, ?) ON CONFLICT(case_id, attr_id) DO UPDATE "
		   "SET value = excluded.value WHERE value IS NOT "
		   "excluded.value");
	s->doc_ins = db_cached(
		p, "INSERT INTO documents(name, source_id, case_id, question, "
		   "format, text, chars, sha256, guid) "
		   "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
	s->seg_ins = db_cached(
		p, "INSERT INTO segments(doc_id, idx, start, end, kind, speaker, "
		   "time_start, time_end) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
	s->src_ins = db_cached(
		p, "INSERT INTO sources(path, sha256, format, encoding) "
		   "VALUES(?, ?, ?, ?)");
}

void import_ctx_release(struct import_ctx *ic)
{
	struct stmts *s = ic->stmts;

	if (!s) {
		return;
	}
	free(s);
	ic->stmts = NULL;
}

/* The id of NAME: inserted with INS (new names, the common case of an
 * import, cost one statement), else looked up with GET. */
static long long get_or_insert(struct import_ctx *ic, sqlite3_stmt *get,
			       sqlite3_stmt *ins, const char *name,
			       size_t *created)
{
	long long id = 0;

	db_bind_text(ic->p, ins, 1, name);
	if (db_insert_new(ic->p, ins)) {
		(*created)++;
		return sqlite3_last_insert_rowid(ic->p->db);
	}
	db_bind_text(ic->p, get, 1, name);
	if (db_step(ic->p, get)) {
		id = sqlite3_column_int64(get, 0);
	}
	sqlite3_reset(get);
	if (!id) {
		db_die(ic->p, "name neither new nor found");
	}
	return id;
}

long long import_case(struct import_ctx *ic, const char *name)
{
	struct stmts *s = ic->stmts;

	return get_or_insert(ic, s->case_get, s->case_ins, name,
			     &ic->stats.cases);
}

long long import_attribute(struct import_ctx *ic, const char *name)
{
	struct stmts *s = ic->stmts;

	return get_or_insert(ic, s->attr_get, s->attr_ins, name,
			     &ic->stats.attributes);
}

void import_case_attr(struct import_ctx *ic, long long case_id,
		      const char *attr, const char *value)
{
	import_case_attr_id(ic, case_id, import_attribute(ic, attr), value);
}

void import_case_attr_id(struct import_ctx *ic, long long case_id,
			 long long aid, const char *value)
{
	struct stmts *s = ic->stmts;

	sqlite3_bind_int64(s->cattr, 1, case_id);
	sqlite3_bind_int64(s->cattr, 2, aid);
	db_bind_text(ic->p, s->cattr, 3, value);
	db_run(ic->p, s->cattr);
}

long long import_document_new(struct import_ctx *ic, const char *name,
			      long long case_id, const char *question,
			      const char *format, const char *text, size_t len)
{
	struct stmts *s = ic->stmts;
	sqlite3_stmt *st = s->doc_ins;
	char sha[65];
	long long cache = 0;
	int ok;

	sha256_hex(text, len, sha);
	if (len >= IMPORT_LARGE_TEXT) {
		/* SQLite builds the row whole (a second copy of the text)
		 * and writes it into pages written once: they go to the
		 * write-ahead log as a small cache fills, instead of
		 * filling the usual 32 MiB of it (project.c). */
		cache = db_int(ic->p, 0, "PRAGMA cache_size");
		db_exec(ic->p, "PRAGMA cache_size=-2048");
	}
	db_bind_text(ic->p, st, 1, name);
	if (ic->source_id) {
		sqlite3_bind_int64(st, 2, ic->source_id);
	}
	if (case_id) {
		sqlite3_bind_int64(st, 3, case_id);
	}
	db_bind_text(ic->p, st, 4, question);
	db_bind_text(ic->p, st, 5, format);
	if (sqlite3_bind_text(st, 6, text, (int)len, SQLITE_STATIC) !=
	    SQLITE_OK) {
		db_die(ic->p, "bind");
	}
	sqlite3_bind_int64(st, 7, (long long)utf8_count(text, len));
	db_bind_text(ic->p, st, 8, sha);
	/* In the row as it goes in: an UPDATE later would copy a large
	 * text three times over. */
	db_bind_text(ic->p, st, 9, ic->doc_guid);
	/* documents.name is the table's only UNIQUE column. */
	ok = db_insert_new(ic->p, st);
	if (cache) {
		char *sql = sqlite3_mprintf("PRAGMA cache_size=%lld", cache);

		db_exec(ic->p, sql);
		sqlite3_free(sql);
	}
	if (!ok) {
		return 0;
	}
	ic->stats.documents++;
	return sqlite3_last_insert_rowid(ic->p->db);
}

long long import_document(struct import_ctx *ic, const char *name,
			  long long case_id, const char *question,
			  const char *format, const char *text, size_t len)
{
	long long id = import_document_new(ic, name, case_id, question, format,
					   text, len);

	if (!id) {
		die(QC_INPUT, "a document named '%s' is already in the "
			      "project; give another name with --name",
		    name);
	}
	return id;
}

void import_segment(struct import_ctx *ic, long long doc, long idx,
		    size_t start, size_t end, const char *kind,
		    const char *speaker, long long t0, long long t1)
{
	struct stmts *s = ic->stmts;
	sqlite3_stmt *st = s->seg_ins;

	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_int64(st, 2, idx);
	sqlite3_bind_int64(st, 3, (long long)start);
	sqlite3_bind_int64(st, 4, (long long)end);
	db_bind_text(ic->p, st, 5, kind);
	db_bind_text(ic->p, st, 6, speaker);
	if (t0 >= 0) {
		sqlite3_bind_int64(st, 7, t0);
	}
	if (t1 >= 0) {
		sqlite3_bind_int64(st, 8, t1);
	}
	db_run(ic->p, st);
	ic->stats.segments++;
}

void import_segments(struct import_ctx *ic, long long doc, const char *text,
		     size_t len, const struct segments *s)
{
	struct offmap m;

	offmap_init(&m, text, len);
	for (size_t i = 0; i < s->n; i++) {
		const struct segment *g = &s->v[i];

		import_segment(ic, doc, (long)i + 1, offmap_cp(&m, g->start),
			       offmap_cp(&m, g->end), g->kind, g->speaker,
			       g->t0, g->t1);
	}
	offmap_release(&m);
}

const char *import_doc_name(struct import_ctx *ic, const struct import_file *f)
{
	return ic->o->name ? ic->o->name : f->base;
}

long long import_doc_case(struct import_ctx *ic)
{
	return ic->o->case_name ? import_case(ic, ic->o->case_name) : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A survey table is imported again when other columns are asked for:
 * mix the id column and the (sorted) text columns into its content hash
 * SHA, the key sources.sha256 keeps. */
static void table_key(const struct import_opts *o, char sha[65])
{
	size_t n = strv_len(o->text_columns);
	char **cols = xcalloc(n + 1, sizeof(*cols));
	struct sha256 c;

	if (n > 0) {
		memcpy(cols, o->text_columns, n * sizeof(*cols));
	}
	qsort(cols, n, sizeof(*cols), cmp_str);
	sha256_init(&c);
	sha256_update(&c, "qcode table", 12);
	sha256_update(&c, sha, 65);
	sha256_update(&c, o->id_column ? o->id_column : "",
		      strlen(o->id_column ? o->id_column : "") + 1);
	for (size_t i = 0; i < n; i++) {
		sha256_update(&c, cols[i], strlen(cols[i]) + 1);
	}
	/* Another sheet, or other header rows, read other data (mixed in
	 * only when given: keys of earlier imports stay as they were). */
	if (o->sheet) {
		sha256_update(&c, "sheet", 6);
		sha256_update(&c, o->sheet, strlen(o->sheet) + 1);
	}
	if (o->header_rows) {
		char h[32];

		snprintf(h, sizeof(h), "header-rows %ld", o->header_rows);
		sha256_update(&c, h, strlen(h) + 1);
	}
	sha256_final_hex(&c, sha);
	free(cols);
}

/* Whether the table F (a survey format by its extension) starts with
 * the header of a table of turns: its first piece is read; *DESC as
 * import_turns_detect() gives it. */
static int turns_header(struct import_ctx *ic, const struct import_file *f,
			char **desc)
{
	struct strbuf sb = STRBUF_INIT;
	struct instream in;
	int yes;

	import_open_text(&in, f, ic->o->encoding);
	instream_read(&in, &sb);
	instream_close(&in);
	yes = import_turns_detect(f->path, sb_str(&sb), sb.len,
				  ic->o->delimiter, desc);
	sb_release(&sb);
	return yes;
}

/* Say that PATH is read as a table of turns, as its header *DESC
 * (freed; NULL: nothing to say) reads, so that a survey taken for a transcript is noticed. */
static void turns_notice(const char *path, char **desc)
{
	if (*desc) {
		notice("read '%s' as a table of turns: %s (--text-columns "
		       "reads it as a survey)", path, *desc);
	}
	free(*desc);
	*desc = NULL;
}

/* Import PATH, or the bytes DATA[0..LEN) named PATH when DATA is not
 * NULL. */
static void import_source(struct import_ctx *ic, const char *path,
			  const char *data, size_t len)
{
	const struct import_format *fmt = NULL;
	struct import_file f;
	struct stmts *s = ic->stmts;
	int binary, detect_turns;
	char *turns_desc = NULL;
	const char *plain_why = NULL;

	if (ic->o->format) {
		fmt = import_format_by_name(ic->o->format);
		if (!fmt) {
			die(QC_USAGE, "unknown import format '%s' (choose "
				      "from: %s)", ic->o->format,
			    import_format_list());
		}
	}
	if (!fmt) {
		fmt = by_extension(path);
	}
	/* Else detection needs the raw bytes; zip containers stay binary. */
	if (!fmt) {
		char *raw = NULL;
		size_t rawlen = len;

		if (!data && read_file(path, &raw, &rawlen) != 0) {
			die(QC_INPUT, "cannot read '%s': %s", path,
			    strerror(errno));
		}
		fmt = import_detect(path, data ? data : raw, rawlen);
		if (fmt && strcmp(fmt->name, "txt") == 0) {
			const char *what = other_kind(path, data ? data : raw,
						      rawlen);
			const char *slash = strrchr(path, '/');
			const char *dot = strrchr(slash ? slash + 1 : path,
						  '.');

			if (what) {
				die(QC_INPUT, "'%s' is %s; '--format txt' reads "
					      "it as plain text all the same",
				    path, what);
			}
			/* Said once it is known not to be a table of
			 * turns (below). */
			plain_why = dot ? "its extension is not one qcode knows"
					: "it has no extension";
		}
		free(raw);
		if (!fmt && rawlen >= 4) {
			die(QC_INPUT, "'%s' is a zip archive but not a Word "
				      "document (word/document.xml), an "
				      "OpenDocument text (content.xml), an "
				      "Excel workbook (xl/workbook.xml) or a "
				      "REFI-QDA project (project.qde)", path);
		}
		if (!fmt) {
			die(QC_INPUT, "cannot tell the format of '%s'; name it "
				      "with --format (one of: %s)",
			    path, import_format_list());
		}
	}
	/* A table of turns is told by its header; a survey import names
	 * its --text-columns. */
	detect_turns = !ic->o->format && strv_len(ic->o->text_columns) == 0;
	file_init(&f, path, data, len);
	if (detect_turns && fmt->streamed &&
	    turns_header(ic, &f, &turns_desc)) {
		fmt = import_format_by_name("turns");
		turns_notice(path, &turns_desc);
	}
	binary = fmt->binary;
	if (fmt->streamed && binary) {
		scan_binary(&f);
		table_key(ic->o, f.sha256);
	} else if (fmt->streamed) {
		scan_text(&f, ic->o->encoding);
		table_key(ic->o, f.sha256);
	} else if (binary == FMT_ZIP) {
		/* Hashed piece by piece: the importer reads the archive
		 * from the file, entry by entry (issue 9, memory). */
		scan_binary(&f);
	} else {
		read_file_in(&f, ic->o->encoding, binary);
		if (detect_turns && fmt->fn == import_txt &&
		    import_turns_detect(path, f.text, f.len,
					ic->o->delimiter, &turns_desc)) {
			fmt = import_format_by_name("turns");
			turns_notice(path, &turns_desc);
		}
	}
	if (plain_why && fmt->fn == import_txt) {
		notice("read '%s' as plain text (%s); '--format' names "
		       "another format", path, plain_why);
	}
	ic->stats.files++;
	if (db_int(ic->p, 0, "SELECT id FROM sources WHERE sha256 = %Q",
		   f.sha256)) {
		notice("'%s' is already in the project (same content%s); "
		       "skipped%s", path,
		       fmt->streamed ? ", same --id-column and --text-columns"
				     : "",
		       fmt->streamed && ic->o->missing && ic->o->missing[0]
			       ? " (other --missing values do not make it "
				 "new: 'qcode undo' its import first, then "
				 "import it with them)"
			       : "");
		ic->stats.skipped++;
		import_file_release(&f);
		return;
	}
	db_bind_text(ic->p, s->src_ins, 1, path);
	db_bind_text(ic->p, s->src_ins, 2, f.sha256);
	db_bind_text(ic->p, s->src_ins, 3, fmt->name);
	db_bind_text(ic->p, s->src_ins, 4, f.encoding);
	db_run(ic->p, s->src_ins);
	ic->source_id = sqlite3_last_insert_rowid(ic->p->db);
	fmt->fn(ic, &f);
	ic->source_id = 0;
	import_file_release(&f);
}

void import_path(struct import_ctx *ic, const char *path)
{
	import_source(ic, path, NULL, 0);
}

void import_buffer(struct import_ctx *ic, const char *name, const char *data,
		   size_t len)
{
	import_source(ic, name, data ? data : "", len);
}
