/*
 * out_html.h - HTML escaping, the page frame and the rows table writer.
 */
#ifndef QCODE_OUT_HTML_H
#define QCODE_OUT_HTML_H

#include <stdio.h>
#include <stdlib.h>

#include "out.h"
#include "util.h"

/* Write S with & < > " ' escaped. */
void html_put(FILE *out, const char *s);
/* The same, with line breaks as <br>. */
void html_put_text(FILE *out, const char *s);
/* "rtl" when S's first strong character is right-to-left, "auto" when
 * it only holds some right-to-left text, else "ltr".  Static string. */
const char *html_dir(const char *s);
/* True for the language codes of right-to-left scripts (he, ar, ...). */
int lang_is_rtl(const char *lang);
/* <!DOCTYPE html> ... <body>: UTF-8, lang and dir of LANG, the inline
 * style sheet, TITLE. */
void html_page_begin(FILE *out, const char *lang, const char *title);
/* </body></html> */
void html_page_end(FILE *out);

/* An HTML table inside a container that scrolls sideways when the
 * table is wider than the page, its first column staying in view. */
void out_html_wide(const struct rows *r, FILE *out);

#endif
