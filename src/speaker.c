/*
 * speaker.c - speaker keys and aliases (speaker.h).
 */
#include "speaker.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* The simple lower-case folding of CP for the scripts with case that
 * names are written in: Latin (Basic, Latin-1, Extended-A, Extended
 * Additional), Greek, Cyrillic, Armenian, full-width Latin. */
static uint32_t fold(uint32_t cp)
{
	if (cp < 0x80) {
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	}
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
		return cp + 32;
	}
	if (cp == 0x130) {
		return 'i';
	}
	if (cp == 0x178) {
		return 0xFF;
	}
	if (cp == 0x17F) {
		return 's';
	}
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) ||
	    (cp >= 0x1E00 && cp <= 0x1E95) || (cp >= 0x1EA0 && cp <= 0x1EFF) ||
	    (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF)) {
		return cp | 1;
	}
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
		return cp & 1 ? cp + 1 : cp;
	}
	if (cp == 0x1E9E) {
		return 0xDF;
	}
	if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) {
		return cp + 32;
	}
	switch (cp) {
	case 0x386: return 0x3AC;
	case 0x388: case 0x389: case 0x38A: return cp + 37;
	case 0x38C: return 0x3CC;
	case 0x38E: case 0x38F: return cp + 63;
	case 0x3C2: return 0x3C3;
	case 0x212A: return 'k';
	case 0x212B: return 0xE5;
	default: break;
	}
	if (cp >= 0x410 && cp <= 0x42F) {
		return cp + 32;
	}
	if (cp >= 0x400 && cp <= 0x40F) {
		return cp + 80;
	}
	if (cp >= 0x531 && cp <= 0x556) {
		return cp + 48;
	}
	if (cp >= 0xFF21 && cp <= 0xFF3A) {
		return cp + 32;
	}
	return cp;
}

int speaker_ignored_cp(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202F) ||
	       (cp >= 0x205F && cp <= 0x2069) || cp == 0x3000 ||
	       cp == 0xFEFF || cp == 0x061C || cp_is_ignorable_mark(cp);
}

/* The key of S[0..LEN) (valid UTF-8); caller frees. */
static char *key_of(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;

	while (i < len) {
		uint32_t cp = utf8_next(s, len, &i);
		char buf[4];

		if (!speaker_ignored_cp(cp)) {
			sb_add(&sb, buf, utf8_encode(fold(cp), buf));
		}
	}
	return sb_detach(&sb, NULL);
}

char *speaker_key(const char *name)
{
	return name ? key_of(name, strlen(name)) : NULL;
}

int speaker_same(const char *a, const char *b)
{
	char *ka, *kb;
	int same;

	if (!a || !b) {
		return !a && !b;
	}
	ka = speaker_key(a);
	kb = speaker_key(b);
	same = strcmp(ka, kb) == 0;
	free(ka);
	free(kb);
	return same;
}

/* SQL speaker_key(s): text that is not valid UTF-8 is its own key. */
static void sql_speaker_key(sqlite3_context *ctx, int argc,
			    sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	size_t len = (size_t)sqlite3_value_bytes(argv[0]);
	char *k;

	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	if (utf8_validate(s, len, NULL) != 0) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	k = key_of(s, len);
	sqlite3_result_text(ctx, k, -1, free);
}

void speaker_sql_register(sqlite3 *db)
{
	sqlite3_create_function(db, "speaker_key", 1,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					SQLITE_INNOCUOUS,
				NULL, sql_speaker_key, NULL, NULL);
}

char *speaker_resolve(struct project *p, const char *name)
{
	static const char sql[] = "SELECT " SPEAKER_NAME_SQL("?1");
	sqlite3_stmt *st = db_cached(p, sql);
	char *r;

	db_bind_text(p, st, 1, name);
	db_step(p, st);
	r = xstrdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return r;
}

void speaker_list_keys(struct project *p, char **list)
{
	for (size_t i = 0; list && list[i]; i++) {
		int neg = strncmp(list[i], "not ", 4) == 0;
		char *name = speaker_resolve(p, list[i] + (neg ? 4 : 0));
		char *key = speaker_key(name);

		free(list[i]);
		list[i] = neg ? xasprintf("not %s", key) : xstrdup(key);
		free(key);
		free(name);
	}
}
