/* fuzz_qdpx.c - the qdpx importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.qdpx"
#include "import_harness.h"
