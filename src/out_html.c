/*
 * out_html.c - HTML output: escaping, the page frame every HTML output
 * shares (UTF-8, language and direction, inline CSS, nothing fetched
 * from anywhere), and the table writer for rows.
 *
 * Text cells carry dir="auto" so each takes the direction of its first
 * strong character: a Hebrew name in an English table, or the reverse,
 * keeps its own order.
 */
#include <string.h>

#include "out_html.h"
#include "text.h"

void html_put(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void html_put_text(FILE *out, const char *s)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		char *line = xstrndup(s, (size_t)(nl - s));

		html_put(out, line);
		fputs("<br>", out);
		free(line);
		s = nl + 1;
	}
	html_put(out, s);
}

const char *html_dir(const char *s)
{
	size_t len = strlen(s);

	if (text_is_rtl(s, len)) {
		return "rtl";
	}
	return text_has_rtl(s, len) ? "auto" : "ltr";
}

int lang_is_rtl(const char *lang)
{
	static const char *const rtl[] = { "he", "ar", "fa", "ur", "yi",
					   "ps", "sd", "ug", "dv", "ckb" };

	for (size_t i = 0; i < sizeof(rtl) / sizeof(rtl[0]); i++) {
		size_t n = strlen(rtl[i]);

		if (strncmp(lang, rtl[i], n) == 0 &&
		    (lang[n] == '\0' || lang[n] == '-')) {
			return 1;
		}
	}
	return 0;
}

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Arial,"
	"'Noto Sans Hebrew','Noto Sans Arabic',sans-serif;margin:2em auto;"
	"max-width:60em;padding:0 1em;color:#222;line-height:1.45}\n"
	"h1,h2,h3,h4{line-height:1.2}\n"
	"table{border-collapse:collapse;margin:1em 0}\n"
	"th,td{border-bottom:1px solid #ddd;padding:.25em .6em;"
	"text-align:start;vertical-align:top}\n"
	"th{background:#f4f4f4}\n"
	"td.num,th.num{text-align:end;font-variant-numeric:tabular-nums}\n"
	"blockquote{margin:.8em 0;padding:.4em 1em;border-inline-start:4px "
	"solid #9bb;background:#f8fafa}\n"
	"blockquote p{margin:.2em 0}\n"
	"blockquote footer{color:#555;font-size:.92em}\n"
	".meta{color:#777;font-size:.85em}\n"
	".n{color:#555}\n"
	"svg{display:block;max-width:100%;height:auto;margin:1em 0}\n"
	"svg text{font-family:inherit;font-size:13px}\n"
	".legend{list-style:none;padding:0;margin:.5em 0}\n"
	".legend li{display:inline-block;margin-inline-end:1.5em}\n"
	".swatch{display:inline-block;width:.9em;height:.9em;"
	"vertical-align:middle}\n"
	"section{margin-bottom:3em}\n"
	".wide{overflow-x:auto;max-width:100%;margin:1em 0}\n"
	".wide table{margin:0}\n"
	".wide td:first-child,.wide th:first-child{position:sticky;left:0;"
	"z-index:1;background:#fff}\n"
	"html[dir=rtl] .wide td:first-child,html[dir=rtl] .wide "
	"th:first-child{left:auto;right:0}\n"
	".wide th:first-child{background:#f4f4f4}\n"
	".wide th{white-space:nowrap}\n"
	".wide td:first-child{min-width:10em}\n";

void html_page_begin(FILE *out, const char *lang, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"", out);
	html_put(out, lang);
	fprintf(out, "\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		lang_is_rtl(lang) ? "rtl" : "ltr");
	fputs("<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>", out);
	html_put(out, title);
	fputs("</title>\n<style>\n", out);
	fputs(css, out);
	fputs("</style>\n</head>\n<body>\n", out);
}

void html_page_end(FILE *out)
{
	fputs("</body>\n</html>\n", out);
}

/* True for a number cell (right-aligned). */
static int is_num(const struct cell *c)
{
	return c->kind == CELL_INT || c->kind == CELL_REAL;
}

void out_html(const struct rows *r, FILE *out)
{
	char buf[64];

	fputs("<table>\n<thead>\n<tr>", out);
	for (size_t c = 0; c < r->ncols; c++) {
		int num = r->nrows && is_num(rows_cell(r, 0, c));

		/* A number column's head isolates its text, keeping the
		 * column's alignment. */
		fputs(num ? "<th class=\"num\"><bdi>" : "<th dir=\"auto\">",
		      out);
		html_put(out, r->cols[c]);
		fputs(num ? "</bdi></th>" : "</th>", out);
	}
	fputs("</tr>\n</thead>\n<tbody>\n", out);
	for (size_t i = 0; i < r->nrows; i++) {
		fputs("<tr>", out);
		for (size_t c = 0; c < r->ncols; c++) {
			const struct cell *cell = rows_cell(r, i, c);

			fputs(is_num(cell) ? "<td class=\"num\">"
					   : "<td dir=\"auto\">", out);
			html_put_text(out, cell_text(cell, buf, sizeof(buf)));
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

void out_html_wide(const struct rows *r, FILE *out)
{
	fputs("<div class=\"wide\">\n", out);
	out_html(r, out);
	fputs("</div>\n", out);
}
