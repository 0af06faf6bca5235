/*
 * cmd_agree.c - qcode agree: inter-coder agreement.  Calculator mode
 * reads reliability data coded elsewhere (--data, a coders x units
 * matrix or --long unit,coder,value rows) or the spans of a unitizing
 * study (--spans); project mode (--coders) compares coders of this
 * project (agree_project.c).  The statistics are in agree.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "agree_project.h"
#include "commands.h"
#include "csv.h"
#include "import.h"
#include "util.h"

static const char usage[] =
	"usage: qcode agree --coders A,B[,C...] [--unit U] [OPTIONS]\n"
	"       qcode agree --data FILE.csv [--long] [--level L] "
	"[--categories Q]\n"
	"       qcode agree --spans FILE.csv --length N [--begin B] "
	"[--gap NAME]\n"
	;

/* The full help, in parts (a C string literal has a length limit). */
static const char *const help[] = {
"\n"
	"How far coders agree.  With --coders, on this project's codings\n"
	"(for each code and overall); with --data, on reliability data\n"
	"coded elsewhere; with --spans, on where coders put units in a\n"
	"continuum (text positions, seconds).\n"
	"\n"
	"Project mode (--coders A,B[,C...]): the documents in scope that\n"
	"every named coder coded (at least one coding each; --all-documents:\n"
	"every document in scope).  For each code, each unit is coded\n"
	"present (1) or absent (0) by each coder; a code counts with its\n"
	"sub-codes (as in count).  Units (--unit):\n"
	"  document    (default) each document\n"
	"  segment     each segment of those documents\n"
	"  character   each character, per document (NVivo's coding\n"
	"              comparison); the overall figure per code is the\n"
	"              mean of the documents' figures weighted by length\n"
	"              (as in NVivo, a document where the coders agree on\n"
	"              every character counts 1 for every statistic)\n"
	"  span        each coded segment (MAXQDA's segment comparison,\n"
	"              two coders; see below)\n"
	"Rows: one per code, then '(pooled)' (every code x unit pair of\n"
	"the codes someone used, in one table) and '(mean)' (the mean of\n"
	"those codes' figures, undefined ones left out).  Columns: units;\n"
	"both, only_A, only_B, neither, with the coders' names for A and B\n"
	"(units coded by both, by A only, by B only, by neither; with more\n"
	"coders all, some, none); the statistics below.\n"
	"  --coders A,B        the coders to compare (two or more)\n"
	"  --unit U            document (default), segment, character or\n"
	"                      span\n"
	"  --all-documents     every document in scope, coded or not\n"
	"  --disagreements     list the units where the coders differ:\n"
	"                      document, case, span, text, code, who coded\n"
	"  --code C            only code C and its sub-codes (repeatable)\n"
	"  --question Q        only documents answering survey question Q\n"
	"  --where ATTR=VALUE  only cases whose attribute ATTR is VALUE\n"
	"  --status S          accepted (default), suggested or all\n"
	"  --overlap P         --unit span: the overlap, in percent of the\n"
	"                      longer segment, at which two segments agree\n"
	"                      (0-100, default 90 as in MAXQDA)\n"
	"\n",
	"--unit span: per code and document, each coder's segments are\n"
	"the coder's codings of the code (with its sub-codes), codings\n"
	"that share a character joined into one.  A segment of A and one\n"
	"of B agree when they share at least one character and the shared\n"
	"length is at least P percent of the longer of the two (P = 100:\n"
	"the same span; touching spans share nothing).  Pairing is one to\n"
	"one and greedy: the candidate pairs are taken largest overlap\n"
	"first (ties: A's earlier segment, then B's), each segment in at\n"
	"most one pair.  both: the pairs; only_A, only_B: the segments\n"
	"left unpaired; units = both + only_A + only_B; percent_agreement\n"
	"= both / units (MAXQDA's).  neither and every chance-corrected\n"
	"statistic are n/a: segments have no universe of units that\n"
	"neither coder coded, so p_e is not defined (MAXQDA fills that\n"
	"cell by assumption; qcode does not).  --disagreements lists the\n"
	"unpaired segments.\n"
	"\n",
	"Calculator mode (--data FILE.csv): a header row coder,UNIT1,UNIT2,\n"
	"..., then one row per coder with that coder's value for each unit\n"
	"(text or numbers; an empty cell is a missing value).  --long: rows\n"
	"unit,coder,value under a header naming those three columns.\n"
	"  --level L           nominal (default), ordinal, interval or ratio\n"
	"                      (for Krippendorff's alpha; all but nominal\n"
	"                      need numbers, ratio non-negative ones)\n"
	"  --categories Q      the number of categories of the scheme, used\n"
	"                      or not (Bennett's S; default: the distinct\n"
	"                      values in the data)\n"
	"When every value is a number, values are compared as numbers\n"
	"(1 and 1.0 are the same category).\n"
	"\n"
	"Spans mode (--spans FILE.csv --length N): rows coder,category,\n"
	"begin,length (a header naming them) over the continuum of N\n"
	"positions from --begin B (default 0); spans of one coder and\n"
	"category must not overlap.  Prints Krippendorff's (2004) unitized\n"
	"alpha per category and overall (category null / '(all)'), and\n"
	"overall the u-alpha of Krippendorff, Mathet, Bouvry & Widloecher\n"
	"(2016), for which each coder's spans must not overlap at all.\n"
	"  --gap NAME          rows of category NAME are stretches a coder\n"
	"                      left empty; positions a coder covers with no\n"
	"                      row are then missing for that coder (2016\n"
	"                      u-alpha; the 2004 alpha ignores these rows)\n"
	"\n",
	"The statistics (undefined values are null in JSON and n/a in\n"
	"tables):\n"
	"  percent_agreement   Krippendorff's agreement over pairable values,\n"
	"                      sum_c o_cc / n (the coincidence matrix below);\n"
	"                      two coders without missing values: the share\n"
	"                      of units they put in the same category\n"
	"  cohen_kappa         Cohen (1960), two coders, units both rated:\n"
	"                      (p_o - p_e) / (1 - p_e), p_e = sum_c of the\n"
	"                      product of each coder's share of category c\n"
	"  scott_pi            Scott (1955), as Cohen's kappa with p_e =\n"
	"                      sum_c of the squared pooled share of c\n",
	"  bennett_s           Bennett et al. (1954), Brennan-Prediger's\n"
	"                      free-marginal kappa, MAXQDA's chance\n"
	"                      correction: (p_a - 1/q) / (1 - 1/q), q the\n"
	"                      number of categories, p_a as in fleiss_kappa\n"
	"  fleiss_kappa        Fleiss (1971), with Gwet's (2014) form for\n"
	"                      missing ratings: p_a = mean over units rated\n"
	"                      twice or more of sum_k r_uk(r_uk-1) /\n"
	"                      (r_u(r_u-1)); p_e = sum_k pi_k^2, pi_k = mean\n"
	"                      over rated units of r_uk / r_u\n",
	"  krippendorff_alpha  Krippendorff (2004, 2011): 1 - D_o / D_e over\n"
	"                      the coincidence matrix o_ck = sum over units\n"
	"                      of the ordered pairs of values (c, k) from\n"
	"                      different coders / (m_u - 1), units with\n"
	"                      m_u >= 2 values; n_c its marginals, n their\n"
	"                      sum; D_o = sum o_ck d_ck / n, D_e = sum n_c\n"
	"                      n_k d_ck / (n(n-1)); d_ck: nominal 0/1,\n"
	"                      ordinal (sum_{g=c..k} n_g - (n_c+n_k)/2)^2,\n"
	"                      interval (c-k)^2, ratio ((c-k)/(c+k))^2\n"
	"  krippendorff_alpha_unitized  Krippendorff (2004, ch. 12.4): per\n"
	"                      category, 1 - D_o/D_e over the sections (spans\n"
	"                      and gaps) of every pair of coders; overall\n"
	"                      1 - sum D_o / sum D_e\n"
	"  krippendorff_alpha_unitized_2016  Krippendorff et al. (2016):\n"
	"                      coincidences l_ck = overlapping lengths of\n"
	"                      sections tagged c and k (empty included) of\n"
	"                      two coders / (m-1); e_cc = l..(l_c.^2 - S_c)\n"
	"                      / (l..^2 - S), S_c the squared lengths of\n"
	"                      c's sections (plain lengths for empty ones);\n"
	"                      1 - (l.. - sum l_cc) / (l.. - sum e_cc)\n"
	"Undefined: cohen_kappa and scott_pi unless exactly two coders rated\n"
	"a unit both and p_e < 1; every chance-corrected statistic when only\n"
	"one category occurs (p_e = 1, D_e = 0); bennett_s when q < 2;\n"
	"everything when no unit has two values.\n"
	"\n"
	"  --format F          table (default), csv, json, md or xlsx (an\n"
	"                      Excel workbook: -o FILE)\n"
	CLI_XLSX_USAGE
	CLI_BOM_USAGE
	"  -p, --project FILE  the project (project mode)\n",
};

