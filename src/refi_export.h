/*
 * refi_export.h - the project as a REFI-QDA project (.qdpx): a zip with
 * project.qde, one sources/<GUID>.txt per document, and qcode.xml, the
 * qcode-only facts (segments, survey questions, how each coding was made)
 * that the standard has no place for and that other tools ignore.
 *
 * The same project always gives the same bytes: objects keep their stored
 * GUIDs, and objects without one get a GUID derived from what identifies
 * them (refi_guid_derive; a code's from its path, never one stored on
 * another code: refi_code_guid), so export never writes to the project;
 * elements
 * come in schema order, sorted by codebook order, position or GUID; no
 * timestamps; empty containers are left out.  Only accepted codings are
 * exported (REFI-QDA has no suggested or rejected codings).
 */
#ifndef QCODE_REFI_EXPORT_H
#define QCODE_REFI_EXPORT_H

#include <stddef.h>

#include "project.h"

/* What an export wrote, for the command's summary. */
struct refi_export_stats {
	size_t coders, codes, attributes, cases, documents, codings, notes,
		sets;
	size_t not_accepted; /* suggested and rejected codings left out */
	size_t orphan_notes; /* memos whose target is not exported */
};

/* Write the project P to PATH as a .qdpx named NAME (the Project's name
 * attribute).  Dies with QC_OUTPUT when PATH cannot be written. */
void refi_export_qdpx(struct project *p, const char *path, const char *name,
		      struct refi_export_stats *st);

/* A code of the project and the GUID it is exported under. */
struct refi_code_guid {
	long long id;
	char guid[37];
	int derived; /* none stored: derived from the path (refi_code_guid) */
};

/* The GUIDs the codes of P are exported under, ordered by id, into *OUT
 * (malloc'd; NULL when there are none).  Returns how many.  Import finds
 * a code by them, and a rename stores them, so a code keeps its GUID. */
size_t refi_code_guids(struct project *p, struct refi_code_guid **out);
/* The same for the codes of the attached schema SCHEMA of P ("main": P's
 * own), as its export would give them; 'qcode merge' matches the other
 * project's codes to ours by them. */
size_t refi_code_guids_in(struct project *p, const char *schema,
			  struct refi_code_guid **out);

#endif
