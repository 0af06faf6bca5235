/*
 * progress.h - progress lines on stderr while long work runs, only when
 * stderr is a terminal (never in pipes, files or tests).
 */
#ifndef QCODE_PROGRESS_H
#define QCODE_PROGRESS_H

#include <stddef.h>

struct progress {
	int active;         /* stderr is a terminal */
	const char *what;   /* "importing", "autocoding" */
	size_t total;       /* 0 when unknown */
	size_t done;
	long long last_ms;  /* last redraw */
	int bytes;          /* units are bytes: shown as megabytes */
};

void progress_start(struct progress *pg, const char *what, size_t total);
/* The same for work measured in bytes (TOTAL of them). */
void progress_start_bytes(struct progress *pg, const char *what,
			  size_t total);
/* Report that DONE units are finished; redraws at most 10 times a second. */
void progress_update(struct progress *pg, size_t done);
/* Clear the line. */
void progress_end(struct progress *pg);

#endif
