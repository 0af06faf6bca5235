/*
 * cmd_merge.c - qcode merge OTHER.qcode...: bring other coders' copies
 * of the project into this one, in one transaction (one 'qcode undo').
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "merge.h"
#include "util.h"

static const char usage[] =
	"usage: qcode merge [--theirs] OTHER.qcode...\n"
	"       qcode merge [--theirs] CODER.qdpx...\n"
	"\n"
	"Add the work of other qcode projects -- typically copies of this\n"
	"one that other coders coded -- to this project: coders, cases and\n"
	"attributes (matched by name), documents (matched by content: the\n"
	"sha256 of the text, with its case and survey question; never by\n"
	"name alone), codes (matched by GUID, else by path) with their\n"
	"rules, codings (the same document, span, code and coder is kept\n"
	"once; each keeps its coder), memos on the project, cases,\n"
	"documents, codes and codings, survey questions, speaker aliases\n"
	"and code sets.  A\n"
	"document only the other project has is added with its segments\n"
	"(renamed when this project uses its name for another text).\n"
	"\n"
	"Documents with the same text are told apart by their GUID, then\n"
	"their name, then (a .qdpx) their case; one that could still be\n"
	"several of this project's is refused (exit 3, nothing merged)\n"
	"rather than guessed.\n"
	"\n"
	"A code is matched by the GUID export gives it (stored, else\n"
	"derived from its path), else by its path under its parent's code\n"
	"here: a code renamed or moved in the other project (codebook\n"
	"rename, or another program) gives its codings to this project's\n"
	"code, which keeps its name ('renamed: ...' says so).  Two of the\n"
	"other's codes that would become one code here are refused (exit\n"
	"3, nothing merged).\n"
	"\n"
	"A code whose description, colour, codable flag or rules differ,\n"
	"a case attribute with another value, and a coding both projects\n"
	"hold with another memo (an empty one takes theirs) or another\n"
	"status (accepted, suggested, rejected) are reported as conflicts;\n"
	"this project's version is kept unless --theirs.\n"
	"Everything happens in one transaction: 'qcode undo' takes the whole\n"
	"merge back.  The other files are only read.\n"
	"\n"
	"A REFI-QDA project (.qdpx, or a bare .qde with its sources/ folder\n"
	"beside it) from NVivo, ATLAS.ti, MAXQDA, QualCoder or qcode merges\n"
	"the same way: it is read as 'qcode import' reads it (users become\n"
	"coders by their name, each coding keeps its user), then merged;\n"
	"its documents are matched by their text (the sha256 of the text as\n"
	"qcode stores it), since such a file has no survey questions to\n"
	"compare; among equal texts the GUID, name and case decide.\n"
	"\n"
	"  --theirs            in a conflict, take the other project's version\n"
	"  -p, --project FILE  this project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_THEIRS = OPT_BASE };

int cmd_merge(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "theirs", no_argument, NULL, O_THEIRS },
		{ NULL, 0, NULL, 0 },
	};
	struct project *p;
	char **schemas;
	int c, theirs = 0;

	ctx->usage = usage;
	cli_help(argc, argv, usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (c == O_THEIRS) {
			theirs = 1;
		} else {
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind >= argc) {
		cli_usage_error(ctx, "name the projects to merge");
	}
	p = ctx->proj;
	/* every file checked before anything is merged */
	schemas = xcalloc((size_t)(argc - optind), sizeof(char *));
	for (int i = optind; i < argc; i++) {
		if (merge_is_refi(argv[i])) {
			/* a REFI-QDA project, read into a temporary one */
			char *tmp = merge_refi_load(argv[i]);

			schemas[i - optind] = merge_attach(p, tmp);
			free(tmp);
		} else {
			schemas[i - optind] = merge_attach(p, argv[i]);
		}
	}
	for (int i = optind; i < argc; i++) {
		struct merge_stats st;
		unsigned flags = (theirs ? MERGE_THEIRS : 0) |
				 (merge_is_refi(argv[i]) ? MERGE_BY_TEXT : 0);

		memset(&st, 0, sizeof(st));
		merge_project(p, schemas[i - optind], argv[i], flags, &st,
			      stdout);
		free(schemas[i - optind]);
		printf("merged '%s': %lld document%s added, %lld matched by "
		       "content; %lld code%s added, %lld matched by path",
		       argv[i], st.docs_added, st.docs_added == 1 ? "" : "s",
		       st.docs_matched, st.codes_added,
		       st.codes_added == 1 ? "" : "s",
		       st.codes_matched - st.codes_renamed);
		if (st.codes_renamed) {
			printf(" and %lld by GUID under another name (kept "
			       "ours)", st.codes_renamed);
		}
		if (st.codes_conflict) {
			printf(" (%lld with another definition: %s)",
			       st.codes_conflict,
			       theirs ? "took theirs" : "kept ours");
		}
		printf("; %lld coding%s added, %lld already here",
		       st.codings_added, st.codings_added == 1 ? "" : "s",
		       st.codings_dup);
		if (st.status_conflict) {
			printf(" (%lld with another status: %s)",
			       st.status_conflict,
			       theirs ? "took theirs" : "kept ours");
		}
		printf("; %lld coder%s, %lld case%s, %lld attribute value%s, "
		       "%lld memo%s added\n", st.coders_added,
		       st.coders_added == 1 ? "" : "s", st.cases_added,
		       st.cases_added == 1 ? "" : "s", st.values_added,
		       st.values_added == 1 ? "" : "s", st.memos_added,
		       st.memos_added == 1 ? "" : "s");
	}
	free(schemas);
	return QC_OK;
}
