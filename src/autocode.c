/*
 * autocode.c - applying the codebook's rules to the documents
 * (autocode.h).
 */
#include "autocode.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coding.h"
#include "forms.h"
#include "match.h"
#include "progress.h"
#include "report.h"
#include "schema.h"
#include "speaker.h"
#include "text.h"
#include "util.h"

/* A code in scope. */
struct acode {
	long long id;
	int mi;           /* its index in the matcher, -1: no rules */
	enum match_unit unit;
	char **questions; /* NULL: every question */
	char **speakers;  /* NULL: every speaker */
};

/* A segment of the current document (code points). */
struct seg {
	long long id, start, end;
	char *speaker;
};

/* An existing coding of a code in scope on the current document. */
struct old {
	int ci;
	long long id, start, end;
	int mine;   /* origin auto, status suggested: autocode may remove */
	char *rule;
};

/* A unit the rules code in a document. */
struct unit {
	int ci;
	long long start, end, seg, hits;
	const char *rule; /* owned by the matcher */
};

/* The codes that apply to documents answering QUESTION (NULL: none). */
struct qcache {
	char *question;
	unsigned char *en;
};

/* A document on its way through the run: read from the project by the
 * main thread, scanned by any thread, applied by the main thread in
 * document order. */
struct jdoc {
	long long id, case_id;
	long long chars;         /* the text's length in code points */
	char *name;
	const unsigned char *en; /* doc_enabled()'s */
	struct strbuf text;
	struct seg *sv;
	size_t nsegs, segcap;
	struct unit *uv;
	size_t nunits, unitcap;
};

/* A batch of consecutive documents, the unit of work between threads
 * (one hand-over per document would cost more than many scans). */
enum job_state { JOB_FREE, JOB_READY, JOB_SCANNING, JOB_DONE };
struct job {
	struct jdoc *d;
	size_t n, cap;
	size_t bytes;
	enum job_state state;
	int err_code;  /* scanning failed (at the first document that
			  does, the rest left unscanned): */
	char *err;     /* the message (QC_PROJECT or QC_INPUT) */
};

/* What one scanning thread owns (the compiled matcher is shared). */
struct scanner {
	struct run *r;
	struct match_scratch *ms;
	struct match_results mr;
	unsigned char *en_seg;
	pthread_t tid;
};

/* Batches: at most JOB_DOCS documents and, unless one document is
 * larger, JOB_BYTES of text; JOBS_PER_THREAD batches in flight for each
 * thread. */
#define JOB_DOCS 128
#define JOB_BYTES (256 * 1024)
#define JOBS_PER_THREAD 4
#define MAX_THREADS 64
/* Codings that no longer match, deleted this many to a statement. */
#define DEL_BATCH 256

struct run {
	struct project *p;
	const struct autocode_opts *o;
	struct autocode_result *res;
	struct acode *codes;
	size_t ncodes;
	int *idx_of;        /* code id -> index in codes, or -1 */
	long long maxid;
	struct matcher *m;
	int *by_mi;         /* matcher index -> index in codes */
	size_t nmi;
	int any_speakers;
	struct qcache *qc;
	size_t nqc;
	/* cursors and statements: docs and segs on rdb when there is one
	 * (open_reader()), read by the thread that holds the reading role */
	sqlite3 *rdb;
	sqlite3_stmt *docs, *segs, *olds, *del;
	long long del_ids[DEL_BATCH]; /* waiting for del */
	size_t ndel;
	char *rerr;              /* reading failed: the message */
	int docs_end;            /* the documents cursor is done (mu) */
	int reading;             /* a thread is reading a batch (mu) */
	struct coding_writer cw; /* the new codings */
	int seg_has, old_has;
	long long seg_doc, old_doc;
	struct seg seg_next;
	struct old old_next;
	/* the existing codings of the document being applied */
	struct old *ov;
	size_t nolds, oldcap;
	/* threads: jobs[seq % njobs]; filled, claimed and applied count
	 * batches (under mu) */
	struct job *jobs;
	size_t njobs;
	unsigned long long filled, claimed, applied;
	struct scanner *sc;  /* sc[0] is the main thread's */
	size_t want;         /* thread_count() */
	size_t nthreads;     /* sc[1..nthreads) are worker threads */
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* any change of the above */
	int stop;
	/* counting for dry runs */
	unsigned char **case_seen; /* per code, a bit per unit */
	int32_t *case_unit;        /* report_case_unit()'s */
	long long maxcase;
	size_t nunits_seen;
	long long doc_unit;        /* the current document's */
	long long *last_doc, *last_seg;
};

static int in_list(char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++) {
		if (strcmp(list[i], s) == 0) {
			return 1;
		}
	}
	return 0;
}

/* 1 when a code whose speakers: list is LIST (not NULL) applies to a
 * turn of SPEAKER (NULL: a segment without one).  Items "not NAME" leave
 * NAME out; the other items, when there are any, are the only speakers
 * the code applies to.  Names are speaker keys, aliases resolved. */
static int speaker_allowed(char *const *list, const char *speaker)
{
	int positive = 0;

	for (size_t i = 0; list[i]; i++) {
		if (strncmp(list[i], "not ", 4) == 0) {
			if (speaker && strcmp(list[i] + 4, speaker) == 0) {
				return 0;
			}
		} else {
			positive = 1;
		}
	}
	return !positive || (speaker && in_list(list, speaker));
}

/* The items of the JSON array in column COL of ST, or NULL when it is
 * NULL. */
static char **json_list(struct run *r, sqlite3_stmt *st, int col)
{
	sqlite3_stmt *js;
	char **v;
	size_t n = 0;

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		return NULL;
	}
	js = db_prepare(r->p, "SELECT value FROM json_each(?)");
	db_bind_text(r->p, js, 1, db_col_text(st, col));
	v = xcalloc(1, sizeof(*v));
	while (db_step(r->p, js)) {
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = xstrdup(db_col_text(js, 0));
		v[n] = NULL;
	}
	sqlite3_finalize(js);
	return v;
}

