/* fuzz_codebook_md.c - the Markdown codebook reader (codebook_parse_md)
 * on valid, normalised UTF-8, as codebook_read_md hands it. */
#include <stdlib.h>

#include "codebook.h"
#include "fuzz.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct codebook cb;
	struct cb_error err;
	struct utf8_error e;
	char *text;
	size_t len;

	if (utf8_validate((const char *)data, size, &e) != 0) {
		return 0;
	}
	text = text_normalize((const char *)data, size, &len);
	codebook_init(&cb);
	cb_error_init(&err);
	if (codebook_parse_md(&cb, "fuzz.md", text, len, &err) == 0 &&
	    codebook_validate(&cb, "fuzz.md", &err) != 0) {
		abort(); /* the parser let through what validation refuses */
	}
	cb_error_release(&err);
	codebook_release(&cb);
	free(text);
	return 0;
}
