/* fuzz_odt.c - the OpenDocument text importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.odt"
#include "import_harness.h"
