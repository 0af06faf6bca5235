/* fuzz_srt.c - the srt importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.srt"
#include "import_harness.h"
