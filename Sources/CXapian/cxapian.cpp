// cxapian.cpp — the C++ side of the pure-C Xapian shim declared in include/cxapian.h.
//
// Every extern "C" function body is wrapped in `try { ... } catch (...)` and hands the
// exception to cxp_report_current_exception(), which catches Xapian::Error (classified
// into a CXP_ERR_* code), std::exception and anything else: no exception ever reaches
// Swift, where it would abort the process.

// Must be included so the definitions below get C linkage (otherwise they are mangled
// and the Swift side fails to link).
#include "cxapian.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

// ---------------------------------------------------------------------------------------
// Handle types
// ---------------------------------------------------------------------------------------

struct cxp_document {
    Xapian::Document doc;
};

struct cxp_writable_database {
    Xapian::WritableDatabase db;
};

struct cxp_database {
    Xapian::Database db;
};

struct cxp_termiter {
    Xapian::TermIterator it;
    Xapian::TermIterator end;
    std::string current;
    bool started = false;
    bool has_termfreq = false;
};

struct cxp_enquire {
    explicit cxp_enquire(const Xapian::Database &database) : db(database), enquire(database) {}
    Xapian::Database db;
    Xapian::Enquire enquire;
    // What has been applied to `enquire`, so get_mset only re-applies changes.
    bool weighting_applied = false;
    int weighting = -1;
    double params[5] = {0, 0, 0, 0, 0};
    bool sort_applied = false;
    int sort = -1;
    uint32_t sort_slot = 0;
    int sort_reverse = 0;
    int docid_ascending = -1;
    bool collapse_applied = false;
    int collapse = 0;
    uint32_t collapse_slot = 0;
    uint32_t collapse_max = 0;
};

// ---------------------------------------------------------------------------------------
// Error reporting
// ---------------------------------------------------------------------------------------

namespace {

// Copies `msg` into a malloc'd NUL-terminated string for the caller. Never throws.
void cxp_set_message(char **error_message, const char *msg, size_t len) noexcept {
    if (!error_message) return;
    char *copy = static_cast<char *>(std::malloc(len + 1));
    if (copy) {
        if (len) std::memcpy(copy, msg, len);
        copy[len] = '\0';
    }
    *error_message = copy;
}

void cxp_set_message(char **error_message, const std::string &msg) noexcept {
    cxp_set_message(error_message, msg.data(), msg.size());
}

// Must be called from inside a catch block: classifies the exception being handled,
// reports its description and returns the status code. Never throws.
int cxp_report_current_exception(char **error_message) noexcept {
    int code = CXP_ERR_OTHER;
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            // Most specific first: Lock and NotFound derive from DatabaseOpeningError.
            // (Xapian::Error has no virtual functions, so dynamic_cast cannot classify.)
            code = CXP_ERR_DATABASE_LOCK;
            cxp_set_message(error_message, e.get_description());
        } catch (const Xapian::DatabaseNotFoundError &e) {
            code = CXP_ERR_DATABASE_NOT_FOUND;
            cxp_set_message(error_message, e.get_description());
        } catch (const Xapian::DatabaseOpeningError &e) {
            code = CXP_ERR_DATABASE_OPENING;
            cxp_set_message(error_message, e.get_description());
        } catch (const Xapian::DatabaseModifiedError &e) {
            code = CXP_ERR_DATABASE_MODIFIED;
            cxp_set_message(error_message, e.get_description());
        } catch (const Xapian::DatabaseCorruptError &e) {
            code = CXP_ERR_DATABASE_CORRUPT;
            cxp_set_message(error_message, e.get_description());
        } catch (const Xapian::InvalidArgumentError &e) {
            code = CXP_ERR_INVALID_ARGUMENT;
            cxp_set_message(error_message, e.get_description());
        } catch (const Xapian::Error &e) {
            code = CXP_ERR_OTHER;
            cxp_set_message(error_message, e.get_description());
        } catch (const std::bad_alloc &) {
            static const char msg[] = "std::bad_alloc: out of memory";
            cxp_set_message(error_message, msg, sizeof msg - 1);
        } catch (const std::exception &e) {
            cxp_set_message(error_message, std::string("std::exception: ") + e.what());
        } catch (...) {
            static const char msg[] = "unknown C++ exception";
            cxp_set_message(error_message, msg, sizeof msg - 1);
        }
    } catch (...) {
        // Building the message itself failed (out of memory).
        static const char msg[] = "error while reporting an error (out of memory?)";
        cxp_set_message(error_message, msg, sizeof msg - 1);
    }
    return code;
}

int cxp_invalid(char **error_message, const char *msg) noexcept {
    cxp_set_message(error_message, msg, std::strlen(msg));
    return CXP_ERR_INVALID_ARGUMENT;
}

// Copies a std::string into a malloc'd buffer for the caller (NULL when empty).
void cxp_copy_out(const std::string &s, char **out, size_t *out_len) {
    *out_len = s.size();
    if (s.empty()) {
        *out = nullptr;
        return;
    }
    char *buf = static_cast<char *>(std::malloc(s.size()));
    if (!buf) throw std::bad_alloc();
    std::memcpy(buf, s.data(), s.size());
    *out = buf;
}

