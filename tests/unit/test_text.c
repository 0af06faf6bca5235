/*
 * test_text.c - UTF-8 validation, offset conversion, normalisation,
 * display width and direction, presentation forms.
 */
#include <stdlib.h>

#include "forms.h"
#include "sha256.h"
#include "text.h"
#include "unit.h"
#include "util.h"

void test_utf8_validate(void)
{
	struct utf8_error e;

	CHECK(utf8_validate("abc", 3, &e) == 0);
	CHECK(utf8_validate("שלום", strlen("שלום"), &e) == 0);
	CHECK(utf8_validate("مرحبا", strlen("مرحبا"), &e) == 0);
	CHECK(utf8_validate("\xF0\x9F\x98\x80", 4, &e) == 0);
	/* cp1255 alef on line 2. */
	CHECK(utf8_validate("ab\ncd\xE0x", 7, &e) == -1);
	CHECK_INT(e.line, 2);
	CHECK_INT(e.byte, 5);
	/* Truncated sequence at the end. */
	CHECK(utf8_validate("a\xD7", 2, &e) == -1);
	CHECK_INT(e.byte, 1);
	/* Overlong, surrogate, NUL. */
	CHECK(utf8_validate("\xC0\xAF", 2, &e) == -1);
	CHECK(utf8_validate("\xED\xA0\x80", 3, &e) == -1);
	CHECK(utf8_validate("a\0b", 3, &e) == -1);
	CHECK_INT(e.byte, 1);
	/* offmap_init_valid() finds the same: a Hebrew word whose third
	 * letter lacks its second byte, one cut short at the end, a
	 * surrogate after Hebrew, a NUL after ASCII. */
	{
		static const struct {
			const char *s;
			size_t len, byte;
		} bad[] = {
			{"x \xD7\x90\xD7\xA9\xD7" "a", 7, 6},
			{"\xD7\x90\xD7", 3, 2},
			{"\xD7\x90\xED\xA0\x80", 5, 2},
			{"abcdefghij\0", 11, 10},
		};
		struct offmap m;

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			CHECK(utf8_validate(bad[i].s, bad[i].len, &e) == -1);
			CHECK_INT(e.byte, bad[i].byte);
			e.byte = 0;
			CHECK(offmap_init_valid(&m, bad[i].s, bad[i].len,
						&e) == -1);
			CHECK_INT(e.byte, bad[i].byte);
			CHECK_INT(e.line, 1);
		}
	}
}

void test_utf8_offsets(void)
{
	/* "שלום, 😀 world": 4 Hebrew + ", " + emoji + " world" */
	const char *s = "שלום, \xF0\x9F\x98\x80 world";
	size_t len = strlen(s);
	struct offmap m;
	char *big;

	offmap_init(&m, s, len);
	CHECK_INT(m.chars, 13);
	CHECK_INT(offmap_byte(&m, 0), 0);
	CHECK_INT(offmap_byte(&m, 4), 8);
	CHECK_INT(offmap_byte(&m, 6), 10);
	CHECK_INT(offmap_byte(&m, 7), 14);
	CHECK_INT(offmap_byte(&m, 13), len);
	CHECK_INT(offmap_cp(&m, 8), 4);
	CHECK_INT(offmap_cp(&m, 14), 7);
	CHECK_INT(offmap_cp(&m, len), 13);
	offmap_release(&m);
	/* UTF-16: the emoji counts two units. */
	CHECK_INT(text_cp_to_utf16(s, len, 7), 8);
	CHECK_INT(text_utf16_to_cp(s, len, 8), 7);
	CHECK_INT(text_utf16_to_cp(s, len, 7), -1); /* inside the pair */
	CHECK_INT(text_utf16_to_cp(s, len, 99), -1);
	/* Long text crosses many marks. */
	big = malloc(3000 * 2 + 1);
	for (int i = 0; i < 3000; i++) {
		memcpy(big + 2 * i, "\xD7\x90", 2);
	}
	big[6000] = '\0';
	offmap_init(&m, big, 6000);
	CHECK_INT(m.chars, 3000);
	for (size_t cp = 0; cp <= 3000; cp += 7) {
		CHECK_INT(offmap_byte(&m, cp), 2 * cp);
		CHECK_INT(offmap_cp(&m, 2 * cp), cp);
	}
	offmap_release(&m);
	free(big);
}