static void add_rules(struct run *r, struct acode *c, const char *path,
		      const char *language, int normalise)
{
	sqlite3_stmt *st = db_prepare(
		r->p, "SELECT kind, pattern FROM rules WHERE code_id = ? "
		      "ORDER BY ord, id");
	int positive = 0;

	sqlite3_bind_int64(st, 1, c->id);
	while (db_step(r->p, st)) {
		const char *kind = db_col_text(st, 0);

		positive |= strcmp(kind, "keyword") == 0 ||
			    strcmp(kind, "regex") == 0;
	}
	sqlite3_reset(st);
	if (positive) {
		c->mi = matcher_add_code(r->m, language, c->unit);
		matcher_set_normalise(r->m, c->mi, normalise);
		r->by_mi = xrealloc(r->by_mi, (r->nmi + 1) * sizeof(int));
		r->by_mi[r->nmi++] = (int)(c - r->codes);
		while (db_step(r->p, st)) {
			char *err = NULL;

			if (matcher_add_rule(r->m, c->mi, db_col_text(st, 0),
					     db_col_text(st, 1), &err) < 0) {
				sqlite3_finalize(st);
				die(QC_INPUT, "%s in code '%s'", err, path);
			}
		}
	}
	sqlite3_finalize(st);
}

/* The survey questions or the speakers (their shown names, one per
 * key) of the project, for check_scope(): NULL until needed. */
struct known {
	int loaded;
	char **names;   /* NULL-terminated */
	char **keys;    /* speakers: the key of each name */
};

static void known_load(struct project *p, struct known *k, int speakers)
{
	sqlite3_stmt *st;
	size_t n = 0;

	k->loaded = 1;
	k->names = xcalloc(1, sizeof(*k->names));
	k->keys = xcalloc(1, sizeof(*k->keys));
	st = db_prepare(p, speakers
		? "SELECT speaker_key(n), n FROM (SELECT "
		  SPEAKER_NAME_SQL("segments.speaker") " AS n, id FROM "
		  "segments WHERE speaker IS NOT NULL) GROUP BY 1 "
		  "ORDER BY min(id)"
		: "SELECT question, question FROM documents WHERE question "
		  "IS NOT NULL GROUP BY 1 ORDER BY min(id)");
	while (db_step(p, st)) {
		k->names = xrealloc(k->names, (n + 2) * sizeof(*k->names));
		k->keys = xrealloc(k->keys, (n + 2) * sizeof(*k->keys));
		k->keys[n] = db_col_dup(st, 0);
		k->names[n++] = db_col_dup(st, 1);
		k->names[n] = k->keys[n] = NULL;
	}
	sqlite3_finalize(st);
}

static void known_release(struct known *k)
{
	free_strv(k->names);
	free_strv(k->keys);
}

/* The message for the first item of a code's questions: (speakers:)
 * LIST that names no question (speaker) of the project, or NULL.  A
 * speakers: item "not NAME" may name anyone (it leaves nobody out). */
static char *unknown_item(struct project *p, const char *path,
			  char *const *list, struct known *k, int speakers)
{
	const char *what = speakers ? "speakers" : "questions";

	for (size_t i = 0; list && list[i]; i++) {
		char *key = NULL;
		int found = 0;

		if (speakers && strncmp(list[i], "not ", 4) == 0) {
			continue;
		}
		if (!k->loaded) {
			known_load(p, k, speakers);
		}
		if (speakers) {
			char *name = speaker_resolve(p, list[i]);

			key = speaker_key(name);
			free(name);
		}
		for (size_t j = 0; k->keys[j] && !found; j++) {
			found = strcmp(k->keys[j], key ? key : list[i]) == 0;
		}
		free(key);
		if (!found) {
			struct strbuf sb = STRBUF_INIT;

			sb_addf(&sb, "code '%s' has %s: '%s', ", path, what,
				list[i]);
			sb_adds(&sb, speakers ? "who speaks in no document"
					      : "which no document answers");
			if (!k->names[0]) {
				sb_addf(&sb, " (the project has no %s)",
					speakers ? "speakers"
						 : "survey questions");
			} else {
				sb_addf(&sb, " (known %s: ", what);
				for (size_t j = 0; k->names[j]; j++) {
					sb_addf(&sb, "%s%s", j ? ", " : "",
						k->names[j]);
				}
				sb_adds(&sb, ")");
			}
			sb_adds(&sb, "; its rules would code nothing and "
				     "remove its suggestions: fix the codebook");
			return sb_detach(&sb, NULL);
		}
	}
	return NULL;
}

