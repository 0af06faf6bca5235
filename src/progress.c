/*
 * progress.c - a single self-overwriting status line on a terminal.
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_start(struct progress *pg, const char *what, size_t total)
{
	pg->active = isatty(2);
	pg->what = what;
	pg->total = total;
	pg->done = 0;
	pg->last_ms = 0;
	pg->bytes = 0;
}

void progress_start_bytes(struct progress *pg, const char *what,
			  size_t total)
{
	progress_start(pg, what, total);
	pg->bytes = 1;
}

void progress_update(struct progress *pg, size_t done)
{
	long long t;

	pg->done = done;
	if (!pg->active) {
		return;
	}
	t = now_ms();
	if (t - pg->last_ms < 100) {
		return;
	}
	pg->last_ms = t;
	if (pg->bytes && pg->total) {
		fprintf(stderr, "\r%s %.1f/%.1f MB (%zu%%)\x1b[K", pg->what,
			(double)done / 1048576, (double)pg->total / 1048576,
			done * 100 / pg->total);
	} else if (pg->total) {
		fprintf(stderr, "\r%s %zu/%zu (%zu%%)\x1b[K", pg->what, done,
			pg->total, done * 100 / pg->total);
	} else {
		fprintf(stderr, "\r%s %zu\x1b[K", pg->what, done);
	}
	fflush(stderr);
}

void progress_end(struct progress *pg)
{
	if (pg->active) {
		fputs("\r\x1b[K", stderr);
		fflush(stderr);
	}
	pg->active = 0;
}
