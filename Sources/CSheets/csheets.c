#include "csheets.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <zlib.h>
#include <freexl.h>

uint32_t csheets_crc32(uint32_t crc, const uint8_t *buf, size_t len) {
    uLong c = crc;
    while (len > 0) {
        uInt chunk = len > 0x40000000u ? 0x40000000u : (uInt)len;
        c = crc32(c, buf, chunk);
        buf += chunk;
        len -= chunk;
    }
    return (uint32_t)c;
}

int csheets_inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                        size_t *produced) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    *produced = 0;
    if (inflateInit2(&zs, -15) != Z_OK) return CSHEETS_INFLATE_NOMEM;
    const size_t step = 1u << 20; /* feed and drain in bounded chunks (uInt counters) */
    size_t in_off = 0, out_off = 0;
    int result = CSHEETS_INFLATE_CORRUPT;
    for (;;) {
        if (zs.avail_in == 0 && in_off < in_len) {
            size_t n = in_len - in_off < step ? in_len - in_off : step;
            zs.next_in = (Bytef *)(in + in_off);
            zs.avail_in = (uInt)n;
            in_off += n;
        }
        if (out_off >= out_cap) { result = CSHEETS_INFLATE_OVERFLOW; break; }
        size_t room = out_cap - out_off < step ? out_cap - out_off : step;
        zs.next_out = out + out_off;
        zs.avail_out = (uInt)room;
        int rc = inflate(&zs, Z_NO_FLUSH);
        out_off += room - zs.avail_out;
        if (rc == Z_STREAM_END) { result = CSHEETS_INFLATE_OK; break; }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR) {
            /* no progress possible: either out of input or out of output space */
            if (zs.avail_in == 0 && in_off >= in_len) { result = CSHEETS_INFLATE_TRUNCATED; break; }
            if (out_off >= out_cap) { result = CSHEETS_INFLATE_OVERFLOW; break; }
            continue;
        }
        if (rc == Z_MEM_ERROR) { result = CSHEETS_INFLATE_NOMEM; break; }
        result = CSHEETS_INFLATE_CORRUPT; /* Z_DATA_ERROR, Z_STREAM_ERROR, Z_NEED_DICT */
        break;
    }
    *produced = out_off;
    inflateEnd(&zs);
    return result;
}

size_t csheets_deflate_bound(size_t len) {
    /* zlib's deflateBound for the default memLevel plus the raw stream's slack. */
    return len + (len >> 12) + (len >> 14) + (len >> 25) + 64;
}

long csheets_deflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                         int level) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    const size_t step = 1u << 20;
    size_t in_off = 0, out_off = 0;
    long result = -1;
    for (;;) {
        if (zs.avail_in == 0 && in_off < in_len) {
            size_t n = in_len - in_off < step ? in_len - in_off : step;
            zs.next_in = (Bytef *)(in + in_off);
            zs.avail_in = (uInt)n;
            in_off += n;
        }
        int flush = (in_off >= in_len) ? Z_FINISH : Z_NO_FLUSH;
        if (out_off >= out_cap) break;
        size_t room = out_cap - out_off < step ? out_cap - out_off : step;
        zs.next_out = out + out_off;
        zs.avail_out = (uInt)room;
        int rc = deflate(&zs, flush);
        out_off += room - zs.avail_out;
        if (rc == Z_STREAM_END) { result = (long)out_off; break; }
        if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    }
    deflateEnd(&zs);
    return result;
}

