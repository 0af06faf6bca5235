/*
 * sha256.h - SHA-256 (FIPS 180-4), for document content hashes.
 */
#ifndef QCODE_SHA256_H
#define QCODE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t total;
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Write the digest as 64 lowercase hex digits and a NUL into HEX. */
void sha256_final_hex(struct sha256 *c, char hex[65]);
/* One-shot: hash DATA[0..LEN) into HEX. */
void sha256_hex(const void *data, size_t len, char hex[65]);
/* For tests: 1 uses the portable code even where the CPU has SHA
 * instructions; 0 goes back to choosing by the CPU. */
void sha256_portable(int on);

#endif
