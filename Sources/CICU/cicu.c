/*
 * cicu.c — ICU behind a UTF-8 C API (see include/cicu.h for the contract).
 */
#include "cicu.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

/* The transliteration applied after NFKC_Casefold. Latin-ASCII runs again once the marks are
   gone: a symbol with a combining overlay ("∦" = "∥" + U+0338) loses its mark only in the
   third step, and its bare base ("∥" → "||") must fold as it would on its own (fold is
   idempotent; found by the analyzer fuzz target). */
static const char kTransID[] = "Latin-ASCII; Any-Lower; NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Any-Lower";

/* ---------------------------------------------------------------------------------------- */
/* Shared state, created once.                                                               */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int32_t g_init_status = CICU_ERR_INIT;
static const UNormalizer2 *g_nfkc_cf = NULL;   /* ICU-owned singleton, thread-safe */
static const UNormalizer2 *g_nfc = NULL;       /* ICU-owned singleton, thread-safe */
static UTransliterator *g_template = NULL;     /* used directly only by init (table build); then only cloned */
static pthread_key_t g_trans_key;
static pthread_mutex_t g_clone_lock = PTHREAD_MUTEX_INITIALIZER;  /* clones are made one at a time */
static char g_init_error[256] = "";

static _Thread_local UTransliterator *tl_trans = NULL;
static _Thread_local char tl_error[256] = "";

/* Fast-path table: code point ranges whose single-code-point fold is context-free. */
typedef struct { int32_t first, last; } CPRange;
static const CPRange kRanges[] = {
    {0x0000, 0x30FF},   /* Latin, IPA, Greek, Cyrillic, …, punctuation, symbols, CJK punct., kana */
    {0xFB00, 0xFB4F},   /* alphabetic presentation forms (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) */
    {0xFF00, 0xFFEF},   /* halfwidth and fullwidth forms */
};
#define N_RANGES ((int)(sizeof(kRanges) / sizeof(kRanges[0])))
#define MAX_TABLE_FOLD 15           /* longest folded UTF-8 kept in the table */
/* entry: 0 = not in the fast path; else bit 31 | (poolOffset << 4) | length (0…15) */
static uint32_t *g_table[N_RANGES];
static char *g_pool = NULL;

static void set_error(const char *what, UErrorCode code) {
    snprintf(tl_error, sizeof tl_error, "%s: %s", what, u_errorName(code));
}

static void trans_destructor(void *p) {
    if (p) utrans_close((UTransliterator *)p);
}

static UTransliterator *thread_trans(void) {
    if (tl_trans) return tl_trans;
    UErrorCode err = U_ZERO_ERROR;
    pthread_mutex_lock(&g_clone_lock);
    UTransliterator *t = utrans_clone(g_template, &err);
    pthread_mutex_unlock(&g_clone_lock);
    if (U_FAILURE(err) || !t) {
        set_error("utrans_clone", err);
        return NULL;
    }
    tl_trans = t;
    pthread_setspecific(g_trans_key, t);   /* closed when the thread exits */
    return t;
}