enum {
	O_DATA = OPT_BASE, O_LONG, O_LEVEL, O_CATS, O_SPANS, O_LENGTH,
	O_BEGIN, O_CODERS, O_GAP,
};

/* ---- a set of names, each with its index ---- */

struct names {
	char **v;        /* the names, in order of first appearance */
	size_t n, cap;
	size_t *slot;    /* open addressing: index + 1, or 0 */
	size_t nslot;
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	}
	return h;
}

static void names_grow(struct names *ns)
{
	size_t nslot = ns->nslot ? ns->nslot * 2 : 64;

	free(ns->slot);
	ns->slot = xcalloc(nslot, sizeof(size_t));
	ns->nslot = nslot;
	for (size_t i = 0; i < ns->n; i++) {
		size_t h = name_hash(ns->v[i]) & (nslot - 1);

		while (ns->slot[h]) {
			h = (h + 1) & (nslot - 1);
		}
		ns->slot[h] = i + 1;
	}
}

/* The index of NAME, or (size_t)-1 when absent and ADD is 0; with ADD an
 * absent name is added. */
static size_t names_find(struct names *ns, const char *name, int add)
{
	size_t h;

	if (2 * (ns->n + 1) > ns->nslot) {
		names_grow(ns);
	}
	h = name_hash(name) & (ns->nslot - 1);
	while (ns->slot[h]) {
		if (strcmp(ns->v[ns->slot[h] - 1], name) == 0) {
			return ns->slot[h] - 1;
		}
		h = (h + 1) & (ns->nslot - 1);
	}
	if (!add) {
		return (size_t)-1;
	}
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 16;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(char *));
	}
	ns->v[ns->n] = xstrdup(name);
	ns->slot[h] = ++ns->n;
	return ns->n - 1;
}

