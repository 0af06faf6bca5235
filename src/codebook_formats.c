/*
 * codebook_formats.c - the table of codebook file formats
 * (codebook_formats.h).
 */
#include "codebook_formats.h"

#include <string.h>
#include <strings.h>

#include "util.h"

static int read_md(struct codebook *cb, struct refi_sets *sets,
		   const char *path, struct cb_error *err)
{
	return codebook_read_md(cb, path, err);
}

static int read_csv(struct codebook *cb, struct refi_sets *sets,
		    const char *path, struct cb_error *err)
{
	return codebook_read_csv(cb, path, err);
}

static int read_json(struct codebook *cb, struct refi_sets *sets,
		     const char *path, struct cb_error *err)
{
	return codebook_read_json(cb, path, err);
}

static int read_md_mem(struct codebook *cb, struct refi_sets *sets,
		       const char *name, const char *data, size_t len,
		       struct cb_error *err)
{
	return codebook_read_md_mem(cb, name, data, len, err);
}

static int read_csv_mem(struct codebook *cb, struct refi_sets *sets,
			const char *name, const char *data, size_t len,
			struct cb_error *err)
{
	return codebook_read_csv_mem(cb, name, data, len, err);
}

static int read_json_mem(struct codebook *cb, struct refi_sets *sets,
			 const char *name, const char *data, size_t len,
			 struct cb_error *err)
{
	return codebook_read_json_mem(cb, name, data, len, err);
}

static void write_md(const struct codebook *cb, const struct refi_sets *sets,
		     FILE *out)
{
	codebook_write_md(cb, out);
}

static void write_csv(const struct codebook *cb,
		      const struct refi_sets *sets, FILE *out)
{
	codebook_write_csv(cb, out);
}

static void write_json(const struct codebook *cb,
		       const struct refi_sets *sets, FILE *out)
{
	codebook_write_json(cb, out);
}

static const char *const md_ext[] = { ".md", ".markdown", ".txt", NULL };
static const char *const csv_ext[] = { ".csv", NULL };
static const char *const json_ext[] = { ".json", NULL };
static const char *const qdc_ext[] = { ".qdc", NULL };

static const struct codebook_format formats[] = {
	{ "md", md_ext, 0, 0, read_md, read_md_mem, write_md },
	{ "csv", csv_ext, 0, 0, read_csv, read_csv_mem, write_csv },
	{ "json", json_ext, 0, 0, read_json, read_json_mem, write_json },
	{ "qdc", qdc_ext, 1, 1, refi_qdc_read, refi_qdc_parse,
	  refi_qdc_write },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const struct codebook_format *codebook_format_named(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++) {
		if (strcmp(formats[i].name, name) == 0) {
			return &formats[i];
		}
	}
	return NULL;
}

const char *path_extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');

	if (!dot || (slash && dot < slash) || dot == path ||
	    (slash && dot == slash + 1)) {
		return "";
	}
	return dot;
}

const struct codebook_format *codebook_format_of(const char *path)
{
	const char *ext = path_extension(path);

	for (size_t i = 0; *ext && i < NFORMATS; i++) {
		for (const char *const *e = formats[i].extensions; *e; e++) {
			if (strcasecmp(ext, *e) == 0) {
				return &formats[i];
			}
		}
	}
	return NULL;
}

/* cb_error_release() for die_after(). */
static void error_release_cb(void *err)
{
	cb_error_release(err);
}

void codebook_format_read(const struct codebook_format *fmt,
			  const char *file, struct codebook *cb,
			  struct refi_sets *sets)
{
	struct cb_error err;

	if (!fmt) {
		fmt = codebook_format_of(file);
	}
	if (!fmt) {
		codebook_release(cb);
		refi_sets_release(sets);
		die(QC_INPUT, "cannot tell the codebook format of '%s'; name "
			      "a Markdown (.md), REFI-QDA (.qdc), or CSV or "
			      "JSON file as 'qcode codebook export' writes",
		    file);
	}
	cb_error_init(&err);
	if (fmt->read(cb, sets, file, &err) != 0) {
		codebook_release(cb);
		refi_sets_release(sets);
		die_after(QC_INPUT, error_release_cb, &err, "%s", err.msg);
	}
	cb_error_release(&err);
}
