#ifndef CSHEETS_H
#define CSHEETS_H
/* C shim for the spreadsheet readers: zlib (raw inflate/deflate for .xlsx zip entries) and
   FreeXL (legacy .xls, BIFF8). Only plain C types cross this header, so the Swift side does
   not depend on zlib's or FreeXL's headers and macros. */
#include <stddef.h>
#include <stdint.h>

/* ---- zlib ---- */

/* CRC-32 (zlib's) of `len` bytes, continuing from `crc` (start with 0). */
uint32_t csheets_crc32(uint32_t crc, const uint8_t *buf, size_t len);

/* Result of csheets_inflate_raw. */
enum {
    CSHEETS_INFLATE_OK = 0,        /* the stream ended; *produced bytes written */
    CSHEETS_INFLATE_OVERFLOW = 1,  /* the output buffer filled up before the end of the stream */
    CSHEETS_INFLATE_TRUNCATED = 2, /* the input ended before the end of the stream */
    CSHEETS_INFLATE_CORRUPT = 3,   /* invalid deflate data */
    CSHEETS_INFLATE_NOMEM = 4
};

/* Inflates a raw deflate stream (no zlib header, windowBits -15) into `out`, in a loop that
   stops as soon as `out_cap` bytes are produced: the caller sizes `out` to its limit + 1, so
   it never gets more than it can accept. */
int csheets_inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                        size_t *produced);

/* Upper bound of the raw deflate output for `len` input bytes. */
size_t csheets_deflate_bound(size_t len);

/* Raw deflate (windowBits -15) of `in` into `out` (capacity from csheets_deflate_bound).
   Returns the compressed length, or -1 on error. */
long csheets_deflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                         int level);

/* Streaming raw deflate (windowBits -15), for zip entries written as they are produced.
   csheets_deflater_new returns NULL when zlib cannot allocate its state. */
void *csheets_deflater_new(int level);

/* Result of csheets_deflater_run. */
enum {
    CSHEETS_DEFLATE_MORE = 0,  /* the input is consumed (or `out` is full): call again */
    CSHEETS_DEFLATE_END = 1,   /* with `finish`: the stream is complete */
    CSHEETS_DEFLATE_ERROR = -1
};

/* Compresses from `in` into `out` until the input is consumed or `out` is full. *consumed
   and *produced receive the bytes read and written. With `finish` set, the stream ends once
   the input is consumed: call again (with no further input) while MORE is returned. */
int csheets_deflater_run(void *deflater, const uint8_t *in, size_t in_len, int finish,
                         uint8_t *out, size_t out_cap, size_t *consumed, size_t *produced);

void csheets_deflater_free(void *deflater);

/* ---- FreeXL ---- */

enum {
    CSHEETS_XLS_OK = 0,
    CSHEETS_XLS_TEMPFILE = -100,   /* could not write the private temporary file */
    CSHEETS_XLS_ENCRYPTED = -101   /* FILEPASS: password-protected workbook */
};

/* Cell types, mirrors of FREEXL_CELL_*. */
enum {
    CSHEETS_CELL_NULL = 101,
    CSHEETS_CELL_INT = 102,
    CSHEETS_CELL_DOUBLE = 103,
    CSHEETS_CELL_TEXT = 104,
    CSHEETS_CELL_SST_TEXT = 105,
    CSHEETS_CELL_DATE = 106,
    CSHEETS_CELL_DATETIME = 107,
    CSHEETS_CELL_TIME = 108
};

typedef struct {
    int type;            /* CSHEETS_CELL_* */
    int int_value;
    double double_value;
    const char *text;    /* UTF-8, owned by the workbook handle; NULL unless a text type */
} csheets_cell;

/* Writes the bytes to a private temporary file (mkstemp, mode 0600), opens it with
   freexl_open, unlinks it, refuses password-protected workbooks and selects the first
   worksheet. On success *handle is set and *rows / *columns receive its dimensions.
   Returns CSHEETS_XLS_OK, CSHEETS_XLS_* or a (negative) FreeXL error code. */
int csheets_xls_open(const uint8_t *bytes, size_t len, const void **handle,
                     unsigned int *rows, unsigned int *columns);

/* One cell of the selected worksheet; returns 0 or a FreeXL error code. */
int csheets_xls_cell(const void *handle, unsigned int row, unsigned int column,
                     csheets_cell *cell);

void csheets_xls_close(const void *handle);

#endif
