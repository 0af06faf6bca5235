/*
 * import_turns.c - tables of speaker turns, as oral-history and
 * transcription services export them: a header row naming the columns,
 * then one utterance per row (start, end, speaker, text; tab-, comma- or
 * semicolon-separated, RFC 4180 quoting).
 *
 * Columns are found by name, case, spaces, '_', '-', '.' and brackets
 * ignored (`Start Time`, `start_time`, `Start (ms)`):
 *   start    start, begin, from, in, time, timestamp, start time, tc in
 *   end      end, stop, to, out, end time, stop time, tc out
 *   speaker  speaker, speaker name, speaker label, name, who,
 *            participant, voice
 *   text     text, transcript, transcription, utterance, content, words,
 *            sentence, caption
 * A start or end column may carry its unit (`start (ms)`, `end_s`,
 * `begin sec`).  Other columns are ignored.  Times are seconds (`12`,
 * `12.5`: to the millisecond, further digits dropped), milliseconds in
 * a column named with `ms`, or `HH:MM:SS`, `H:MM:SS`, `MM:SS` with
 * optional `.mmm` or `,mmm`; an empty cell is an unknown time.
 *
 * As with subtitles (import_vtt.c), consecutive rows of one speaker
 * (names compared by speaker_key()) merge into one turn that keeps the
 * first start and the last end time, their texts joined by a space; a
 * row without a speaker is a segment of its own (kind "cue").  A row
 * with an empty text makes nothing.  The stored document is one
 * paragraph per segment, `Name: text` for a turn, and the segment covers
 * the text after `Name: `.  Line breaks inside a cell become spaces.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "import.h"
#include "segment.h"
#include "speaker.h"
#include "util.h"

/* What a column holds. */
enum tcol { T_START, T_END, T_SPEAKER, T_TEXT, T_NCOLS };

static const char *const role_names[T_NCOLS] = {
	"start time", "end time", "speaker", "text",
};

/* Column names (folded: lower case, no spaces, '_', '-', '.', brackets)
 * and what they hold. */
static const struct {
	const char *name;
	enum tcol role;
} col_names[] = {
	{ "start", T_START },       { "begin", T_START },
	{ "starttime", T_START },   { "begintime", T_START },
	{ "from", T_START },        { "in", T_START },
	{ "time", T_START },        { "timestamp", T_START },
	{ "tcin", T_START },        { "end", T_END },
	{ "stop", T_END },          { "endtime", T_END },
	{ "stoptime", T_END },      { "to", T_END },
	{ "out", T_END },           { "tcout", T_END },
	{ "speaker", T_SPEAKER },   { "speakername", T_SPEAKER },
	{ "speakerlabel", T_SPEAKER }, { "name", T_SPEAKER },
	{ "who", T_SPEAKER },       { "participant", T_SPEAKER },
	{ "voice", T_SPEAKER },     { "text", T_TEXT },
	{ "transcript", T_TEXT },   { "transcription", T_TEXT },
	{ "utterance", T_TEXT },    { "content", T_TEXT },
	{ "words", T_TEXT },        { "sentence", T_TEXT },
	{ "caption", T_TEXT },
};

/* Unit suffixes of a time column's name, and whether they mean ms. */
static const struct {
	const char *suffix;
	int ms;
} units[] = {
	{ "milliseconds", 1 }, { "msec", 1 }, { "ms", 1 }, { "seconds", 0 },
	{ "secs", 0 },         { "sec", 0 },  { "s", 0 },
};

/* The header's columns. */
struct header {
	size_t ncols;
	int col[T_NCOLS];  /* the column of each role, -1 when none */
	int ms[T_NCOLS];   /* a time column holds milliseconds */
	char **names;      /* the header's names as written (owned) */
	int dup1, dup2;    /* the first two columns holding one role, or
			      -1 */
	enum tcol dup;     /* and that role */
};

/* NAME folded for comparing with col_names; caller frees. */
static char *fold_name(const char *name)
{
	char *s = xmalloc(strlen(name) + 1);
	size_t n = 0;

	for (const char *p = name; *p; p++) {
		char c = *p;

		if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '.' ||
		    c == '(' || c == ')' || c == '[' || c == ']') {
			continue;
		}
		s[n++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	s[n] = '\0';
	return s;
}

/* The role of folded column name S, or T_NCOLS; *MS tells a
 * milliseconds unit. */
static enum tcol role_of(const char *s, int *ms)
{
	size_t n = strlen(s);

	*ms = 0;
	for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++) {
		if (strcmp(s, col_names[i].name) == 0) {
			return col_names[i].role;
		}
	}
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t k = strlen(units[u].suffix);

		if (n <= k || strcmp(s + n - k, units[u].suffix) != 0) {
			continue;
		}
		for (size_t i = 0;
		     i < sizeof(col_names) / sizeof(col_names[0]); i++) {
			if ((col_names[i].role == T_START ||
			     col_names[i].role == T_END) &&
			    strlen(col_names[i].name) == n - k &&
			    strncmp(s, col_names[i].name, n - k) == 0) {
				*ms = units[u].ms;
				return col_names[i].role;
			}
		}
	}
	return T_NCOLS;
}

