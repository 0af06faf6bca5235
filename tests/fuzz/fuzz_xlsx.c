/* fuzz_xlsx.c - the xlsx importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.xlsx"
#include "import.h"
