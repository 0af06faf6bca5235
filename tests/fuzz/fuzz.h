/*
 * fuzz.h - what the libFuzzer harnesses (tests/fuzz/fuzz_*.c) share:
 * catching die() and an in-memory project.  Every parser takes a buffer
 * and a context, so no input goes through a file.  See README
 * "Fuzzing".
 */
#ifndef QCODE_FUZZ_H
#define QCODE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "project.h"

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * Run FN(ARG) with die() caught (project_try on the in-memory project):
 * a die() (a refused input: qcode would print the message and exit)
 * returns here instead of exiting, after rolling back the project's
 * transaction and finalizing the statements the run left open (as
 * 'qcode serve' does for a request).  Returns 0, or -1 when FN died.
 * What FN allocated before it died is not freed (the real command
 * exits), so harnesses that die often run with -detect_leaks=0
 * (tests/fuzz/run.sh).
 */
int fuzz_try(void (*fn)(void *), void *arg);

/* A new empty project in memory (once per process); NULL-safe reset
 * with project_rollback().  SQLite's memory comes from glibc, not
 * ASan (harness.c). */
struct project *fuzz_project(void);

/*
 * An input's changes to the project, undone by fuzz_rollback: the
 * first call opens the project's transaction (project_begin with
 * COMMAND, its history row and undo marks: as costly as a small
 * import, so once per process), every call sets a savepoint that
 * fuzz_rollback goes back to, also after a die() in fuzz_try.
 */
void fuzz_begin(const char *command);
void fuzz_rollback(void);

/*
 * Set the read size of the input streams (instream_default_piece) for
 * an input of SIZE bytes: 128 to 4095 bytes, spread over the sizes, so
 * that an input is read in several pieces (as a file over 64 KiB is)
 * or in one, and its piece boundaries move as mutations change its
 * length.  It also keeps what a refused input leaks small.
 */
void fuzz_piece(size_t size);

/* DATA as a NUL-terminated copy; caller frees. */
char *fuzz_str(const uint8_t *data, size_t size);

#endif
