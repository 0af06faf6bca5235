/* fuzz_survey.c - the CSV/TSV survey importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.csv"
#include "import.h"