static void header_release(struct header *h)
{
	for (size_t i = 0; i < h->ncols; i++) {
		free(h->names[i]);
	}
	free(h->names);
	memset(h, 0, sizeof(*h));
}

/* Read the header from the record R holds into H.  Returns 0, or -1
 * when two columns hold one role (H->dup1 and H->dup2 name them; the
 * first column of a role counts). */
static int read_header(const struct csv_reader *r, struct header *h)
{
	memset(h, 0, sizeof(*h));
	h->dup1 = h->dup2 = -1;
	h->ncols = r->nfields;
	h->names = xcalloc(h->ncols + 1, sizeof(*h->names));
	for (int k = 0; k < T_NCOLS; k++) {
		h->col[k] = -1;
	}
	for (size_t c = 0; c < r->nfields; c++) {
		char *name = trim(r->fields[c]);
		char *f = fold_name(name);
		int ms;
		enum tcol role = role_of(f, &ms);

		free(f);
		h->names[c] = xstrdup(name);
		if (role == T_NCOLS) {
			continue;
		}
		if (h->col[role] < 0) {
			h->col[role] = (int)c;
			h->ms[role] = ms;
		} else if (h->dup1 < 0) {
			h->dup = role;
			h->dup1 = h->col[role];
			h->dup2 = (int)c;
		}
	}
	return h->dup1 < 0 ? 0 : -1;
}

/* The delimiter of a turn table in TEXT[0..LEN) named PATH: DELIM when
 * given, else tab for .tsv and .tab, else detected. */
static char table_delim(const char *path, const char *text, size_t len,
			char delim)
{
	const char *dot = strrchr(path, '.');

	if (delim) {
		return delim;
	}
	if (dot && (strcasecmp(dot, ".tsv") == 0 ||
		    strcasecmp(dot, ".tab") == 0)) {
		return '\t';
	}
	return csv_detect(text, len);
}

/* What header H reads as: "start 'Begin', speaker 'Who', text 'Text';
 * columns ignored: Age, Notes"; caller frees. */
static char *describe(const struct header *h)
{
	static const char *const roles[T_NCOLS] = { "start", "end", "speaker",
						    "text" };
	struct strbuf sb = STRBUF_INIT;
	const char *sep = "";

	for (int k = 0; k < T_NCOLS; k++) {
		if (h->col[k] >= 0) {
			sb_addf(&sb, "%s%s '%s'", sep, roles[k],
				h->names[h->col[k]]);
			sep = ", ";
		}
	}
	sep = "; columns ignored: ";
	for (size_t c = 0; c < h->ncols; c++) {
		int used = 0;

		for (int k = 0; k < T_NCOLS; k++) {
			used |= h->col[k] == (int)c;
		}
		if (!used) {
			sb_addf(&sb, "%s%s", sep, h->names[c]);
			sep = ", ";
		}
	}
	return sb_detach(&sb, NULL);
}

int import_turns_detect(const char *path, const char *text, size_t len,
			char delim, char **desc)
{
	struct csv_reader r;
	struct header h;
	int yes = 0;

	if (desc) {
		*desc = NULL;
	}
	csv_init(&r, text, len, table_delim(path, text, len, delim));
	if (csv_next(&r) == 1 && r.nfields >= 2) {
		read_header(&r, &h);
		yes = h.col[T_TEXT] >= 0 &&
		      (h.col[T_SPEAKER] >= 0 || h.col[T_START] >= 0);
		if (yes && desc && h.dup1 < 0) {
			*desc = describe(&h);
		}
		header_release(&h);
	}
	csv_release(&r);
	return yes;
}

/* Parse the time cell V of role ROLE at LINE into *MS (-1 for an empty
 * cell); dies naming the file and line when it is no time. */
static void parse_time(const struct import_file *f, const struct header *h,
		       enum tcol role, const char *v, size_t line,
		       long long *ms)
{
	size_t n = strlen(v), i = 0;
	long long whole = 0, frac = 0;
	int digits = 0, fd = 0;

	*ms = -1;
	if (!n) {
		return;
	}
	if (strchr(v, ':')) {
		if (segment_parse_time(v, n, ms) == n) {
			return;
		}
		goto bad;
	}
	while (i < n && v[i] >= '0' && v[i] <= '9') {
		if (whole > 1000000000000LL) {
			goto bad;
		}
		whole = whole * 10 + (v[i++] - '0');
		digits++;
	}
	if (!digits) {
		goto bad;
	}
	if (i < n && (v[i] == '.' || v[i] == ',')) {
		i++;
		if (i == n) {
			goto bad;
		}
		while (i < n && v[i] >= '0' && v[i] <= '9') {
			if (fd < 3) {
				frac = frac * 10 + (v[i] - '0');
				fd++;
			}
			i++;
		}
		for (; fd < 3; fd++) {
			frac *= 10;
		}
	}
	if (i != n) {
		goto bad;
	}
	*ms = h->ms[role] ? whole : whole * 1000 + frac;
	return;
bad:
	die(QC_INPUT, "bad %s '%s' in column '%s' of '%s' at line %zu "
		      "(expected %s, or HH:MM:SS.mmm)",
	    role_names[role], v, h->names[h->col[role]], f->path, line,
	    h->ms[role] ? "milliseconds such as 1500, as the column's name "
			  "says"
			: "seconds such as 12.5");
}

