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
 * HTML sets dir on each <blockquote> and isolates the attribution with
 * <bdi>.
 */
#include "out_quotes.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "out_html.h"
#include "text.h"
#include "util.h"

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

/* The quote's details after the attribution: the case when the
 * attribution is something else, document#segment, speaker, time,
 * question (when the document name does not already say it), coder. */
char *quote_meta(const struct report_quote *q, const char *lang)
{
	const struct labels *l = labels_get(lang);
	struct strbuf sb = STRBUF_INIT;
	char buf[32];

	if (strcmp(q->case_name, q->attribution) != 0) {
		sb_adds(&sb, q->case_name);
		sb_adds(&sb, " · ");
	}
	sb_adds(&sb, q->doc_name);
	if (q->seg_idx >= 0) {
		sb_addf(&sb, "#%lld", q->seg_idx);
	}
	if (q->speaker) {
		sb_addf(&sb, " · %s", q->speaker);
	}
	if (q->time_ms >= 0) {
		sb_addf(&sb, " · %s", report_time(q->time_ms, buf,
						   sizeof(buf)));
	}
	if (q->question) {
		size_t dl = strlen(q->doc_name), ql = strlen(q->question);

		if (!(dl > ql && strcmp(q->doc_name + dl - ql,
					q->question) == 0 &&
		      q->doc_name[dl - ql - 1] == '/')) {
			sb_addf(&sb, " · %s: %s", l->question, q->question);
		}
	}
	sb_addf(&sb, " · %s: %s", l->coder, q->coder);
	return sb_detach(&sb, NULL);
}

/* ---- Markdown ---- */

/* Write S escaped for Markdown inline text: backslash before the ASCII
 * punctuation that could start markup, and before a character that
 * would open a block at the start of a line. */
static void md_put(FILE *out, const char *s)
{
	const char *s0 = s;
	int bol = 1;

	for (; *s; s++) {
		if (bol) {
			const char *p = s;

			while (*p >= '0' && *p <= '9') {
				p++;
			}
			if (strchr("#+-=>", *s) ||
			    (p > s && (*p == '.' || *p == ')'))) {
				if (p > s) {
					fwrite(s, 1, (size_t)(p - s), out);
					s = p;
				}
				/* Written here, so that '>' (escaped
				 * inline too) gets one backslash. */
				fputc('\\', out);
				fputc(*s, out);
				bol = 0;
				continue;
			}
		}
		bol = 0;
		/* An underscore inside a word never emphasises. */
		if (*s == '_' && s > s0 && isalnum((unsigned char)s[-1]) &&
		    isalnum((unsigned char)s[1])) {
			fputc(*s, out);
			continue;
		}
		if (strchr("\\`*_[]<>&|~", *s)) {
			fputc('\\', out);
		}
		fputc(*s, out);
	}
}

/* A Markdown heading of LEVEL (1..6). */
static void md_heading(FILE *out, int level, const char *name)
{
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	for (int i = 0; i < level; i++) {
		fputc('#', out);
	}
	fputc(' ', out);
	md_put(out, name);
	fputs("\n\n", out);
}

/* One quote as a block quote, paragraph by paragraph. */
static void md_quote(FILE *out, const struct report_quote *q,
		     const char *lang)
{
	int rtl = text_is_rtl(q->text, strlen(q->text));
	const char *s = q->text;
	char *meta = quote_meta(q, lang);

	if (rtl) {
		fputs("<div dir=\"rtl\">\n\n", out);
	}
	for (;;) {
		const char *nl = strchr(s, '\n');
		char *line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));

		fputs(*trim(line) ? "> " : ">", out);
		md_put(out, line);
		fputc('\n', out);
		free(line);
		if (!nl) {
			break;
		}
		s = nl + 1;
	}
	fputs("\n— ", out);
	md_put(out, q->attribution);
	fputs(" · ", out);
	md_put(out, meta);
	fputs("\n\n", out);
	if (rtl) {
		fputs("</div>\n\n", out);
	}
	free(meta);
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
	char *meta = quote_meta(q, lang);
	const char *s = q->text;

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
	html_put(out, q->attribution);
	fputs("</bdi> <span class=\"meta\">· <bdi>", out);
	html_put(out, meta);
	fputs("</bdi></span></footer></blockquote>\n", out);
	free(meta);
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
