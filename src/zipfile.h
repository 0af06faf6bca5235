/*
 * zipfile.h - zip containers (.qdpx, .docx, .odt, .xlsx): reading an
 * archive held in memory or in a file with every entry checked first (no
 * path traversal, a size limit), telling which kind of document a zip is,
 * and writing one whose bytes depend only on its entries (fixed order and
 * timestamps).  Not "zip.h": that would shadow libzip's <zip.h>.
 */
#ifndef QCODE_ZIPFILE_H
#define QCODE_ZIPFILE_H

#include <stddef.h>

#include "xml.h"

/* Limits on what an archive may unpack to. */
#define REFI_ZIP_MAX_ENTRY ((size_t)256 << 20)
#define REFI_ZIP_MAX_TOTAL ((size_t)1 << 30)

/* An open archive. */
struct refi_zip {
	void *z;        /* zip_t */
	size_t n;       /* entries */
	char **names;   /* entry names, as stored */
	size_t *sizes;  /* uncompressed sizes */
	/* Open-addressing tables of entry index + 1 (0: empty), keyed by
	 * the exact name and by the folded name (case, '\\' as '/'), so
	 * finding an entry costs the same in an archive of 100,000
	 * sources as in one of ten.  cap is a power of two. */
	size_t *exact, *folded, cap;
};

/*
 * Open the archive in BUF[0..LEN) (BUF must outlive it).  Every entry name
 * is checked for path traversal ('..' components, absolute paths, drive
 * letters) and every size against the limits.  Returns 0; -1 when BUF is
 * no readable zip, -2 when an entry is refused; *MSG (malloc'd) says why.
 */
int refi_zip_open(struct refi_zip *rz, const char *buf, size_t len,
		  char **msg);
/* The same for the archive in the file PATH, read from the file as its
 * entries are read (the archive is not held in memory). */
int refi_zip_open_file(struct refi_zip *rz, const char *path, char **msg);
void refi_zip_close(struct refi_zip *rz);

/* The entry called NAME: exact, else ignoring case and '\\' versus '/'.
 * Returns its index, or -1. */
long refi_zip_find(const struct refi_zip *rz, const char *name);

/* Read entry I into *OUT (malloc'd, NUL-terminated) and *LEN.  Returns 0,
 * or -1 with *MSG (malloc'd). */
int refi_zip_read(const struct refi_zip *rz, long i, char **out, size_t *len,
		  char **msg);

/* Entry I read in pieces (not held in memory whole): refi_zip_stream_read
 * gives up to LEN bytes into BUF, 0 at the end, -1 when the entry is
 * damaged or longer than the archive declared (*MSG, malloc'd, says so in
 * refi_zip_read's words).  Returns NULL with *MSG when it cannot open. */
struct refi_zip_stream;
struct refi_zip_stream *refi_zip_stream_open(const struct refi_zip *rz,
					     long i, char **msg);
long refi_zip_stream_read(struct refi_zip_stream *zs, char *buf, size_t len,
			  char **msg);
void refi_zip_stream_close(struct refi_zip_stream *zs);

/* An XML entry read by a streaming reader as it is unpacked (rd first:
 * it is passed on as the reader).  Set zs with refi_zip_stream_open()
 * (zmsg: why not), then open rd with refi_zip_xml_read as its input. */
struct refi_zip_xml {
	struct refi_reader rd;
	struct refi_zip_stream *zs;
	char *zmsg; /* why the entry could not be read */
};
/* The reader's input callback over X's entry. */
long refi_zip_xml_read(void *x, char *buf, size_t len);
/* Read the rest of X's entry, so that a damaged one sets zmsg (it is
 * then reported as damaged even when the damage broke the XML first). */
void refi_zip_xml_drain(struct refi_zip_xml *x);
void refi_zip_xml_close(struct refi_zip_xml *x);

/* 1 when NAME could escape the folder it is unpacked into. */
int refi_zip_unsafe_name(const char *name);

/* An archive being written. */
struct refi_zipw {
	void *z;
	const char *path;
};

/* Create (or replace) the archive PATH.  Returns 0, or -1 with *MSG. */
int refi_zipw_open(struct refi_zipw *w, const char *path, char **msg);
/* Add entry NAME holding DATA[0..LEN) (taken over: freed by the writer),
 * deflated, with a fixed timestamp.  Returns 0, or -1 with *MSG. */
int refi_zipw_add(struct refi_zipw *w, const char *name, char *data,
		  size_t len, char **msg);
/* Write the archive out.  Returns 0, or -1 with *MSG (nothing written). */
int refi_zipw_close(struct refi_zipw *w, char **msg);
/* Give up: nothing is written. */
void refi_zipw_discard(struct refi_zipw *w);

/* What the zip archive RAW[0..RAWLEN) is, by the entries it holds:
 * "docx" (word/document.xml), "odt" (content.xml and an OpenDocument
 * text mimetype), "xlsx" (xl/workbook.xml), "qdpx" (project.qde, or no
 * readable zip: the qdpx importer reports why), or NULL when it is none
 * of these (import.c detects formats with it). */
const char *zipfile_kind(const char *raw, size_t rawlen);

#endif
