/* fuzz_txt.c - the txt importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.txt"
#include "import.h"
