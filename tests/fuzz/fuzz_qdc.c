/* fuzz_qdc.c - the REFI-QDA codebook reader (refi_qdc_parse): the XML
 * safety layer (refi_xml_parse, namespace variants), codes and sets. */
#include "codebook.h"
#include "fuzz.h"
#include "refi_qdc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct codebook cb;
	struct refi_sets sets;
	struct cb_error err;

	codebook_init(&cb);
	refi_sets_init(&sets);
	cb_error_init(&err);
	refi_qdc_parse(&cb, &sets, "fuzz.qdc", (const char *)data, size, &err);
	cb_error_release(&err);
	refi_sets_release(&sets);
	codebook_release(&cb);
	return 0;
}
