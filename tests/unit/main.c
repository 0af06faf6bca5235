/*
 * main.c - run every unit test; print "ok NAME" or "FAIL NAME".
 */
#include "unit.h"

int unit_failures;

int main(void)
{
	int failed = 0;

#define X(name)                                                         \
	do {                                                            \
		int before = unit_failures;                             \
		name();                                                 \
		if (unit_failures != before) {                          \
			printf("FAIL %s\n", #name);                     \
			failed++;                                       \
		} else {                                                \
			printf("ok %s\n", #name);                       \
		}                                                       \
	} while (0);
	UNIT_TESTS(X)
#undef X
	return failed ? 1 : 0;
}