static void names_release(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->v[i]);
	}
	free(ns->v);
	free(ns->slot);
	memset(ns, 0, sizeof(*ns));
}

/* ---- reading reliability data ---- */

/* One value as read: coder, unit, the text, the line. */
struct rating {
	size_t coder, unit, line;
	char *text;
};

struct rdata {
	const char *path;
	struct names coders, units, cats;
	struct rating *r;
	size_t n, cap;
	double *values;   /* per category, when every value is a number */
	int *mat;         /* coders x units: category index or missing */
	int numeric;
};

static void rdata_add(struct rdata *d, size_t coder, size_t unit,
		      const char *text, size_t line)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->r = xrealloc(d->r, d->cap * sizeof(*d->r));
	}
	d->r[d->n++] = (struct rating){ coder, unit, line, xstrdup(text) };
}

static void rdata_release(struct rdata *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->r[i].text);
	}
	free(d->r);
	free(d->values);
	free(d->mat);
	names_release(&d->coders);
	names_release(&d->units);
	names_release(&d->cats);
}

/* Parse S as a finite number into *V; 1 on success. */
static int parse_number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end != s && !*end && !errno && isfinite(*v);
}

/* Read FILE into D (wide or long layout). */
static void read_data(struct rdata *d, const char *path, int longfmt)
{
	struct import_file f;
	struct csv_reader cr;
	size_t ucol = 0, ccol = 0, vcol = 0, ncols = 0;
	int rc, header = 1;

	d->path = path;
	import_read(&f, path, NULL, 0);
	csv_init(&cr, f.text, f.len, csv_detect(f.text, f.len));
	while ((rc = csv_next(&cr)) == 1) {
		if (header) {
			header = 0;
			ncols = cr.nfields;
			if (!longfmt) {
				if (ncols < 2) {
					die(QC_INPUT, "no units in '%s': the "
					    "header row names the coder "
					    "column, then one column per "
					    "unit", path);
				}
				for (size_t i = 1; i < ncols; i++) {
					names_find(&d->units,
						   trim(cr.fields[i]), 1);
				}
				if (d->units.n != ncols - 1) {
					die(QC_INPUT, "a unit is named twice "
					    "in the header of '%s'", path);
				}
				continue;
			}
			ucol = ccol = vcol = (size_t)-1;
			for (size_t i = 0; i < ncols; i++) {
				const char *h = trim(cr.fields[i]);

				if (strcmp(h, "unit") == 0) {
					ucol = i;
				} else if (strcmp(h, "coder") == 0) {
					ccol = i;
				} else if (strcmp(h, "value") == 0) {
					vcol = i;
				}
			}
			if (ucol == (size_t)-1 || ccol == (size_t)-1 ||
			    vcol == (size_t)-1) {
				die(QC_INPUT, "'%s' needs the columns unit, "
				    "coder and value (--long)", path);
			}
			continue;
		}
		if (cr.nfields > ncols) {
			die(QC_INPUT, "too many fields (%zu; the header has "
			    "%zu) in '%s' at line %zu", cr.nfields, ncols,
			    path, cr.rec_line);
		}
		if (!longfmt) {
			const char *name = trim(cr.fields[0]);
			size_t before = d->coders.n, c;

			if (!*name) {
				die(QC_INPUT, "no coder name in '%s' at line "
				    "%zu", path, cr.rec_line);
			}
			c = names_find(&d->coders, name, 1);
			if (d->coders.n == before) {
				die(QC_INPUT, "coder '%s' has a second row in "
				    "'%s' at line %zu", name, path,
				    cr.rec_line);
			}
			for (size_t i = 1; i < cr.nfields; i++) {
				const char *v = trim(cr.fields[i]);

				if (*v) {
					rdata_add(d, c, i - 1, v, cr.rec_line);
				}
			}
		} else {
			const char *u, *c, *v;

			if (cr.nfields <= ucol || cr.nfields <= ccol) {
				die(QC_INPUT, "no unit or no coder in '%s' at "
				    "line %zu", path, cr.rec_line);
			}
			u = trim(cr.fields[ucol]);
			c = trim(cr.fields[ccol]);
			v = cr.nfields > vcol ? trim(cr.fields[vcol]) : "";
			if (!*u || !*c) {
				die(QC_INPUT, "no unit or no coder in '%s' at "
				    "line %zu", path, cr.rec_line);
			}
			rdata_add(d, names_find(&d->coders, c, 1),
				  names_find(&d->units, u, 1), v,
				  cr.rec_line);
		}
	}
	if (rc < 0) {
		die(QC_INPUT, "%s in '%s' at line %zu", cr.err, path,
		    cr.err_line);
	}
	if (header) {
		die(QC_INPUT, "'%s' is empty: no header row", path);
	}
	csv_release(&cr);
	import_file_release(&f);
}