/* The codes in scope, their rules into the matcher. */
static void load_codes(struct run *r)
{
	struct project *p = r->p;
	sqlite3_stmt *st;
	unsigned char *want = NULL;
	size_t cap = 0;
	struct known kq = { 0, NULL, NULL }, ks = { 0, NULL, NULL };
	int any_docs = db_int(p, 0, "SELECT EXISTS (SELECT 1 FROM documents)");

	r->maxid = db_int(p, 0, "SELECT coalesce(max(id), 0) FROM codes");
	r->idx_of = xmalloc((size_t)(r->maxid + 1) * sizeof(int));
	for (long long i = 0; i <= r->maxid; i++) {
		r->idx_of[i] = -1;
	}
	if (r->o->codes) {
		want = xcalloc((size_t)r->maxid + 1, 1);
		for (size_t i = 0; i < r->o->ncodes; i++) {
			if (r->o->codes[i] >= 0 && r->o->codes[i] <= r->maxid) {
				want[r->o->codes[i]] = 1;
			}
		}
	}
	st = db_prepare(p, "SELECT id, path, codable, language, unit, "
			   "questions, speakers, normalise FROM codes "
			   "ORDER BY ord, id");
	while (db_step(p, st)) {
		long long id = sqlite3_column_int64(st, 0);
		const char *path = db_col_text(st, 1);
		struct acode *c;
		struct autocode_stat *s;

		if (want && !want[id]) {
			continue;
		}
		if (r->ncodes == cap) {
			cap = cap ? 2 * cap : 32;
			r->codes = xrealloc(r->codes, cap * sizeof(*r->codes));
			r->res->v = xrealloc(r->res->v,
					     cap * sizeof(*r->res->v));
		}
		c = &r->codes[r->ncodes];
		s = &r->res->v[r->ncodes];
		memset(c, 0, sizeof(*c));
		memset(s, 0, sizeof(*s));
		c->id = id;
		c->mi = -1;
		s->code_id = id;
		s->path = xstrdup(path);
		r->idx_of[id] = (int)r->ncodes;
		r->ncodes++;
		r->res->n = r->ncodes;
		if (match_unit_parse(sqlite3_column_type(st, 4) == SQLITE_NULL
					     ? NULL
					     : db_col_text(st, 4),
				     &c->unit) != 0) {
			char *u = db_col_dup(st, 4);

			sqlite3_finalize(st);
			free(want);
			die(QC_INPUT, "unknown unit '%s' in code '%s'", u,
			    s->path);
		}
		c->questions = json_list(r, st, 5);
		c->speakers = json_list(r, st, 6);
		if (sqlite3_column_int(st, 2)) {
			add_rules(r, c, s->path,
				  sqlite3_column_type(st, 3) == SQLITE_NULL
					  ? NULL
					  : db_col_text(st, 3),
				  sqlite3_column_int(st, 7));
			s->has_rules = c->mi >= 0;
		}
		/* A question or speaker the project does not have (a typo)
		 * would make the code code nothing, silently. */
		if (s->has_rules && any_docs) {
			char *msg = unknown_item(p, s->path, c->questions, &kq,
						 0);

			if (!msg) {
				msg = unknown_item(p, s->path, c->speakers,
						   &ks, 1);
			}
			if (msg) {
				sqlite3_finalize(st);
				free(want);
				known_release(&kq);
				known_release(&ks);
				die(QC_NOTFOUND, "%s", msg);
			}
		}
		speaker_list_keys(r->p, c->speakers);
		if (c->speakers) {
			r->any_speakers = 1;
		}
	}
	sqlite3_finalize(st);
	free(want);
	known_release(&kq);
	known_release(&ks);
}

/* Which matcher codes apply to a document answering QUESTION. */
static const unsigned char *doc_enabled(struct run *r, const char *question)
{
	struct qcache *q;

	for (size_t i = 0; i < r->nqc; i++) {
		q = &r->qc[i];
		if ((!q->question && !question) ||
		    (q->question && question &&
		     strcmp(q->question, question) == 0)) {
			return q->en;
		}
	}
	r->qc = xrealloc(r->qc, (r->nqc + 1) * sizeof(*r->qc));
	q = &r->qc[r->nqc++];
	q->question = question ? xstrdup(question) : NULL;
	q->en = xcalloc(r->nmi + 1, 1);
	for (size_t i = 0; i < r->nmi; i++) {
		const struct acode *c = &r->codes[r->by_mi[i]];

		q->en[i] = !c->questions ||
			   (question && in_list(c->questions, question));
	}
	return q->en;
}

/* Step cursor ST of the documents or segments (any thread, in the
 * reading role): 1 a row; 0 at the end or on failure, with r->rerr the
 * message (not dying: the main thread dies at that batch, in order). */
static int rd_step(struct run *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		return 1;
	}
	if (rc != SQLITE_DONE && !r->rerr) {
		r->rerr = xasprintf("database error in '%s' (step): %s",
				    r->p->path,
				    sqlite3_errmsg(sqlite3_db_handle(st)));
	}
	return 0;
}

static void seg_step(struct run *r)
{
	r->seg_has = rd_step(r, r->segs);
	if (r->seg_has) {
		sqlite3_stmt *st = r->segs;

		r->seg_doc = sqlite3_column_int64(st, 0);
		r->seg_next.id = sqlite3_column_int64(st, 1);
		r->seg_next.start = sqlite3_column_int64(st, 2);
		r->seg_next.end = sqlite3_column_int64(st, 3);
		r->seg_next.speaker = db_col_dup(st, 4);
	}
}

/* Step the codings cursor to the next coding of a code in scope. */
static void old_step(struct run *r)
{
	sqlite3_stmt *st = r->olds;

	while ((r->old_has = db_step(r->p, st)) != 0) {
		long long code = sqlite3_column_int64(st, 2);

		if (code < 0 || code > r->maxid || r->idx_of[code] < 0) {
			continue;
		}
		r->old_doc = sqlite3_column_int64(st, 0);
		r->old_next.ci = r->idx_of[code];
		r->old_next.id = sqlite3_column_int64(st, 1);
		r->old_next.start = sqlite3_column_int64(st, 3);
		r->old_next.end = sqlite3_column_int64(st, 4);
		r->old_next.mine = sqlite3_column_int(st, 5);
		r->old_next.rule = xstrdup(db_col_text(st, 6));
		return;
	}
}

/* Collect the segments of document D from the cursor. */
static void gather_segs(struct run *r, struct jdoc *d)
{
	d->nsegs = 0;
	while (r->seg_has && r->seg_doc <= d->id) {
		if (r->seg_doc == d->id) {
			if (d->nsegs == d->segcap) {
				d->segcap = d->segcap ? 2 * d->segcap : 16;
				d->sv = xrealloc(d->sv,
						 d->segcap * sizeof(*d->sv));
			}
			d->sv[d->nsegs++] = r->seg_next;
		} else {
			free(r->seg_next.speaker);
		}
		seg_step(r);
	}
}

