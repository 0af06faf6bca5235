/* fuzz_vtt.c - the vtt importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.vtt"
#include "import.h"