/* Map every value to a category: by number when all are numbers (and
 * always for LEVEL above nominal, which then needs numbers). */
static void categorize(struct rdata *d, enum agree_level level)
{
	int *mat = d->mat;
	size_t cap = 0;

	d->numeric = 1;
	for (size_t i = 0; i < d->n; i++) {
		double v;

		if (!parse_number(d->r[i].text, &v)) {
			d->numeric = 0;
			if (level != AGREE_NOMINAL) {
				die(QC_INPUT, "'%s' is not a number (--level "
				    "%s needs numbers), in '%s' at line %zu",
				    d->r[i].text,
				    level == AGREE_ORDINAL ? "ordinal" :
				    level == AGREE_INTERVAL ? "interval" :
				    "ratio", d->path, d->r[i].line);
			}
			break;
		}
		if (level == AGREE_RATIO && v < 0) {
			die(QC_INPUT, "'%s' is negative (--level ratio needs "
			    "values of 0 or more), in '%s' at line %zu",
			    d->r[i].text, d->path, d->r[i].line);
		}
	}
	for (size_t i = 0; i < d->n; i++) {
		struct rating *r = &d->r[i];
		int *cell = &mat[r->coder * d->units.n + r->unit];
		size_t before = d->cats.n, k;
		char key[40];
		double v = 0;

		if (d->numeric) {
			parse_number(r->text, &v);
			if (v == 0) {
				v = 0; /* -0 is 0 */
			}
			snprintf(key, sizeof(key), "%.17g", v);
		}
		k = names_find(&d->cats, d->numeric ? key : r->text, 1);
		if (d->numeric && d->cats.n != before) {
			if (d->cats.n > cap) {
				cap = cap ? 2 * cap : 16;
				d->values = xrealloc(d->values,
						     cap * sizeof(double));
			}
			d->values[k] = v;
		}
		if (*cell != AGREE_MISSING) {
			size_t first = 0;

			for (size_t j = 0; j < i; j++) {
				if (d->r[j].coder == r->coder &&
				    d->r[j].unit == r->unit) {
					first = d->r[j].line;
					break;
				}
			}
			die(QC_INPUT, "coder '%s' rates unit '%s' twice, in "
			    "'%s' at lines %zu and %zu",
			    d->coders.v[r->coder], d->units.v[r->unit],
			    d->path, first, r->line);
		}
		*cell = (int)k;
	}
}

