/*
 * cicu.h — a small, pure-C, UTF-8 API over system ICU for LabSearch's text analysis.
 *
 * Why a shim: a Swift module that imports both system ICU and Foundation does not compile
 * (Foundation bundles its own ICU), and ICU's C functions are version-renamed macros that
 * Swift cannot import. Only this header is visible to Swift; it includes no ICU header.
 *
 * Folding pipeline (the only definition of "folded text" in LabSearch):
 *   1. Unicode NFKC_Casefold (NFKC + full case folding + removal of default ignorables),
 *   2. ICU transliteration "Latin-ASCII; Any-Lower; NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Any-Lower".
 * So é→e, ç→c, œ→oe, æ→ae, ß→ss, ø→o, ł→l, ’→', ﬁ→fi, İ→i, Σ/ς→σ, and NFD input folds
 * exactly like NFC input. CJK is kept as is.
 *
 * Thread safety: every function may be called from any number of threads at once. ICU
 * transliterators are not thread-safe, so each thread lazily clones its own instance from a
 * shared template (freed when the thread exits).
 *
 * Speed: cicu_fold first tries a per-code-point table (built once from the ICU pipeline itself
 * for code points that are normalization boundaries on both sides: Latin, Greek, Cyrillic,
 * punctuation, fullwidth forms, ligatures…). Strings that contain anything else (combining
 * marks, CJK, emoji…) take the full ICU path. cicu_fold_icu always takes the full ICU path;
 * tests check that both agree.
 */
#ifndef CICU_H
#define CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes (negative return values). */
#define CICU_ERR_INIT   (-1)  /* ICU data or transliterator could not be opened */
#define CICU_ERR_INPUT  (-2)  /* invalid arguments */
#define CICU_ERR_ICU    (-3)  /* an ICU call failed (see cicu_last_error) */

/*
 * Initializes ICU objects (idempotent, thread-safe). Returns 0 on success, a negative error
 * code otherwise. Calling it is optional: every function initializes lazily.
 */
int32_t cicu_init(void);

/*
 * Folds `in` (UTF-8, `inLen` bytes, need not be NUL-terminated; ill-formed sequences become
 * U+FFFD) into `out` (capacity `outCap` bytes). Returns the length of the folded UTF-8 text in
 * bytes (not counting a NUL). If the result is longer than outCap, the output is not usable
 * and the caller must call again with a buffer of at least the returned size. A NUL is
 * appended when there is room. Negative return: error code.
 */
int32_t cicu_fold(const char *in, int32_t inLen, char *out, int32_t outCap);

/* Same contract as cicu_fold, always through the full ICU pipeline (no table). For tests. */
int32_t cicu_fold_icu(const char *in, int32_t inLen, char *out, int32_t outCap);

/*
 * Returns 1 when the code point is folded through the per-code-point table (fast path),
 * 0 otherwise. For tests and diagnostics.
 */
int32_t cicu_has_fast_fold(int32_t codePoint);

/* ICU version string, e.g. "72.1". */
const char *cicu_icu_version(void);

/* Message for the last error in the calling thread ("" if none). */
const char *cicu_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* CICU_H */
