/*
 * out_quotes.c - quote books as rows, Markdown and HTML.
 *
 * Both documents give each code a heading (one level below its nearest
 * shown ancestor's, named by report_tree_place()), skip codes without
 * passages in scope, and after a heading say "k of n passages" when
 * --limit cut some.  Every quote carries
 * its direction: Markdown wraps a right-to-left quote in
 * <div dir="rtl"> with blank lines around the Markdown inside (GitHub,
 * pandoc and CommonMark renderers keep the div and render its content);
 * HTML sets dir on each <blockquote>.  Each value of a quote's
 * attribution line (the attribution, case, document#segment, speaker,
 * time, question, coder) is an isolate of its own: <bdi> in HTML,
 * U+2068 ... U+2069 in Markdown (where the line holds right-to-left
 * text or is right to left), so that "2/answer#1" does not read
 * "answer#1/2" in a right-to-left paragraph.
 */
#include "out_quotes.h"

#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "out.h"
#include "out_html.h"
#include "text.h"
#include "util.h"

#define FSI "\xE2\x81\xA8" /* U+2068 FIRST STRONG ISOLATE */
#define PDI "\xE2\x81\xA9" /* U+2069 POP DIRECTIONAL ISOLATE */

void quotes_rows(const struct report *r, const struct report_quotes *qs,
		 struct rows *out)
{
	rows_init(out, "code", "path", "case", "document", "question",
		  "segment", "start", "end", "speaker", "text", "attribution",
		  "time_start", "coder", NULL);
	for (size_t i = 0; i < qs->n; i++) {
		const struct report_quote *q = &qs->q[i];

		rows_str(out, r->codes[q->code].name);
		rows_str(out, r->codes[q->code].path);
		rows_str(out, q->case_id ? q->case_name : NULL);
		rows_str(out, q->doc_name);
		rows_str(out, q->question);
		if (q->seg_idx >= 0) {
			rows_int(out, q->seg_idx);
		} else {
			rows_null(out);
		}
		rows_int(out, q->start);
		rows_int(out, q->end);
		rows_str(out, q->speaker);
		rows_str(out, q->text);
		rows_str(out, q->attribution);
		if (q->time_ms >= 0) {
			rows_int(out, q->time_ms);
		} else {
			rows_null(out);
		}
		rows_str(out, q->coder);
	}
}

/* Which codes get a heading: shown codes whose subtree (among shown
 * codes) has passages.  Returns per-code passage counts of subtrees in
 * *SUB (caller frees both). */
char *headed_codes(const struct report *r, const struct report_quotes *qs,
		   long long **sub)
{
	char *shown = report_show_mask(r);
	long long *s = xcalloc(r->ncodes + 1, sizeof(long long));

	for (size_t i = 0; i < qs->n; i++) {
		s[qs->q[i].code]++;
	}
	for (size_t i = r->ncodes; i-- > 0;) {
		if (r->codes[i].parent != REPORT_NONE) {
			s[r->codes[i].parent] += s[i];
		}
	}
	*sub = s;
	return shown;
}

char *quotes_shown_note(const struct report_quotes *qs, size_t k, size_t i,
			const char *lang)
{
	const struct labels *l = labels_get(lang);
	long long n = 0;

	if (qs->total[i] <= 0) {
		return NULL;
	}
	for (size_t j = k; j < qs->n && qs->q[j].code == i; j++) {
		n++;
	}
	if (n == 0 || n >= qs->total[i]) {
		return NULL;
	}
	return xasprintf("%lld %s %lld %s", n, l->of, qs->total[i],
			 l->passages);
}

static void piece(struct quote_line *l, int value, char *text)
{
	l->p[l->n].value = value;
	l->p[l->n].text = text;
	l->n++;
}

void quote_line(const struct report_quote *q, const char *lang, int rtl,
		struct quote_line *l)
{
	const struct labels *l10n = labels_get(lang);
	char buf[32];

	memset(l, 0, sizeof(*l));
	l->attribution = q->attribution;
	if (strcmp(q->case_name, q->attribution) != 0) {
		piece(l, 1, xstrdup(q->case_name));
		piece(l, 0, xstrdup(" · "));
	}
	if (q->seg_idx >= 0) {
		piece(l, 1, xasprintf("%s#%lld", q->doc_name, q->seg_idx));
	} else {
		piece(l, 1, xstrdup(q->doc_name));
	}
	if (q->speaker) {
		piece(l, 0, xstrdup(" · "));
		piece(l, 1, xstrdup(q->speaker));
	}
	if (q->time_ms >= 0) {
		piece(l, 0, xstrdup(" · "));
		piece(l, 1, xstrdup(report_time(q->time_ms, buf,
						sizeof(buf))));
	}
	if (q->question) {
		size_t dl = strlen(q->doc_name), ql = strlen(q->question);

		if (!(dl > ql && strcmp(q->doc_name + dl - ql,
					q->question) == 0 &&
		      q->doc_name[dl - ql - 1] == '/')) {
			piece(l, 0, xasprintf(" · %s: ", l10n->question));
			piece(l, 1, xstrdup(q->question));
		}
	}
	piece(l, 0, xasprintf(" · %s: ", l10n->coder));
	piece(l, 1, xstrdup(q->coder));
	l->isolate = rtl || text_has_rtl(q->attribution,
					  strlen(q->attribution));
	for (size_t i = 0; i < l->n; i++) {
		l->isolate |= text_has_rtl(l->p[i].text,
					   strlen(l->p[i].text));
	}
}