/* ---- output ---- */

static const char *level_name(enum agree_level l)
{
	static const char *const n[] = { "nominal", "ordinal", "interval",
					 "ratio" };

	return n[l];
}

static void print_stats(enum out_format f, enum agree_level level,
			size_t ncoders, size_t ncats,
			const struct agree_stats *s)
{
	struct rows r;

	rows_init(&r, "level", "coders", "units", "pairable_units",
		  "pairable_values", "categories", "percent_agreement",
		  "cohen_kappa", "scott_pi", "bennett_s", "fleiss_kappa",
		  "krippendorff_alpha", "observed_disagreement",
		  "expected_disagreement", NULL);
	rows_str(&r, level_name(level));
	rows_int(&r, (long long)ncoders);
	rows_int(&r, (long long)s->units);
	rows_int(&r, (long long)s->pairable_units);
	rows_int(&r, (long long)llround(s->pairable_values));
	rows_int(&r, (long long)ncats);
	agree_put_stat(&r, f, s->percent_agreement);
	agree_put_stat(&r, f, s->cohen_kappa);
	agree_put_stat(&r, f, s->scott_pi);
	agree_put_stat(&r, f, s->bennett_s);
	agree_put_stat(&r, f, s->fleiss_kappa);
	agree_put_stat(&r, f, s->alpha);
	agree_put_stat(&r, f, s->alpha_do);
	agree_put_stat(&r, f, s->alpha_de);
	rows_write(&r, f, stdout, f == FMT_CSV || f == FMT_MD ? 0
							      : ROWS_OBJECT);
	rows_release(&r);
}

static int run_data(struct cmd_ctx *ctx, const char *path, int longfmt,
		    enum agree_level level, long long ncats_opt)
{
	struct rdata d;
	struct agree_acc acc;
	struct agree_stats s;
	size_t ncats;
	int *mat;