inline std::string cxp_str(const char *p, size_t n) {
    return n ? std::string(p, n) : std::string();
}

// ---------------------------------------------------------------------------------------
// Query program decoder (grammar in cxapian.h)
// ---------------------------------------------------------------------------------------

class QueryDecoder {
  public:
    // `positions`: give terms successive query positions (for set_query); off for
    // descriptions, which would otherwise show them ("a@1").
    QueryDecoder(const uint8_t *p, size_t n, bool positions)
        : pos_(p), end_(p + n), positions_(positions) {}

    Xapian::Query decode_all() {
        Xapian::Query q = node(0);
        if (pos_ != end_) fail("trailing bytes after the query");
        return q;
    }

  private:
    static constexpr unsigned kMaxDepth = 1000;
    const uint8_t *pos_;
    const uint8_t *end_;
    bool positions_;
    Xapian::termpos term_position_ = 0;

    [[noreturn]] static void fail(const char *what) {
        throw Xapian::InvalidArgumentError(std::string("malformed query program: ") + what);
    }

    size_t remaining() const { return static_cast<size_t>(end_ - pos_); }

    uint8_t u8() {
        if (remaining() < 1) fail("truncated");
        return *pos_++;
    }

    uint32_t u32() {
        if (remaining() < 4) fail("truncated");
        uint32_t v;
        std::memcpy(&v, pos_, 4);
        pos_ += 4;
        return v;
    }

    double f64() {
        if (remaining() < 8) fail("truncated");
        double v;
        std::memcpy(&v, pos_, 8);
        pos_ += 8;
        return v;
    }

    std::string bytes() {
        uint32_t len = u32();
        if (remaining() < len) fail("truncated string");
        std::string s(reinterpret_cast<const char *>(pos_), len);
        pos_ += len;
        return s;
    }

    Xapian::Query list(Xapian::Query::op op, unsigned depth) {
        uint32_t count = u32();
        if (count > remaining()) fail("bad subquery count");  // each node is >= 1 byte
        std::vector<Xapian::Query> subs;
        subs.reserve(count);
        for (uint32_t i = 0; i < count; ++i) subs.push_back(node(depth + 1));
        return Xapian::Query(op, subs.begin(), subs.end());
    }

    Xapian::Query pair(Xapian::Query::op op, unsigned depth) {
        Xapian::Query a = node(depth + 1);
        Xapian::Query b = node(depth + 1);
        return Xapian::Query(op, a, b);
    }

    Xapian::Query node(unsigned depth) {
        if (depth > kMaxDepth) fail("nested too deeply");
        switch (u8()) {
            case CXP_Q_TERM: {
                std::string term = bytes();
                uint32_t wqf = u32();
                // Successive query positions make get_terms_begin() (and so
                // Enquire::get_matching_terms_begin()) follow the query's term order.
                return Xapian::Query(term, wqf, positions_ ? ++term_position_ : 0);
            }
            case CXP_Q_AND: return list(Xapian::Query::OP_AND, depth);
            case CXP_Q_OR: return list(Xapian::Query::OP_OR, depth);
            case CXP_Q_SYNONYM: return list(Xapian::Query::OP_SYNONYM, depth);
            case CXP_Q_MAX: return list(Xapian::Query::OP_MAX, depth);
            case CXP_Q_AND_MAYBE: return pair(Xapian::Query::OP_AND_MAYBE, depth);
            case CXP_Q_AND_NOT: return pair(Xapian::Query::OP_AND_NOT, depth);
            case CXP_Q_FILTER: return pair(Xapian::Query::OP_FILTER, depth);
            case CXP_Q_SCALE_WEIGHT: {
                double factor = f64();
                Xapian::Query sub = node(depth + 1);
                return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, factor);
            }
            case CXP_Q_WILDCARD: {
                std::string prefix = bytes();
                uint32_t limit = u32();
                // 1.4: a limit of 0 with WILDCARD_LIMIT_MOST_FREQUENT matches nothing, so 0
                // means "every term with the prefix" (max_expansion 0 is no limit).
                if (limit == 0)
                    return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, 0,
                                         Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_MAX);
                return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, limit,
                                     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_MAX);
            }
            case CXP_Q_VALUE_WEIGHT: {
                uint32_t slot = u32();
                // The query takes ownership of the released source.
                return Xapian::Query((new Xapian::ValueWeightPostingSource(slot))->release());
            }
            case CXP_Q_VALUE_RANGE: {
                uint32_t slot = u32();
                std::string lo = bytes();
                std::string hi = bytes();
                return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
            }
            case CXP_Q_MATCH_ALL: return Xapian::Query::MatchAll;
            case CXP_Q_MATCH_NOTHING: return Xapian::Query::MatchNothing;
            default: fail("unknown opcode");
        }
    }
};

