/* fuzz_srt.c - the srt importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.srt"
#include "import.h"
