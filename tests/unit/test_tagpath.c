/*
 * test_tagpath.c - tag_path() and tag_to_code_path(): tags from other
 * tools to code paths, with separators of one character or several.
 */
#include <stdlib.h>

#include "lookup.h"
#include "unit.h"

/* CHECK_STR on a returned string, freeing it; "(null)" for NULL.  A
 * separator of one character is also tried through tag_to_code_path(). */
static void check_path(const char *tag, const char *sep, const char *want)
{
	char *got = tag_path(tag, sep);

	CHECK_STR(got ? got : "(null)", want);
	free(got);
	if (sep[0] && !sep[1]) {
		got = tag_to_code_path(tag, sep[0]);
		CHECK_STR(got ? got : "(null)", want);
		free(got);
	}
}

void test_tag_to_code_path(void)
{
	check_path("Press:Transparency", ":", "Press/Transparency");
	check_path(" Press : Transparency ", ":", "Press/Transparency");
	check_path("Lack of trust", ":", "Lack of trust");
	/* A '/' inside a tag is not a level. */
	check_path("Increased number of failures / bugs", ":",
		   "Increased number of failures \xE2\x88\x95 bugs");
	check_path("a:b/c:d", ":", "a/b\xE2\x88\x95" "c/d");
	/* Paths: '/' separates, levels trimmed. */
	check_path("Theme / Sub", "/", "Theme/Sub");
	check_path("נושא/תת-נושא", "/", "נושא/תת-נושא");
	/* Separators of several characters, spaces around the parts. */
	check_path("don't_know->unaware", "->", "don't_know/unaware");
	check_path("don't_know -> unaware", "->", "don't_know/unaware");
	check_path("a->b->c", "->", "a/b/c");
	check_path("monitor_students->x", ">", "monitor_students-/x");
	check_path("parent > child", ">", "parent/child");
	check_path("parent::child::leaf", "::", "parent/child/leaf");
	check_path("a:b::c", "::", "a:b/c");
	check_path("הורה -> ילד", "->", "הורה/ילד");
	check_path("in/out->x", "->", "in\xE2\x88\x95out/x");
	check_path("unaware", "->", "unaware");
	/* A separator that is a prefix of itself twice: left to right. */
	check_path("a--b", "--", "a/b");
	check_path("a---b", "--", "a/-b");
	/* Empty levels. */
	check_path("", "/", "(null)");
	check_path("A//B", "/", "(null)");
	check_path("/A", "/", "(null)");
	check_path("A: ", ":", "(null)");
	check_path("\t", ":", "(null)");
	check_path("a->", "->", "(null)");
	check_path("a-> ->b", "->", "(null)");
}