	memset(&d, 0, sizeof(d));
	read_data(&d, path, longfmt);
	if (d.coders.n < 2) {
		die(QC_INPUT, "'%s' has %zu coder%s; agreement needs two or "
		    "more", path, d.coders.n, d.coders.n == 1 ? "" : "s");
	}
	d.mat = mat = xmalloc(d.coders.n * (d.units.n ? d.units.n : 1) *
			      sizeof(int));
	for (size_t i = 0; i < d.coders.n * d.units.n; i++) {
		mat[i] = AGREE_MISSING;
	}
	categorize(&d, level);
	ncats = d.cats.n;
	if (ncats_opt >= 0) {
		if ((size_t)ncats_opt < ncats) {
			die(QC_INPUT, "'%s' has %zu distinct values, more than "
			    "--categories %lld", path, ncats, ncats_opt);
		}
		ncats = (size_t)ncats_opt;
	}
	agree_acc_init(&acc, d.coders.n, ncats);
	{
		int *v = xmalloc(d.coders.n * sizeof(int));

		for (size_t u = 0; u < d.units.n; u++) {
			for (size_t c = 0; c < d.coders.n; c++) {
				v[c] = mat[c * d.units.n + u];
			}
			agree_acc_add(&acc, v, 1);
		}
		free(v);
	}
	{
		/* categories beyond the data (--categories) have no value;
		 * they occur nowhere, so any number does */
		double *values = xcalloc(ncats ? ncats : 1, sizeof(double));

		if (d.values) {
			memcpy(values, d.values, d.cats.n * sizeof(double));
		}
		agree_acc_stats(&acc, level, values, &s);
		free(values);
	}
	print_stats(ctx->format, level, d.coders.n, ncats, &s);
	agree_acc_release(&acc);
	rdata_release(&d);
	return QC_OK;
}

/* ---- spans ---- */

static long long field_ll(const char *s, const char *what, const char *path,
			  size_t line)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || errno) {
		die(QC_INPUT, "%s '%s' is not a whole number, in '%s' at line "
		    "%zu", what, s, path, line);
	}
	return v;
}

