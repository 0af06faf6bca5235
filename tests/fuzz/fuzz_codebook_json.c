/* fuzz_codebook_json.c - the JSON codebook reader (codebook_harness.h). */
#define FUZZ_FORMAT "json"
#include "codebook_harness.h"