/* Random text of ASCII runs, Hebrew, three- and four-byte characters:
 * utf8_validate and offmap_init read eight bytes at a time where they
 * can, and must agree with a byte-by-byte reading everywhere. */
void test_utf8_fast_paths(void)
{
	static const char *const pool[] = {"a", "b", " ", "\n", "xyzw",
					   "\xD7\x90", "\xD7\xA9",
					   "\xE2\x82\xAC",
					   "\xF0\x9F\x98\x80"};
	unsigned long long seed = 12345;

	for (int round = 0; round < 300; round++) {
		struct strbuf sb = STRBUF_INIT;
		size_t starts[2000], n = 0, lines = 1, bad;
		struct offmap m;
		struct utf8_error e;
		int ok = 1;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		for (size_t k = (seed >> 33) % 400; k > 0; k--) {
			const char *p;

			seed = seed * 6364136223846793005ULL +
			       1442695040888963407ULL;
			p = pool[(seed >> 33) % 9];
			for (size_t j = 0; p[j];) {
				size_t cl = (unsigned char)p[j] < 0x80 ? 1
					    : (unsigned char)p[j] < 0xE0 ? 2
					    : (unsigned char)p[j] < 0xF0 ? 3
									 : 4;

				starts[n++] = sb.len + j;
				j += cl;
			}
			sb_adds(&sb, p);
		}
		starts[n] = sb.len;
		CHECK(utf8_validate(sb_str(&sb), sb.len, &e) == 0);
		offmap_init(&m, sb_str(&sb), sb.len);
		CHECK_INT(m.chars, n);
		for (size_t cp = 0; cp <= n && ok; cp++) {
			ok = offmap_byte(&m, cp) == starts[cp] &&
			     offmap_cp(&m, starts[cp]) == cp;
		}
		CHECK(ok);
		/* The one-pass validation and map: the same map. */
		{
			struct offmap v;

			CHECK(offmap_init_valid(&v, sb_str(&sb), sb.len, &e) ==
			      0);
			CHECK_INT(v.chars, m.chars);
			CHECK_INT(v.nmarks, m.nmarks);
			CHECK(memcmp(v.mark_byte, m.mark_byte,
				     m.nmarks * sizeof(size_t)) == 0);
			offmap_release(&v);
		}
		offmap_release(&m);
		if (sb.len == 0) {
			sb_release(&sb);
			continue;
		}
		/* A byte no UTF-8 holds, or a NUL, somewhere. */
		bad = (size_t)(seed >> 20) % sb.len;
		while (bad > 0 && (sb.buf[bad] & 0xC0) == 0x80) {
			bad--;
		}
		sb.buf[bad] = round % 2 ? '\0' : '\xFF';
		for (size_t k = 0; k < bad; k++) {
			lines += sb.buf[k] == '\n';
		}
		CHECK(utf8_validate(sb.buf, sb.len, &e) == -1);
		CHECK_INT(e.byte, bad);
		CHECK_INT(e.line, lines);
		memset(&e, 0, sizeof(e));
		CHECK(offmap_init_valid(&m, sb.buf, sb.len, &e) == -1);
		CHECK_INT(e.byte, bad);
		CHECK_INT(e.line, lines);
		CHECK(m.mark_byte == NULL);
		sb_release(&sb);
	}
}

void test_normalize(void)
{
	size_t n;
	char *t = text_normalize("\xEF\xBB\xBFline1\r\nline2\rline3\n", 22, &n);

	CHECK_STR(t, "line1\nline2\nline3\n");
	CHECK_INT(n, 18);
	free(t);
}

void test_width_direction(void)
{
	/* Niqqud has no width: שָׁלוֹם is 4 columns. */
	const char *nq = "שָׁלוֹם";

	CHECK_INT(text_width(nq, strlen(nq)), 4);
	CHECK_INT(text_width("abc", 3), 3);
	CHECK_INT(text_width("日本", strlen("日本")), 4);
	CHECK(text_is_rtl("שלום world", strlen("שלום world")));
	CHECK(!text_is_rtl("hello שלום", strlen("hello שלום")));
	CHECK(text_is_rtl("123 مرحبا", strlen("123 مرحبا")));
	CHECK(text_has_rtl("hello שלום", strlen("hello שלום")));
	CHECK(!text_has_rtl("hello", 5));
	CHECK(cp_is_ignorable_mark(0x05B8)); /* qamats */
	CHECK(cp_is_ignorable_mark(0x064E)); /* fatha */
	CHECK(cp_is_ignorable_mark(0x0640)); /* tatweel */
	CHECK(!cp_is_ignorable_mark(0x05D0));
}

