/* fuzz_qdpx.c - the qdpx importer (tests/fuzz/import.h). */
#define FUZZ_NAME "in.qdpx"
#include "import.h"