/* Full pipeline on UTF-16 input. Result in *out16 (malloc'ed when larger than `stackBuf`). */
static int32_t fold_utf16(UTransliterator *trans, const UChar *src, int32_t srcLen,
                          UChar *stackBuf, int32_t stackCap, UChar **out16, int32_t *outLen) {
    UErrorCode err = U_ZERO_ERROR;
    /* 1. NFKC_Casefold into a buffer with room for the transliterator's expansion. */
    int32_t normLen = unorm2_normalize(g_nfkc_cf, src, srcLen, NULL, 0, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) { set_error("unorm2_normalize", err); return CICU_ERR_ICU; }
    int32_t cap = normLen * 4 + 16;
    UChar *norm = (UChar *)malloc(sizeof(UChar) * (size_t)(normLen + 1));
    if (!norm) return CICU_ERR_ICU;
    err = U_ZERO_ERROR;
    unorm2_normalize(g_nfkc_cf, src, srcLen, norm, normLen + 1, &err);
    if (U_FAILURE(err)) { free(norm); set_error("unorm2_normalize", err); return CICU_ERR_ICU; }

    for (int attempt = 0; attempt < 4; attempt++) {
        UChar *buf = cap <= stackCap ? stackBuf : (UChar *)malloc(sizeof(UChar) * (size_t)cap);
        if (!buf) { free(norm); return CICU_ERR_ICU; }
        memcpy(buf, norm, sizeof(UChar) * (size_t)normLen);
        int32_t textLen = normLen, limit = normLen;
        err = U_ZERO_ERROR;
        /* 2. Latin-ASCII; Any-Lower; NFD; remove Mn; NFC; Latin-ASCII; Any-Lower — in place. */
        utrans_transUChars(trans, buf, &textLen, cap, 0, &limit, &err);
        if (U_SUCCESS(err) && textLen <= cap) {
            free(norm);
            *out16 = buf;
            *outLen = textLen;
            return 0;
        }
        if (buf != stackBuf) free(buf);
        if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR) { free(norm); set_error("utrans_transUChars", err); return CICU_ERR_ICU; }
        cap = (textLen > cap ? textLen : cap) * 2 + 16;
    }
    free(norm);
    snprintf(tl_error, sizeof tl_error, "utrans_transUChars: output keeps growing");
    return CICU_ERR_ICU;
}

/* Full ICU path, UTF-8 to UTF-8, with the given transliterator. */
static int32_t fold_full(UTransliterator *trans, const char *in, int32_t inLen, char *out, int32_t outCap) {
    UChar stackSrc[256], stackDst[1024];
    UErrorCode err = U_ZERO_ERROR;
    int32_t srcLen = 0;
    u_strFromUTF8WithSub(NULL, 0, &srcLen, in, inLen, 0xFFFD, NULL, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) { set_error("u_strFromUTF8", err); return CICU_ERR_ICU; }
    UChar *src = srcLen < 256 ? stackSrc : (UChar *)malloc(sizeof(UChar) * (size_t)(srcLen + 1));
    if (!src) return CICU_ERR_ICU;
    err = U_ZERO_ERROR;
    u_strFromUTF8WithSub(src, srcLen + 1, &srcLen, in, inLen, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) { if (src != stackSrc) free(src); set_error("u_strFromUTF8", err); return CICU_ERR_ICU; }

    UChar *res = NULL;
    int32_t resLen = 0;
    int32_t rc = fold_utf16(trans, src, srcLen, stackDst, 1024, &res, &resLen);
    if (src != stackSrc) free(src);
    if (rc < 0) return rc;

    int32_t outLen = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(out, outCap, &outLen, res, resLen, &err);
    if (res != stackDst) free(res);
    if (err == U_BUFFER_OVERFLOW_ERROR || err == U_STRING_NOT_TERMINATED_WARNING) err = U_ZERO_ERROR;
    if (U_FAILURE(err)) { set_error("u_strToUTF8", err); return CICU_ERR_ICU; }
    return outLen;
}

static uint32_t *table_slot(UChar32 c) {
    for (int r = 0; r < N_RANGES; r++) {
        if (c >= kRanges[r].first && c <= kRanges[r].last) return &g_table[r][c - kRanges[r].first];
    }
    return NULL;
}

