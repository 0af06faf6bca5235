/*
 * util.c - error reporting, allocation wrappers and string buffers.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void (*fatal_hook)(void);
static void (*usage_hook)(void);
/* The message of the last die(), for a hook that reports it elsewhere. */
static char fatal_msg[512];

/* Temporary output files that die() removes (out_open). */
static char *tmp_files[4];

static void tmp_register(char *path)
{
	for (size_t i = 0; i < sizeof(tmp_files) / sizeof(tmp_files[0]); i++) {
		if (!tmp_files[i]) {
			tmp_files[i] = path;
			return;
		}
	}
	die(QC_INTERNAL, "too many output files open at once");
}

static void tmp_forget(const char *path)
{
	for (size_t i = 0; i < sizeof(tmp_files) / sizeof(tmp_files[0]); i++) {
		if (tmp_files[i] == path) {
			tmp_files[i] = NULL;
		}
	}
}

void util_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void util_set_usage_hook(void (*hook)(void))
{
	usage_hook = hook;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("qcode: ", stderr);
	if (prefix) {
		fputs(prefix, stderr);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print the message of a die() and keep it for util_fatal_message(). */
static void fatal_report(const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	vreport(NULL, fmt, ap);
	vsnprintf(fatal_msg, sizeof(fatal_msg), fmt, copy);
	va_end(copy);
}

/* The end of a die(): the fatal hook, the usage hook when USAGE (a
 * QC_USAGE error of the command line), temporary files, exit. */
static _Noreturn void fatal_exit(int code, int usage)
{
	if (fatal_hook) {
		void (*hook)(void) = fatal_hook;

		fatal_hook = NULL;
		hook();
	}
	/* after the fatal hook: the web server's does not return */
	if (usage && code == QC_USAGE && usage_hook) {
		usage_hook();
	}
	for (size_t i = 0; i < sizeof(tmp_files) / sizeof(tmp_files[0]); i++) {
		if (tmp_files[i]) {
			unlink(tmp_files[i]);
			tmp_files[i] = NULL;
		}
	}
	exit(code);
}

_Noreturn void die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fatal_report(fmt, ap);
	va_end(ap);
	fatal_exit(code, 1);
}

_Noreturn void die_env(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fatal_report(fmt, ap);
	va_end(ap);
	fatal_exit(QC_USAGE, 0);
}

_Noreturn void die_after(int code, void (*cleanup)(void *), void *arg,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fatal_report(fmt, ap);
	va_end(ap);
	if (cleanup) {
		cleanup(arg);
	}
	fatal_exit(code, 1);
}

const char *util_fatal_message(void)
{
	return fatal_msg;
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, fmt, ap);
	va_end(ap);
	return -1;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, fmt, ap);
	va_end(ap);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		die(QC_INTERNAL, "out of memory allocating %zu bytes", n);
	}
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		die(QC_INTERNAL, "out of memory allocating %zu x %zu bytes", n,
		    size);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		die(QC_INTERNAL, "out of memory allocating %zu bytes", n);
	}
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	sb_vaddf(&sb, fmt, ap);
	return sb_detach(&sb, NULL);
}

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf) {
		sb->buf[0] = '\0';
	}
}

void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap) {
		return;
	}
	size_t cap = sb->cap ? sb->cap : 64;

	while (cap < need) {
		cap *= 2;
	}
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
	sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const void *data, size_t n)
{
	sb_grow(sb, n);
	if (n) {
		memcpy(sb->buf + sb->len, data, n);
	}
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		die(QC_INTERNAL, "bad format string '%s'", fmt);
	}
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

char *sb_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	sb_grow(sb, 0);
	p = sb->buf;
	if (len) {
		*len = sb->len;
	}
	sb_init(sb);
	return p;
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

int read_file(const char *path, char **out, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int ret = 0;

	*out = NULL;
	*len = 0;
	if (!f) {
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		sb_add(&sb, chunk, n);
	}
	if (ferror(f)) {
		int saved = errno;

		sb_release(&sb);
		fclose(f);
		errno = saved ? saved : EIO;
		return -1;
	}
	fclose(f);
	*out = sb_detach(&sb, len);
	return ret;
}

char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
		s++;
	}
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r')) {
		e--;
	}
	*e = '\0';
	return s;
}

char **split_list(const char *s, char sep)
{
	size_t n = 0, cap = 4;
	char **v = xmalloc(cap * sizeof(*v));
	const char *p = s;

	for (;;) {
		const char *q = strchr(p, sep);
		size_t len = q ? (size_t)(q - p) : strlen(p);
		char *part = xstrndup(p, len);
		char *t = trim(part);

		if (*t) {
			if (n + 2 > cap) {
				cap *= 2;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = xstrdup(t);
		}
		free(part);
		if (!q) {
			break;
		}
		p = q + 1;
	}
	v[n] = NULL;
	return v;
}

void free_strv(char **v)
{
	if (!v) {
		return;
	}
	for (char **p = v; *p; p++) {
		free(*p);
	}
	free(v);
}

size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n]) {
		n++;
	}
	return n;
}

