/*
 * refi_validate.c - schema and reference checks of REFI-QDA files (see
 * refi_validate.h).
 */
#include "refi_validate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlschemas.h>

#include "refi_pos.h"
#include "text.h"
#include "util.h"
#include "zipfile.h"

#ifndef QCODE_SCHEMA_DIR
#define QCODE_SCHEMA_DIR "/usr/local/share/qcode/refi"
#endif

/* 1 when DIR holds Project.xsd. */
static int has_schemas(const char *dir)
{
	char *p = xasprintf("%s/Project.xsd", dir);
	struct stat st;
	int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return ok;
}

char *refi_schema_dir(const char *opt, char **why)
{
	const char *env = getenv("QCODE_SCHEMA_DIR");
	char exe[4096];
	ssize_t n;

	*why = NULL;
	if (opt) {
		if (has_schemas(opt)) {
			return xstrdup(opt);
		}
		*why = xasprintf("no Project.xsd in '%s' (--schema-dir)", opt);
		return NULL;
	}
	if (env && *env) {
		if (has_schemas(env)) {
			return xstrdup(env);
		}
		*why = xasprintf("no Project.xsd in '%s' ($QCODE_SCHEMA_DIR)",
				 env);
		return NULL;
	}
	if (has_schemas(QCODE_SCHEMA_DIR)) {
		return xstrdup(QCODE_SCHEMA_DIR);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		static const char *const rel[] = {"../share/qcode/refi",
						  "../../shared/refi/schemas"};
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
		}
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			char *d = xasprintf("%s/%s", exe, rel[i]);

			if (has_schemas(d)) {
				return d;
			}
			free(d);
		}
	}
	*why = xstrdup("cannot find the REFI-QDA schemas (Project.xsd, "
		       "Codebook.xsd); name their folder with --schema-dir or "
		       "$QCODE_SCHEMA_DIR");
	return NULL;
}

/* Schema errors, collected with their lines. */
static void on_schema_error(void *ctx, xmlErrorPtr e)
{
	struct refi_problems *ps = ctx;
	struct strbuf sb = STRBUF_INIT;
	const char *m;

	if (!e || !e->message) {
		return;
	}
	/* Drop the namespace from element names: {urn:...}Code -> Code. */
	sb_grow(&sb, strlen(e->message));
	for (m = e->message; *m; m++) {
		if (*m == '{' && strncmp(m + 1, "urn:QDA-XML:", 12) == 0 &&
		    strchr(m, '}')) {
			m = strchr(m, '}');
			continue;
		}
		sb_addc(&sb, *m);
	}
	refi_problems_add(ps, e->line, "%s", trim(sb.buf));
	sb_release(&sb);
}

/* Swallow libxml2 messages (while the schema loads). */
static void ignore_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* Validate DOC against DIR/XSD; problems go to PS.  Returns 0, or -1 with
 * *MSG when the schema cannot be loaded. */
static int check_schema(xmlDocPtr doc, const char *dir, const char *xsd,
			struct refi_problems *ps, char **msg)
{
	char *path = xasprintf("%s/%s", dir, xsd);
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaValidCtxtPtr vc;
	xmlSchemaPtr schema;

	refi_xml_init();
	xmlSetStructuredErrorFunc(NULL, ignore_error);
	pc = xmlSchemaNewParserCtxt(path);
	schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaFreeParserCtxt(pc);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!schema) {
		*msg = xasprintf("cannot load the schema '%s'", path);
		free(path);
		return -1;
	}
	free(path);
	vc = xmlSchemaNewValidCtxt(schema);
	xmlSchemaSetValidStructuredErrors(vc, on_schema_error, ps);
	xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	return 0;
}

/* An element with a GUID. */
struct def {
	char guid[37];
	const char *elem;
	long line;
};

/* What the reference checks need. */
struct vctx {
	struct refi_problems *ps;
	int codebook;
	struct def *defs;
	size_t ndefs, cap;
	/* Where the sources are: an archive, or a folder. */
	struct refi_zip *zip;
	const char *dir;
	struct refi_units units;
};