/* Builds the fast-path table from the ICU pipeline itself. Runs once, single-threaded. */
static int build_table(UTransliterator *trans) {
    size_t poolCap = 64 * 1024, poolLen = 0;
    g_pool = (char *)malloc(poolCap);
    if (!g_pool) return -1;
    for (int r = 0; r < N_RANGES; r++) {
        int32_t n = kRanges[r].last - kRanges[r].first + 1;
        g_table[r] = (uint32_t *)calloc((size_t)n, sizeof(uint32_t));
        if (!g_table[r]) return -1;
        for (int32_t i = 0; i < n; i++) {
            UChar32 c = kRanges[r].first + i;
            if (U_IS_SURROGATE(c)) continue;
            /* Normalization boundary before c: when every code point of a string has one,
               the string normalizes code point by code point (no reordering or composition
               across them), so a table of single-code-point folds is exact. */
            if (!unorm2_hasBoundaryBefore(g_nfkc_cf, c)) continue;
            /* …and not a mark (marks interact with the preceding base in NFD/NFC). */
            int8_t gc = u_charType(c);
            if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_COMBINING_SPACING_MARK) continue;
            char utf8[8];
            int32_t len8 = 0;
            U8_APPEND_UNSAFE(utf8, len8, c);
            char folded[64];
            int32_t fl = fold_full(trans, utf8, len8, folded, (int32_t)sizeof folded);
            if (fl < 0 || fl > MAX_TABLE_FOLD) continue;
            if (poolLen + (size_t)fl > poolCap) {
                poolCap *= 2;
                char *np = (char *)realloc(g_pool, poolCap);
                if (!np) return -1;
                g_pool = np;
            }
            memcpy(g_pool + poolLen, folded, (size_t)fl);
            /* bit 31 set = present; bits 4..30 offset; bits 0..3 length (0…15) */
            g_table[r][i] = 0x80000000u | ((uint32_t)poolLen << 4) | (uint32_t)fl;
            poolLen += (size_t)fl;
        }
    }
    return 0;
}

static void init_once(void) {
    UErrorCode err = U_ZERO_ERROR;
    g_nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err) || !g_nfkc_cf) {
        snprintf(g_init_error, sizeof g_init_error, "unorm2_getNFKCCasefoldInstance: %s", u_errorName(err));
        return;
    }
    g_nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err) || !g_nfc) {
        snprintf(g_init_error, sizeof g_init_error, "unorm2_getNFCInstance: %s", u_errorName(err));
        return;
    }
    UChar id[128];
    int32_t idLen = 0;
    u_strFromUTF8(id, 128, &idLen, kTransID, -1, &err);
    UParseError pe;
    g_template = utrans_openU(id, idLen, UTRANS_FORWARD, NULL, 0, &pe, &err);
    if (U_FAILURE(err) || !g_template) {
        snprintf(g_init_error, sizeof g_init_error, "utrans_openU(%s): %s", kTransID, u_errorName(err));
        return;
    }
    if (pthread_key_create(&g_trans_key, trans_destructor) != 0) {
        snprintf(g_init_error, sizeof g_init_error, "pthread_key_create failed");
        return;
    }
    /* The template is used directly only here, before any other thread can see it. */
    if (build_table(g_template) != 0) {
        snprintf(g_init_error, sizeof g_init_error, "out of memory building the fold table");
        return;
    }
    g_init_status = 0;
}

int32_t cicu_init(void) {
    pthread_once(&g_once, init_once);
    if (g_init_status != 0) snprintf(tl_error, sizeof tl_error, "%s", g_init_error);
    return g_init_status;
}

int32_t cicu_fold_icu(const char *in, int32_t inLen, char *out, int32_t outCap) {
    if ((!in && inLen > 0) || inLen < 0 || outCap < 0 || (!out && outCap > 0)) return CICU_ERR_INPUT;
    if (cicu_init() != 0) return CICU_ERR_INIT;
    UTransliterator *t = thread_trans();
    if (!t) return CICU_ERR_INIT;
    int32_t n = fold_full(t, in, inLen, out, outCap);
    if (n >= 0 && n < outCap) out[n] = 0;
    return n;
}