void test_sha256(void)
{
	char hex[65];

	sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		   hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		   112, hex);
	CHECK_STR(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* A million 'a's (FIPS 180 test vector), fed whole and in uneven pieces
 * that cross block boundaries: the buffered and the direct paths agree. */
void test_sha256_long(void)
{
	static const char want[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	size_t n = 1000000, step[] = { 1, 63, 64, 65, 1000, 4099 };
	char *a = xmalloc(n), hex[65];

	memset(a, 'a', n);
	sha256_hex(a, n, hex);
	CHECK_STR(hex, want);
	/* The portable code, whatever the CPU offers. */
	sha256_portable(1);
	sha256_hex(a, n, hex);
	CHECK_STR(hex, want);
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_portable(0);
	for (size_t k = 0; k < sizeof(step) / sizeof(step[0]); k++) {
		struct sha256 c;
		size_t off = 0;

		sha256_init(&c);
		while (off < n) {
			size_t take = n - off < step[k] ? n - off : step[k];

			sha256_update(&c, a + off, take);
			off += take;
		}
		sha256_final_hex(&c, hex);
		CHECK_STR(hex, want);
	}
	free(a);
}

/* Presentation forms as letters (forms.h), and spans mapped back. */
void test_forms(void)
{
	/* "ﻻ ﺍﻟﻠﻪ ﷲ x": lam-alef (1 -> 2), four single letters, the
	 * ligature allah (1 -> 4), a Latin letter. */
	const char *t = "\uFEFB \uFE8D\uFEDF\uFEE0\uFEEA \uFDF2 x", *t2;
	uint32_t out[FORM_MAX];
	struct forms_fold f;
	size_t s, e;

	CHECK_INT(cp_form_letters(0xFEFB, out), 2);
	CHECK(out[0] == 0x0644 && out[1] == 0x0627);
	CHECK_INT(cp_form_letters(0xFB2A, out), 2); /* shin, shin dot */
	CHECK(out[0] == 0x05E9 && out[1] == 0x05C1);
	CHECK_INT(cp_form_letters(0xFE70, out), 1); /* fathatan, no space */
	CHECK(out[0] == 0x064B);
	CHECK_INT(cp_form_letters(0xFDFA, out), 18);
	CHECK_INT(cp_form_letters(0x0627, out), 0);
	CHECK_INT(cp_form_letters(0xFEFF, out), 0); /* BOM: not a form */
	CHECK_INT(cp_form_letters(0xFB1C, out), 0);
	CHECK(forms_in(t, strlen(t)));
	t2 = "\uFEFF\u05E9\u0627 \xEF\xBB\xBF"; /* BOMs, letters */
	CHECK(!forms_in(t2, strlen(t2)));
	CHECK(!forms_in("", 0));
	forms_fold(&f, t, strlen(t));
	CHECK_STR(f.text, "\u0644\u0627 \u0627\u0644\u0644\u0647 "
			  "\u0627\u0644\u0644\u0647 x");
	CHECK_INT(f.len, strlen(f.text));
	CHECK_INT(f.no, 10);
	CHECK_INT(f.nf, 14);
	CHECK_INT(f.o2f[0], 0);
	CHECK_INT(f.o2f[1], 2);
	CHECK_INT(f.o2f[7], 8);
	CHECK_INT(f.o2f[10], 14);
	CHECK_INT(f.f2o[14], 10);
	/* The alef of lam-alef alone: the whole ligature. */
	s = 1, e = 2;
	forms_span(&f, &s, &e);
	CHECK(s == 0 && e == 1);
	/* ﺍﻟﻠﻪ: folded [3, 7), the four forms [2, 6). */
	s = 3, e = 7;
	forms_span(&f, &s, &e);
	CHECK(s == 2 && e == 6);
	/* "لله" inside the ligature allah: the ligature whole, [7, 8). */
	s = 9, e = 12;
	forms_span(&f, &s, &e);
	CHECK(s == 7 && e == 8);
	/* x after it: [9, 10). */
	s = 13, e = 14;
	forms_span(&f, &s, &e);
	CHECK(s == 9 && e == 10);
	forms_fold_release(&f);
}
