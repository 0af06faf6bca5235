/*
 * test_segment.c - speaker labels, timestamps, the prose guard, turns
 * and paragraphs (segment.c).
 */
#include <stdlib.h>

#include "segment.h"
#include "unit.h"

/* Parse LINE; returns the label kind and copies the name into NAME. */
static int label(const char *line, unsigned flags, char *name, size_t n,
		 long long *ms, size_t *text)
{
	struct seg_label l;
	int found = segment_parse_label(line, strlen(line), flags, &l);

	snprintf(name, n, "%s", l.name ? l.name : "");
	if (ms) {
		*ms = l.ms;
	}
	if (text) {
		*text = l.text;
	}
	free(l.name);
	return found ? (int)l.kind : SEG_NONE;
}

void test_segment_time(void)
{
	long long ms = 0;

	CHECK_INT(segment_parse_time("00:12:03", 8, &ms), 8);
	CHECK_INT(ms, 723000);
	CHECK_INT(segment_parse_time("1:02:03.5 x", 11, &ms), 9);
	CHECK_INT(ms, 3723500);
	CHECK_INT(segment_parse_time("12:03,250", 9, &ms), 9);
	CHECK_INT(ms, 723250);
	CHECK_INT(segment_parse_time("00:61:00", 8, &ms), 0);
	CHECK_INT(segment_parse_time("12:3", 4, &ms), 0);
	CHECK_INT(segment_parse_time("12", 2, &ms), 0);
	CHECK_INT(segment_parse_time("1:02:03:04", 10, &ms), 0);
	CHECK_INT(segment_parse_time("x12:03", 6, &ms), 0);
}

void test_segment_labels(void)
{
	char name[128];
	long long ms;
	size_t text;

	/* Latin, Hebrew with gershayim, Arabic; with and without a space. */
	CHECK_INT(label("Interviewer: so", 0, name, sizeof(name), &ms, &text),
		  SEG_INLINE);
	CHECK_STR(name, "Interviewer");
	CHECK_INT(text, 13);
	CHECK_INT(ms, -1);
	CHECK_INT(label("Dr. Jane  O'Neill-Smith:yes", 0, name, sizeof(name),
			NULL, &text), SEG_INLINE);
	CHECK_STR(name, "Dr. Jane O'Neill-Smith");
	CHECK_INT(text, 24);
	CHECK_INT(label("היו\"ר משה גפני:", 0, name, sizeof(name), NULL,
			NULL), SEG_ALONE);
	CHECK_STR(name, "היו\"ר משה גפני");
	CHECK_INT(label("עו\"ד אבי כהן: שלום", 0, name, sizeof(name), NULL,
			NULL), SEG_INLINE);
	CHECK_STR(name, "עו\"ד אבי כהן");
	CHECK_INT(label("עו״ד מ׳ לוי:  ", 0, name, sizeof(name), NULL,
			NULL), SEG_ALONE);
	CHECK_STR(name, "עו״ד מ׳ לוי");
	CHECK_INT(label("د. سامي الخطيب: نعم", 0, name, sizeof(name), NULL,
			NULL), SEG_INLINE);
	CHECK_STR(name, "د. سامي الخطيب");
	CHECK_INT(label("Speaker 2: ok", 0, name, sizeof(name), NULL, NULL),
		  SEG_INLINE);
	CHECK_STR(name, "Speaker 2");
	/* Brackets, timestamps before and after the name. */
	CHECK_INT(label("[id1] hello", 0, name, sizeof(name), NULL, &text),
		  SEG_BRACKET);
	CHECK_STR(name, "id1");
	CHECK_INT(text, 6);
	CHECK_INT(label("[Amit Varma]: Ram", 0, name, sizeof(name), NULL,
			&text), SEG_BRACKET);
	CHECK_STR(name, "Amit Varma");
	CHECK_INT(text, 14);
	CHECK_INT(label("Ana (00:12:03): hi", 0, name, sizeof(name), &ms,
			&text), SEG_TIMED);
	CHECK_STR(name, "Ana");
	CHECK_INT(ms, 723000);
	CHECK_INT(text, 16);
	CHECK_INT(label("[00:00:05] Ana: hi", 0, name, sizeof(name), &ms,
			&text), SEG_INLINE);
	CHECK_STR(name, "Ana");
	CHECK_INT(ms, 5000);
	CHECK_INT(text, 16);
	CHECK_INT(label("01:02:03 Ana: hi", 0, name, sizeof(name), &ms,
			NULL), SEG_INLINE);
	CHECK_INT(ms, 3723000);
	CHECK_INT(label("Ana: [00:00:05] hi", 0, name, sizeof(name), &ms,
			&text), SEG_INLINE);
	CHECK_INT(ms, 5000);
	CHECK_INT(text, 16);
	CHECK_INT(label("Speaker (party): hi", 0, name, sizeof(name), &ms,
			NULL), SEG_INLINE);
	CHECK_STR(name, "Speaker (party)");
	CHECK_INT(ms, -1);
	/* Markdown bold labels only in Markdown. */
	CHECK_INT(label("**Ana:** hi", SEG_MARKDOWN, name, sizeof(name), NULL,
			&text), SEG_BRACKET);
	CHECK_STR(name, "Ana");
	CHECK_INT(text, 9);
	CHECK_INT(label("**Ana**: hi", SEG_MARKDOWN, name, sizeof(name), NULL,
			NULL), SEG_BRACKET);
	CHECK_STR(name, "Ana");
	CHECK_INT(label("**Ana:** hi", 0, name, sizeof(name), NULL, NULL),
		  SEG_NONE);
	CHECK_INT(label("# Part: one", SEG_MARKDOWN, name, sizeof(name), NULL,
			NULL), SEG_NONE);
	/* Not labels: times, URLs, sentences, numbers, too long. */
	CHECK_INT(label("Meeting at 10:30 today", 0, name, sizeof(name), NULL,
			NULL), SEG_NONE);
	CHECK_INT(label("Time:10:18", 0, name, sizeof(name), NULL, NULL),
		  SEG_NONE);
	CHECK_INT(label("https://example.org/a", 0, name, sizeof(name), NULL,
			NULL), SEG_NONE);
	CHECK_INT(label("Well, the reason: money", 0, name, sizeof(name),
			NULL, NULL), SEG_NONE);
	CHECK_INT(label("Why? Because: money", 0, name, sizeof(name), NULL,
			NULL), SEG_NONE);
	CHECK_INT(label("3 things matter: a", 0, name, sizeof(name), NULL,
			NULL), SEG_NONE);
	CHECK_INT(label("one two three four five six seven: x", 0, name,
			sizeof(name), NULL, NULL), SEG_NONE);
	CHECK_INT(label("[1] a footnote", 0, name, sizeof(name), NULL, NULL),
		  SEG_NONE);
	CHECK_INT(label(": nothing", 0, name, sizeof(name), NULL, NULL),
		  SEG_NONE);
	/* A leading timestamp without a label. */
	CHECK_INT(label("[00:01:02] just text", 0, name, sizeof(name), &ms,
			&text), SEG_NONE);
	CHECK_INT(ms, 62000);
	CHECK_INT(text, 11);
	/* A bare short time is not a timestamp. */
	CHECK_INT(label("10:30 we met", 0, name, sizeof(name), &ms, &text),
		  SEG_NONE);
	CHECK_INT(ms, -1);
	CHECK_INT(text, 0);
}