/* Definitions by GUID. */
static int cmp_def(const void *a, const void *b)
{
	return strcmp(((const struct def *)a)->guid,
		      ((const struct def *)b)->guid);
}

/* Collect the GUID of every element that defines one. */
static void collect(struct vctx *v, const xmlNode *n)
{
	for (; n; n = n->next) {
		char *g;
		char ng[37];

		if (n->type != XML_ELEMENT_NODE) {
			continue;
		}
		g = refi_attr(n, "guid");
		if (g && !(v->codebook && refi_is(n, "MemberCode")) &&
		    refi_guid_norm(g, ng) == 0) {
			if (v->ndefs == v->cap) {
				v->cap = v->cap ? 2 * v->cap : 256;
				v->defs = xrealloc(v->defs,
						   v->cap * sizeof(*v->defs));
			}
			memcpy(v->defs[v->ndefs].guid, ng, 37);
			v->defs[v->ndefs].elem = (const char *)n->name;
			v->defs[v->ndefs].line = refi_line(n);
			v->ndefs++;
		}
		free(g);
		collect(v, n->children);
	}
}

/* The element defining GUID G, or NULL. */
static const struct def *find_def(const struct vctx *v, const char *g)
{
	struct def key;

	memcpy(key.guid, g, 37);
	return bsearch(&key, v->defs, v->ndefs, sizeof(*v->defs), cmp_def);
}

#define SOURCES "TextSource PictureSource PDFSource AudioSource " \
		"VideoSource Representation"
#define SELECTIONS "PlainTextSelection PictureSelection PDFSelection " \
		   "AudioSelection VideoSelection TranscriptSelection"

/* Which attribute of which element names what. */
static const struct ref {
	const char *elem; /* "*": any element */
	const char *attr;
	const char *kinds; /* space-separated; NULL: any element */
	int codebook;      /* 1: .qdc only, 0: .qde only, -1: both */
} refs[] = {
	{ "CodeRef", "targetGUID", "Code", 0 },
	{ "NoteRef", "targetGUID", "Note", 0 },
	{ "SourceRef", "targetGUID", SOURCES, 0 },
	{ "MemberSource", "targetGUID", SOURCES, 0 },
	{ "SelectionRef", "targetGUID", SELECTIONS, 0 },
	{ "VariableRef", "targetGUID", "Variable", 0 },
	{ "MemberCode", "targetGUID", "Code", 0 },
	{ "MemberCode", "guid", "Code", 1 },
	{ "MemberNote", "targetGUID", "Note", 0 },
	{ "*", "creatingUser", "User", 0 },
	{ "*", "modifyingUser", "User", 0 },
	{ "Project", "creatingUserGUID", "User", 0 },
	{ "Project", "modifyingUserGUID", "User", 0 },
	{ "Link", "originGUID", NULL, 0 },
	{ "Link", "targetGUID", NULL, 0 },
	{ "Vertex", "representedGUID", NULL, 0 },
	{ "Edge", "representedGUID", NULL, 0 },
	{ "Edge", "sourceVertex", "Vertex", 0 },
	{ "Edge", "targetVertex", "Vertex", 0 },
	{ "TranscriptSelection", "fromSyncPoint", "SyncPoint", 0 },
	{ "TranscriptSelection", "toSyncPoint", "SyncPoint", 0 },
};

/* 1 when NAME is one of the space-separated KINDS. */
static int kind_in(const char *name, const char *kinds)
{
	size_t n = strlen(name);

	for (const char *p = kinds; *p;) {
		size_t len = strcspn(p, " ");

		if (len == n && strncmp(p, name, n) == 0) {
			return 1;
		}
		p += len;
		while (*p == ' ') {
			p++;
		}
	}
	return 0;
}

/* Check every reference attribute (refs[]) of N, its siblings and their
 * descendants. */
