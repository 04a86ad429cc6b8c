"""What the peers share: the records as searchable documents (the same fields per kind as
LabSearch's DocumentBuilder), identifier normalisation, the query loop, recall@10 and the
JSON result, so that every engine is measured the same way.

A peer implements `search(query) -> {kind: (ids_top10, total)}` over active records; the loop
times that call only (time.perf_counter_ns), runs the whole query list `runs` times over (all
runs go into the percentiles, as in LabSearchBench), and scores the first answer: the expected
record in the top 10 of its kind's group, or, for queries that should find nothing, no group
with a hit.
"""

import json
import math
import os
import re
import resource
import time

KINDS = ["client", "client_contact", "partner", "partner_contact", "event", "product"]

# LabSearchBench's category order (Workload.categories).
CATEGORIES = [
    "prefix-1", "prefix-2", "prefix-3", "whole-name", "first-last", "last-first", "name-city",
    "typo-1", "typo-2", "no-accents", "phone", "phone-last-digits", "email", "siret", "siren", "vat",
    "reference", "no-match",
]

COMPANY_FIELD = {"client_contact": "client_id", "partner_contact": "partner_id", "event": "client_id",
                 "product": "partner_id", "client": "parent_id", "partner": "parent_id"}


def digits(s):
    return "".join(c for c in s if c.isdigit())


def phone_tokens(p):
    """A phone as a competent user indexes it: national and international digits, and the
    last 4 to 8 digits (so that the end of a number finds it, as LabSearch does)."""
    d = digits(p)
    if p.strip().startswith("+"):
        if d.startswith("33") and len(d) == 11:
            d = "0" + d[2:]
    out = [d]
    if len(d) == 10 and d.startswith("0"):
        out.append("33" + d[1:])
    out += [d[-n:] for n in range(4, 9) if len(d) > n]
    return out


def vat_tokens(v):
    c = re.sub(r"[\s.\-]", "", v).lower()
    out = [c]
    if c.startswith("fr") and len(c) == 13:
        out.append(c[4:])  # the SIREN inside a French VAT number
    return out


def website_domain(w):
    m = re.match(r"^(?:[a-z]+://)?(?:www\.)?([^/]+)", w.strip().lower())
    return m.group(1) if m else None


def load_documents(path):
    """Two passes over the NDJSON: names of companies and contacts first (the related names a
    document shows), then one document per record:
    {kind, id, active, name, secondary, other, ids} with text fields as strings."""
    names = {}
    with open(path, "rb") as f:
        for line in f:
            o = json.loads(line)
            if o.get("op", "upsert") != "upsert":
                continue
            r, t = o["record"], o["type"]
            if t in ("client", "partner"):
                names[(t, o["id"])] = r.get("name", "")
            elif t in ("client_contact", "partner_contact"):
                names[(t, o["id"])] = " ".join(x for x in (r.get("first_name"), r.get("last_name")) if x)
    company_kind = {"client_contact": "client", "partner_contact": "partner", "event": "client",
                    "product": "partner", "client": "client", "partner": "partner"}
    with open(path, "rb") as f:
        for line in f:
            o = json.loads(line)
            if o.get("op", "upsert") != "upsert":
                continue
            t, rid, r = o["type"], o["id"], o["record"]
            name, sec, other, ids = [], [], [], []

            def g(k):
                v = r.get(k)
                return v if isinstance(v, str) and v else None

            company = names.get((company_kind[t], r.get(COMPANY_FIELD[t]))) if r.get(COMPANY_FIELD[t]) else None
            if t in ("client", "partner"):
                name.append(g("name") or "")
                sec += [x for x in (g("city"), g("type"), g("category"), company) if x]
                other += [x for x in (g("address1"), g("address2"), g("accounting_account"), g("language"), g("website")) if x]
                for b in r.get("billing_addresses") or []:
                    other += [b[k] for k in ("address1", "address2", "city") if isinstance(b.get(k), str)]
                if g("postal_code"):
                    ids.append(g("postal_code"))
                if g("siret"):
                    d = digits(g("siret"))
                    ids += [d, d[:9]]
                if g("vat_number"):
                    ids += vat_tokens(g("vat_number"))
                if g("ape_code"):
                    ids.append(re.sub(r"[\s.]", "", g("ape_code")).lower())
                if g("website") and website_domain(g("website")):
                    ids.append(website_domain(g("website")))
            elif t in ("client_contact", "partner_contact"):
                name += [x for x in (g("first_name"), g("last_name")) if x]
                sec += [x for x in (company, g("position")) if x]
                other += [x for x in (g(k) for k in ("comment", "comment_category", "source", "situation", "stage",
                                                      "potential", "sales_rep")) if x]
                for k in ("facebook", "linkedin", "twitter", "instagram"):
                    if g(k):
                        other.append(re.split(r"[/@]", g(k).rstrip("/"))[-1])
                if g("email"):
                    other.append(g("email"))
                    ids.append(g("email").lower())
                for k in ("phone_direct", "phone_mobile", "phone_switchboard"):
                    if g(k):
                        ids += phone_tokens(g(k))
            elif t == "event":
                name.append(g("name") or "")
                contact = names.get(("client_contact", r.get("contact_id"))) if r.get("contact_id") else None
                sec += [x for x in (company, contact, g("venue"), g("city")) if x]
                other += [x for x in (g("status"), g("description")) if x]
                if g("reference"):
                    ids.append(g("reference"))
            elif t == "product":
                name.append(g("name") or "")
                sec += [x for x in (g("category"), company) if x]
                if g("description"):
                    other.append(g("description"))
                if g("reference"):
                    ids.append(g("reference"))
            for v in (r.get("custom_fields") or {}).values():
                if isinstance(v, str):
                    other.append(v)
            active = r.get("active", True) if t not in ("event", "product") else True
            yield {"kind": t, "id": rid, "active": bool(active), "name": " ".join(name), "secondary": " ".join(sec),
                   "other": " ".join(other), "ids": " ".join(ids)}