void *csheets_deflater_new(int level) {
    z_stream *zs = calloc(1, sizeof *zs);
    if (zs == NULL) return NULL;
    if (deflateInit2(zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(zs);
        return NULL;
    }
    return zs;
}

int csheets_deflater_run(void *deflater, const uint8_t *in, size_t in_len, int finish,
                         uint8_t *out, size_t out_cap, size_t *consumed, size_t *produced) {
    z_stream *zs = deflater;
    const size_t step = 1u << 30; /* uInt-sized slices */
    size_t in_off = 0, out_off = 0;
    *consumed = 0;
    *produced = 0;
    for (;;) {
        size_t n = in_len - in_off < step ? in_len - in_off : step;
        size_t room = out_cap - out_off < step ? out_cap - out_off : step;
        if (room == 0) return CSHEETS_DEFLATE_MORE;
        static const uint8_t nothing = 0;
        zs->next_in = (Bytef *)(n == 0 ? &nothing : in + in_off);
        zs->avail_in = (uInt)n;
        zs->next_out = out + out_off;
        zs->avail_out = (uInt)room;
        int last = finish && in_off + n == in_len;
        int rc = deflate(zs, last ? Z_FINISH : Z_NO_FLUSH);
        in_off += n - zs->avail_in;
        out_off += room - zs->avail_out;
        *consumed = in_off;
        *produced = out_off;
        if (rc == Z_STREAM_END) return CSHEETS_DEFLATE_END;
        if (rc == Z_BUF_ERROR) return CSHEETS_DEFLATE_MORE; /* no progress possible now */
        if (rc != Z_OK) return CSHEETS_DEFLATE_ERROR;
        if (!finish && in_off == in_len) return CSHEETS_DEFLATE_MORE;
    }
}

void csheets_deflater_free(void *deflater) {
    if (deflater == NULL) return;
    deflateEnd(deflater);
    free(deflater);
}

int csheets_xls_open(const uint8_t *bytes, size_t len, const void **handle,
                     unsigned int *rows, unsigned int *columns) {
    *handle = NULL;
    *rows = 0;
    *columns = 0;
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0' || strlen(dir) > 3000) dir = "/tmp";
    char path[3100];
    strcpy(path, dir);
    strcat(path, "/labsearch-xls-XXXXXX");
    int fd = mkstemp(path); /* creates the file with mode 0600 */
    if (fd < 0) return CSHEETS_XLS_TEMPFILE;
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, bytes + off, len - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            close(fd);
            unlink(path);
            return CSHEETS_XLS_TEMPFILE;
        }
        off += (size_t)n;
    }
    close(fd);
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    unlink(path); /* FreeXL keeps its own descriptor open if it needs one */
    if (rc != FREEXL_OK) {
        if (h != NULL) freexl_close(h);
        return rc;
    }
    unsigned int info = 0;
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
        freexl_close(h);
        return CSHEETS_XLS_ENCRYPTED;
    }
    rc = freexl_select_active_worksheet(h, 0);
    if (rc != FREEXL_OK) { freexl_close(h); return rc; }
    unsigned int r = 0;
    unsigned short c = 0;
    rc = freexl_worksheet_dimensions(h, &r, &c);
    if (rc != FREEXL_OK) { freexl_close(h); return rc; }
    *rows = r;
    *columns = c;
    *handle = h;
    return CSHEETS_XLS_OK;
}

int csheets_xls_cell(const void *handle, unsigned int row, unsigned int column,
                     csheets_cell *cell) {
    FreeXL_CellValue v;
    memset(cell, 0, sizeof *cell);
    cell->type = CSHEETS_CELL_NULL;
    if (column > 0xFFFFu) return FREEXL_ILLEGAL_CELL_ROW_COL;
    int rc = freexl_get_cell_value(handle, row, (unsigned short)column, &v);
    if (rc != FREEXL_OK) return rc;
    cell->type = v.type;
    switch (v.type) {
    case FREEXL_CELL_INT: cell->int_value = v.value.int_value; break;
    case FREEXL_CELL_DOUBLE: cell->double_value = v.value.double_value; break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME: cell->text = v.value.text_value; break;
    default: break;
    }
    return FREEXL_OK;
}

void csheets_xls_close(const void *handle) {
    if (handle != NULL) freexl_close(handle);
}
