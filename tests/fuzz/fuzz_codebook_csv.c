/* fuzz_codebook_csv.c - the CSV codebook reader (codebook_harness.h). */
#define FUZZ_FORMAT "csv"
#include "codebook_harness.h"
