/*
 * refi_pos.h - selection positions of REFI-QDA files to qcode offsets.
 *
 * The standard counts Unicode code points from 0 in the source file.  Real
 * files differ: NVivo counts UTF-16 code units (a character outside the
 * Basic Multilingual Plane counts two) and a CRLF as two; ATLAS.ti counts
 * a CRLF as one.  A leading BOM is never counted.  qcode stores the text
 * with the BOM removed and CRLF (and a lone CR) turned into LF, so each
 * position is mapped, through the original bytes, onto a code point of the
 * stored text.  A position inside a pair that became one character (CR LF,
 * a surrogate pair) counts the whole character: a start rounds down, an
 * end rounds up.
 */
#ifndef QCODE_REFI_POS_H
#define QCODE_REFI_POS_H

#include <stddef.h>

/* How a file counts positions. */
struct refi_units {
	int utf16;    /* UTF-16 code units rather than code points */
	int crlf_one; /* CR LF counts one rather than two */
};

/* The counting of files written by ORIGIN (the Project's origin attribute;
 * NULL when absent): NVivo UTF-16 with CRLF two, ATLAS.ti code points
 * with CRLF one, anything else code points with CRLF two. */
struct refi_units refi_units_for(const char *origin);

/* How U counts, for messages: "characters" or "UTF-16 code units". */
const char *refi_units_name(struct refi_units u);

/* A checkpoint: the stored character CP starts at file unit UNIT and at
 * byte BYTE of the source. */
struct refi_mark {
	size_t unit, byte, cp;
};

/* A map from one source's positions to code points of its stored text. */
struct refi_posmap {
	const char *raw;   /* the source bytes (valid UTF-8), BOM skipped */
	size_t len;
	struct refi_units u;
	size_t units;      /* length in the file's units */
	size_t chars;      /* length of the stored text in code points */
	size_t nmarks;
	struct refi_mark *marks; /* every 64th stored character */
};

/* Build the map over RAW[0..LEN) (valid UTF-8; a BOM is skipped). */
void refi_posmap_init(struct refi_posmap *m, const char *raw, size_t len,
		      struct refi_units u);
void refi_posmap_release(struct refi_posmap *m);

/* The code point of the stored text at position POS (file units): 0, or
 * -1 when POS is negative or past the end. */
int refi_posmap_cp(const struct refi_posmap *m, long long pos, int is_end,
		   size_t *cp);

#endif
