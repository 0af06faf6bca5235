/*
 * cmd_attr.c - qcode attr set|import: case attributes by hand or from a
 * table, in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "import.h"
#include "util.h"

static const char usage[] =
	"usage: qcode attr set [--create] CASE KEY=VALUE...\n"
	"       qcode attr import [OPTIONS] FILE...\n"
	"\n"
	"set: give case CASE the attribute values KEY=VALUE (replacing the\n"
	"values it had); KEY= with nothing after '=' removes the value.  An\n"
	"unknown case is an error unless --create adds it.\n"
	"\n"
	"import: read a table (.csv, .tsv or an .xlsx sheet, with a header\n"
	"row) whose first column names the case and whose other columns are\n"
	"attributes.\n"
	"Cases not yet in the project are created; an empty cell leaves the\n"
	"case's value as it was.  A case may appear once per file.  An id\n"
	"written 48.0 is the project's case 48 when there is no case 48.0.\n"
	"  --encoding E        the files' encoding (cp1255, cp1252, ...);\n"
	"                      default UTF-8\n"
	"  --delimiter C       field separator (default: detect , ; or tab)\n"
	"  --sheet NAME|N      the sheet of an .xlsx workbook (default: the\n"
	"                      first)\n"
	"  --id-column COL     the column naming the case (default: the\n"
	"                      first); @row: the row number\n"
	"  --header-rows N     N header rows, the first naming the columns\n"
	"  --skip-rows N       skip N rows after the header rows\n"
	"  --missing V1,V2     values that count as empty (e.g. NA)\n"
	"\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_CREATE = OPT_BASE };

/* qcode attr set [--create] CASE KEY=VALUE... */
static int attr_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "create", no_argument, NULL, O_CREATE },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o;
	struct import_ctx ic;
	struct project *p;
	sqlite3_stmt *del;
	const char *name;
	long long case_id;
	int create = 0, c, set = 0, cleared = 0, same = 0;

	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (c != O_CREATE) {
			cli_usage_error(ctx, "unexpected option");
		}
		create = 1;
	}
	if (argc - optind < 2) {
		cli_usage_error(ctx, "name a case and at least one KEY=VALUE");
	}
	name = argv[optind];
	if (!*name) {
		cli_usage_error(ctx, "the case name is empty");
	}
	for (int i = optind + 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		const char *k = argv[i];

		while (k < eq && (*k == ' ' || *k == '\t')) {
			k++;
		}
		if (!eq || k == eq) {
			cli_usage_error(ctx, "'%s' is not KEY=VALUE", argv[i]);
		}
	}
	p = ctx->proj;
	case_id = db_int(p, 0, "SELECT id FROM cases WHERE name = %Q", name);
	if (!case_id && !create) {
		die(QC_NOTFOUND, "no case '%s' in the project; 'qcode cases' "
				 "lists them, and 'attr set --create' adds one",
		    name);
	}
	memset(&o, 0, sizeof(o));
	import_ctx_init(&ic, p, &o);
	if (!case_id) {
		case_id = import_case(&ic, name);
	}
	del = db_prepare(p, "DELETE FROM case_attributes WHERE case_id = ? AND "
			    "attr_id = (SELECT id FROM attributes WHERE "
			    "name = ?)");
	for (int i = optind + 1; i < argc; i++) {
		char *key = xstrdup(argv[i]);
		char *eq = strchr(key, '=');
		char *k, *v;

		*eq = '\0';
		k = trim(key);
		v = trim(eq + 1);
		if (*v) {
			char *was = db_text(p, "SELECT ca.value FROM "
					       "case_attributes ca JOIN "
					       "attributes a ON a.id = "
					       "ca.attr_id WHERE ca.case_id = "
					       "%lld AND a.name = %Q",
					    case_id, k);

			if (was && strcmp(was, v) == 0) {
				same++;
			} else {
				import_case_attr(&ic, case_id, k, v);
				set++;
			}
			free(was);
		} else {
			sqlite3_bind_int64(del, 1, case_id);
			db_bind_text(p, del, 2, k);
			db_run(p, del);
			cleared += sqlite3_changes(p->db) > 0;
		}
		free(key);
	}
	sqlite3_finalize(del);
	printf("case '%s'%s: %d value%s set", name,
	       ic.stats.cases ? " (new)" : "", set, set == 1 ? "" : "s");
	if (cleared) {
		printf(", %d removed", cleared);
	}
	if (same) {
		printf(", %d already so", same);
	}
	putchar('\n');
	import_ctx_release(&ic);
	return QC_OK;
}

/* qcode attr import [OPTIONS] FILE... */
static int attr_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		CLI_TABLE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o;
	struct import_ctx ic;
	size_t rows = 0;
	int c;

	memset(&o, 0, sizeof(o));
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (!cli_table_option(ctx, c, optarg, &o)) {
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind >= argc) {
		cli_usage_error(ctx, "name at least one file to import");
	}
	import_ctx_init(&ic, ctx->proj, &o);
	for (int i = optind; i < argc; i++) {
		rows += import_attr_table(&ic, argv[i]);
	}
	printf("imported attributes of %zu case%s (%zu new), %zu new "
	       "attribute%s\n", rows, rows == 1 ? "" : "s", ic.stats.cases,
	       ic.stats.attributes, ic.stats.attributes == 1 ? "" : "s");
	import_ctx_release(&ic);
	free_strv(o.missing);
	return QC_OK;
}

int cmd_attr(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	ctx->usage = usage;
	if (!sub) {
		cli_subcommand_error(ctx, sub);
	}
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		fputs(usage, stdout);
		return QC_OK;
	}
	if (strcmp(sub, "set") == 0) {
		return attr_set(ctx, argc - 1, argv + 1);
	}
	if (strcmp(sub, "import") == 0) {
		return attr_import(ctx, argc - 1, argv + 1);
	}
	cli_subcommand_error(ctx, sub);
}
