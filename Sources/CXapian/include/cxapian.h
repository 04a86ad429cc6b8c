/*
 * cxapian.h — a pure-C shim over the Xapian 1.4 C++ API, imported only by XapianKit.
 *
 * Why a C shim: Swift's C++ interoperability cannot catch C++ exceptions (an uncaught
 * exception aborts the process), so every Xapian call goes through an extern "C"
 * function that catches everything and reports it as a status code.
 *
 * Conventions (every function follows them):
 *  - Functions are prefixed `cxp_`; handles are opaque pointers owned by the caller
 *    and released with the matching `cxp_*_free`.
 *  - Functions that can fail return an `int` status: CXP_OK (0) or one of the
 *    CXP_ERR_* codes. On failure, if `error_message` is not NULL, `*error_message` is set
 *    to a malloc'd NUL-terminated description that the caller releases with
 *    `cxp_free_string`. On success `*error_message` is left untouched.
 *  - Strings and binary data are passed as (pointer, length), so terms, values and
 *    document data may contain any byte including NUL.
 *  - Memory returned to the caller is released with the dedicated `cxp_free_*` function.
 *  - Handles are not thread-safe: use one handle from one thread at a time.
 */
#ifndef CXAPIAN_H
#define CXAPIAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes (the Xapian exception class, most specific first). */
#define CXP_OK 0
#define CXP_ERR_DATABASE_LOCK 1      /* Xapian::DatabaseLockError */
#define CXP_ERR_DATABASE_NOT_FOUND 2 /* Xapian::DatabaseNotFoundError */
#define CXP_ERR_DATABASE_OPENING 3   /* other Xapian::DatabaseOpeningError */
#define CXP_ERR_DATABASE_MODIFIED 4  /* Xapian::DatabaseModifiedError */
#define CXP_ERR_DATABASE_CORRUPT 5   /* Xapian::DatabaseCorruptError */
#define CXP_ERR_INVALID_ARGUMENT 6   /* Xapian::InvalidArgumentError, or a bad argument to the shim */
#define CXP_ERR_OTHER 7              /* any other Xapian::Error, std::exception or unknown exception */

/* Opaque handles. */
typedef struct cxp_document cxp_document;           /* Xapian::Document */
typedef struct cxp_writable_database cxp_writable_database; /* Xapian::WritableDatabase */
typedef struct cxp_database cxp_database;           /* Xapian::Database */
typedef struct cxp_enquire cxp_enquire;             /* Xapian::Enquire + its applied options */
typedef struct cxp_termiter cxp_termiter;           /* Xapian::TermIterator pair */

/* ---------------------------------------------------------------------------------------
 * Memory and version
 * ------------------------------------------------------------------------------------- */

/* Releases a string or byte buffer returned by any cxp_ function (error messages,
 * metadata, document data, values, descriptions). NULL is accepted. */
void cxp_free_string(char *s);

/* Xapian's version string ("1.4.22"); static storage, never freed. Exists so Swift can
 * report the library version without C++. */
const char *cxp_version_string(void);

/* Xapian::sortable_serialise into `buf`, which must hold at least 9 bytes; returns the
 * number of bytes written. Exists because the C++ API returns std::string. Never fails. */
size_t cxp_sortable_serialise(double value, char *buf);

/* Xapian::sortable_unserialise. Never fails (malformed input gives some number). */
double cxp_sortable_unserialise(const char *data, size_t len);

/* ---------------------------------------------------------------------------------------
 * Document (built by the indexer, then handed to replace_document)
 * ------------------------------------------------------------------------------------- */

/* A new empty Xapian::Document; NULL only if out of memory. */
cxp_document *cxp_document_new(void);
void cxp_document_free(cxp_document *doc);

/* Document::add_term(term, wdf_inc). Fails on an empty term. */
int cxp_document_add_term(cxp_document *doc, const char *term, size_t term_len,
                          uint32_t wdf_inc, char **error_message);

/* Document::add_boolean_term(term) (wdf 0). Fails on an empty term. */
int cxp_document_add_boolean_term(cxp_document *doc, const char *term, size_t term_len,
                                  char **error_message);

/* Document::add_value(slot, value); an empty value removes the slot. */
int cxp_document_set_value(cxp_document *doc, uint32_t slot, const char *value,
                           size_t value_len, char **error_message);

/* Document::set_data(data). */
int cxp_document_set_data(cxp_document *doc, const char *data, size_t data_len,
                          char **error_message);

/* ---------------------------------------------------------------------------------------
 * WritableDatabase (glass; one per index, used from one executor)
 * ------------------------------------------------------------------------------------- */