/* Collect the existing codings of document DOC from the cursor. */
static void gather_olds(struct run *r, long long doc)
{
	r->nolds = 0;
	while (r->old_has && r->old_doc <= doc) {
		if (r->old_doc == doc) {
			if (r->nolds == r->oldcap) {
				r->oldcap = r->oldcap ? 2 * r->oldcap : 64;
				r->ov = xrealloc(r->ov,
						 r->oldcap * sizeof(*r->ov));
			}
			r->ov[r->nolds++] = r->old_next;
		} else {
			free(r->old_next.rule);
		}
		old_step(r);
	}
}

static void release_olds(struct run *r)
{
	for (size_t i = 0; i < r->nolds; i++) {
		free(r->ov[i].rule);
	}
	r->nolds = 0;
}

/* Empty D for its next document (its buffers kept). */
static void jdoc_clear(struct jdoc *d)
{
	for (size_t i = 0; i < d->nsegs; i++) {
		free(d->sv[i].speaker);
	}
	free(d->name);
	d->name = NULL;
	d->nsegs = d->nunits = 0;
}

static void job_clear(struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		jdoc_clear(&j->d[i]);
	}
	free(j->err);
	j->err = NULL;
	j->n = 0;
	j->bytes = 0;
	j->state = JOB_FREE;
}

/* Stop the worker threads: each finishes the batch it is scanning; the
 * batches no thread has claimed stay unscanned. */
static void stop_threads(struct run *r)
{
	if (r->nthreads <= 1) {
		return;
	}
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	for (size_t i = 1; i < r->nthreads; i++) {
		pthread_join(r->sc[i].tid, NULL);
	}
	r->nthreads = 1;
}

/* Free everything the run holds (also before dying). */
static void run_release(struct run *r)
{
	stop_threads(r);
	release_olds(r);
	sqlite3_finalize(r->docs);
	sqlite3_finalize(r->segs);
	sqlite3_finalize(r->olds);
	sqlite3_finalize(r->del);
	r->docs = r->segs = r->olds = r->del = NULL;
	sqlite3_close(r->rdb);
	r->rdb = NULL;
	free(r->rerr);
	coding_writer_release(&r->cw);
	if (r->seg_has) {
		free(r->seg_next.speaker);
		r->seg_has = 0;
	}
	if (r->old_has) {
		free(r->old_next.rule);
		r->old_has = 0;
	}
	for (size_t i = 0; i < r->njobs; i++) {
		struct job *j = &r->jobs[i];

		job_clear(j);
		for (size_t k = 0; k < j->cap; k++) {
			sb_release(&j->d[k].text);
			free(j->d[k].sv);
			free(j->d[k].uv);
		}
		free(j->d);
	}
	free(r->jobs);
	if (r->sc) {
		match_scratch_free(r->sc[0].ms);
		match_results_release(&r->sc[0].mr);
		free(r->sc[0].en_seg);
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
	}
	free(r->sc);
	for (size_t i = 0; i < r->ncodes; i++) {
		free_strv(r->codes[i].questions);
		free_strv(r->codes[i].speakers);
	}
	free(r->codes);
	r->codes = NULL;
	free(r->idx_of);
	free(r->by_mi);
	for (size_t i = 0; i < r->nqc; i++) {
		free(r->qc[i].question);
		free(r->qc[i].en);
	}
	free(r->qc);
	matcher_free(r->m);
	free(r->ov);
	if (r->case_seen) {
		for (size_t i = 0; i < r->ncodes; i++) {
			free(r->case_seen[i]);
		}
	}
	free(r->case_seen);
	free(r->case_unit);
	free(r->last_doc);
	free(r->last_seg);
	memset(r, 0, sizeof(*r));
}

/* Release the run and die with MSG (which dies with the process). */
static _Noreturn void run_die(struct run *r, int code, char *msg)
{
	run_release(r);
	die(code, "%s", msg);
}

static void add_unit(struct jdoc *d, int ci, long long s, long long e,
		     long long seg, const char *rule, long long hits)
{
	struct unit *u;

	if (d->nunits == d->unitcap) {
		d->unitcap = d->unitcap ? 2 * d->unitcap : 16;
		d->uv = xrealloc(d->uv, d->unitcap * sizeof(*d->uv));
	}
	u = &d->uv[d->nunits++];
	u->ci = ci;
	u->start = s;
	u->end = e;
	u->seg = seg;
	u->rule = rule;
	u->hits = hits;
}

/* What a document is scanned as: its text, or (when it holds
 * presentation forms) the text with them as letters (forms.h). */
struct scan_text {
	const char *buf;
	size_t len;
	struct offmap om;        /* of BUF */
	struct forms_fold *fold; /* NULL: BUF is the document's text */
};

/* Scan one segment (code points [CS, CE) of the document's text) of D
 * into its units, in the document's code points. */
static int scan_segment(const struct run *r, struct scanner *sc,
			struct jdoc *d, const struct scan_text *st,
			const struct seg *sg, long long cs, long long ce,
			const unsigned char *en, char **err)
{
	size_t fs = (size_t)cs, fe = (size_t)ce;

	if (st->fold) {
		fs = st->fold->o2f[fs];
		fe = st->fold->o2f[fe];
	}
	sc->mr.n = 0;
	if (matcher_scan_with(r->m, sc->ms, st->buf, st->len,
			      offmap_byte(&st->om, fs),
			      offmap_byte(&st->om, fe), en, &sc->mr,
			      err) != 0) {
		return -1;
	}
	for (size_t i = 0; i < sc->mr.n; i++) {
		const struct match_result *mr = &sc->mr.v[i];
		int ci = r->by_mi[mr->code];
		size_t s, e;

		if (r->codes[ci].unit == MATCH_UNIT_SEGMENT) {
			s = (size_t)cs;
			e = (size_t)ce;
		} else {
			s = offmap_cp(&st->om, mr->start);
			e = offmap_cp(&st->om, mr->end);
			if (st->fold) {
				forms_span(st->fold, &s, &e);
			}
		}
		add_unit(d, ci, (long long)s, (long long)e, sg ? sg->id : 0,
			 matcher_rule(r->m, mr->code, mr->rule),
			 (long long)mr->hits);
	}
	return 0;
}

