/* fuzz_segment.c - transcript segmentation (segment_text) of any text,
 * plain and Markdown, with the importers' invariants checked. */
#include <stdlib.h>

#include "fuzz.h"
#include "segment.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct utf8_error e;

	/* The importers hand it valid UTF-8 only. */
	if (utf8_validate(text, size, &e) != 0) {
		return 0;
	}

	for (unsigned flags = 0; flags <= SEG_MARKDOWN; flags++) {
		struct segments s;
		size_t prev = 0;

		segments_init(&s);
		segment_text(text, size, flags, &s);
		for (size_t i = 0; i < s.n; i++) {
			/* In text order, inside the text, not empty. */
			if (s.v[i].start < prev || s.v[i].start >= s.v[i].end ||
			    s.v[i].end > size) {
				abort();
			}
			prev = s.v[i].end;
		}
		segments_release(&s);
	}
	return 0;
}
