/* fuzz_zip.c - the .qdpx container (refi_zip_open on a buffer): entry
 * checks, lookup, reading each entry up to 1 MiB, and parsing
 * project.qde as XML as the importer does. */
#include <stdlib.h>

#include "fuzz.h"
#include "xml.h"
#include "zipfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct refi_zip rz;
	char *msg = NULL;
	long qde;

	if (refi_zip_open(&rz, (const char *)data, size, &msg) != 0) {
		free(msg);
		return 0;
	}
	qde = refi_zip_find(&rz, "project.qde");
	for (size_t i = 0; i < rz.n; i++) {
		char *buf = NULL;
		size_t len = 0;

		if (rz.sizes[i] > ((size_t)1 << 20)) {
			continue;
		}
		if (refi_zip_read(&rz, (long)i, &buf, &len, &msg) != 0) {
			free(msg);
			msg = NULL;
			continue;
		}
		if ((long)i == qde) {
			long line;
			xmlDocPtr doc = refi_xml_parse(buf, len, &line, &msg);

			if (doc) {
				refi_xml_normalize_ns(doc, NULL, NULL);
				xmlFreeDoc(doc);
			} else {
				free(msg);
				msg = NULL;
			}
		}
		free(buf);
	}
	refi_zip_close(&rz);
	return 0;
}
