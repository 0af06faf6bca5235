/*
 * test_speaker.c - speaker keys (speaker.c) and the recurrence of a
 * label's name under its different spellings (segment.c).
 */
#include <stdlib.h>

#include "import.h"
#include "segment.h"
#include "speaker.h"
#include "unit.h"

/* The key of NAME, compared with WANT. */
static void key_is(const char *name, const char *want)
{
	char *k = speaker_key(name);

	CHECK_STR(k, want);
	free(k);
}

void test_speaker_key(void)
{
	key_is("Interviewer 1", "interviewer1");
	key_is("Interviewer1", "interviewer1");
	key_is("  INTERVIEWER\t1 ", "interviewer1");
	key_is("interviewer", "interviewer");
	/* Latin-1, Extended-A, Greek, Cyrillic fold; Hebrew has no case,
	 * its points and invisible direction marks are left out. */
	key_is("ÉLODIE Ł.", "élodieł.");
	key_is("Σοφία", "σοφία");
	key_is("ОЛЬГА", "ольга");
	key_is("\xE2\x80\x8Fמְרַאיֶינֶת", "מראיינת");
	key_is("היו\"ר משה", "היו\"רמשה");
	key_is("", "");
	CHECK(speaker_key(NULL) == NULL);
	CHECK(speaker_same("Dana Levi", "dana levi"));
	CHECK(speaker_same("Dana Levi", "DanaLevi"));
	CHECK(!speaker_same("Dana", "Dana L."));
	CHECK(!speaker_same("Dana", NULL));
	CHECK(speaker_same(NULL, NULL));
}

/* The segments of TEXT as "speaker|start-end;". */
static void turns_are(const char *text, const char *want)
{
	struct segments s;
	char buf[512];
	size_t n = 0;

	segments_init(&s);
	segment_text(text, strlen(text), 0, &s);
	buf[0] = '\0';
	for (size_t i = 0; i < s.n && n < sizeof(buf); i++) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s|%zu-%zu;",
				      s.v[i].speaker ? s.v[i].speaker : "-",
				      s.v[i].start, s.v[i].end);
	}
	CHECK_STR(buf, want);
	segments_release(&s);
}

void test_speaker_recurrence(void)
{
	/* Two spellings of one name recur together: both are turns (the
	 * lower-case one was text before). */
	turns_are("Interviewer1 : Hi.\nDana: Hello.\ninterviewer 1: So?\n",
		  "Interviewer1|15-18;Dana|25-31;interviewer 1|47-50;");
	/* Labels behind direction characters (RLE...PDF, RLI...PDI): the
	 * marks are outside the segments (byte offsets here). */
	turns_are("\xE2\x80\xAB" "Ana: Hi.\xE2\x80\xAC\n"
		  "\xE2\x80\xAB" "Ben: Yo.\xE2\x80\xAC\n"
		  "\xE2\x81\xA7" "Ana: So.\xE2\x81\xA9\n",
		  "Ana|8-11;Ben|23-26;Ana|38-41;");
	/* A turn ending in a vowel point (qamats) keeps it. */
	turns_are("Ana: \xD7\x9C\xD6\xB0\xD7\x9A\xD6\xB8\nBen: x\nAna: y\n",
		  "Ana|5-13;Ben|19-20;Ana|26-27;");
	CHECK(speaker_ignored_cp(0x061C) && speaker_ignored_cp(0x202B) &&
	      speaker_ignored_cp(0x2069) && !speaker_ignored_cp('A'));
	CHECK(speaker_same("\xD8\x9C" "Dana", "Dana"));
	/* A one-off lower-case label is still text. */
	turns_are("Ana: Hi.\nBen: Yo.\nAna: So.\nnote: x\n",
		  "Ana|5-8;Ben|14-17;Ana|23-34;");
}

/* Whether the header line HEAD of a file named PATH is a turn table's. */
static int turns(const char *path, const char *head)
{
	return import_turns_detect(path, head, strlen(head), 0, NULL);
}

void test_turns_detect(void)
{
	CHECK(turns("a.tsv", "start\tend\tspeaker\ttext\n1\t2\tA\tHi\n"));
	CHECK(turns("a.csv", "Begin (s),Stop (s),Speaker Name,Transcript\n"));
	CHECK(turns("a.txt", "speaker;utterance\n"));
	CHECK(turns("a.csv", "start_ms,text\n"));
	CHECK(turns("a.csv", "TC In,Caption\n"));
	/* A text column alone, or a survey's columns, are no turn table. */
	CHECK(!turns("a.csv", "id,text\n"));
	CHECK(!turns("a.csv", "id,age,benefit,improve\n"));
	CHECK(!turns("a.txt", "Interviewer: speaker and text\n"));
	CHECK(!turns("a.txt", ""));
	/* A .tsv is tab-separated: commas do not split its header. */
	CHECK(!turns("a.tsv", "speaker,text\n"));
}