#define CXP_DB_CREATE_OR_OPEN 0
#define CXP_DB_CREATE_OR_OVERWRITE 1
#define CXP_DB_OPEN 2

/* Opens or creates a glass database at `path` (NUL-terminated file system path). */
int cxp_writable_open(const char *path, int mode, cxp_writable_database **out,
                      char **error_message);
/* Frees the handle; like Xapian's destructor this commits pending changes and ignores
 * errors. Call cxp_writable_close first to see them. */
void cxp_writable_free(cxp_writable_database *db);

/* replace_document(unique_term, doc): replaces every document indexed by the term
 * (or adds one); `*docid_out` receives the document id. */
int cxp_writable_replace_by_term(cxp_writable_database *db, const char *term, size_t term_len,
                                 const cxp_document *doc, uint32_t *docid_out,
                                 char **error_message);
/* add_document(doc). */
int cxp_writable_add_document(cxp_writable_database *db, const cxp_document *doc,
                              uint32_t *docid_out, char **error_message);
/* replace_document(docid, doc) with the document given as one packed buffer, so that an
 * indexer crosses the language boundary once per document instead of once per term.
 * Why: a document has dozens of terms; a call per term was a measurable share of indexing.
 * Layout (native byte order):
 *   u32 term_count, then per term: u8 length (1..245), bytes, u32 wdf;
 *   u32 value_count, then per value: u32 slot, u32 length, bytes;
 *   u32 data_length, bytes (the document data, may be empty).
 * A docid above the last one used is a plain add (no lookup). */
int cxp_writable_replace_packed(cxp_writable_database *db, uint32_t docid, const uint8_t *packed,
                                size_t packed_len, char **error_message);
/* delete_document(docid); a document that does not exist is not an error. */
int cxp_writable_delete_docid(cxp_writable_database *db, uint32_t docid, char **error_message);
/* delete_document(unique_term): deletes every document indexed by the term. */
int cxp_writable_delete_by_term(cxp_writable_database *db, const char *term, size_t term_len,
                                char **error_message);
/* set_metadata(key, value); an empty value removes the key. */
int cxp_writable_set_metadata(cxp_writable_database *db, const char *key, size_t key_len,
                              const char *value, size_t value_len, char **error_message);
/* get_metadata(key) into a malloc'd buffer (`*value_out`, may be NULL when empty) that
 * the caller frees with cxp_free_string. */
int cxp_writable_get_metadata(cxp_writable_database *db, const char *key, size_t key_len,
                              char **value_out, size_t *value_len_out, char **error_message);
int cxp_writable_commit(cxp_writable_database *db, char **error_message);
/* close(): commits (outside a transaction) and releases the lock. */
int cxp_writable_close(cxp_writable_database *db, char **error_message);
int cxp_writable_doccount(cxp_writable_database *db, uint32_t *out, char **error_message);
int cxp_writable_termfreq(cxp_writable_database *db, const char *term, size_t term_len,
                          uint32_t *out, char **error_message);

/* ---------------------------------------------------------------------------------------
 * Database (a reader)
 * ------------------------------------------------------------------------------------- */

int cxp_database_open(const char *path, cxp_database **out, char **error_message);
void cxp_database_free(cxp_database *db);
/* reopen(): `*changed_out` is 1 when a newer revision was opened. */
int cxp_database_reopen(cxp_database *db, int *changed_out, char **error_message);
/* close(): errors are reported but the handle stays valid (later calls fail). */
int cxp_database_close(cxp_database *db, char **error_message);
int cxp_database_doccount(cxp_database *db, uint32_t *out, char **error_message);
/* Compares document `docid` with a packed document (layout of cxp_writable_replace_packed):
 * `*result_out` 0 when terms (with wdf), values and data are the same, 1 when the document is
 * missing, 2 when it differs. */
int cxp_database_compare_packed(cxp_database *db, uint32_t docid, const uint8_t *packed,
                                size_t packed_len, int *result_out, char **error_message);
/* Every document id, ascending, in a malloc'd array freed with cxp_free_string. */
int cxp_database_docids(cxp_database *db, uint32_t **docids_out, size_t *count_out,
                        char **error_message);
/* compact(dest, DBCOMPACT_NO_RENUMBER | DBCOMPACT_MULTIPASS): a compacted copy at `dest`
 * (a new directory) keeping every document id. */
int cxp_database_compact(cxp_database *db, const char *dest, char **error_message);
int cxp_database_termfreq(cxp_database *db, const char *term, size_t term_len, uint32_t *out,
                          char **error_message);