static void check_refs(struct vctx *v, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE) {
			continue;
		}
		for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			const struct ref *r = &refs[i];
			const struct def *d;
			char *g;
			char ng[37];

			if ((r->codebook >= 0 && r->codebook != v->codebook) ||
			    (strcmp(r->elem, "*") != 0 &&
			     !refi_is(n, r->elem))) {
				continue;
			}
			g = refi_attr(n, r->attr);
			if (!g || refi_guid_norm(g, ng) != 0) {
				free(g);
				continue; /* absent, or the schema's to say */
			}
			d = find_def(v, ng);
			if (!d) {
				refi_problems_add(
				    v->ps, refi_line(n),
				    "%s of <%s> names '%s', which no element "
				    "of the file has",
				    r->attr, (const char *)n->name, g);
			} else if (r->kinds && !kind_in(d->elem, r->kinds)) {
				refi_problems_add(
				    v->ps, refi_line(n),
				    "%s of <%s> names '%s', which is a <%s> "
				    "(line %ld), not a <%s>",
				    r->attr, (const char *)n->name, g, d->elem,
				    d->line, r->kinds);
			}
			free(g);
		}
		check_refs(v, n->children);
	}
}

/* The bytes the path P (of attribute ATTR of N) names: 0 with *RAW
 * (malloc'd), 1 when it is not checked (external), -1 after a problem. */
static int fetch(struct vctx *v, const xmlNode *n, const char *attr,
		 const char *p, char **raw, size_t *len)
{
	static const char *const folders[] = { "sources/", "Sources/", "" };
	const char *name = p;
	char *msg;

	*raw = NULL;
	if (strncmp(p, "internal://", 11) == 0) {
		name = p + 11;
	} else if (strncmp(p, "relative://", 11) == 0 ||
		   strncmp(p, "absolute://", 11) == 0) {
		return 1;
	} else {
		refi_problems_add(v->ps, refi_line(n),
				  "%s '%s' of <%s> has no internal://, "
				  "relative:// or absolute:// scheme", attr, p,
				  (const char *)n->name);
	}
	if (!*name || refi_zip_unsafe_name(name)) {
		refi_problems_add(v->ps, refi_line(n),
				  "%s '%s' of <%s> leads outside the %s", attr,
				  p, (const char *)n->name,
				  v->zip ? "archive" : "folder");
		return -1;
	}
	for (size_t k = 0; k < sizeof(folders) / sizeof(folders[0]); k++) {
		char *f;

		if (v->zip) {
			long i;

			f = xasprintf("%s%s", folders[k], name);
			i = refi_zip_find(v->zip, f);
			free(f);
			if (i < 0) {
				continue;
			}
			if (refi_zip_read(v->zip, i, raw, len, &msg) != 0) {
				refi_problems_add(v->ps, refi_line(n), "%s",
						  msg);
				free(msg);
				return -1;
			}
			return 0;
		}
		f = xasprintf("%s/%s%s", v->dir, folders[k], name);
		if (read_file(f, raw, len) == 0) {
			free(f);
			return 0;
		}
		free(f);
	}
	refi_problems_add(v->ps, refi_line(n), "%s '%s' of <%s> names a file "
			  "the %s does not hold", attr, p,
			  (const char *)n->name,
			  v->zip ? "archive" : "sources/ folder");
	return -1;
}

/* Check a text source T (TextSource, Representation, Note): its text and
 * the selections in it. */
