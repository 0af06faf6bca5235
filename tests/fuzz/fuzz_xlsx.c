/* fuzz_xlsx.c - the xlsx importer (tests/fuzz/import_harness.h). */
#define FUZZ_NAME "in.xlsx"
#include "import_harness.h"
