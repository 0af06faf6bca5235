/* fuzz_docx.c - the docx importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.docx"
#include "import_harness.h"
