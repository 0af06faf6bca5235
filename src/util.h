/*
 * util.h - error reporting, exit codes, allocation wrappers, string buffers.
 *
 * Every module reports through die()/error()/warn() so that messages share
 * one shape ("qcode: what went wrong, 'subject' at place") and a fatal error
 * always rolls back the open project transaction before the process exits.
 */
#ifndef QCODE_UTIL_H
#define QCODE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes: documented in README.md. Never reuse a retired number. */
enum qc_exit {
	QC_OK = 0,        /* success */
	QC_FAIL = 1,      /* ran, found problems or nothing to do (validate, undo) */
	QC_USAGE = 2,     /* bad command line */
	QC_INPUT = 3,     /* bad input file: missing, unreadable, malformed */
	QC_PROJECT = 4,   /* project missing, newer, corrupt, or SQLite error */
	QC_OUTPUT = 5,    /* output could not be written */
	QC_NOTFOUND = 6,  /* a named document, case, code or coding is absent */
	QC_INTERNAL = 70  /* a bug in qcode */
};

#define QC_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Print "qcode: MSG" to stderr, run the fatal hook, exit with CODE. */
_Noreturn void die(int code, const char *fmt, ...) QC_PRINTF(2, 3);
/* A bad environment variable ($QCODE_THREADS, $SOURCE_DATE_EPOCH): a
 * usage error (QC_USAGE) but not a command-line mistake, so die()
 * without the command's short usage. */
_Noreturn void die_env(const char *fmt, ...) QC_PRINTF(1, 2);
/* die() that runs CLEANUP(ARG) after the message is formatted and before
 * the fatal hook, so the message may quote what CLEANUP frees (an SQLite
 * error, a reader's error record, a malloc'd message: CLEANUP free) and
 * nothing is left allocated when the hook does not exit (qcode serve,
 * the fuzz harnesses). */
_Noreturn void die_after(int code, void (*cleanup)(void *), void *arg,
			 const char *fmt, ...) QC_PRINTF(4, 5);
/* Print "qcode: MSG" to stderr and return -1. */
int error(const char *fmt, ...) QC_PRINTF(1, 2);
/* Print "qcode: warning: MSG" to stderr. */
void warn(const char *fmt, ...) QC_PRINTF(1, 2);
/* Print "qcode: MSG" to stderr (a notice, not a problem). */
void notice(const char *fmt, ...) QC_PRINTF(1, 2);

/* Called by die() before exiting (the project rolls back and closes). */
void util_set_fatal_hook(void (*hook)(void));
/* Called by die(QC_USAGE, ...) after the fatal hook (cli.c: the
 * command's short usage). */
void util_set_usage_hook(void (*hook)(void));
/* The message of the last die() (without "qcode: "), for a fatal hook
 * that does not exit (the web server turns it into an error reply). */
const char *util_fatal_message(void);

/* Allocation wrappers: die with QC_INTERNAL on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it with free(). */
char *xasprintf(const char *fmt, ...) QC_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) QC_PRINTF(1, 0);

/* A growable byte buffer, always NUL-terminated. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) QC_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	QC_PRINTF(2, 0);
/* Hand the buffer to the caller (free() it); sb is reset. */
char *sb_detach(struct strbuf *sb, size_t *len);
/* Return a pointer to the contents ("" when empty). */
const char *sb_str(const struct strbuf *sb);

/* Read a whole file; returns 0, or -1 with errno set. Caller frees *out. */
int read_file(const char *path, char **out, size_t *len);

/* Split S at SEP into a NULL-terminated array of trimmed, non-empty parts.
 * Free with free_strv(). */
char **split_list(const char *s, char sep);
void free_strv(char **v);
size_t strv_len(char *const *v);

/* Trim ASCII whitespace in place; returns s. */
char *trim(char *s);

/*
 * Output files (-o FILE of export, report, codebook export).  A file is
 * written to a temporary file in its folder and renamed over FILE only
 * when complete, so a failed command leaves FILE as it was (die()
 * removes the temporary file).  Refused, with QC_OUTPUT: the project
 * file itself (same device and inode: a hard link or another name too),
 * a folder, and, unless FORCE, an existing non-empty file that does not
 * look like KIND (a report must not replace a spreadsheet).  "-" is
 * standard output; a device or FIFO (/dev/stdout) is written in place.
 */
enum out_kind {
	OUT_ZIP,    /* .qdpx, .docx, .xlsx: a zip archive */
	OUT_MARKUP, /* .html, .qdc, .xml: begins with '<' */
	OUT_TEXT    /* .md, .csv, .json: text without control bytes */
};
struct out_file {
	FILE *f;    /* write here */
	char *path; /* the file replaced on out_commit (symlinks resolved) */
	char *tmp;  /* the temporary file, or NULL (stdout, a device) */
};
/* Check PATH as above; returns the path to write (symlinks resolved;
 * free it), or NULL for "-".  PROJECT_PATH may be NULL.  For writers
 * that replace the file themselves (libzip writes a temporary file and
 * renames it too). */
char *out_target(const char *path, enum out_kind kind, int force,
		 const char *project_path);
/* Check PATH and open O->f for writing it. */
void out_open(struct out_file *o, const char *path, enum out_kind kind,
	      int force, const char *project_path);
/* Flush and close O->f and put the file in place; dies with QC_OUTPUT
 * (the temporary file removed) when it cannot be written. */
void out_commit(struct out_file *o);
/* Close O->f and remove the temporary file (FILE untouched). */
void out_discard(struct out_file *o);

#endif
