/* fuzz_docx.c - the docx importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.docx"
#include "import.h"