int cxp_database_term_exists(cxp_database *db, const char *term, size_t term_len, int *out,
                             char **error_message);
int cxp_database_get_metadata(cxp_database *db, const char *key, size_t key_len,
                              char **value_out, size_t *value_len_out, char **error_message);
/* get_document(docid).get_data(); the buffer is freed with cxp_free_string. A missing
 * document is an error (Xapian::DocNotFoundError → CXP_ERR_OTHER). */
int cxp_database_document_data(cxp_database *db, uint32_t docid, char **data_out,
                               size_t *data_len_out, char **error_message);
/* get_document(docid).get_value(slot); empty when the slot is unset. */
int cxp_database_document_value(cxp_database *db, uint32_t docid, uint32_t slot,
                                char **value_out, size_t *value_len_out, char **error_message);

/* allterms_begin(prefix) as an iterator handle: one cheap call per term and the caller
 * may stop at any time (no callback crosses the language boundary). */
int cxp_database_allterms(cxp_database *db, const char *prefix, size_t prefix_len,
                          cxp_termiter **out, char **error_message);

/* Advances the iterator and returns the next term. `*has_term_out` is 0 at the end.
 * `*term_out` points into the iterator and stays valid until the next call or free.
 * `*termfreq_out` is the term frequency (0 for iterators that carry none). */
int cxp_termiter_next(cxp_termiter *it, const char **term_out, size_t *term_len_out,
                      uint32_t *termfreq_out, int *has_term_out, char **error_message);
void cxp_termiter_free(cxp_termiter *it);

/* ---------------------------------------------------------------------------------------
 * Queries: a compact byte program, decoded into a Xapian::Query in one call.
 *
 * Why: building a C++ query node by node would take one call and one handle per node;
 * XapianKit instead serialises its Swift value tree (prefix order, native-endian
 * fixed-width integers) and hands it over in one call. Grammar:
 *   node := TERM        u32 len, bytes, u32 wqf
 *         | AND|OR|SYNONYM|MAX  u32 count, node * count
 *         | AND_MAYBE|AND_NOT|FILTER  node node
 *         | SCALE_WEIGHT f64 factor, node
 *         | WILDCARD    u32 len, bytes, u32 limit (0: every term; else WILDCARD_LIMIT_MOST_FREQUENT),
 *                       the expansions combined with OP_MAX (a document weighs its best term)
 *         | VALUE_WEIGHT u32 slot           (ValueWeightPostingSource)
 *         | VALUE_RANGE u32 slot, u32 len, bytes, u32 len, bytes
 *         | MATCH_ALL | MATCH_NOTHING
 * A malformed program fails with CXP_ERR_INVALID_ARGUMENT.
 * ------------------------------------------------------------------------------------- */

#define CXP_Q_TERM 1
#define CXP_Q_AND 2
#define CXP_Q_OR 3
#define CXP_Q_SYNONYM 4
#define CXP_Q_AND_MAYBE 5
#define CXP_Q_AND_NOT 6
#define CXP_Q_FILTER 7
#define CXP_Q_SCALE_WEIGHT 8
#define CXP_Q_WILDCARD 9
#define CXP_Q_VALUE_WEIGHT 10
#define CXP_Q_MATCH_ALL 11
#define CXP_Q_MATCH_NOTHING 12
#define CXP_Q_MAX 13
#define CXP_Q_VALUE_RANGE 14

/* Query::get_description() of a query program (for tests and logs); freed with
 * cxp_free_string. */
int cxp_query_description(const uint8_t *program, size_t program_len, char **out,
                          size_t *out_len, char **error_message);

/* ---------------------------------------------------------------------------------------
 * Enquire
 * ------------------------------------------------------------------------------------- */

#define CXP_WEIGHT_BM25 0
#define CXP_WEIGHT_BOOL 1
#define CXP_WEIGHT_COORD 2
#define CXP_WEIGHT_TRAD 3
/* Xapian::TfIdfWeight("nnn"): a term's weight is its wdf (times the query's scale factors),
 * so an index can give each field class its own weight through the wdf. */
#define CXP_WEIGHT_WDF 4

#define CXP_SORT_RELEVANCE 0
#define CXP_SORT_RELEVANCE_THEN_VALUE 1
#define CXP_SORT_VALUE_THEN_RELEVANCE 2
#define CXP_SORT_VALUE 3

/* Everything that shapes a match besides the query, passed with each get_mset so that
 * one call does the whole search. The shim only re-applies what changed. */
