/*
 * test_tagpath.c - tag_to_code_path(): tags from other tools to code
 * paths.
 */
#include <stdlib.h>

#include "lookup.h"
#include "unit.h"

/* CHECK_STR on a returned string, freeing it; "(null)" for NULL. */
static void check_path(const char *tag, char sep, const char *want)
{
	char *got = tag_to_code_path(tag, sep);

	CHECK_STR(got ? got : "(null)", want);
	free(got);
}

void test_tag_to_code_path(void)
{
	check_path("Press:Transparency", ':', "Press/Transparency");
	check_path(" Press : Transparency ", ':', "Press/Transparency");
	check_path("Lack of trust", ':', "Lack of trust");
	/* A '/' inside a tag is not a level. */
	check_path("Increased number of failures / bugs", ':',
		   "Increased number of failures \xE2\x88\x95 bugs");
	check_path("a:b/c:d", ':', "a/b\xE2\x88\x95" "c/d");
	/* Paths: '/' separates, levels trimmed. */
	check_path("Theme / Sub", '/', "Theme/Sub");
	check_path("נושא/תת-נושא", '/', "נושא/תת-נושא");
	/* Empty levels. */
	check_path("", '/', "(null)");
	check_path("A//B", '/', "(null)");
	check_path("/A", '/', "(null)");
	check_path("A: ", ':', "(null)");
	check_path("\t", ':', "(null)");
}