static void check_text(struct vctx *v, const xmlNode *t)
{
	char *path = refi_attr(t, "plainTextPath"), *raw = NULL;
	char *name = refi_attr(t, "name");
	xmlNodePtr content = refi_child(t, "PlainTextContent");
	struct refi_posmap m;
	struct utf8_error err;
	size_t len = 0;
	int have = 0;

	if (path && content) {
		refi_problems_add(v->ps, refi_line(t), "<%s> has both "
				  "plainTextPath and PlainTextContent",
				  (const char *)t->name);
	}
	if (!path && !content) {
		refi_problems_add(v->ps, refi_line(t), "<%s> has neither "
				  "plainTextPath nor PlainTextContent",
				  (const char *)t->name);
	}
	if (path) {
		if (fetch(v, t, "plainTextPath", path, &raw, &len) == 0) {
			if (utf8_validate(raw, len, &err) != 0) {
				refi_problems_add(
					v->ps, refi_line(t),
					"the text '%s' is not UTF-8 (line %zu, "
					"byte %zu)", path, err.line, err.byte);
			} else {
				have = 1;
			}
		}
	} else if (content) {
		raw = refi_text(content);
		len = strlen(raw);
		have = 1;
	}
	if (have) {
		refi_posmap_init(&m, raw, len, v->units);
	}
	for (xmlNodePtr s = refi_first(t); s; s = refi_next(s)) {
		char *a, *b, *g;
		long long x, y;

		if (!refi_is(s, "PlainTextSelection")) {
			continue;
		}
		a = refi_attr(s, "startPosition");
		b = refi_attr(s, "endPosition");
		g = refi_attr(s, "guid");
		if (a && b) {
			x = strtoll(a, NULL, 10);
			y = strtoll(b, NULL, 10);
			if (x < 0 || x > y) {
				refi_problems_add(v->ps, refi_line(s),
						  "selection '%s' (%s-%s) does "
						  "not run forward from 0",
						  g ? g : "", a, b);
			} else if (have && (unsigned long long)y > m.units) {
				refi_problems_add(
				    v->ps, refi_line(s),
				    "selection '%s' (%s-%s) falls outside its "
				    "source '%s' (length %zu %s)",
				    g ? g : "", a, b,
				    name   ? name
				    : path ? path
					   : "",
				    m.units, refi_units_name(v->units));
			}
		}
		free(a);
		free(b);
		free(g);
	}
	if (have) {
		refi_posmap_release(&m);
	}
	free(raw);
	free(path);
	free(name);
}

/* Check every source of the project: its files and selections. */
static void check_sources(struct vctx *v, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE) {
			continue;
		}
		if (refi_is(n, "TextSource") || refi_is(n, "Representation") ||
		    refi_is(n, "Note")) {
			check_text(v, n);
		} else if (refi_is(n, "PictureSource") ||
			   refi_is(n, "PDFSource") ||
			   refi_is(n, "AudioSource") ||
			   refi_is(n, "VideoSource")) {
			char *p = refi_attr(n, "path"), *raw;
			size_t len;

			if (p && fetch(v, n, "path", p, &raw, &len) == 0) {
				free(raw);
			}
			free(p);
		}
		if (refi_is(n, "TextSource")) {
			char *p = refi_attr(n, "richTextPath"), *raw;
			size_t len;

			if (p && fetch(v, n, "richTextPath", p, &raw, &len) ==
					 0) {
				free(raw);
			}
			free(p);
		}
		check_sources(v, n->children);
	}
}