/* Scan document D (any thread: reads the run, writes D and SC only).
 * Returns 0, or an exit code with *ERR the message. */
static int scan_doc(const struct run *r, struct scanner *sc, struct jdoc *d,
		    char **err)
{
	const unsigned char *en = d->en;
	struct scan_text st = { d->text.buf, d->text.len, { 0 }, NULL };
	struct forms_fold fold;
	struct utf8_error ue;
	int any = 0, rc = 0;

	d->nunits = 0;
	for (size_t i = 0; i < r->nmi && !any; i++) {
		any = en[i];
	}
	if (!any) {
		return 0;
	}
	if (offmap_init_valid(&st.om, d->text.buf, d->text.len, &ue) != 0) {
		*err = xasprintf("document '%s' holds invalid UTF-8 at line "
				 "%zu, byte %zu", d->name, ue.line, ue.byte);
		return QC_PROJECT;
	}
	d->chars = (long long)st.om.chars;
	if (forms_in(d->text.buf, d->text.len)) {
		forms_fold(&fold, d->text.buf, d->text.len);
		offmap_release(&st.om);
		st.buf = fold.text;
		st.len = fold.len;
		st.fold = &fold;
		offmap_init(&st.om, st.buf, st.len);
	}
	if (d->nsegs == 0 &&
	    scan_segment(r, sc, d, &st, NULL, 0, d->chars, en, err) != 0) {
		rc = QC_INPUT;
	}
	for (size_t i = 0; i < d->nsegs && rc == 0; i++) {
		const struct seg *sg = &d->sv[i];
		const unsigned char *e2 = en;

		if (sg->start < 0 || sg->end < sg->start ||
		    sg->end > d->chars) {
			continue;
		}
		if (r->any_speakers) {
			for (size_t k = 0; k < r->nmi; k++) {
				const struct acode *c = &r->codes[r->by_mi[k]];

				sc->en_seg[k] = en[k] &&
						(!c->speakers ||
						 speaker_allowed(c->speakers,
								 sg->speaker));
			}
			e2 = sc->en_seg;
		}
		if (scan_segment(r, sc, d, &st, sg, sg->start, sg->end, e2,
				 err) != 0) {
			rc = QC_INPUT;
		}
	}
	offmap_release(&st.om);
	if (st.fold) {
		forms_fold_release(&fold);
	}
	return rc;
}

/* Scan the documents of job J, stopping at the first that fails. */
static void scan_job(const struct run *r, struct scanner *sc, struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		char *err = NULL;
		int rc = scan_doc(r, sc, &j->d[i], &err);

		if (rc != 0) {
			j->err_code = rc;
			j->err = err;
			return;
		}
	}
}

/* Claim the next batch to scan (under r->mu), or NULL. */
static struct job *claim(struct run *r)
{
	while (r->claimed < r->filled) {
		struct job *j = &r->jobs[r->claimed++ % r->njobs];

		if (j->state == JOB_READY) { /* not one that failed reading */
			j->state = JOB_SCANNING;
			return j;
		}
	}
	return NULL;
}

/* Scan J (claimed under r->mu, which is held again on return). */
static void scan_claimed(struct run *r, struct scanner *sc, struct job *j)
{
	pthread_mutex_unlock(&r->mu);
	scan_job(r, sc, j);
	pthread_mutex_lock(&r->mu);
	j->state = JOB_DONE;
	pthread_cond_broadcast(&r->cv);
}

static int fill_job(struct run *r, struct job *j);

/* Under r->mu: when no thread is reading, documents are left and a
 * batch is free, read the next batch (r->mu released meanwhile) and
 * return 1; else 0.  One thread reads at a time: the cursors, r->qc
 * and the reader connection are the reading role's.  Without a reader
 * connection the cursors are on the project's, which the main thread
 * uses meanwhile: then only the main thread (ON_MAIN) reads. */
static int try_fill(struct run *r, int on_main)
{
	struct job *j;
	int end;

	if ((!r->rdb && !on_main) || r->reading || r->docs_end ||
	    r->filled - r->applied >= r->njobs) {
		return 0;
	}
	j = &r->jobs[r->filled % r->njobs];
	r->reading = 1;
	pthread_mutex_unlock(&r->mu);
	end = fill_job(r, j);
	pthread_mutex_lock(&r->mu);
	r->reading = 0;
	r->docs_end = end;
	if (j->n > 0 || j->err) {
		/* A batch that failed reading is not scanned: the main
		 * thread dies with its message when it comes to it. */
		j->state = j->err ? JOB_DONE : JOB_READY;
		r->filled++;
	}
	pthread_cond_broadcast(&r->cv);
	return 1;
}

/* A worker scans the batches read, and reads the next when none is
 * waiting to be scanned. */
static void *worker(void *arg)
{
	struct scanner *sc = arg;
	struct run *r = sc->r;

	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		struct job *j = claim(r);

		if (j) {
			scan_claimed(r, sc, j);
		} else if (!try_fill(r, 0)) {
			pthread_cond_wait(&r->cv, &r->mu);
		}
	}
	pthread_mutex_unlock(&r->mu);
	match_scratch_free(sc->ms);
	match_results_release(&sc->mr);
	free(sc->en_seg);
	return NULL;
}