/* Segment TEXT and describe the result: "speaker|text|t0;" per segment
 * ("-" for no speaker). */
static char *describe(const char *text, unsigned flags)
{
	static char buf[4096];
	struct segments s;
	size_t n = 0;

	segments_init(&s);
	segment_text(text, strlen(text), flags, &s);
	buf[0] = '\0';
	for (size_t i = 0; i < s.n && n < sizeof(buf); i++) {
		const struct segment *g = &s.v[i];

		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s|%.*s|%lld;",
				      g->speaker ? g->speaker : "-",
				      (int)(g->end - g->start),
				      text + g->start, g->t0);
	}
	segments_release(&s);
	return buf;
}

void test_segment_turns(void)
{
	/* Inline labels; a line without a label continues the turn. */
	CHECK_STR(describe("Interview 3\n\nQ: How was it?\nA: Fine.\nReally "
			   "fine.\n\nQ: Why?\nA: People.\n", 0),
		  "-|Interview 3|-1;Q|How was it?|-1;A|Fine.\nReally fine.|-1;"
		  "Q|Why?|-1;A|People.|-1;");
	/* The prose guard: a one-off "Name:" inside a turn is text. */
	CHECK_STR(describe("Ana: I left.\nThe reason was simple: money.\n"
			   "Ben: I see.\nAna: Yes.\nBen: Ok.\n", 0),
		  "Ana|I left.\nThe reason was simple: money.|-1;Ben|I see.|-1;"
		  "Ana|Yes.|-1;Ben|Ok.|-1;");
	/* A one-off speaker with a short name in an inline interview is a
	 * speaker; sentence-like and long one-off labels are text. */
	CHECK_STR(describe("Ana: Hi.\nBen: Hello.\nDana: Hey!\nAna: So.\n"
			   "Bottom line: we agree.\nBen: Yes.\nLong Name "
			   "Of Three: no.\n", 0),
		  "Ana|Hi.|-1;Ben|Hello.|-1;Dana|Hey!|-1;"
		  "Ana|So.\nBottom line: we agree.|-1;"
		  "Ben|Yes.\nLong Name Of Three: no.|-1;");
	CHECK_STR(describe("מראיין: שלום\nדנה: שלום לך\nמראיין: מה?\n"
			   "עו\"ד כהן: כן.\nיש פתרון פשוט: כסף.\n", 0),
		  "מראיין|שלום|-1;דנה|שלום לך|-1;מראיין|מה?|-1;"
		  "עו\"ד כהן|כן.\nיש פתרון פשוט: כסף.|-1;");
	/* Without a recurring inline label there is no one-off. */
	CHECK_STR(describe("Ana: Hi.\nDana: Hey!\n", 0),
		  "-|Ana: Hi.\nDana: Hey!|-1;");
	/* No recurring label: paragraphs, the colon line included. */
	CHECK_STR(describe("Note: this is prose.\n\nSecond one:\nstill "
			   "prose.\n", 0),
		  "-|Note: this is prose.|-1;-|Second one:\nstill prose.|-1;");
	/* The protocol layout: labels alone on their lines, the header
	 * (with label-like headings) unattributed, a one-off speaker after
	 * the first turn accepted. */
	CHECK_STR(describe("Protocol 5\n\nPresent:\n\nDana Levi\n\n"
			   "Chair:\n\nWe begin.\n\nSecond paragraph.\n\n"
			   "Guest Speaker:\n\nThank you.\n\nChair:\n\nDone.\n",
			   0),
		  "-|Protocol 5|-1;-|Present:|-1;-|Dana Levi|-1;"
		  "Chair|We begin.\n\nSecond paragraph.|-1;"
		  "Guest Speaker|Thank you.|-1;Chair|Done.|-1;");
	/* Hebrew and Arabic turns. */
	CHECK_STR(describe("מראיינת: מה שלומך?\nעו\"ד רונית: טוב.\n"
			   "מראיינת: ומה עוד?\nעו\"ד רונית: הכול.\n", 0),
		  "מראיינת|מה שלומך?|-1;עו\"ד רונית|טוב.|-1;"
		  "מראיינת|ומה עוד?|-1;עו\"ד רונית|הכול.|-1;");
	CHECK_STR(describe("المحاور: كيف الحال؟\nسلمى: بخير.\n"
			   "المحاور: شكرا.\nسلمى: عفوا.\n", 0),
		  "المحاور|كيف الحال؟|-1;سلمى|بخير.|-1;المحاور|شكرا.|-1;"
		  "سلمى|عفوا.|-1;");
	/* Timestamps: before, inside and after the label; a one-off timed
	 * label is a speaker. */
	CHECK_STR(describe("[00:00:05] Ana: Hi.\nBen (00:00:09): Hello.\n"
			   "Ana: [00:00:12] Bye.\n", 0),
		  "Ana|Hi.|5000;Ben|Hello.|9000;Ana|Bye.|12000;");
	/* Bracketed labels: a one-off bracket speaker in a bracketed
	 * transcript is accepted. */
	CHECK_STR(describe("[p1] one\n\n[p2] two\n\n[p1] three\n\n[p3] "
			   "four\n", 0),
		  "p1|one|-1;p2|two|-1;p1|three|-1;p3|four|-1;");
	/* A label with nothing after it makes no segment. */
	CHECK_STR(describe("A: x\nB:\nA: y\nB: z\n", 0),
		  "A|x|-1;A|y|-1;B|z|-1;");
}

void test_segment_paragraphs(void)
{
	CHECK_STR(describe("", 0), "");
	CHECK_STR(describe("\n\n  \n", 0), "");
	CHECK_STR(describe("  One line.  \nTwo.\n\n\n Three.", 0),
		  "-|One line.  \nTwo.|-1;-|Three.|-1;");
	/* Timestamped lines start paragraphs. */
	CHECK_STR(describe("[00:00:01] First.\n[00:00:04] Second.\nmore\n",
			   0),
		  "-|First.|1000;-|Second.\nmore|4000;");
	/* Markdown: headings are paragraphs of their own and end turns. */
	CHECK_STR(describe("# Interview\nintro\n\n**Q:** a?\n**A:** b.\n\n"
			   "## Part 2\nnotes\n\n**Q:** c?\n**A:** d.\n"
			   "**B:** e.\n",
			   SEG_MARKDOWN),
		  "-|# Interview|-1;-|intro|-1;Q|a?|-1;A|b.|-1;-|## Part 2|-1;"
		  "-|notes|-1;Q|c?|-1;A|d.|-1;B|e.|-1;");
}
