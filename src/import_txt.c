/*
 * import_txt.c - plain-text and Markdown transcripts: the file is stored
 * as it is (normalised UTF-8) and segmented into speaker turns or
 * paragraphs by segment.c.  One document per file, named after the file
 * (or --name), attached to the --case when given.
 */
#include "import.h"
#include "segment.h"
#include "util.h"

/* Store F as one document of FORMAT, segmented with FLAGS. */
static void import_text(struct import_ctx *ic, struct import_file *f,
			const char *format, unsigned flags)
{
	struct segments segs;
	long long case_id = import_doc_case(ic);
	long long doc;

	doc = import_document(ic, import_doc_name(ic, f), case_id, NULL,
			      format, f->text, f->len);
	segments_init(&segs);
	segment_text(f->text, f->len, flags, &segs);
	if (!segs.n) {
		warn("'%s' has no text: imported as a document with no "
		     "segments", f->path);
	}
	import_segments(ic, doc, f->text, f->len, &segs);
	segments_release(&segs);
}

void import_txt(struct import_ctx *ic, struct import_file *f)
{
	import_text(ic, f, "txt", 0);
}

void import_md(struct import_ctx *ic, struct import_file *f)
{
	import_text(ic, f, "md", SEG_MARKDOWN);
}
