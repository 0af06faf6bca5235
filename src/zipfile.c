/*
 * zipfile.c - checked reading and reproducible writing of zip containers
 * (.qdpx, .docx, .odt, .xlsx), and what kind of document a zip holds.
 */
#include "zipfile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zip.h>

#include "util.h"

int refi_zip_unsafe_name(const char *name)
{
	const char *p = name;

	if (name[0] == '/' || name[0] == '\\' ||
	    (name[0] && name[1] == ':')) {
		return 1;
	}
	while (*p) {
		size_t n = strcspn(p, "/\\");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			return 1;
		}
		p += n;
		if (*p) {
			p++;
		}
	}
	return 0;
}

/* The message of ZE (malloc'd); ZE is released. */
static char *zip_message(zip_error_t *ze)
{
	char *m = xstrdup(zip_error_strerror(ze));

	zip_error_fini(ze);
	return m;
}

static void index_names(struct refi_zip *rz);

/* Open the archive from SRC (taken over) into RZ and check its entries
 * (see refi_zip_open()). */
static int open_source(struct refi_zip *rz, zip_source_t *src, char **msg)
{
	zip_error_t ze;
	zip_t *z;
	zip_int64_t n;
	size_t total = 0;

	zip_error_init(&ze);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		zip_source_free(src);
		if (zip_error_code_zip(&ze) == ZIP_ER_NOZIP) {
			*msg = xstrdup("not a zip archive");
		} else {
			*msg = xasprintf("cannot open the zip archive (%s)",
					 zip_error_strerror(&ze));
		}
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	rz->z = z;
	n = zip_get_num_entries(z, 0);
	rz->n = n > 0 ? (size_t)n : 0;
	rz->names = xcalloc(rz->n + 1, sizeof(char *));
	rz->sizes = xcalloc(rz->n + 1, sizeof(size_t));
	for (size_t i = 0; i < rz->n; i++) {
		zip_stat_t st;
		const char *name;

		zip_stat_init(&st);
		if (zip_stat_index(z, i, 0, &st) != 0 ||
		    !(st.valid & ZIP_STAT_NAME) ||
		    !(st.valid & ZIP_STAT_SIZE)) {
			*msg = xasprintf("cannot read entry %zu of the archive "
					 "(%s)", i, zip_strerror(z));
			goto fail;
		}
		name = st.name;
		rz->names[i] = xstrdup(name);
		if (refi_zip_unsafe_name(name)) {
			*msg = xasprintf("unsafe entry '%s' (a path outside "
					 "the archive); refusing the file",
					 name);
			goto fail;
		}
		if (st.size > REFI_ZIP_MAX_ENTRY) {
			*msg = xasprintf("entry '%s' is too large (%llu bytes "
					 "unpacked; the limit is %zu)", name,
					 (unsigned long long)st.size,
					 REFI_ZIP_MAX_ENTRY);
			goto fail;
		}
		rz->sizes[i] = (size_t)st.size;
		total += (size_t)st.size;
		if (total > REFI_ZIP_MAX_TOTAL) {
			*msg = xasprintf("the archive unpacks to more than %zu "
					 "bytes; refusing it",
					 REFI_ZIP_MAX_TOTAL);
			goto fail;
		}
	}
	index_names(rz);
	return 0;
fail:
	refi_zip_close(rz);
	return -2;
}

