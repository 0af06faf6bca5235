/*
 * sha256.c - SHA-256 as specified in FIPS 180-4.
 */
#include "sha256.h"

#include <string.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc;

	for (int i = 0; i < 16; i++) {
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	}
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	f = c->h[5];
	g = c->h[6];
	h = c->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = h + s1 + ch + K[i] + w[i];
		uint32_t s0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
		uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
		uint32_t t2 = s0 + maj;

		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

/* Compress N consecutive blocks at P with the portable code. */
static void compress_blocks_c(struct sha256 *c, const unsigned char *p,
			      size_t n)
{
	for (; n > 0; n--, p += 64) {
		compress(c, p);
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

/* The same with the x86 SHA extensions (four rounds per step on
 * registers holding the state as ABEF and CDGH); used when the CPU has
 * them. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_blocks_ni(struct sha256 *c, const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
					     0x0405060700010203LL);
	__m128i abef, cdgh, t;

	/* h0..h3 and h4..h7 to (A,B,E,F) and (C,D,G,H), high lane first. */
	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&c->h[0]),
			      0xB1);
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&c->h[4]),
				 0x1B);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xF0);
	for (; n > 0; n--, p += 64) {
		__m128i save_abef = abef, save_cdgh = cdgh, w[16];

		for (int i = 0; i < 16; i++) {
			__m128i m;

			if (i < 4) {
				w[i] = _mm_shuffle_epi8(
					_mm_loadu_si128(
						(const __m128i *)(p + 16 * i)),
					bswap);
			} else {
				m = _mm_sha256msg1_epu32(w[i - 4], w[i - 3]);
				m = _mm_add_epi32(
					m, _mm_alignr_epi8(w[i - 1], w[i - 2],
							   4));
				w[i] = _mm_sha256msg2_epu32(m, w[i - 1]);
			}
			m = _mm_add_epi32(w[i],
					  _mm_loadu_si128(
						  (const __m128i *)&K[4 * i]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			m = _mm_shuffle_epi32(m, 0x0E);
			/* After two rounds the old ABEF is the new CDGH. */
			abef = _mm_sha256rnds2_epu32(abef, cdgh, m);
		}
		abef = _mm_add_epi32(abef, save_abef);
		cdgh = _mm_add_epi32(cdgh, save_cdgh);
	}
	t = _mm_shuffle_epi32(abef, 0x1B);
	cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
	_mm_storeu_si128((__m128i *)&c->h[0], _mm_blend_epi16(t, cdgh, 0xF0));
	_mm_storeu_si128((__m128i *)&c->h[4], _mm_alignr_epi8(cdgh, t, 8));
}

/* 1 when the CPU's SHA extensions are used; -1 until the first use. */
static int have_ni = -1;

void sha256_portable(int on)
{
	have_ni = on ? 0 : -1;
}

/* The block function for this CPU, chosen at the first use. */
static void compress_blocks(struct sha256 *c, const unsigned char *p,
			    size_t n)
{
	if (have_ni < 0) {
		/* CPUID directly: clang's __builtin_cpu_supports() does not
		 * know "sha".  SHA is leaf 7 EBX bit 29, SSE4.1 leaf 1 ECX
		 * bit 19, SSSE3 leaf 1 ECX bit 9. */
		unsigned a, b, c7, d;
		unsigned c1 = 0, b7 = 0;

		if (__get_cpuid(1, &a, &b, &c1, &d) == 0)
			c1 = 0;
		if (__get_cpuid_count(7, 0, &a, &b7, &c7, &d) == 0)
			b7 = 0;
		have_ni = (b7 >> 29 & 1) && (c1 >> 19 & 1) && (c1 >> 9 & 1);
	}
	if (have_ni) {
		compress_blocks_ni(c, p, n);
	} else {
		compress_blocks_c(c, p, n);
	}
}
#else
#define compress_blocks compress_blocks_c

void sha256_portable(int on)
{
	(void)on;
}
#endif

void sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->total = 0;
	c->fill = 0;
}

void sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->total += len;
	if (len == 0) {
		return;
	}
	if (c->fill > 0) {
		size_t take = 64 - c->fill;

		if (take > len) {
			take = len;
		}
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		len -= take;
		if (c->fill < 64) {
			return;
		}
		compress_blocks(c, c->block, 1);
		c->fill = 0;
	}
	if (len >= 64) {
		compress_blocks(c, p, len / 64);
		p += len / 64 * 64;
		len %= 64;
	}
	if (len > 0) {
		memcpy(c->block, p, len);
	}
	c->fill = len;
}

void sha256_final_hex(struct sha256 *c, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t bits = c->total * 8;
	unsigned char pad = 0x80, zero = 0, len[8];

	sha256_update(c, &pad, 1);
	while (c->fill != 56) {
		sha256_update(c, &zero, 1);
	}
	for (int i = 0; i < 8; i++) {
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	}
	sha256_update(c, len, 8);
	for (int i = 0; i < 8; i++) {
		for (int j = 0; j < 4; j++) {
			unsigned char byte = (unsigned char)(c->h[i] >> (24 - 8 * j));

			hex[8 * i + 2 * j] = digits[byte >> 4];
			hex[8 * i + 2 * j + 1] = digits[byte & 15];
		}
	}
	hex[64] = '\0';
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final_hex(&c, hex);
}