def identifier_query(q):
    """Identifier normalisation a competent user puts in front of a text engine: a query made
    only of digits and separators (phones, SIRET, SIREN, last digits) becomes its digits, an
    international French number its national form; a VAT number loses its spaces and dots.
    Returns the normalised token, or None for a text query."""
    compact = re.sub(r"[\s.\-()/]", "", q)
    if re.fullmatch(r"\+?\d{4,}", compact):
        d = compact.lstrip("+")
        if d.startswith("0033"):
            d = d[2:]
        if d.startswith("33") and len(d) == 11:
            d = "0" + d[2:]
        return d
    vat = re.sub(r"[\s.]", "", q)
    if re.fullmatch(r"[A-Za-z]{2}[0-9A-Za-z]{8,12}", vat) and len(digits(vat)) >= 7:
        return vat.lower()  # FR12345678901, BE0123456789, DE123456789, ESB12345678
    return None


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[i]


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_queries(search, queries, runs):
    """Times `search` on each query: the whole list is run `runs` times over (as LabSearchBench
    does), each query scored on its first answer; returns per-category results and pooled
    percentiles."""
    for q in queries[:200]:
        search(q["text"])
    lat, allv, outcomes = {}, [], {}
    for run in range(max(runs, 1)):
        for q in queries:
            t0 = time.perf_counter_ns()
            ans = search(q["text"])
            ms = (time.perf_counter_ns() - t0) / 1e6
            lat.setdefault(q["category"], []).append(ms)
            allv.append(ms)
            if run:
                continue
            kind, rid = q.get("expected_kind"), q.get("expected_id")
            if kind and rid:
                top, total = ans.get(kind, ([], 0))
                found = rid in top
                note = "" if found else "expected %s, got %s of %d" % (rid, top[0] if top else "nothing", total)
            else:
                total = sum(t for _, t in ans.values())
                found = total == 0
                note = "" if found else "expected nothing, got %d" % total
            outcomes.setdefault(q["category"], []).append((q["text"], found, note))
    cats = []
    order = CATEGORIES + sorted(set(lat) - set(CATEGORIES))
    for c in order:
        qs = [q for q in queries if q["category"] == c]
        if not qs:
            continue
        l = sorted(lat.get(c, []))
        o = outcomes.get(c, [])
        found = sum(1 for _, f, _ in o if f)
        cats.append({"category": c, "queries": len(qs), "scored": len(o), "found": found,
                     "p50_ms": percentile(l, 50), "p95_ms": percentile(l, 95), "p99_ms": percentile(l, 99),
                     "mean_ms": sum(l) / len(l) if l else float("nan"),
                     "recall_at_10": found / len(o) if o else float("nan"),
                     "misses": [{"query": t, "note": n} for t, f, n in o if not f][:5]})
    allv.sort()
    return {"categories": cats, "all_queries": len(queries), "all_p50_ms": percentile(allv, 50),
            "all_p99_ms": percentile(allv, 99)}


def write_result(path, result):
    with open(path, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