Xapian::Query cxp_decode_query(const uint8_t *program, size_t len, bool positions) {
    if (!program && len) throw Xapian::InvalidArgumentError("query program is NULL");
    QueryDecoder decoder(program, len, positions);
    return decoder.decode_all();
}

// Applies the options that differ from what the Enquire already has.
void cxp_apply_options(cxp_enquire *e, const cxp_enquire_options *o) {
    bool weighting_changed = !e->weighting_applied || e->weighting != o->weighting ||
                             std::memcmp(e->params, o->params, sizeof e->params) != 0;
    if (weighting_changed) {
        switch (o->weighting) {
            case CXP_WEIGHT_BM25:
                e->enquire.set_weighting_scheme(Xapian::BM25Weight(
                    o->params[0], o->params[1], o->params[2], o->params[3], o->params[4]));
                break;
            case CXP_WEIGHT_BOOL: e->enquire.set_weighting_scheme(Xapian::BoolWeight()); break;
            case CXP_WEIGHT_COORD: e->enquire.set_weighting_scheme(Xapian::CoordWeight()); break;
            case CXP_WEIGHT_TRAD:
                e->enquire.set_weighting_scheme(Xapian::TradWeight(o->params[0]));
                break;
            case CXP_WEIGHT_WDF: e->enquire.set_weighting_scheme(Xapian::TfIdfWeight("nnn")); break;
            default: throw Xapian::InvalidArgumentError("unknown weighting scheme");
        }
        e->weighting = o->weighting;
        std::memcpy(e->params, o->params, sizeof e->params);
        e->weighting_applied = true;
    }

    bool sort_changed = !e->sort_applied || e->sort != o->sort ||
                        (o->sort != CXP_SORT_RELEVANCE &&
                         (e->sort_slot != o->sort_slot || e->sort_reverse != o->sort_reverse));
    if (sort_changed) {
        bool reverse = o->sort_reverse != 0;
        switch (o->sort) {
            case CXP_SORT_RELEVANCE: e->enquire.set_sort_by_relevance(); break;
            case CXP_SORT_RELEVANCE_THEN_VALUE:
                e->enquire.set_sort_by_relevance_then_value(o->sort_slot, reverse);
                break;
            case CXP_SORT_VALUE_THEN_RELEVANCE:
                e->enquire.set_sort_by_value_then_relevance(o->sort_slot, reverse);
                break;
            case CXP_SORT_VALUE: e->enquire.set_sort_by_value(o->sort_slot, reverse); break;
            default: throw Xapian::InvalidArgumentError("unknown sort order");
        }
        e->sort = o->sort;
        e->sort_slot = o->sort_slot;
        e->sort_reverse = o->sort_reverse;
        e->sort_applied = true;
    }

    int ascending = o->docid_ascending ? 1 : 0;
    if (e->docid_ascending != ascending) {
        e->enquire.set_docid_order(ascending ? Xapian::Enquire::ASCENDING
                                             : Xapian::Enquire::DESCENDING);
        e->docid_ascending = ascending;
    }

    bool collapse_changed =
        !e->collapse_applied || e->collapse != (o->collapse != 0) ||
        (o->collapse && (e->collapse_slot != o->collapse_slot || e->collapse_max != o->collapse_max));
    if (collapse_changed) {
        if (o->collapse) {
            e->enquire.set_collapse_key(o->collapse_slot, o->collapse_max);
        } else {
            e->enquire.set_collapse_key(Xapian::BAD_VALUENO);
        }
        e->collapse = o->collapse != 0;
        e->collapse_slot = o->collapse_slot;
        e->collapse_max = o->collapse_max;
        e->collapse_applied = true;
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Memory and version
// ---------------------------------------------------------------------------------------

extern "C" void cxp_free_string(char *s) { std::free(s); }

extern "C" const char *cxp_version_string(void) { return Xapian::version_string(); }

extern "C" size_t cxp_sortable_serialise(double value, char *buf) {
    // sortable_serialise_ is declared nothrow.
    return Xapian::sortable_serialise_(value, buf);
}

extern "C" double cxp_sortable_unserialise(const char *data, size_t len) {
    try {
        return Xapian::sortable_unserialise(cxp_str(data, len));
    } catch (...) {
        return 0.0;  // only std::bad_alloc is possible here
    }
}

// ---------------------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------------------

extern "C" cxp_document *cxp_document_new(void) {
    try {
        return new cxp_document();
    } catch (...) {
        return nullptr;
    }
}

extern "C" void cxp_document_free(cxp_document *doc) {
    try {
        delete doc;
    } catch (...) {
    }
}

extern "C" int cxp_document_add_term(cxp_document *doc, const char *term, size_t term_len,
                                     uint32_t wdf_inc, char **error_message) {
    try {
        if (!doc) return cxp_invalid(error_message, "document handle is NULL");
        doc->doc.add_term(cxp_str(term, term_len), wdf_inc);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_document_add_boolean_term(cxp_document *doc, const char *term,
                                             size_t term_len, char **error_message) {
    try {
        if (!doc) return cxp_invalid(error_message, "document handle is NULL");
        doc->doc.add_boolean_term(cxp_str(term, term_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_document_set_value(cxp_document *doc, uint32_t slot, const char *value,
                                      size_t value_len, char **error_message) {
    try {
        if (!doc) return cxp_invalid(error_message, "document handle is NULL");
        doc->doc.add_value(slot, cxp_str(value, value_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_document_set_data(cxp_document *doc, const char *data, size_t data_len,
                                     char **error_message) {
    try {
        if (!doc) return cxp_invalid(error_message, "document handle is NULL");
        doc->doc.set_data(cxp_str(data, data_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

// ---------------------------------------------------------------------------------------
// WritableDatabase
// ---------------------------------------------------------------------------------------

extern "C" int cxp_writable_open(const char *path, int mode, cxp_writable_database **out,
                                 char **error_message) {
    try {
        if (!path || !out) return cxp_invalid(error_message, "path or out is NULL");
        int flags;
        switch (mode) {
            case CXP_DB_CREATE_OR_OPEN: flags = Xapian::DB_CREATE_OR_OPEN; break;
            case CXP_DB_CREATE_OR_OVERWRITE: flags = Xapian::DB_CREATE_OR_OVERWRITE; break;
            case CXP_DB_OPEN: flags = Xapian::DB_OPEN; break;
            default: return cxp_invalid(error_message, "unknown open mode");
        }
        *out = new cxp_writable_database{Xapian::WritableDatabase(path, flags | Xapian::DB_BACKEND_GLASS)};
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" void cxp_writable_free(cxp_writable_database *db) {
    try {
        delete db;  // ~WritableDatabase commits and swallows its own errors
    } catch (...) {
    }
}

extern "C" int cxp_writable_replace_by_term(cxp_writable_database *db, const char *term,
                                            size_t term_len, const cxp_document *doc,
                                            uint32_t *docid_out, char **error_message) {
    try {
        if (!db || !doc) return cxp_invalid(error_message, "database or document handle is NULL");
        if (term_len == 0) return cxp_invalid(error_message, "unique term is empty");
        Xapian::docid did = db->db.replace_document(cxp_str(term, term_len), doc->doc);
        if (docid_out) *docid_out = did;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_add_document(cxp_writable_database *db, const cxp_document *doc,
                                         uint32_t *docid_out, char **error_message) {
    try {
        if (!db || !doc) return cxp_invalid(error_message, "database or document handle is NULL");
        Xapian::docid did = db->db.add_document(doc->doc);
        if (docid_out) *docid_out = did;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

/* The packed layout of cxp_writable_replace_packed, as a document. */
static Xapian::Document cxp_unpack(const uint8_t *packed, size_t packed_len) {
    const uint8_t *p = packed, *end = packed + packed_len;
    auto need = [&](size_t n) {
        if (static_cast<size_t>(end - p) < n) throw Xapian::InvalidArgumentError("packed document truncated");
    };
    auto u32 = [&]() {
        need(4);
        uint32_t v;
        std::memcpy(&v, p, 4);
        p += 4;
        return v;
    };
    Xapian::Document doc;
    uint32_t terms = u32();
    for (uint32_t i = 0; i < terms; ++i) {
        need(1);
        size_t len = *p++;
        if (len == 0) throw Xapian::InvalidArgumentError("empty term in packed document");
        need(len);
        std::string term(reinterpret_cast<const char *>(p), len);
        p += len;
        uint32_t wdf = u32();
        if (wdf) doc.add_term(term, wdf); else doc.add_boolean_term(term);
    }
    uint32_t values = u32();
    for (uint32_t i = 0; i < values; ++i) {
        uint32_t slot = u32();
        uint32_t len = u32();
        need(len);
        doc.add_value(slot, std::string(reinterpret_cast<const char *>(p), len));
        p += len;
    }
    uint32_t data_len = u32();
    need(data_len);
    if (data_len) doc.set_data(std::string(reinterpret_cast<const char *>(p), data_len));
    p += data_len;
    if (p != end) throw Xapian::InvalidArgumentError("trailing bytes after the packed document");
    return doc;
}

extern "C" int cxp_writable_replace_packed(cxp_writable_database *db, uint32_t docid,
                                           const uint8_t *packed, size_t packed_len,
                                           char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        if (docid == 0) return cxp_invalid(error_message, "docid 0");
        if (!packed && packed_len) return cxp_invalid(error_message, "packed document is NULL");
        db->db.replace_document(docid, cxp_unpack(packed, packed_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_compare_packed(cxp_database *db, uint32_t docid, const uint8_t *packed,
                                           size_t packed_len, int *result_out, char **error_message) {
    try {
        if (!db || !result_out) return cxp_invalid(error_message, "database or result is NULL");
        if (!packed && packed_len) return cxp_invalid(error_message, "packed document is NULL");
        Xapian::Document want = cxp_unpack(packed, packed_len);
        Xapian::Document have;
        try {
            have = db->db.get_document(docid);
        } catch (const Xapian::DocNotFoundError &) {
            *result_out = 1;
            return CXP_OK;
        }
        int differs = 0;
        Xapian::TermIterator a = have.termlist_begin(), ae = have.termlist_end();
        Xapian::TermIterator b = want.termlist_begin(), be = want.termlist_end();
        for (; a != ae && b != be; ++a, ++b) {
            if (*a != *b || a.get_wdf() != b.get_wdf()) { differs = 1; break; }
        }
        if (!differs && (a != ae || b != be)) differs = 1;
        if (!differs) {
            Xapian::ValueIterator v = have.values_begin(), ve = have.values_end();
            Xapian::ValueIterator w = want.values_begin(), we = want.values_end();
            for (; v != ve && w != we; ++v, ++w) {
                if (v.get_valueno() != w.get_valueno() || *v != *w) { differs = 1; break; }
            }
            if (!differs && (v != ve || w != we)) differs = 1;
        }
        if (!differs && have.get_data() != want.get_data()) differs = 1;
        *result_out = differs ? 2 : 0;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_docids(cxp_database *db, uint32_t **docids_out, size_t *count_out,
                                   char **error_message) {
    try {
        if (!db || !docids_out || !count_out) return cxp_invalid(error_message, "NULL argument");
        std::vector<uint32_t> ids;
        ids.reserve(db->db.get_doccount());
        for (Xapian::PostingIterator it = db->db.postlist_begin(""); it != db->db.postlist_end(""); ++it) ids.push_back(*it);
        uint32_t *out = static_cast<uint32_t *>(std::malloc(sizeof(uint32_t) * (ids.empty() ? 1 : ids.size())));
        if (!out) throw std::bad_alloc();
        if (!ids.empty()) std::memcpy(out, ids.data(), sizeof(uint32_t) * ids.size());
        *docids_out = out;
        *count_out = ids.size();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_delete_docid(cxp_writable_database *db, uint32_t docid,
                                         char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        if (docid == 0) return CXP_OK;
        try {
            db->db.delete_document(docid);
        } catch (const Xapian::DocNotFoundError &) {
            // Deleting what is not there leaves the same state.
        }
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_delete_by_term(cxp_writable_database *db, const char *term,
                                           size_t term_len, char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        if (term_len == 0) return cxp_invalid(error_message, "unique term is empty");
        db->db.delete_document(cxp_str(term, term_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_set_metadata(cxp_writable_database *db, const char *key,
                                         size_t key_len, const char *value, size_t value_len,
                                         char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        db->db.set_metadata(cxp_str(key, key_len), cxp_str(value, value_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_get_metadata(cxp_writable_database *db, const char *key,
                                         size_t key_len, char **value_out,
                                         size_t *value_len_out, char **error_message) {
    try {
        if (!db || !value_out || !value_len_out)
            return cxp_invalid(error_message, "NULL argument");
        cxp_copy_out(db->db.get_metadata(cxp_str(key, key_len)), value_out, value_len_out);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_commit(cxp_writable_database *db, char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        db->db.commit();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_close(cxp_writable_database *db, char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        db->db.close();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_doccount(cxp_writable_database *db, uint32_t *out,
                                     char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        *out = db->db.get_doccount();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_writable_termfreq(cxp_writable_database *db, const char *term,
                                     size_t term_len, uint32_t *out, char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        *out = db->db.get_termfreq(cxp_str(term, term_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

// ---------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------

extern "C" int cxp_database_open(const char *path, cxp_database **out, char **error_message) {
    try {
        if (!path || !out) return cxp_invalid(error_message, "path or out is NULL");
        *out = new cxp_database{Xapian::Database(path)};
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_compact(cxp_database *db, const char *dest, char **error_message) {
    try {
        if (!db || !dest) return cxp_invalid(error_message, "database or dest is NULL");
        db->db.compact(std::string(dest), Xapian::DBCOMPACT_NO_RENUMBER | Xapian::DBCOMPACT_MULTIPASS);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" void cxp_database_free(cxp_database *db) {
    try {
        delete db;
    } catch (...) {
    }
}

extern "C" int cxp_database_reopen(cxp_database *db, int *changed_out, char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        bool changed = db->db.reopen();
        if (changed_out) *changed_out = changed ? 1 : 0;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_close(cxp_database *db, char **error_message) {
    try {
        if (!db) return cxp_invalid(error_message, "database handle is NULL");
        db->db.close();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_doccount(cxp_database *db, uint32_t *out, char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        *out = db->db.get_doccount();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_termfreq(cxp_database *db, const char *term, size_t term_len,
                                     uint32_t *out, char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        *out = db->db.get_termfreq(cxp_str(term, term_len));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_term_exists(cxp_database *db, const char *term, size_t term_len,
                                        int *out, char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        *out = db->db.term_exists(cxp_str(term, term_len)) ? 1 : 0;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_get_metadata(cxp_database *db, const char *key, size_t key_len,
                                         char **value_out, size_t *value_len_out,
                                         char **error_message) {
    try {
        if (!db || !value_out || !value_len_out)
            return cxp_invalid(error_message, "NULL argument");
        cxp_copy_out(db->db.get_metadata(cxp_str(key, key_len)), value_out, value_len_out);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_document_data(cxp_database *db, uint32_t docid, char **data_out,
                                          size_t *data_len_out, char **error_message) {
    try {
        if (!db || !data_out || !data_len_out) return cxp_invalid(error_message, "NULL argument");
        cxp_copy_out(db->db.get_document(docid).get_data(), data_out, data_len_out);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_document_value(cxp_database *db, uint32_t docid, uint32_t slot,
                                           char **value_out, size_t *value_len_out,
                                           char **error_message) {
    try {
        if (!db || !value_out || !value_len_out)
            return cxp_invalid(error_message, "NULL argument");
        cxp_copy_out(db->db.get_document(docid).get_value(slot), value_out, value_len_out);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_database_allterms(cxp_database *db, const char *prefix, size_t prefix_len,
                                     cxp_termiter **out, char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        std::string p = cxp_str(prefix, prefix_len);
        cxp_termiter *it = new cxp_termiter();
        try {
            it->it = db->db.allterms_begin(p);
            it->end = db->db.allterms_end(p);
        } catch (...) {
            delete it;
            throw;
        }
        it->has_termfreq = true;
        *out = it;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_termiter_next(cxp_termiter *it, const char **term_out, size_t *term_len_out,
                                 uint32_t *termfreq_out, int *has_term_out,
                                 char **error_message) {
    try {
        if (!it || !term_out || !term_len_out || !termfreq_out || !has_term_out)
            return cxp_invalid(error_message, "NULL argument");
        *has_term_out = 0;
        if (it->started) {
            if (it->it == it->end) return CXP_OK;
            ++it->it;
        }
        it->started = true;
        if (it->it == it->end) return CXP_OK;
        it->current = *it->it;
        *term_out = it->current.data();
        *term_len_out = it->current.size();
        *termfreq_out = it->has_termfreq ? it->it.get_termfreq() : 0;
        *has_term_out = 1;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" void cxp_termiter_free(cxp_termiter *it) {
    try {
        delete it;
    } catch (...) {
    }
}

// ---------------------------------------------------------------------------------------
// Queries and Enquire
// ---------------------------------------------------------------------------------------

extern "C" int cxp_query_description(const uint8_t *program, size_t program_len, char **out,
                                     size_t *out_len, char **error_message) {
    try {
        if (!out || !out_len) return cxp_invalid(error_message, "NULL argument");
        cxp_copy_out(cxp_decode_query(program, program_len, false).get_description(), out, out_len);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_enquire_new(cxp_database *db, cxp_enquire **out, char **error_message) {
    try {
        if (!db || !out) return cxp_invalid(error_message, "NULL argument");
        *out = new cxp_enquire(db->db);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" void cxp_enquire_free(cxp_enquire *enq) {
    try {
        delete enq;
    } catch (...) {
    }
}

extern "C" int cxp_enquire_set_query(cxp_enquire *enq, const uint8_t *program,
                                     size_t program_len, char **error_message) {
    try {
        if (!enq) return cxp_invalid(error_message, "enquire handle is NULL");
        enq->enquire.set_query(cxp_decode_query(program, program_len, true));
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

/* Copies an MSet out in one allocation (see cxp_mset). */
static cxp_mset *cxp_copy_mset(Xapian::MSet &mset, uint32_t first, int fetch_data,
                               const cxp_enquire_options *options) {
        uint32_t count = mset.size();

        std::vector<std::string> data;
        size_t total = 0;
        if (fetch_data && count) {
            // One batched prefetch (matters for remote shards). Not when first > 0:
            // in 1.4 MSet::fetch() then indexes items[i - firstitem] from i = 0 and
            // reads out of bounds (crash); it is only a hint for local databases.
            if (first == 0) mset.fetch();
            data.reserve(count);
            bool value = options->fetch_value != 0;
            for (Xapian::MSetIterator i = mset.begin(); i != mset.end(); ++i) {
                Xapian::Document doc = i.get_document();
                data.push_back(value ? doc.get_value(options->fetch_value_slot) : doc.get_data());
                total += data.back().size();
            }
        }

        size_t header = sizeof(cxp_mset);
        size_t items_size = sizeof(cxp_mset_item) * count;
        char *block = static_cast<char *>(std::malloc(header + items_size + total + 1));
        if (!block) throw std::bad_alloc();
        cxp_mset *result = reinterpret_cast<cxp_mset *>(block);
        result->count = count;
        result->matches_estimated = mset.get_matches_estimated();
        result->matches_lower_bound = mset.get_matches_lower_bound();
        result->matches_upper_bound = mset.get_matches_upper_bound();
        result->items = reinterpret_cast<cxp_mset_item *>(block + header);
        char *blob = block + header + items_size;
        result->data = blob;

        size_t offset = 0;
        uint32_t n = 0;
        try {
            for (Xapian::MSetIterator i = mset.begin(); i != mset.end(); ++i, ++n) {
                cxp_mset_item &item = result->items[n];
                item.docid = *i;
                item.rank = i.get_rank();
                item.collapse_count = i.get_collapse_count();
                item.weight = i.get_weight();
                item.data_offset = offset;
                item.data_len = 0;
                if (fetch_data) {
                    const std::string &d = data[n];
                    if (!d.empty()) std::memcpy(blob + offset, d.data(), d.size());
                    item.data_len = d.size();
                    offset += d.size();
                }
            }
        } catch (...) {
            std::free(block);
            throw;
        }
        return result;
}

extern "C" int cxp_enquire_get_mset(cxp_enquire *enq, const cxp_enquire_options *options,
                                    uint32_t first, uint32_t maxitems, uint32_t checkatleast,
                                    int fetch_data, cxp_mset **out, char **error_message) {
    try {
        if (!enq || !options || !out) return cxp_invalid(error_message, "NULL argument");
        cxp_apply_options(enq, options);
        Xapian::MSet mset = enq->enquire.get_mset(first, maxitems, checkatleast);
        *out = cxp_copy_mset(mset, first, fetch_data, options);
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

/* Why: the search bar needs exact totals per result group and the top hits of each group;
 * one match with a collapse key on the group's value and a ValueCountMatchSpy on the same
 * slot does it in one pass instead of one match per group. */
extern "C" int cxp_enquire_get_mset_counting(cxp_enquire *enq, const cxp_enquire_options *options,
                                             uint32_t first, uint32_t maxitems, uint32_t checkatleast,
                                             int fetch_data, uint32_t count_slot, cxp_mset **out,
                                             uint8_t **counts, size_t *counts_len, char **error_message) {
    try {
        if (!enq || !options || !out || !counts || !counts_len) return cxp_invalid(error_message, "NULL argument");
        cxp_apply_options(enq, options);
        Xapian::ValueCountMatchSpy spy(count_slot);
        enq->enquire.add_matchspy(&spy);
        Xapian::MSet mset;
        try {
            mset = enq->enquire.get_mset(first, maxitems, checkatleast);
        } catch (...) {
            enq->enquire.clear_matchspies();
            throw;
        }
        enq->enquire.clear_matchspies();
        /* counts: repeated (u32 value length, value bytes, u32 count), native byte order. */
        std::string buf;
        for (Xapian::TermIterator i = spy.values_begin(); i != spy.values_end(); ++i) {
            std::string value = *i;
            uint32_t len = value.size(), freq = i.get_termfreq();
            buf.append(reinterpret_cast<const char *>(&len), sizeof len);
            buf.append(value);
            buf.append(reinterpret_cast<const char *>(&freq), sizeof freq);
        }
        uint8_t *copy = static_cast<uint8_t *>(std::malloc(buf.size() + 1));
        if (!copy) throw std::bad_alloc();
        if (!buf.empty()) std::memcpy(copy, buf.data(), buf.size());
        cxp_mset *result = nullptr;
        try {
            result = cxp_copy_mset(mset, first, fetch_data, options);
        } catch (...) {
            std::free(copy);
            throw;
        }
        *out = result;
        *counts = copy;
        *counts_len = buf.size();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" void cxp_free_counts(uint8_t *counts) { std::free(counts); }

namespace {

// Collects, per group of docids, the match count and the best documents (see cxp_enquire_grouped).
class GroupCollector : public Xapian::MatchSpy {
  public:
    struct Item {
        double weight;
        std::string key;
        Xapian::docid docid;
    };
    GroupCollector(uint32_t shift, uint32_t groups, uint32_t per_group, Xapian::valueno sort_slot)
        : shift_(shift), per_group_(per_group), sort_slot_(sort_slot), counts_(groups, 0), best_(groups) {}

    // True when a sorts before b: higher weight, then lower key, then lower docid.
    static bool before(const Item &a, const Item &b) {
        if (a.weight != b.weight) return a.weight > b.weight;
        int c = a.key.compare(b.key);
        if (c != 0) return c < 0;
        return a.docid < b.docid;
    }

    void operator()(const Xapian::Document &doc, double wt) override {
        Xapian::docid did = doc.get_docid();
        size_t g = static_cast<size_t>((did - 1) >> shift_);
        if (g >= counts_.size()) return;
        ++counts_[g];
        if (per_group_ == 0) return;
        std::vector<Item> &heap = best_[g];   // a max-heap on `before`: its front is the worst kept
        if (heap.size() >= per_group_ && wt < heap.front().weight) return;   // no value read
        Item item{wt, doc.get_value(sort_slot_), did};
        if (heap.size() < per_group_) {
            heap.push_back(std::move(item));
            std::push_heap(heap.begin(), heap.end(), before);
        } else if (before(item, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), before);
            heap.back() = std::move(item);
            std::push_heap(heap.begin(), heap.end(), before);
        }
    }

    const std::vector<Xapian::doccount> &counts() const { return counts_; }
    std::vector<Item> sorted(size_t g) const {
        std::vector<Item> v = best_[g];
        std::sort(v.begin(), v.end(), before);
        return v;
    }

  private:
    uint32_t shift_;
    uint32_t per_group_;
    Xapian::valueno sort_slot_;
    std::vector<Xapian::doccount> counts_;
    std::vector<std::vector<Item>> best_;
};

/// Every match in one run of docids, with its weight (for `cxp_enquire_weighted_docids`).
class RunCollector : public Xapian::MatchSpy {
  public:
    RunCollector(Xapian::docid lo, Xapian::docid hi) : lo_(lo), hi_(hi) {}
    void operator()(const Xapian::Document &doc, double wt) override {
        Xapian::docid did = doc.get_docid();
        if (did < lo_ || did > hi_) return;
        items.emplace_back(wt, did);
    }
    std::vector<std::pair<double, Xapian::docid>> items;

  private:
    Xapian::docid lo_, hi_;
};

}  // namespace

/// One exhaustive match in relevance order (no sort, no collapse) that only feeds `spy`: the
/// MSet itself is empty. The spy is detached whatever happens.
static void cxp_spy_match(cxp_enquire *enq, const cxp_enquire_options *options, uint32_t checkatleast,
                          Xapian::MatchSpy *spy) {
    cxp_enquire_options o = *options;
    o.sort = CXP_SORT_RELEVANCE;
    o.collapse = 0;
    cxp_apply_options(enq, &o);
    enq->enquire.add_matchspy(spy);
    try {
        (void)enq->enquire.get_mset(0, 0, checkatleast);
    } catch (...) {
        enq->enquire.clear_matchspies();
        throw;
    }
    enq->enquire.clear_matchspies();
}

extern "C" int cxp_enquire_grouped(cxp_enquire *enq, const cxp_enquire_options *options, uint32_t checkatleast,
                                   uint32_t group_shift, uint32_t groups, uint32_t per_group, uint32_t sort_slot,
                                   uint32_t fetch_slot, uint8_t **out, size_t *out_len, char **error_message) {
    try {
        if (!enq || !options || !out || !out_len) return cxp_invalid(error_message, "NULL argument");
        if (groups == 0 || groups > 64 || group_shift > 31) return cxp_invalid(error_message, "bad groups");
        GroupCollector collector(group_shift, groups, per_group, sort_slot);
        cxp_spy_match(enq, options, checkatleast, &collector);
        std::string buf;
        auto put32 = [&](uint32_t v) { buf.append(reinterpret_cast<const char *>(&v), 4); };
        for (uint32_t g = 0; g < groups; ++g) {
            std::vector<GroupCollector::Item> items = collector.sorted(g);
            put32(collector.counts()[g]);
            put32(static_cast<uint32_t>(items.size()));
            for (const auto &item : items) {
                put32(item.docid);
                buf.append(reinterpret_cast<const char *>(&item.weight), 8);
                std::string value = enq->db.get_document(item.docid).get_value(fetch_slot);
                put32(static_cast<uint32_t>(value.size()));
                buf.append(value);
            }
        }
        uint8_t *copy = static_cast<uint8_t *>(std::malloc(buf.size() + 1));
        if (!copy) throw std::bad_alloc();
        if (!buf.empty()) std::memcpy(copy, buf.data(), buf.size());
        *out = copy;
        *out_len = buf.size();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" int cxp_enquire_weighted_docids(cxp_enquire *enq, const cxp_enquire_options *options, uint32_t checkatleast,
                                           uint32_t lo, uint32_t hi, uint32_t **docids_out, double **weights_out,
                                           size_t *out_count, char **error_message) {
    try {
        if (!enq || !options || !docids_out || !weights_out || !out_count) return cxp_invalid(error_message, "NULL argument");
        RunCollector collector(lo, hi);
        cxp_spy_match(enq, options, checkatleast, &collector);
        auto &items = collector.items;
        std::sort(items.begin(), items.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        uint32_t *ids = static_cast<uint32_t *>(std::malloc((items.size() + 1) * sizeof(uint32_t)));
        double *wts = static_cast<double *>(std::malloc((items.size() + 1) * sizeof(double)));
        if (!ids || !wts) {
            std::free(ids);
            std::free(wts);
            throw std::bad_alloc();
        }
        for (size_t i = 0; i < items.size(); ++i) {
            ids[i] = items[i].second;
            wts[i] = items[i].first;
        }
        *docids_out = ids;
        *weights_out = wts;
        *out_count = items.size();
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}

extern "C" void cxp_free_mset(cxp_mset *mset) { std::free(mset); }

extern "C" int cxp_enquire_matching_terms(cxp_enquire *enq, uint32_t docid, cxp_termiter **out,
                                          char **error_message) {
    try {
        if (!enq || !out) return cxp_invalid(error_message, "NULL argument");
        cxp_termiter *it = new cxp_termiter();
        try {
            it->it = enq->enquire.get_matching_terms_begin(docid);
            it->end = enq->enquire.get_matching_terms_end(docid);
        } catch (...) {
            delete it;
            throw;
        }
        it->has_termfreq = false;
        *out = it;
        return CXP_OK;
    } catch (...) {
        return cxp_report_current_exception(error_message);
    }
}
