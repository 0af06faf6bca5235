/*
 * segment.h - splitting a normalised UTF-8 text into segments: speaker
 * turns where the text has speaker labels, else paragraphs.  Pure
 * functions over byte offsets; importers convert the offsets to code
 * points (text.h) when they store them.
 *
 * Speaker labels are recognised at the start of a line:
 *   Name: text          Name:text          Name:   (alone on its line, the
 *   [Name] text         [Name]: text       Knesset protocol layout: the
 *   Name (00:12:03): text                  paragraphs below are the turn)
 *   [00:12:03] Name: text                  00:12:03 Name: text
 *   **Name:** text      **Name**: text     (Markdown only)
 * Spaces, tabs and invisible characters (speaker_ignored_cp(): direction
 * marks, embeddings, isolates, U+061C, the BOM) before a label are
 * skipped, so a line wrapped in U+202B...U+202C has its label too.
 * A name is 1 to 6 words and at most 60 characters, starts with a letter
 * (any script) and holds only letters, marks, digits, spaces and the
 * punctuation of names: . - _ ' " ’ & ( ) and Hebrew geresh, gershayim
 * and maqaf (so `היו"ר משה גפני:` and `עו"ד אבי כהן:` are labels).  A
 * colon followed by a digit or '/' is a time or a URL, not a label.
 *
 * Telling labels from prose ("The reason was simple: money"): a line
 * that has the shape of a label becomes a turn only when
 *   - its name labels at least two lines of the text (names compared by
 *     speaker_key(): `Interviewer1:` and `interviewer 1 :` are one
 *     recurring name), or
 *   - it carries its own timestamp (`Name (00:12:03):`), or
 *   - it is alone on its line, or marked up (in brackets, or bold in
 *     Markdown), and the text has a recurring label of that same form
 *     (a one-off speaker in a protocol or a marked-up transcript), or
 *   - it is a `Name: text` line in a text where some name recurs as a
 *     `Name: text` label, and its own name looks like a name: one
 *     or two words, none starting with a lower-case Latin letter (a
 *     one-off third speaker, "Dana:", in an interview),
 * and it comes at or after the first line that passes the first two
 * tests.  So "The reason was simple: money", "Bottom line: ..." and
 * "יש פתרון פשוט: ..." inside a turn stay text, and the headings of a
 * protocol's front matter (`נכחו:`, `סדר היום:`) are not speakers.  The
 * price: a one-off speaker with a name of three words or more is read
 * as text unless the label is alone on its line or marked up, and a
 * one- or two-word phrase with a colon that starts a line inside an
 * interview ("Example: ...", "הסיבה פשוטה: ...") becomes a speaker.
 *
 * Text before the first turn (a header), and text after a Markdown
 * heading until the next label, is not attributed to anyone: it becomes
 * speakerless paragraph segments.  A line without a label continues the
 * current turn.  A turn's segment covers the spoken text only: from after
 * the label (and its timestamp) to the end of its last non-blank line.
 * A label followed by no text makes no segment.
 *
 * Without speaker labels the text is split into paragraphs at blank
 * lines; a line that starts with a timestamp also starts a paragraph.
 * Timestamps `[00:12:03]`, `(00:12:03)` (also `[12:03]`) and a bare
 * `00:12:03` (hours needed: "10:30 we met" is text), with optional
 * `.mmm` or `,mmm` milliseconds, at the start of a line or right after
 * a label, are kept on the segment as its start time (milliseconds)
 * and left out of its text.  Text imports have no end times.
 */
#ifndef QCODE_SEGMENT_H
#define QCODE_SEGMENT_H

#include <stddef.h>

/* One segment: bytes [start, end) of the text. */
struct segment {
	size_t start, end;
	const char *kind; /* "turn", "paragraph" or "cue" (static) */
	char *speaker;    /* NULL when none; owned by the list */
	long long t0, t1; /* milliseconds, -1 when unknown */
};

/* A growable list of segments; release with segments_release(). */
struct segments {
	struct segment *v;
	size_t n, cap;
};

void segments_init(struct segments *s);
void segments_release(struct segments *s);
/* Append a segment; SPEAKER (may be NULL) is copied. */
void segments_add(struct segments *s, size_t start, size_t end,
		  const char *kind, const char *speaker, long long t0,
		  long long t1);

struct strbuf;
/* Append a paragraph to the document text DOC being built (after a
 * blank line unless DOC is empty): "SPEAKER: TEXT", or TEXT alone when
 * SPEAKER is NULL; and its segment to OUT: a "turn" of SPEAKER covering
 * TEXT[0..LEN) (not the label), or a "cue".  Times in ms or -1.  The
 * subtitle and turn-table importers store their documents this way. */
void segments_add_paragraph(struct segments *out, struct strbuf *doc,
			    const char *speaker, const char *text, size_t len,
			    long long t0, long long t1);

/* Flags for segment_text() and segment_parse_label(). */
#define SEG_MARKDOWN 1u /* **Name:** labels; # headings break turns */

/* Split TEXT[0..LEN) (normalised UTF-8, LF line ends) into turns or
 * paragraphs, appended to OUT in text order. */
void segment_text(const char *text, size_t len, unsigned flags,
		  struct segments *out);

/* The forms of a speaker label. */
enum seg_label_kind {
	SEG_NONE = 0,  /* no label (a timestamp may still be found) */
	SEG_INLINE,    /* Name: text */
	SEG_ALONE,     /* Name:   alone on its line */
	SEG_BRACKET,   /* [Name] text, [Name]: text, **Name:** text */
	SEG_TIMED,     /* Name (00:12:03): text */
};

/* What segment_parse_label() found at the start of a line. */
struct seg_label {
	enum seg_label_kind kind;
	char *name;   /* the name, spaces collapsed; NULL for SEG_NONE;
			 the caller frees it */
	size_t text;  /* offset in the line where the spoken text starts
			 (after the label, its timestamp and spaces) */
	long long ms; /* the label's or the line's timestamp, or -1 */
};

/* Parse a speaker label and/or a leading timestamp at the start of
 * LINE[0..LEN) (no newline).  Returns 1 when a label was found, else 0
 * (L->ms and L->text then describe a leading timestamp, if any). */
int segment_parse_label(const char *line, size_t len, unsigned flags,
			struct seg_label *l);

/* Whether NAME looks like a name rather than the start of a sentence:
 * one or two words, none of them starting with a lower-case Latin
 * letter ("Dana", "Teacher B", "דנה"; not "Bottom line").  Used for
 * one-off labels. */
int segment_name_like(const char *name);

/* Parse a time H:MM:SS, HH:MM:SS or MM:SS with optional .mmm / ,mmm at
 * S[0..LEN).  Returns the number of bytes used and sets *MS, or 0 when
 * S does not start with a time. */
size_t segment_parse_time(const char *s, size_t len, long long *ms);

#endif