typedef struct cxp_enquire_options {
    int weighting;          /* CXP_WEIGHT_* */
    double params[5];       /* BM25: k1, k2, k3, b, min_normlen; TRAD: k in params[0] */
    int sort;               /* CXP_SORT_* */
    uint32_t sort_slot;
    int sort_reverse;
    int docid_ascending;
    int collapse;           /* 0: no collapse key */
    uint32_t collapse_slot;
    uint32_t collapse_max;
    int fetch_value;        /* 0: fetch_data fetches the document data; 1: the value in fetch_value_slot */
    uint32_t fetch_value_slot;
} cxp_enquire_options;

typedef struct cxp_mset_item {
    uint32_t docid;
    uint32_t rank;
    uint32_t collapse_count;
    double weight;
    size_t data_offset;     /* into cxp_mset.data */
    size_t data_len;
} cxp_mset_item;

/* An MSet copied out in one allocation: items then the concatenated document data. */
typedef struct cxp_mset {
    uint32_t count;
    uint32_t matches_estimated;
    uint32_t matches_lower_bound;
    uint32_t matches_upper_bound;
    cxp_mset_item *items;
    const char *data;
} cxp_mset;

/* An Enquire over `db` (which shares its state: reopen the database, not the enquire). */
int cxp_enquire_new(cxp_database *db, cxp_enquire **out, char **error_message);
void cxp_enquire_free(cxp_enquire *enq);

/* Decodes a query program and sets it as the query. */
int cxp_enquire_set_query(cxp_enquire *enq, const uint8_t *program, size_t program_len,
                          char **error_message);

/* get_mset(first, maxitems, checkatleast) with `options` applied, copying out every
 * item (docid, rank, weight, collapse count, and the document data when fetch_data)
 * in one call. Free the result with cxp_free_mset. */
int cxp_enquire_get_mset(cxp_enquire *enq, const cxp_enquire_options *options,
                         uint32_t first, uint32_t maxitems, uint32_t checkatleast,
                         int fetch_data, cxp_mset **out, char **error_message);
void cxp_free_mset(cxp_mset *mset);

/* The same, with a ValueCountMatchSpy on `count_slot`: *counts receives, for each value of
 * the slot among the matches it saw, (u32 length, value bytes, u32 count) in native byte
 * order. Exact when checkatleast >= the number of matches. Free it with cxp_free_counts. */
int cxp_enquire_get_mset_counting(cxp_enquire *enq, const cxp_enquire_options *options,
                                  uint32_t first, uint32_t maxitems, uint32_t checkatleast,
                                  int fetch_data, uint32_t count_slot, cxp_mset **out,
                                  uint8_t **counts, size_t *counts_len, char **error_message);
void cxp_free_counts(uint8_t *counts);

/* One exhaustive match that gives, for each group of documents (a group is a run of docids:
 * group g holds docids (g << group_shift) + 1 …), its exact number of matches and its best
 * `per_group` documents, best weight first, equal weights by the value in `sort_slot`
 * (ascending, byte-wise), with the value in `fetch_slot` of each.
 * Why: the search bar shows each kind's best hits with exact totals. With a collapse key and a
 * ValueCountMatchSpy, every match cost two value reads more (the collapse key and the count);
 * here a match costs its weight, and a value read only when it would enter a group's best.
 * `options` gives the weighting; sorting and collapsing options are ignored.
 * Output (native byte order), for each of `groups` groups: u32 count, u32 n, then n items of
 * (u32 docid, f64 weight, u32 length, bytes). Freed with cxp_free_counts.
 * Local databases only (a remote shard runs no custom match spy). */
/* Every match with docid in [lo, hi] (one exhaustive match: exact when checkatleast >= the
 * number of matches) with its weight, best weight first, equal weights by docid; no value is
 * read (a value read per match was most of a list's text match). *docids_out and *weights_out
 * hold *out_count entries; free both with free(). */
int cxp_enquire_weighted_docids(cxp_enquire *enq, const cxp_enquire_options *options, uint32_t checkatleast,
                                uint32_t lo, uint32_t hi, uint32_t **docids_out, double **weights_out,
                                size_t *out_count, char **error_message);

int cxp_enquire_grouped(cxp_enquire *enq, const cxp_enquire_options *options, uint32_t checkatleast,
                        uint32_t group_shift, uint32_t groups, uint32_t per_group, uint32_t sort_slot,
                        uint32_t fetch_slot, uint8_t **out, size_t *out_len, char **error_message);

/* get_matching_terms_begin(docid) as a term iterator (term frequencies are 0). */
int cxp_enquire_matching_terms(cxp_enquire *enq, uint32_t docid, cxp_termiter **out,
                               char **error_message);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CXAPIAN_H */