static int run_spans(struct cmd_ctx *ctx, const char *path, long long begin,
		     long long length, const char *gap)
{
	struct import_file f;
	struct csv_reader cr;
	struct names coders = { 0 }, cats = { 0 };
	struct agree_span *sp = NULL;
	size_t *lines = NULL, n = 0, cap = 0, col[4], ncols = 0, bad;
	struct agree_ustats *per, all;
	struct agree_span *gaps = NULL, *u16;
	size_t n04 = 0, ngaps = 0, gapcat;
	double alpha16;
	struct rows r;
	int rc, header = 1;
	static const char *const want[4] = { "coder", "category", "begin",
					      "length" };

	import_read(&f, path, NULL, 0);
	csv_init(&cr, f.text, f.len, csv_detect(f.text, f.len));
	while ((rc = csv_next(&cr)) == 1) {
		const char *fld[4];

		if (header) {
			header = 0;
			ncols = cr.nfields;
			for (int k = 0; k < 4; k++) {
				col[k] = (size_t)-1;
				for (size_t i = 0; i < ncols; i++) {
					if (strcmp(trim(cr.fields[i]),
						   want[k]) == 0) {
						col[k] = i;
					}
				}
				if (col[k] == (size_t)-1) {
					die(QC_INPUT, "'%s' needs the columns "
					    "coder, category, begin and "
					    "length", path);
				}
			}
			continue;
		}
		for (int k = 0; k < 4; k++) {
			fld[k] = col[k] < cr.nfields ? trim(cr.fields[col[k]])
						     : "";
			if (!*fld[k]) {
				die(QC_INPUT, "no %s in '%s' at line %zu",
				    want[k], path, cr.rec_line);
			}
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			sp = xrealloc(sp, cap * sizeof(*sp));
			gaps = xrealloc(gaps, cap * sizeof(*gaps));
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		sp[n].coder = names_find(&coders, fld[0], 1);
		sp[n].cat = names_find(&cats, fld[1], 1);
		sp[n].begin = field_ll(fld[2], "begin", path, cr.rec_line);
		sp[n].length = field_ll(fld[3], "length", path, cr.rec_line);
		lines[n++] = cr.rec_line;
	}
	if (rc < 0) {
		die(QC_INPUT, "%s in '%s' at line %zu", cr.err, path,
		    cr.err_line);
	}
	if (header) {
		die(QC_INPUT, "'%s' is empty: no header row", path);
	}
	if (coders.n < 2) {
		die(QC_INPUT, "'%s' has units of %zu coder%s; agreement needs "
		    "two or more", path, coders.n, coders.n == 1 ? "" : "s");
	}
	gapcat = gap ? names_find(&cats, gap, 0) : (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		if (sp[i].length < 1 || sp[i].begin < begin ||
		    sp[i].begin > begin + length - sp[i].length) {
			die(QC_INPUT, "span %lld+%lld is not inside the "
			    "continuum %lld-%lld, in '%s' at line %zu",
			    sp[i].begin, sp[i].length, begin,
			    begin + length, path, lines[i]);
		}
	}
	/* Krippendorff (2004) over the spans that are not explicit gaps */
	for (size_t i = 0; i < n; i++) {
		if (sp[i].cat != gapcat) {
			sp[n04] = sp[i];
			lines[n04++] = lines[i];
		} else {
			gaps[ngaps++] = sp[i];
		}
	}
	u16 = xmalloc((n ? n : 1) * sizeof(*u16));
	memcpy(u16, sp, n04 * sizeof(*sp));
	memcpy(u16 + n04, gaps, ngaps * sizeof(*gaps));
	alpha16 = agree_ualpha2016(u16, n04 + ngaps, coders.n, cats.n, begin,
				   length, gapcat);
	free(u16);
	per = xcalloc(cats.n ? cats.n : 1, sizeof(*per));
	if (agree_unitized(sp, n04, coders.n, cats.n, begin, length, per,
			   &all, &bad) < 0) {
		free(per);
		die(QC_INPUT, "span %lld+%lld overlaps another span of coder "
		    "'%s' and category '%s', in '%s' at line %zu",
		    sp[bad].begin, sp[bad].length, coders.v[sp[bad].coder],
		    cats.v[sp[bad].cat], path, lines[bad]);
	}
	rows_init(&r, "category", "units", "observed_disagreement",
		  "expected_disagreement", "krippendorff_alpha_unitized",
		  "krippendorff_alpha_unitized_2016", NULL);
	for (size_t c = 0; c <= cats.n; c++) {
		const struct agree_ustats *u = c < cats.n ? &per[c] : &all;

		if (c == gapcat) {
			continue;
		}
		if (c < cats.n) {
			rows_str(&r, cats.v[c]);
		} else {
			rows_json(&r, "null", "(all)");
		}
		rows_int(&r, (long long)u->units);
		agree_put_stat(&r, ctx->format, u->d_o);
		agree_put_stat(&r, ctx->format, u->d_e);
		agree_put_stat(&r, ctx->format, u->alpha);
		if (c < cats.n) {
			rows_null(&r);
		} else {
			agree_put_stat(&r, ctx->format, alpha16);
		}
	}
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	free(per);
	free(sp);
	free(gaps);
	free(lines);
	names_release(&coders);
	names_release(&cats);
	csv_release(&cr);
	import_file_release(&f);
	return QC_OK;
}

/* The long name of option code C in OPTS. */
static const char *option_name(const struct option *opts, int c)
{
	for (; opts->name; opts++) {
		if (opts->val == c) {
			return opts->name;
		}
	}
	return "?";
}

int cmd_agree(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "data", required_argument, NULL, O_DATA },
		{ "long", no_argument, NULL, O_LONG },
		{ "level", required_argument, NULL, O_LEVEL },
		{ "categories", required_argument, NULL, O_CATS },
		{ "spans", required_argument, NULL, O_SPANS },
		{ "length", required_argument, NULL, O_LENGTH },
		{ "begin", required_argument, NULL, O_BEGIN },
		{ "gap", required_argument, NULL, O_GAP },
		{ "coders", required_argument, NULL, O_CODERS },
		{ "unit", required_argument, NULL, AP_UNIT },
		{ "all-documents", no_argument, NULL, AP_ALLDOCS },
		{ "disagreements", no_argument, NULL, AP_DISAGREE },
		{ "code", required_argument, NULL, AP_CODE },
		{ "question", required_argument, NULL, AP_QUESTION },
		{ "where", required_argument, NULL, AP_WHERE },
		{ "status", required_argument, NULL, AP_STATUS },
		{ "overlap", required_argument, NULL, AP_OVERLAP },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *spans = NULL, *coders = NULL, *gap = NULL;
	enum agree_level level = AGREE_NOMINAL;
	long long ncats = -1, length = -1, begin = 0;
	int longfmt = 0, c, rc;
	struct agree_project_opts po;
	/* an option of each mode, to refuse it in the others */
	const char *data_opt = NULL, *spans_opt = NULL, *proj_opt = NULL;

	ctx->usage = usage;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			for (size_t k = 0; k < sizeof(help) / sizeof(*help);
			     k++) {
				fputs(help[k], stdout);
			}
			return QC_OK;
		}
	}
	agree_project_opts_init(&po);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_LONG:
		case O_LEVEL:
		case O_CATS:
			data_opt = option_name(opts, c);
			break;
		case O_LENGTH:
		case O_BEGIN:
		case O_GAP:
			spans_opt = option_name(opts, c);
			break;
		case O_DATA:
		case O_SPANS:
		case O_CODERS:
			break;
		default:
			proj_opt = option_name(opts, c);
		}
		switch (c) {
		case O_DATA:
			data = optarg;
			break;
		case O_LONG:
			longfmt = 1;
			break;
		case O_LEVEL:
			if (strcmp(optarg, "nominal") == 0) {
				level = AGREE_NOMINAL;
			} else if (strcmp(optarg, "ordinal") == 0) {
				level = AGREE_ORDINAL;
			} else if (strcmp(optarg, "interval") == 0) {
				level = AGREE_INTERVAL;
			} else if (strcmp(optarg, "ratio") == 0) {
				level = AGREE_RATIO;
			} else {
				cli_usage_error(ctx, "unknown level '%s' "
						"(choose from: nominal, "
						"ordinal, interval, ratio)",
						optarg);
			}
			break;
		case O_CATS:
			ncats = cli_uint(ctx, "--categories", optarg);
			break;
		case O_SPANS:
			spans = optarg;
			break;
		case O_LENGTH:
			length = cli_uint(ctx, "--length", optarg);
			break;
		case O_BEGIN:
			begin = cli_uint(ctx, "--begin", optarg);
			break;
		case O_CODERS:
			coders = optarg;
			ctx->need = CLI_READ; /* the calculator needs none */
			break;
		case O_GAP:
			gap = optarg;
			break;
		default:
			if (!agree_project_option(ctx, &po, c, optarg)) {
				cli_usage_error(ctx, "unexpected option");
			}
		}
	}
	if (optind < argc) {
		agree_project_opts_release(&po);
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if (!!data + !!spans + !!coders > 1) {
		agree_project_opts_release(&po);
		cli_usage_error(ctx, "--coders, --data and --spans exclude "
				"each other: give one of them");
	}
	if (!data && !spans && !coders) {
		agree_project_opts_release(&po);
		cli_usage_error(ctx, "name the coders (--coders A,B), or give "
				"--data FILE or --spans FILE");
	}
	{
		const char *stray = data ? (spans_opt ? spans_opt : proj_opt)
				  : spans ? (data_opt ? data_opt : proj_opt)
					  : (data_opt ? data_opt : spans_opt);

		if (stray) {
			agree_project_opts_release(&po);
			cli_usage_error(ctx, "--%s does not apply to %s", stray,
					data ? "--data" : spans ? "--spans"
								: "--coders");
		}
	}
	if (data) {
		agree_project_opts_release(&po);
		return run_data(ctx, data, longfmt, level, ncats);
	}
	if (spans) {
		agree_project_opts_release(&po);
		if (length < 1) {
			cli_usage_error(ctx, "--spans needs --length N, the "
					"length of the continuum");
		}
		return run_spans(ctx, spans, begin, length, gap);
	}
	rc = agree_project(ctx, coders, &po);
	agree_project_opts_release(&po);
	return rc;
}
