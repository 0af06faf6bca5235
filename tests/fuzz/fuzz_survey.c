/* fuzz_survey.c - the CSV/TSV survey importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.csv"
#include "import_harness.h"