/* The number of threads that scan: $QCODE_THREADS, else the processors
 * online (at most 16). */
static size_t thread_count(void)
{
	const char *env = getenv("QCODE_THREADS");
	long n;

	if (env && *env) {
		char *end;

		errno = 0;
		n = strtol(env, &end, 10);
		if (errno || *end || n < 1 || n > MAX_THREADS) {
			die_env("QCODE_THREADS must be a number from 1 "
				"to %d, not '%s'", MAX_THREADS, env);
		}
		return (size_t)n;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 16 ? 16 : (size_t)n;
}

static void scanner_init(struct run *r, struct scanner *sc)
{
	sc->r = r;
	sc->ms = match_scratch_new();
	sc->en_seg = xcalloc(r->nmi + 1, 1);
}

/* Start the scanning threads: the main thread is one of them. */
static void start_threads(struct run *r)
{
	size_t want = r->want;

	r->njobs = want > 1 ? JOBS_PER_THREAD * want : 1;
	r->jobs = xcalloc(r->njobs, sizeof(*r->jobs));
	r->sc = xcalloc(want, sizeof(*r->sc));
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	scanner_init(r, &r->sc[0]);
	r->nthreads = 1;
	for (size_t i = 1; i < want; i++) {
		scanner_init(r, &r->sc[i]);
		if (pthread_create(&r->sc[i].tid, NULL, worker, &r->sc[i]) !=
		    0) {
			match_scratch_free(r->sc[i].ms);
			free(r->sc[i].en_seg);
			break; /* fewer threads, the same result */
		}
		r->nthreads++;
	}
}

/* Read the next documents into the free batch J (in the reading role,
 * r->mu not held).  Returns 1 when the documents cursor is done or
 * failed (J->err set). */
static int fill_job(struct run *r, struct job *j)
{
	int end = 0;

	while (j->n < JOB_DOCS && j->bytes < JOB_BYTES) {
		sqlite3_stmt *st = r->docs;
		struct jdoc *d;

		if (!rd_step(r, st)) {
			end = 1;
			break;
		}
		if (j->n == j->cap) {
			size_t cap = j->cap ? 2 * j->cap : 8;

			j->d = xrealloc(j->d, cap * sizeof(*j->d));
			memset(j->d + j->cap, 0, (cap - j->cap) * sizeof(*j->d));
			j->cap = cap;
		}
		d = &j->d[j->n++];
		d->id = sqlite3_column_int64(st, 0);
		d->en = doc_enabled(r, sqlite3_column_type(st, 2) ==
						       SQLITE_NULL
					       ? NULL
					       : db_col_text(st, 2));
		d->case_id = sqlite3_column_int64(st, 3);
		d->name = xstrdup(db_col_text(st, 4));
		sb_reset(&d->text);
		sb_add(&d->text, sqlite3_column_text(st, 1),
		       (size_t)sqlite3_column_bytes(st, 1));
		/* PCRE2's JIT may read a little past the subject (SIMD):
		 * keep those bytes defined (only those: the buffer keeps
		 * the capacity of the longest document it held). */
		sb_grow(&d->text, 64);
		memset(d->text.buf + d->text.len, 0, 65);
		j->bytes += d->text.len;
		gather_segs(r, d);
	}
	if (r->rerr) {
		j->err_code = QC_PROJECT;
		j->err = r->rerr;
		r->rerr = NULL;
		end = 1;
	}
	return end;
}

/* The oldest batch not applied, once scanned (the main thread scans
 * and reads meanwhile, as a worker does); NULL when every document is
 * applied. */
static struct job *next_done(struct run *r)
{
	struct job *oldest = &r->jobs[r->applied % r->njobs];

	pthread_mutex_lock(&r->mu);
	while (oldest->state != JOB_DONE &&
	       !(r->applied == r->filled && r->docs_end && !r->reading)) {
		struct job *j;

		/* Reading first: it gives the other threads work. */
		if (try_fill(r, 1)) {
			continue;
		}
		if ((j = claim(r)) != NULL) {
			scan_claimed(r, &r->sc[0], j);
		} else {
			pthread_cond_wait(&r->cv, &r->mu);
		}
	}
	pthread_mutex_unlock(&r->mu);
	return oldest->state == JOB_DONE ? oldest : NULL;
}

static int unit_cmp(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;

	if (x->ci != y->ci) {
		return x->ci < y->ci ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	return x->end < y->end ? -1 : x->end > y->end;
}

static int old_cmp(const void *a, const void *b)
{
	const struct old *x = a, *y = b;

	if (x->ci != y->ci) {
		return x->ci < y->ci ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	if (x->end != y->end) {
		return x->end < y->end ? -1 : 1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

/* -1, 0, 1 comparing unit U with existing coding O by code and span. */
static int key_cmp(const struct unit *u, const struct old *o)
{
	if (u->ci != o->ci) {
		return u->ci < o->ci ? -1 : 1;
	}
	if (u->start != o->start) {
		return u->start < o->start ? -1 : 1;
	}
	return u->end < o->end ? -1 : u->end > o->end;
}

/* Delete the codings waiting in del_ids.  One statement for many: a
 * DELETE of codings fires undo's trigger, and SQLite keeps a journal of
 * every page such a statement changes; one statement a coding journalled
 * the same pages again for each (and past 64 KiB wrote them to a
 * temporary file).  Unused slots are NULL, which matches no id. */
static void flush_removed(struct run *r)
{
	if (!r->ndel) {
		return;
	}
	for (size_t i = 0; i < DEL_BATCH; i++) {
		if (i < r->ndel) {
			sqlite3_bind_int64(r->del, (int)i + 1, r->del_ids[i]);
		} else {
			sqlite3_bind_null(r->del, (int)i + 1);
		}
	}
	db_run(r->p, r->del);
	r->ndel = 0;
}

static void remove_old(struct run *r, const struct old *o)
{
	r->res->v[o->ci].removed++;
	if (!r->o->dry_run) {
		r->del_ids[r->ndel++] = o->id;
		if (r->ndel == DEL_BATCH) {
			flush_removed(r);
		}
	}
}

static void insert_unit(struct run *r, long long doc, const struct unit *u)
{
	struct coding c = {
		.doc_id = doc,
		.code_id = r->codes[u->ci].id,
		.coder_id = r->o->coder_id,
		.segment_id = u->seg,
		.start = u->start,
		.end = u->end,
		.origin = "auto",
		.rule = u->rule,
		.status = r->o->status,
	};

	r->res->v[u->ci].added++;
	if (!r->o->dry_run) {
		coding_writer_add(&r->cw, &c);
	}
}

/* Count a unit for a dry run's cases, documents and segments. */
static void count_unit(struct run *r, const struct unit *u, long long doc)
{
	struct autocode_stat *s = &r->res->v[u->ci];

	if (r->last_doc[u->ci] != doc) {
		r->last_doc[u->ci] = doc;
		s->documents++;
	}
	if (u->seg && r->last_seg[u->ci] != u->seg) {
		r->last_seg[u->ci] = u->seg;
		s->segments++;
	}
	{
		unsigned char *seen = r->case_seen[u->ci];
		long long k = r->doc_unit;

		if (!(seen[k / 8] & (1u << (k % 8)))) {
			seen[k / 8] |= (unsigned char)(1u << (k % 8));
			s->cases++;
		}
	}
}

/* Make the codings of document D match the units found. */
static void apply(struct run *r, struct jdoc *d)
{
	size_t i = 0, j = 0;
	long long doc = d->id;
	struct unit *uv = d->uv;
	size_t nunits = d->nunits;

	gather_olds(r, doc);
	if (nunits && !r->o->dry_run) {
		coding_writer_doc(&r->cw, doc, d->chars);
	}
	if (r->o->dry_run) {
		/* Cases counted as 'qcode count' counts them. */
		r->doc_unit = report_case_unit(r->case_unit, r->maxcase,
					       d->case_id, &r->nunits_seen);
		for (size_t k = 0; k < nunits; k++) {
			count_unit(r, &uv[k], doc);
		}
	}
	for (size_t k = 0; k < nunits; k++) {
		r->res->v[uv[k].ci].hits += uv[k].hits;
		r->res->v[uv[k].ci].codings++;
	}
	if (nunits > 1) {
		qsort(uv, nunits, sizeof(*uv), unit_cmp);
	}
	if (r->nolds > 1) {
		qsort(r->ov, r->nolds, sizeof(*r->ov), old_cmp);
	}
	while (i < nunits || j < r->nolds) {
		const struct unit *u = i < nunits ? &uv[i] : NULL;
		int c = !u ? 1 : j >= r->nolds ? -1 : key_cmp(u, &r->ov[j]);
		size_t k = j, keep = (size_t)-1;
		int protect = 0;

		if (c > 0) {
			/* An existing coding the rules no longer make. */
			if (r->ov[j].mine) {
				remove_old(r, &r->ov[j]);
			}
			j++;
			continue;
		}
		/* The existing codings on the unit's code and span. */
		while (c == 0 && k < r->nolds && key_cmp(u, &r->ov[k]) == 0) {
			if (!r->ov[k].mine) {
				protect = 1;
			} else if (keep == (size_t)-1 &&
				   strcmp(r->ov[k].rule, u->rule) == 0) {
				keep = k;
			}
			k++;
		}
		for (size_t x = j; x < k; x++) {
			if (r->ov[x].mine && x != keep) {
				remove_old(r, &r->ov[x]);
			}
		}
		if (protect || keep != (size_t)-1) {
			r->res->v[u->ci].unchanged++;
		} else {
			insert_unit(r, doc, u);
		}
		j = k;
		i++;
	}
	release_olds(r);
}

/* 1 when the run may store many codings into a project holding few:
 * then inserting them into the codings_code index one by one, in random
 * order, costs more than building the index again once they are in
 * (on one thread: autocode_run()). */
static int many_new(struct project *p, const struct autocode_opts *o)
{
	long long docs = db_int(p, 0, "SELECT count(*) FROM documents WHERE "
				      "%Q IS NULL OR question = %Q",
				o->question, o->question);
	long long have = db_int(p, 0, "SELECT count(*) FROM codings");

	return docs >= 5000 && have <= 2 * docs &&
	       db_int(p, 0, "SELECT count(*) FROM sqlite_master WHERE type = "
			    "'index' AND name = 'codings_code'");
}

static const char docs_sql[] =
	"SELECT id, text, question, case_id, name FROM documents WHERE ?1 "
	"IS NULL OR question = ?1 ORDER BY id";
/* Speakers compared by the keys of their aliased names (?2: some code
 * has a speakers: list). */
static const char segs_sql[] =
	"SELECT doc_id, id, start, end, CASE WHEN ?2 THEN speaker_key("
	SPEAKER_NAME_SQL("segments.speaker") ") END FROM segments WHERE ?1 "
	"IS NULL OR doc_id IN (SELECT id FROM documents WHERE question = ?1) "
	"ORDER BY doc_id, idx";

/* Prepare the documents and segments cursors.  With more than one
 * thread, and the project in WAL mode, on a second, read-only
 * connection: then any thread can read the next batch while the main
 * thread writes (reading took a sixth of the main thread's
 * instructions).  A dry run uses it on one thread too: its small page
 * cache is used over and over, where the project's connection (32 MiB,
 * project.c) allocates a page for every page of text it reads (a dry
 * run on one thread: a third less CPU time, 47 -> 18 MB peak).  That connection sees the project as last committed,
 * which for documents, segments and speaker aliases is what this
 * transaction sees (autocode_run()'s caller has changed none of them:
 * autocode.h); in WAL mode it reads while this connection writes.
 * Otherwise, or when it cannot be opened, the project's connection. */
static void open_reader(struct run *r)
{
	struct project *p = r->p;
	char *mode = r->want > 1 || r->o->dry_run
			     ? db_text(p, "PRAGMA journal_mode")
			     : NULL;

	if (mode && strcmp(mode, "wal") == 0 &&
	    sqlite3_open_v2(p->path, &r->rdb, SQLITE_OPEN_READONLY,
			    NULL) == SQLITE_OK) {
		speaker_sql_register(r->rdb);
		sqlite3_busy_timeout(r->rdb, 30000);
		if (sqlite3_prepare_v2(r->rdb, docs_sql, -1, &r->docs,
				       NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(r->rdb, segs_sql, -1, &r->segs,
				       NULL) != SQLITE_OK) {
			sqlite3_finalize(r->docs);
			r->docs = NULL;
		}
	}
	free(mode);
	if (!r->docs) {
		sqlite3_close(r->rdb); /* NULL, or failed to open */
		r->rdb = NULL;
		r->docs = db_prepare(p, docs_sql);
		r->segs = db_prepare(p, segs_sql);
	}
}

void autocode_run(struct project *p, const struct autocode_opts *o,
		  struct autocode_result *res)
{
	struct run r;
	struct progress pg;
	size_t done = 0;
	char *err = NULL;
	int bad = -1, rebuild;

	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	r.p = p;
	r.o = o;
	r.res = res;
	r.m = matcher_new();
	load_codes(&r);
	if (matcher_compile(r.m, &bad, &err) != 0) {
		die(QC_INPUT, "%s in code '%s'", err,
		    res->v[r.by_mi[bad]].path);
	}
	r.want = thread_count();
	/* Dropped and built again only when one thread does everything:
	 * with more, the main thread keeps the index up while others scan,
	 * where building it again would come after all the scanning, with
	 * one processor working.  (The same instructions either way on
	 * one thread, since the writer's statements need no statement
	 * journal: coding.c.) */
	rebuild = !o->dry_run && r.want == 1 && many_new(p, o);
	if (rebuild) {
		db_exec(p, "DROP INDEX codings_code");
	}
	if (o->dry_run) {
		/* At most one unit per document. */
		long long ndocs = db_int(p, 0, "SELECT count(*) FROM "
					       "documents");

		r.maxcase = db_int(p, 0, "SELECT coalesce(max(id), 0) "
					 "FROM cases");
		r.case_unit = xmalloc(((size_t)r.maxcase + 1) *
				      sizeof(*r.case_unit));
		for (long long i = 0; i <= r.maxcase; i++) {
			r.case_unit[i] = -1;
		}
		r.case_seen = xcalloc(r.ncodes + 1, sizeof(*r.case_seen));
		for (size_t i = 0; i < r.ncodes; i++) {
			r.case_seen[i] = xcalloc((size_t)ndocs / 8 + 1, 1);
		}
		r.last_doc = xcalloc(r.ncodes + 1, sizeof(long long));
		r.last_seg = xcalloc(r.ncodes + 1, sizeof(long long));
	}
	open_reader(&r);
	r.olds = db_prepare(p, "SELECT doc_id, id, code_id, start, end, "
			       "origin = 'auto' AND status = 'suggested', "
			       "rule FROM codings WHERE ?1 IS NULL OR doc_id "
			       "IN (SELECT id FROM documents WHERE question = "
			       "?1) ORDER BY doc_id");
	db_bind_text(p, r.docs, 1, o->question);
	db_bind_text(p, r.segs, 1, o->question);
	sqlite3_bind_int(r.segs, 2, r.any_speakers);
	db_bind_text(p, r.olds, 1, o->question);
	if (!o->dry_run) {
		struct strbuf sql = STRBUF_INIT;

		coding_writer_init(&r.cw, p);
		sb_adds(&sql, "DELETE FROM codings WHERE id IN (?");
		for (int i = 1; i < DEL_BATCH; i++) {
			sb_adds(&sql, ",?");
		}
		sb_adds(&sql, ")");
		r.del = db_prepare(p, sb_str(&sql));
		sb_release(&sql);
	}
	progress_start(&pg, "autocoding", 0);
	if (!o->progress) {
		pg.active = 0;
	}
	if (pg.active) {
		pg.total = (size_t)db_int(p, 0, "SELECT count(*) FROM "
					     "documents WHERE %Q IS NULL OR "
					     "question = %Q",
					  o->question, o->question);
	}
	seg_step(&r);
	old_step(&r);
	/* Batches of documents are scanned on every thread and applied here
	 * in document order: the codings, their ids and every count are the
	 * same whatever the number of threads. */
	start_threads(&r);
	for (;;) {
		struct job *j = next_done(&r);

		if (!j) {
			break;
		}
		if (j->err) {
			char *msg = j->err;

			j->err = NULL;
			run_die(&r, j->err_code, msg);
		}
		for (size_t i = 0; i < j->n; i++) {
			apply(&r, &j->d[i]);
			progress_update(&pg, ++done);
		}
		job_clear(j);
		pthread_mutex_lock(&r.mu);
		r.applied++;
		pthread_cond_broadcast(&r.cv); /* a batch to read into */
		pthread_mutex_unlock(&r.mu);
	}
	stop_threads(&r);
	if (!o->dry_run) {
		flush_removed(&r);
		coding_writer_flush(&r.cw);
	}
	progress_end(&pg);
	run_release(&r);
	if (rebuild) {
		db_exec(p, schema_codings_code_index);
	}
}

void autocode_result_release(struct autocode_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->v[i].path);
	}
	free(res->v);
	res->v = NULL;
	res->n = 0;
}
