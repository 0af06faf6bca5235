/* fuzz_txt.c - the txt importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.txt"
#include "import_harness.h"
