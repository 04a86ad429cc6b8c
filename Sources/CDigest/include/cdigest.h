#ifndef CDIGEST_H
#define CDIGEST_H
#include <stddef.h>
#include <stdint.h>

/// SHA-256 (FIPS 180-4) over memory and files, in C so that hashing a backup's files costs the
/// same in debug builds as in release ones.
typedef struct {
    uint32_t state[8];
    uint64_t length;      /* bytes hashed so far */
    uint8_t buffer[64];
    size_t used;          /* bytes in buffer */
} cdg_sha256_ctx;

void cdg_sha256_init(cdg_sha256_ctx *ctx);
void cdg_sha256_update(cdg_sha256_ctx *ctx, const void *data, size_t size);
void cdg_sha256_final(cdg_sha256_ctx *ctx, uint8_t out[32]);

/// Hashes the file at `path`; 0 on success (and its size in *size), else errno.
int cdg_sha256_file(const char *path, uint8_t out[32], uint64_t *size);

#endif