/* Whether the first bytes of the file at PATH look like KIND.  An
 * unreadable file does not. */
static int looks_like(const char *path, enum out_kind kind)
{
	unsigned char b[512];
	size_t n, i = 0;
	FILE *f = fopen(path, "rb");

	if (!f) {
		return 0;
	}
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	switch (kind) {
	case OUT_ZIP:
		return n >= 4 && b[0] == 'P' && b[1] == 'K' &&
		       ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
	case OUT_MARKUP:
		if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
			i = 3;
		}
		while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' ||
				 b[i] == '\r')) {
			i++;
		}
		return i < n && b[i] == '<';
	case OUT_TEXT:
		for (i = 0; i < n; i++) {
			if (b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' &&
			    b[i] != '\r' && b[i] != '\f' && b[i] != 0x1b) {
				return 0;
			}
		}
		return 1;
	}
	return 0;
}

static const char *kind_name(enum out_kind kind)
{
	switch (kind) {
	case OUT_ZIP:
		return "a zip archive (.qdpx, .docx, .xlsx)";
	case OUT_MARKUP:
		return "an HTML or XML file";
	case OUT_TEXT:
		return "a text file";
	}
	return "?";
}

char *out_target(const char *path, enum out_kind kind, int force,
		 const char *project_path)
{
	struct stat st, pst;
	char *real;

	if (strcmp(path, "-") == 0) {
		return NULL;
	}
	if (!*path) {
		die(QC_OUTPUT, "the output file name is empty");
	}
	if (stat(path, &st) != 0) {
		if (errno != ENOENT) {
			die(QC_OUTPUT, "cannot write '%s': %s", path,
			    strerror(errno));
		}
		return xstrdup(path);
	}
	if (project_path && stat(project_path, &pst) == 0 &&
	    st.st_dev == pst.st_dev && st.st_ino == pst.st_ino) {
		die(QC_OUTPUT, "'%s' is the project file; not writing over it "
		    "(name another output file)", path);
	}
	if (S_ISDIR(st.st_mode)) {
		die(QC_OUTPUT, "cannot write '%s': it is a folder", path);
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0 && !force &&
	    !looks_like(path, kind)) {
		die(QC_OUTPUT, "'%s' exists and is not %s; not replacing it "
		    "(--force replaces it)", path, kind_name(kind));
	}
	/* Replace the file a symbolic link names, not the link. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(path, NULL))) {
		return real;
	}
	return xstrdup(path);
}

void out_open(struct out_file *o, const char *path, enum out_kind kind,
	      int force, const char *project_path)
{
	struct stat st;
	char *dir, *base, *d, *b;
	mode_t mode, mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = out_target(path, kind, force, project_path);
	if (!o->path) {
		o->f = stdout;
		return;
	}
	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or FIFO: written in place. */
		o->f = fopen(o->path, "w");
		if (!o->f) {
			die(QC_OUTPUT, "cannot write '%s': %s", path,
			    strerror(errno));
		}
		return;
	}
	if (stat(o->path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	d = xstrdup(o->path);
	b = xstrdup(o->path);
	dir = dirname(d);
	base = basename(b);
	o->tmp = xasprintf("%s/.%s.tmp-XXXXXX", dir, base);
	free(d);
	free(b);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;

		free(o->tmp);
		o->tmp = NULL;
		die(QC_OUTPUT, "cannot write '%s': %s", path, strerror(e));
	}
	tmp_register(o->tmp);
	if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;

		close(fd);
		die(QC_OUTPUT, "cannot write '%s': %s", path, strerror(e));
	}
}

void out_commit(struct out_file *o)
{
	int bad;

	if (o->f == stdout || !o->f) {
		free(o->path);
		o->path = NULL;
		return;
	}
	errno = 0;
	bad = fflush(o->f) != 0 || ferror(o->f);
	if (!bad && o->tmp && fsync(fileno(o->f)) != 0) {
		bad = 1;
	}
	if (fclose(o->f) != 0) {
		bad = 1;
	}
	o->f = NULL;
	if (!bad && o->tmp && rename(o->tmp, o->path) != 0) {
		bad = 1;
	}
	if (bad) {
		die(QC_OUTPUT, "cannot write '%s': %s", o->path,
		    errno ? strerror(errno) : "write error");
	}
	if (o->tmp) {
		tmp_forget(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->path);
	o->path = NULL;
}

void out_discard(struct out_file *o)
{
	if (o->f && o->f != stdout) {
		fclose(o->f);
	}
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		tmp_forget(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->path);
	o->path = NULL;
}
