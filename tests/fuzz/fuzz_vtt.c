/* fuzz_vtt.c - the vtt importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.vtt"
#include "import_harness.h"