char *quote_line_text(const struct quote_line *l)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "— %s · ", l->attribution);
	for (size_t i = 0; i < l->n; i++) {
		sb_adds(&sb, l->p[i].text);
	}
	return sb_detach(&sb, NULL);
}

void quote_line_free(struct quote_line *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->p[i].text);
	}
	l->n = 0;
}

/* ---- Markdown ---- */

/* A Markdown heading of LEVEL (1..6). */
static void md_heading(FILE *out, int level, const char *name)
{
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	for (int i = 0; i < level; i++) {
		fputc('#', out);
	}
	fputc(' ', out);
	md_text(out, name, 1);
	fputs("\n\n", out);
}

/* A value of the attribution line, with ISOLATE 1 between FIRST STRONG
 * ISOLATE and POP DIRECTIONAL ISOLATE (invisible; kept by every
 * Markdown renderer and sanitizer, unlike <bdi>). */
static void md_value(FILE *out, const char *s, int isolate)
{
	if (isolate) {
		fputs(FSI, out);
	}
	md_text(out, s, 0);
	if (isolate) {
		fputs(PDI, out);
	}
}

/* One quote as a block quote, paragraph by paragraph. */
static void md_quote(FILE *out, const struct report_quote *q,
		     const char *lang)
{
	int rtl = text_is_rtl(q->text, strlen(q->text));
	const char *s = q->text;
	struct quote_line l;

	quote_line(q, lang, rtl, &l);

	if (rtl) {
		fputs("<div dir=\"rtl\">\n\n", out);
	}
	for (;;) {
		const char *nl = strchr(s, '\n');
		char *line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));

		fputs(*trim(line) ? "> " : ">", out);
		md_text(out, line, 1);
		fputc('\n', out);
		free(line);
		if (!nl) {
			break;
		}
		s = nl + 1;
	}
	fputs("\n— ", out);
	md_value(out, l.attribution, l.isolate);
	fputs(" · ", out);
	for (size_t i = 0; i < l.n; i++) {
		if (l.p[i].value) {
			md_value(out, l.p[i].text, l.isolate);
		} else {
			md_text(out, l.p[i].text, 0);
		}
	}
	fputs("\n\n", out);
	if (rtl) {
		fputs("</div>\n\n", out);
	}
	quote_line_free(&l);
}

void quotes_md(const struct report *r, const struct report_quotes *qs,
	       const char *lang, int level, FILE *out)
{
	const struct labels *l = labels_get(lang);
	long long *sub;
	char *shown = headed_codes(r, qs, &sub);
	size_t k = 0;
	char *note, *label;

	md_heading(out, level - 1, l->quotes);
	for (size_t i = 0; i < r->ncodes; i++) {
		int h;

		if (!shown[i] || sub[i] == 0) {
			continue;
		}
		h = level + report_tree_place(r, shown, i, &label);
		md_heading(out, h, label);
		free(label);
		note = quotes_shown_note(qs, k, i, lang);
		if (note) {
			fprintf(out, "_%s_\n\n", note);
			free(note);
		}
		while (k < qs->n && qs->q[k].code == i) {
			md_quote(out, &qs->q[k], lang);
			k++;
		}
	}
	free(shown);
	free(sub);
}

/* ---- HTML ---- */

static void html_quote(FILE *out, const struct report_quote *q,
		       const char *lang)
{
	const char *s = q->text;
	struct quote_line l;

	quote_line(q, lang, 0, &l);
	fprintf(out, "<blockquote dir=\"%s\">", html_dir(q->text));
	/* Paragraphs at blank lines, <br> at single line breaks. */
	fputs("<p>", out);
	while (*s) {
		const char *nl = strchr(s, '\n');
		char *part = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));

		html_put(out, part);
		free(part);
		if (!nl) {
			break;
		}
		if (nl[1] == '\n') {
			fputs("</p><p>", out);
			while (*nl == '\n') {
				nl++;
			}
			s = nl;
		} else {
			fputs("<br>", out);
			s = nl + 1;
		}
	}
	fputs("</p>\n<footer>— <bdi>", out);
	html_put(out, l.attribution);
	fputs("</bdi> <span class=\"meta\">· ", out);
	for (size_t i = 0; i < l.n; i++) {
		if (l.p[i].value) {
			fputs("<bdi>", out);
		}
		html_put(out, l.p[i].text);
		if (l.p[i].value) {
			fputs("</bdi>", out);
		}
	}
	fputs("</span></footer></blockquote>\n", out);
	quote_line_free(&l);
}

void quotes_html(const struct report *r, const struct report_quotes *qs,
		 const char *lang, int level, FILE *out)
{
	long long *sub;
	char *shown = headed_codes(r, qs, &sub);
	size_t k = 0;
	char *note, *label;

	for (size_t i = 0; i < r->ncodes; i++) {
		int h;

		if (!shown[i] || sub[i] == 0) {
			continue;
		}
		h = level + report_tree_place(r, shown, i, &label);
		h = h < 1 ? 1 : h > 6 ? 6 : h;
		fprintf(out, "<h%d><bdi>", h);
		html_put(out, label);
		fprintf(out, "</bdi></h%d>\n", h);
		free(label);
		note = quotes_shown_note(qs, k, i, lang);
		if (note) {
			fputs("<p class=\"meta\">", out);
			html_put(out, note);
			fputs("</p>\n", out);
			free(note);
		}
		while (k < qs->n && qs->q[k].code == i) {
			html_quote(out, &qs->q[k], lang);
			k++;
		}
	}
	free(shown);
	free(sub);
}