int refi_zip_open(struct refi_zip *rz, const char *buf, size_t len,
		  char **msg)
{
	zip_error_t ze;
	zip_source_t *src;

	memset(rz, 0, sizeof(*rz));
	*msg = NULL;
	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (!src) {
		*msg = zip_message(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	return open_source(rz, src, msg);
}

int refi_zip_open_file(struct refi_zip *rz, const char *path, char **msg)
{
	zip_error_t ze;
	zip_source_t *src;

	memset(rz, 0, sizeof(*rz));
	*msg = NULL;
	zip_error_init(&ze);
	src = zip_source_file_create(path, 0, -1, &ze);
	if (!src) {
		*msg = zip_message(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	return open_source(rz, src, msg);
}

void refi_zip_close(struct refi_zip *rz)
{
	if (rz->z) {
		zip_discard(rz->z);
	}
	for (size_t i = 0; rz->names && i < rz->n; i++) {
		free(rz->names[i]);
	}
	free(rz->names);
	free(rz->sizes);
	free(rz->exact);
	free(rz->folded);
	memset(rz, 0, sizeof(*rz));
}

/* Compare entry names ignoring case, with '\\' equal to '/'. */
/* One byte of a name as compared ignoring case, '\\' taken as '/'. */
static int fold(int c)
{
	if (c == '\\') {
		return '/';
	}
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (fold((unsigned char)*a) != fold((unsigned char)*b)) {
			return 0;
		}
	}
	return *a == *b;
}

/* FNV-1a of NAME, folded when FOLDED. */
static size_t name_hash(const char *name, int folded)
{
	size_t h = 14695981039346656037u;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		h ^= (size_t)(folded ? fold(*c) : *c);
		h *= 1099511628211u;
	}
	return h;
}

/* The slot of NAME in TAB (exact or FOLDED comparison): the one holding
 * it, or the empty one where it would go. */
static size_t *name_slot(const struct refi_zip *rz, size_t *tab,
			 const char *name, int folded)
{
	size_t i = name_hash(name, folded) & (rz->cap - 1);

	while (tab[i]) {
		const char *have = rz->names[tab[i] - 1];

		if (folded ? name_eq(have, name) : strcmp(have, name) == 0) {
			break;
		}
		i = (i + 1) & (rz->cap - 1);
	}
	return &tab[i];
}

/* Fill both tables; the first entry of a name wins, as a scan would. */
static void index_names(struct refi_zip *rz)
{
	rz->cap = 16;
	while (rz->cap < 2 * rz->n) {
		rz->cap *= 2;
	}
	rz->exact = xcalloc(rz->cap, sizeof(size_t));
	rz->folded = xcalloc(rz->cap, sizeof(size_t));
	for (size_t i = 0; i < rz->n; i++) {
		size_t *e = name_slot(rz, rz->exact, rz->names[i], 0);
		size_t *f = name_slot(rz, rz->folded, rz->names[i], 1);

		if (!*e) {
			*e = i + 1;
		}
		if (!*f) {
			*f = i + 1;
		}
	}
}

long refi_zip_find(const struct refi_zip *rz, const char *name)
{
	size_t i;

	if (!rz->cap) {
		return -1;
	}
	i = *name_slot(rz, rz->exact, name, 0);
	if (!i) {
		i = *name_slot(rz, rz->folded, name, 1);
	}
	return (long)i - 1;
}

int refi_zip_read(const struct refi_zip *rz, long i, char **out, size_t *len,
		  char **msg)
{
	size_t size = rz->sizes[i], got = 0;
	zip_file_t *zf = zip_fopen_index(rz->z, (zip_uint64_t)i, 0);
	char *buf, extra;

	*out = NULL;
	*len = 0;
	if (!zf) {
		*msg = xasprintf("cannot open entry '%s' (%s)", rz->names[i],
				 zip_strerror(rz->z));
		return -1;
	}
	buf = xmalloc(size + 1);
	while (got < size) {
		zip_int64_t r = zip_fread(zf, buf + got, size - got);

		if (r <= 0) {
			break;
		}
		got += (size_t)r;
	}
	/* Never more than the size the archive declared. */
	if (got != size || zip_fread(zf, &extra, 1) != 0) {
		*msg = xasprintf("entry '%s' is damaged (%s)", rz->names[i],
				 zip_file_strerror(zf));
		zip_fclose(zf);
		free(buf);
		return -1;
	}
	zip_fclose(zf);
	buf[size] = '\0';
	*out = buf;
	*len = size;
	return 0;
}

struct refi_zip_stream {
	zip_file_t *zf;
	const char *name;
	size_t size, got;
};

struct refi_zip_stream *refi_zip_stream_open(const struct refi_zip *rz,
					     long i, char **msg)
{
	zip_file_t *zf = zip_fopen_index(rz->z, (zip_uint64_t)i, 0);
	struct refi_zip_stream *zs;

	if (!zf) {
		*msg = xasprintf("cannot open entry '%s' (%s)", rz->names[i],
				 zip_strerror(rz->z));
		return NULL;
	}
	zs = xcalloc(1, sizeof(*zs));
	zs->zf = zf;
	zs->name = rz->names[i];
	zs->size = rz->sizes[i];
	return zs;
}

long refi_zip_stream_read(struct refi_zip_stream *zs, char *buf, size_t len,
			  char **msg)
{
	zip_int64_t r;
	char extra;

	if (len > zs->size - zs->got) {
		len = zs->size - zs->got;
	}
	r = len ? zip_fread(zs->zf, buf, len) : 0;
	if (r > 0) {
		zs->got += (size_t)r;
		return (long)r;
	}
	/* Never more than the size the archive declared. */
	if (r < 0 || zs->got != zs->size || zip_fread(zs->zf, &extra, 1) != 0) {
		*msg = xasprintf("entry '%s' is damaged (%s)", zs->name,
				 zip_file_strerror(zs->zf));
		return -1;
	}
	return 0;
}

void refi_zip_stream_close(struct refi_zip_stream *zs)
{
	if (zs) {
		zip_fclose(zs->zf);
		free(zs);
	}
}

int refi_zipw_open(struct refi_zipw *w, const char *path, char **msg)
{
	int err = 0;

	w->path = path;
	w->z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!w->z) {
		zip_error_t ze;

		zip_error_init_with_code(&ze, err);
		*msg = zip_message(&ze);
		return -1;
	}
	return 0;
}

/* Noon of 1980-01-01 local time (the first day a zip can record): the
 * same bytes in every time zone. */
static time_t fixed_mtime(void)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 80;
	tm.tm_mon = 0;
	tm.tm_mday = 1;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int refi_zipw_add(struct refi_zipw *w, const char *name, char *data,
		  size_t len, char **msg)
{
	zip_source_t *src;
	zip_int64_t idx;

	/* libzip does not take (or free) the buffer of an empty entry. */
	if (!len) {
		free(data);
		data = NULL;
	}
	src = zip_source_buffer(w->z, data, len, data != NULL);

	if (!src) {
		free(data);
		*msg = xstrdup(zip_strerror(w->z));
		return -1;
	}
	idx = zip_file_add(w->z, name, src, ZIP_FL_ENC_UTF_8 |
			   ZIP_FL_OVERWRITE);
	if (idx < 0) {
		zip_source_free(src);
		*msg = xstrdup(zip_strerror(w->z));
		return -1;
	}
	if (zip_file_set_mtime(w->z, (zip_uint64_t)idx, fixed_mtime(), 0) ||
	    zip_set_file_compression(w->z, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
				     9) ||
	    zip_file_set_external_attributes(w->z, (zip_uint64_t)idx, 0,
					     ZIP_OPSYS_UNIX,
					     (zip_uint32_t)0100644 << 16)) {
		*msg = xstrdup(zip_strerror(w->z));
		return -1;
	}
	return 0;
}

int refi_zipw_close(struct refi_zipw *w, char **msg)
{
	if (zip_close(w->z) != 0) {
		*msg = xstrdup(zip_strerror(w->z));
		zip_discard(w->z);
		w->z = NULL;
		return -1;
	}
	w->z = NULL;
	return 0;
}

void refi_zipw_discard(struct refi_zipw *w)
{
	if (w->z) {
		zip_discard(w->z);
		w->z = NULL;
	}
}

const char *zipfile_kind(const char *raw, size_t rawlen)
{
	struct refi_zip rz;
	const char *kind = NULL;
	char *msg;
	long i;

	if (refi_zip_open(&rz, raw, rawlen, &msg) != 0) {
		free(msg);
		return "qdpx"; /* its importer says what is wrong */
	}
	if (refi_zip_find(&rz, "word/document.xml") >= 0) {
		kind = "docx";
	} else if (refi_zip_find(&rz, "project.qde") >= 0) {
		kind = "qdpx";
	} else if (refi_zip_find(&rz, "xl/workbook.xml") >= 0) {
		kind = "xlsx";
	} else if (refi_zip_find(&rz, "content.xml") >= 0 &&
		   (i = refi_zip_find(&rz, "mimetype")) >= 0) {
		static const char odt[] =
			"application/vnd.oasis.opendocument.text";
		char *mt;
		size_t len;

		if (refi_zip_read(&rz, i, &mt, &len, &msg) != 0) {
			free(msg);
		} else {
			if (len >= sizeof(odt) - 1 &&
			    memcmp(mt, odt, sizeof(odt) - 1) == 0 &&
			    (len == sizeof(odt) - 1 ||
			     mt[sizeof(odt) - 1] == '\n' ||
			     mt[sizeof(odt) - 1] == '\r')) {
				kind = "odt";
			}
			free(mt);
		}
	}
	refi_zip_close(&rz);
	return kind;
}

long refi_zip_xml_read(void *ctx, char *buf, size_t len)
{
	struct refi_zip_xml *x = ctx;

	return x->zmsg ? -1 : refi_zip_stream_read(x->zs, buf, len, &x->zmsg);
}

void refi_zip_xml_drain(struct refi_zip_xml *x)
{
	char *buf;

	if (!x->zs || x->zmsg) {
		return;
	}
	buf = xmalloc(1 << 16);
	while (refi_zip_stream_read(x->zs, buf, 1 << 16, &x->zmsg) > 0) {
	}
	free(buf);
}

void refi_zip_xml_close(struct refi_zip_xml *x)
{
	refi_reader_close(&x->rd);
	refi_zip_stream_close(x->zs);
	free(x->zmsg);
	memset(x, 0, sizeof(*x));
}
