/*
 * cmd_export.c - qcode export --format qdpx -o FILE.qdpx: the project as
 * a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder and others.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "refi_export.h"
#include "util.h"

static const char usage[] =
	"usage: qcode export [--format qdpx] -o FILE.qdpx [--name NAME]\n"
	"\n"
	"Write the project as a REFI-QDA project (.qdpx): a zip with\n"
	"project.qde and each document as sources/<GUID>.txt, which NVivo,\n"
	"ATLAS.ti, MAXQDA and QualCoder import.  Codes (nesting,\n"
	"descriptions, colours), coders, accepted codings, cases with their\n"
	"attributes, memos and code groups go in; suggested and rejected\n"
	"codings stay out.  qcode.xml in the zip keeps what only qcode uses\n"
	"(segments, survey questions, how each coding was made); other tools\n"
	"ignore it.  The same project always gives the same bytes.\n"
	"\n"
	"  --format qdpx       the format (the only one so far)\n"
	"  -o, --output FILE   the file to write (replaced if it exists and\n"
	"                      is a zip archive; never the project itself)\n"
	CLI_FORCE_USAGE
	"  --name NAME         the project's name in the file (default:\n"
	"                      \"qcode project\")\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_FORMAT = OPT_BASE, O_NAME };

/* "s" unless N is 1. */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

int cmd_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, O_NAME },
		CLI_FORCE_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct refi_export_stats st;
	const char *out = NULL, *name = "qcode project";
	char *target;
	int c, force = 0;

	ctx->usage = usage;
	while ((c = cli_getopt(ctx, argc, argv, "p:ho:", opts)) != -1) {
		switch (c) {
		case O_FORMAT:
			if (strcmp(optarg, "qdpx") != 0) {
				cli_usage_error(ctx,
						"unknown export format '%s' "
						"(choose from: qdpx)",
						optarg);
			}
			break;
		case 'o':
			out = optarg;
			break;
		case O_NAME:
			name = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if (!out || !*out) {
		cli_usage_error(ctx,
				"name the file to write with -o FILE.qdpx");
	}
	/* libzip writes a temporary file beside the target and renames it
	 * over the target when the archive is complete. */
	target = out_target(out, OUT_ZIP, force, ctx->proj->path);
	if (!target) {
		cli_usage_error(ctx, "a .qdpx cannot go to standard output; "
				"name a file with -o FILE.qdpx");
	}
	refi_export_qdpx(ctx->proj, target, name, &st);
	free(target);
	printf("exported '%s': %zu document%s, %zu code%s, %zu coding%s, "
	       "%zu coder%s, %zu case%s, %zu memo%s\n", out, st.documents,
	       plural(st.documents), st.codes, plural(st.codes), st.codings,
	       plural(st.codings), st.coders, plural(st.coders), st.cases,
	       plural(st.cases), st.notes, plural(st.notes));
	if (st.not_accepted) {
		notice("%zu suggested or rejected coding%s not exported "
		       "(REFI-QDA holds accepted codings only)",
		       st.not_accepted, plural(st.not_accepted));
	}
	if (st.orphan_notes) {
		warn("%zu memo%s on objects that are not exported left out",
		     st.orphan_notes, plural(st.orphan_notes));
	}
	return QC_OK;
}
