/*
 * import_formats.c - the importers by format: the table (name,
 * extensions, importer), detection by extension and content, and
 * import_path(), which reads a file, skips it when its content is in the
 * project already, and runs its importer.
 */
#include "import_formats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "instream.h"
#include "sha256.h"
#include "util.h"
#include "zipfile.h"

/* Every importer, in detection order.  Importers add their row here. */
static const struct import_format formats[] = {
	{ "txt", ".txt .text", import_txt, 0, 0 },
	{ "md", ".md .markdown", import_md, 0, 0 },
	{ "vtt", ".vtt", import_vtt, 0, 0 },
	{ "srt", ".srt", import_srt, 0, 0 },
	{ "qdpx", ".qdpx", import_qdpx, 1, 0 },
	{ "qde", ".qde", import_qde, 1, 0 },
	{ "docx", ".docx", import_docx, 1, 0 },
	{ "odt", ".odt", import_odt, 1, 0 },
	{ "csv", ".csv", import_csv, 0, 1 },
	{ "tsv", ".tsv .tab", import_tsv, 0, 1 },
	{ "xlsx", ".xlsx", import_xlsx, 1, 1 },
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

/* Whether the table PATH (a survey format by its extension) starts
 * with the header of a table of turns: its first piece is read. */
static int turns_header(struct import_ctx *ic, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct instream in;
	int yes;

	instream_open(&in, path, ic->o->encoding, 0);
	instream_read(&in, &sb);
	instream_close(&in);
	yes = import_turns_detect(path, sb_str(&sb), sb.len,
				  ic->o->delimiter);
	sb_release(&sb);
	return yes;
}

void import_path(struct import_ctx *ic, const char *path)
{
	const struct import_format *fmt = NULL;
	struct import_file f;
	int binary, detect_turns;

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
		char *raw;
		size_t rawlen;

		if (read_file(path, &raw, &rawlen) != 0) {
			die(QC_INPUT, "cannot read '%s': %s", path,
			    strerror(errno));
		}
		fmt = import_detect(path, raw, rawlen);
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
	if (detect_turns && fmt->streamed && turns_header(ic, path)) {
		fmt = import_format_by_name("turns");
	}
	binary = fmt->binary;
	if (fmt->streamed && binary) {
		import_scan_binary(&f, path);
		table_key(ic->o, f.sha256);
	} else if (fmt->streamed) {
		import_scan(&f, path, ic->o->encoding);
		table_key(ic->o, f.sha256);
	} else {
		import_read(&f, path, ic->o->encoding, binary);
		if (detect_turns && fmt->fn == import_txt &&
		    import_turns_detect(path, f.text, f.len,
					ic->o->delimiter)) {
			fmt = import_format_by_name("turns");
		}
	}
	ic->stats.files++;
	if (db_int(ic->p, 0, "SELECT id FROM sources WHERE sha256 = %Q",
		   f.sha256)) {
		notice("'%s' is already in the project (same content%s); "
		       "skipped", path,
		       fmt->streamed ? ", same --id-column and --text-columns"
				     : "");
		ic->stats.skipped++;
		import_file_release(&f);
		return;
	}
	import_source(ic, path, &f, fmt->name);
	fmt->fn(ic, &f);
	ic->source_id = 0;
	import_file_release(&f);
}