/* Table path: returns the folded length, or -1 when some code point is not in the table. */
static int32_t fold_table(const char *in, int32_t inLen, char *out, int32_t outCap) {
    const uint8_t *s = (const uint8_t *)in;
    int32_t i = 0, o = 0;
    while (i < inLen) {
        UChar32 c;
        if (s[i] < 0x80) {
            c = s[i++];
        } else {
            U8_NEXT(s, i, inLen, c);
            if (c < 0) return -1;
        }
        uint32_t *slot = table_slot(c);
        if (!slot || !(*slot & 0x80000000u)) return -1;
        uint32_t e = *slot;
        int32_t len = (int32_t)(e & 0xF);
        if (o + len <= outCap) memcpy(out + o, g_pool + ((e & 0x7FFFFFFFu) >> 4), (size_t)len);
        o += len;
    }
    if (o < outCap) out[o] = 0;
    return o;
}

/* NFC of UTF-8 input, as UTF-8 in a malloc'ed buffer; NULL when the input is already NFC or
   on error. Canonically equivalent strings fold alike (NFKC_Casefold is canonical-equivalence
   invariant), so NFD text can take the table path once composed. */
static char *compose_utf8(const char *in, int32_t inLen, int32_t *outLen) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t srcLen = 0;
    u_strFromUTF8WithSub(NULL, 0, &srcLen, in, inLen, 0xFFFD, NULL, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return NULL;
    UChar stackSrc[256];
    UChar *src = srcLen < 256 ? stackSrc : (UChar *)malloc(sizeof(UChar) * (size_t)(srcLen + 1));
    if (!src) return NULL;
    err = U_ZERO_ERROR;
    u_strFromUTF8WithSub(src, srcLen + 1, &srcLen, in, inLen, 0xFFFD, NULL, &err);
    char *result = NULL;
    if (U_SUCCESS(err) && unorm2_spanQuickCheckYes(g_nfc, src, srcLen, &err) < srcLen && U_SUCCESS(err)) {
        int32_t cap = srcLen + 16;
        UChar *nfc = (UChar *)malloc(sizeof(UChar) * (size_t)cap);
        if (nfc) {
            int32_t n = unorm2_normalize(g_nfc, src, srcLen, nfc, cap, &err);
            if (U_SUCCESS(err) && n <= cap) {
                int32_t len8 = 0;
                u_strToUTF8(NULL, 0, &len8, nfc, n, &err);
                err = U_ZERO_ERROR;
                result = (char *)malloc((size_t)len8 + 1);
                if (result) {
                    u_strToUTF8(result, len8 + 1, &len8, nfc, n, &err);
                    if (U_FAILURE(err)) { free(result); result = NULL; } else *outLen = len8;
                }
            }
            free(nfc);
        }
    }
    if (src != stackSrc) free(src);
    return result;
}

int32_t cicu_fold(const char *in, int32_t inLen, char *out, int32_t outCap) {
    if ((!in && inLen > 0) || inLen < 0 || outCap < 0 || (!out && outCap > 0)) return CICU_ERR_INPUT;
    if (cicu_init() != 0) return CICU_ERR_INIT;
    int32_t n = fold_table(in, inLen, out, outCap);
    if (n >= 0) return n;
    int32_t composedLen = 0;
    char *composed = compose_utf8(in, inLen, &composedLen);
    if (composed) {
        n = fold_table(composed, composedLen, out, outCap);
        free(composed);
        if (n >= 0) return n;
    }
    return cicu_fold_icu(in, inLen, out, outCap);
}

int32_t cicu_has_fast_fold(int32_t codePoint) {
    if (cicu_init() != 0) return 0;
    uint32_t *slot = table_slot(codePoint);
    return (slot && (*slot & 0x80000000u)) ? 1 : 0;
}

static char g_version[U_MAX_VERSION_STRING_LENGTH];
static pthread_once_t g_version_once = PTHREAD_ONCE_INIT;
static void version_once(void) {
    UVersionInfo v;
    u_getVersion(v);
    u_versionToString(v, g_version);
}

const char *cicu_icu_version(void) {
    pthread_once(&g_version_once, version_once);
    return g_version;
}

const char *cicu_last_error(void) {
    return tl_error;
}