/* Problems by place, then line. */
static int cmp_problem(const void *a, const void *b)
{
	const struct refi_problem *x = a, *y = b;
	int c = strcmp(x->place, y->place);

	if (c) {
		return c;
	}
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Check the XML BUF[0..LEN); problems go to PS at its current place. */
static int check_xml(const char *buf, size_t len, const char *schema_dir,
		     struct refi_zip *zip, const char *dir,
		     struct refi_problems *ps, char **msg)
{
	struct vctx v;
	xmlDocPtr doc;
	xmlNodePtr root;
	char *what, *origin;
	long line;
	int rc = 0;

	doc = refi_xml_parse(buf, len, &line, &what);
	if (!doc) {
		refi_problems_add(ps, line, "malformed XML: %s", what);
		free(what);
		return 0;
	}
	if (refi_xml_normalize_ns(doc, &what, &line)) {
		refi_problems_add(ps, line, "%s", what);
		free(what);
	}
	root = xmlDocGetRootElement(doc);
	memset(&v, 0, sizeof(v));
	v.ps = ps;
	v.zip = zip;
	v.dir = dir;
	if (refi_is(root, "CodeBook")) {
		v.codebook = 1;
	} else if (!refi_is(root, "Project")) {
		refi_problems_add(ps, refi_line(root), "the root element <%s> "
				  "is neither <Project> nor <CodeBook>",
				  (const char *)root->name);
		xmlFreeDoc(doc);
		return 0;
	}
	if (check_schema(doc, schema_dir,
			 v.codebook ? "Codebook.xsd" : "Project.xsd", ps,
			 msg) != 0) {
		xmlFreeDoc(doc);
		return -1;
	}
	origin = refi_attr(root, "origin");
	v.units = refi_units_for(origin);
	free(origin);
	collect(&v, root);
	if (v.ndefs > 1) {
		qsort(v.defs, v.ndefs, sizeof(*v.defs), cmp_def);
	}
	for (size_t i = 1; i < v.ndefs; i++) {
		if (strcmp(v.defs[i].guid, v.defs[i - 1].guid) == 0) {
			refi_problems_add(ps, v.defs[i].line,
					  "GUID '%s' of <%s> is also the GUID "
					  "of <%s> at line %ld", v.defs[i].guid,
					  v.defs[i].elem, v.defs[i - 1].elem,
					  v.defs[i - 1].line);
		}
	}
	check_refs(&v, root);
	if (!v.codebook) {
		check_sources(&v, root);
	}
	free(v.defs);
	xmlFreeDoc(doc);
	return rc;
}

int refi_validate(const char *path, const char *schema_dir,
		  struct refi_problems *ps, char **msg)
{
	const char *dot = strrchr(path, '.');
	size_t first = ps->n, len;
	char *buf;
	int rc = 0;

	*msg = NULL;
	if (read_file(path, &buf, &len) != 0) {
		*msg = xasprintf("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	ps->place = path;
	if ((dot && strcasecmp(dot, ".qdpx") == 0) ||
	    (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)) {
		struct refi_zip zip;
		char *why, *xml, *place;
		size_t xlen;
		long i;
		int z = refi_zip_open(&zip, buf, len, &why);

		if (z == -1) {
			*msg = xasprintf("cannot validate '%s': %s", path, why);
			free(why);
			free(buf);
			return -1;
		}
		if (z != 0) {
			refi_problems_add(ps, 0, "%s", why);
			free(why);
		} else if ((i = refi_zip_find(&zip, "project.qde")) < 0) {
			refi_problems_add(ps, 0, "the archive holds no "
				                 "project.qde");
			refi_zip_close(&zip);
		} else if (refi_zip_read(&zip, i, &xml, &xlen, &why) != 0) {
			refi_problems_add(ps, 0, "%s", why);
			free(why);
			refi_zip_close(&zip);
		} else {
			place = xasprintf("%s:project.qde", path);
			ps->place = place;
			rc = check_xml(xml, xlen, schema_dir, &zip, NULL, ps,
				       msg);
			ps->place = NULL;
			free(place);
			free(xml);
			refi_zip_close(&zip);
		}
	} else {
		const char *slash = strrchr(path, '/');
		char *dir = slash ? xstrndup(path, (size_t)(slash - path))
				  : xstrdup(".");

		rc = check_xml(buf, len, schema_dir, NULL, dir, ps, msg);
		free(dir);
	}
	ps->place = NULL;
	free(buf);
	/* By place and line, in the order found within a line. */
	for (size_t i = first + 1; i < ps->n; i++) {
		for (size_t j = i; j > first &&
				   cmp_problem(&ps->v[j - 1], &ps->v[j]) > 0;
		     j--) {
			struct refi_problem t = ps->v[j];

			ps->v[j] = ps->v[j - 1];
			ps->v[j - 1] = t;
		}
	}
	return rc;
}