/* The turn being built. */
struct tturn {
	int open;
	char *speaker;
	long long t0, t1;
	struct strbuf text;
};

/* Append the finished turn T to the document DOC and the list OUT. */
static void flush(struct tturn *t, struct strbuf *doc, struct segments *out)
{
	if (!t->open) {
		return;
	}
	segments_add_paragraph(out, doc, t->speaker, t->text.buf, t->text.len,
			       t->t0, t->t1);
	free(t->speaker);
	t->speaker = NULL;
	sb_reset(&t->text);
	t->open = 0;
}

/* Cell C of the current record, trimmed, with line breaks and tabs
 * turned into spaces ("" when the column is absent). */
static const char *cell(struct csv_reader *r, int c)
{
	char *v;

	if (c < 0) {
		return "";
	}
	v = trim(r->fields[c]);
	for (char *p = v; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			*p = ' ';
		}
	}
	return v;
}

void import_turns(struct import_ctx *ic, struct import_file *f)
{
	struct strbuf doc = STRBUF_INIT;
	struct csv_reader r;
	struct segments segs;
	struct header h;
	struct tturn t;
	size_t rows = 0;
	long long case_id, id;
	int rc;

	csv_init(&r, f->text, f->len,
		 table_delim(f->path, f->text, f->len, ic->o->delimiter));
	rc = csv_next(&r);
	if (rc < 0) {
		die(QC_INPUT, "%s in '%s' at line %zu", r.err, f->path,
		    r.err_line);
	}
	if (rc == 0) {
		die(QC_INPUT, "'%s' is empty: a turn table needs a header row "
			      "naming its columns (start, end, speaker, text)",
		    f->path);
	}
	if (read_header(&r, &h) != 0) {
		die(QC_INPUT, "columns '%s' and '%s' of '%s' both name the %s, "
			      "at line %zu", h.names[h.dup1], h.names[h.dup2],
		    f->path,
		    role_names[h.dup], r.rec_line);
	}
	if (h.col[T_TEXT] < 0) {
		struct strbuf cols = STRBUF_INIT;

		for (size_t c = 0; c < h.ncols; c++) {
			sb_addf(&cols, "%s%s", c ? ", " : "", h.names[c]);
		}
		die(QC_INPUT, "no text column in the header of '%s' at line "
			      "%zu (its columns: %s); a turn table names its "
			      "columns start, end, speaker and text",
		    f->path, r.rec_line, sb_str(&cols));
	}
	memset(&t, 0, sizeof(t));
	segments_init(&segs);
	while ((rc = csv_next(&r)) == 1) {
		size_t line = r.rec_line;
		long long t0, t1;
		const char *text, *who;

		if (r.nfields != h.ncols) {
			die(QC_INPUT, "%s fields (%zu; the header has %zu) in "
				      "'%s' at line %zu",
			    r.nfields > h.ncols ? "too many" : "too few",
			    r.nfields, h.ncols, f->path, line);
		}
		parse_time(f, &h, T_START, cell(&r, h.col[T_START]), line,
			   &t0);
		parse_time(f, &h, T_END, cell(&r, h.col[T_END]), line, &t1);
		if (t0 >= 0 && t1 >= 0 && t1 < t0) {
			die(QC_INPUT, "turn ends before it starts in '%s' at "
				      "line %zu", f->path, line);
		}
		text = cell(&r, h.col[T_TEXT]);
		who = cell(&r, h.col[T_SPEAKER]);
		rows++;
		if (!*text) {
			continue;
		}
		if (t.open && t.speaker && *who &&
		    speaker_same(t.speaker, who)) {
			sb_addc(&t.text, ' ');
			sb_adds(&t.text, text);
			if (t.t0 < 0) {
				t.t0 = t0;
			}
			if (t1 > t.t1) {
				t.t1 = t1;
			}
			continue;
		}
		flush(&t, &doc, &segs);
		t.open = 1;
		t.speaker = *who ? xstrdup(who) : NULL;
		t.t0 = t0;
		t.t1 = t1;
		sb_adds(&t.text, text);
	}
	if (rc < 0) {
		die(QC_INPUT, "%s in '%s' at line %zu", r.err, f->path,
		    r.err_line);
	}
	flush(&t, &doc, &segs);
	sb_release(&t.text);
	if (!segs.n) {
		die(QC_INPUT, "no turns in '%s': %s", f->path,
		    rows ? "every row's text is empty" : "only a header row");
	}
	case_id = import_doc_case(ic);
	id = import_document(ic, import_doc_name(ic, f), case_id, NULL,
			     "turns", sb_str(&doc), doc.len);
	import_segments(ic, id, sb_str(&doc), doc.len, &segs);
	segments_release(&segs);
	sb_release(&doc);
	header_release(&h);
	csv_release(&r);
}
