/*
 * merge_refi.c - 'qcode merge CODER.qdpx': a REFI-QDA project (NVivo,
 * ATLAS.ti, MAXQDA, QualCoder, qcode) is read by the .qdpx importer --
 * the one reader of that format -- into a new temporary qcode project,
 * which is then merged like a .qcode copy (merge.c), its documents
 * matched by their text (GUID, name and case telling equal texts
 * apart).  The importer makes the file's users coders and attributes
 * every coding to its user; the temporary project is removed when qcode
 * exits, however it exits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "import.h"
#include "merge.h"
#include "util.h"

/* The temporary projects made, removed at exit. */
static char **temps;
static size_t ntemps;

static void remove_temps(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm",
					      "-journal" };

	for (size_t i = 0; i < ntemps; i++) {
		char *dir = xstrdup(temps[i]), *slash = strrchr(dir, '/');

		for (size_t k = 0; k < sizeof(suffix) / sizeof(*suffix); k++) {
			char *f = xasprintf("%s%s", temps[i], suffix[k]);

			unlink(f);
			free(f);
		}
		if (slash) {
			*slash = '\0';
			rmdir(dir);
		}
		free(dir);
		free(temps[i]);
	}
	free(temps);
	temps = NULL;
	ntemps = 0;
}

int merge_is_refi(const char *path)
{
	size_t n = strlen(path);

	return (n > 5 && strcasecmp(path + n - 5, ".qdpx") == 0) ||
	       (n > 4 && strcasecmp(path + n - 4, ".qde") == 0);
}

char *merge_refi_load(const char *path)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *proj;
	struct project *tp;
	struct import_opts o;
	struct import_ctx ic;

	if (access(path, R_OK) != 0) {
		die(QC_INPUT, "cannot read '%s': %s", path, strerror(errno));
	}
	dir = xasprintf("%s/qcode-merge-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		int e = errno;

		free(dir);
		die(QC_OUTPUT, "cannot make a temporary folder to read '%s': %s",
		    path, strerror(e));
	}
	proj = xasprintf("%s/refi.qcode", dir);
	free(dir);
	if (!ntemps) {
		atexit(remove_temps);
	}
	temps = xrealloc(temps, (ntemps + 1) * sizeof(char *));
	temps[ntemps++] = proj;
	tp = project_create(proj);
	project_begin(tp, "import", 1, (char **)&path);
	memset(&o, 0, sizeof(o));
	import_ctx_init(&ic, tp, &o);
	import_path(&ic, path);
	import_ctx_release(&ic);
	project_commit(tp);
	project_close(tp);
	return xstrdup(proj);
}
