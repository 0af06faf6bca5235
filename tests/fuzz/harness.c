/* harness.c - the harnesses' shared helpers (fuzz.h). */
#include "fuzz.h"

#include <string.h>

#include "util.h"

static struct project *proj;

int fuzz_try(void (*fn)(void *), void *arg)
{
	return project_try(proj, fn, arg);
}

struct project *fuzz_project(void)
{
	if (!proj) {
		proj = project_create(":memory:");
	}
	return proj;
}

char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size) {
		memcpy(s, data, size);
	}
	s[size] = '\0';
	return s;
}
