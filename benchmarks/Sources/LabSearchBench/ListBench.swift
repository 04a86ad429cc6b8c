import Engine
import Foundation
import GRDB
import Model

// The list benchmark (issue 13): list queries of the client and contact lists on the loaded
// tenant (filter + sort + first page with its exact total; group-by with exact counts and the
// first rows of each group), side by side with the baseline a user would otherwise write: the
// same records in a plain SQLite table with indexes on the same columns, LIKE and NOCASE for
// text, COUNT(*) and GROUP BY. The baseline is weaker than the list (NOCASE folds ASCII case
// only: no accents, no spaces or punctuation ignored, no French order), so a ratio near 1 means
// the list's semantics cost nothing.

struct ListShapeResult: Codable {
    var shape: String, list: String, kind: String, description: String, queries: Int
    var p50_ms: Double, p99_ms: Double, baseline_p50_ms: Double, baseline_p99_ms: Double
    var ratio_p99: Double
    var example: String
    var totals_agree: Int
}

struct ListBenchReport: Codable {
    var shapes: [ListShapeResult]
    var filter_sort_p99_ms: Double, group_p99_ms: Double
    var baseline_filter_sort_p99_ms: Double, baseline_group_p99_ms: Double
    var baseline_build_seconds: Double
    /// Building the in-memory snapshots of the clients and contacts lists (the service builds
    /// them in the background on a list's first query; SQL answers meanwhile).
    var snapshot_build_seconds: Double?
}

/// One query shape: the list query and the baseline's SQL for the same view.
struct ListShape {
    var name: String
    var list: ListName
    var isGroup: Bool
    var description: String
    /// Variants: (list query JSON, baseline page SQL + args, baseline count SQL or groups SQL).
    var variants: [(json: String, page: String, count: String, args: [DatabaseValueConvertible])]
}

enum ListBench {
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Builds the baseline database from the records file.
    static func buildBaseline(recordsPath: String, path: String) throws -> DatabaseQueue {
        try? FileManager.default.removeItem(atPath: path)
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE b_clients (id TEXT PRIMARY KEY, name TEXT, city TEXT, type TEXT, postal_code TEXT,
                                        created_at TEXT, active INTEGER, contacts_count INTEGER DEFAULT 0);
                CREATE TABLE b_contacts (id TEXT PRIMARY KEY, client_id TEXT, first_name TEXT, last_name TEXT, email TEXT,
                                         source TEXT, sales_rep TEXT, active INTEGER, client_name TEXT);
                """)
            let ic = try db.makeStatement(sql: "INSERT OR REPLACE INTO b_clients VALUES (?, ?, ?, ?, ?, ?, ?, 0)")
            let ik = try db.makeStatement(sql: "INSERT OR REPLACE INTO b_contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")
            try forEachLine(recordsPath) { line in
                guard case .object(let o)? = try? JSONValue.parse(line), case .string(let type)? = o["type"],
                      case .string(let id)? = o["id"], case .object(let r)? = o["record"] else { return }
                let active = r["active"]?.boolValue ?? true
                switch type {
                case "client":
                    try ic.execute(arguments: [id, r["name"]?.stringValue, r["city"]?.stringValue, r["type"]?.stringValue,
                                               r["postal_code"]?.stringValue, r["created_at"]?.stringValue, active])
                case "client_contact":
                    try ik.execute(arguments: [id, r["client_id"]?.stringValue, r["first_name"]?.stringValue, r["last_name"]?.stringValue,
                                               r["email"]?.stringValue, r["source"]?.stringValue, r["sales_rep"]?.stringValue, active])
                default: break
                }
            }
            // (The contacts' index on client_id first: the counts below look contacts up by it.)
            try db.execute(sql: """
                CREATE INDEX b_contacts_client ON b_contacts(client_id, id);
                UPDATE b_clients SET contacts_count = (SELECT count(*) FROM b_contacts k WHERE k.client_id = b_clients.id);
                UPDATE b_contacts SET client_name = (SELECT name FROM b_clients c WHERE c.id = b_contacts.client_id);
                CREATE INDEX b_clients_name ON b_clients(name COLLATE NOCASE, id);
                CREATE INDEX b_clients_city ON b_clients(city COLLATE NOCASE, id);
                CREATE INDEX b_clients_type ON b_clients(type COLLATE NOCASE, id);
                CREATE INDEX b_clients_postal ON b_clients(postal_code, id);
                CREATE INDEX b_clients_created ON b_clients(created_at, id);
                CREATE INDEX b_contacts_last ON b_contacts(last_name COLLATE NOCASE, id);
                CREATE INDEX b_contacts_email ON b_contacts(email, id);
                CREATE INDEX b_contacts_client_name ON b_contacts(client_name COLLATE NOCASE, id);
                ANALYZE;
                """)
        }
        return db
    }

    /// Distinct values of a column with their counts, most frequent first (from the list itself).
    static func values(_ tenant: Tenant, _ list: ListName, _ column: String) throws -> [String] {
        let r = try tenant.list(ListRequest.parse(.object(["group_by": .string(column), "limit": .number(0)]), list: list))
        return (r.groups ?? []).sorted { $0.count > $1.count }.compactMap { $0.key.stringValue }
    }

    static func shapes(_ tenant: Tenant, variants n: Int, seed: UInt64) throws -> [ListShape] {
        var rng = SplitMix(state: seed &+ 1313)
        let cities = try values(tenant, .clients, "city")
        let types = try values(tenant, .clients, "type")
        let sources = try values(tenant, .contacts, "source")
        let reps = try values(tenant, .contacts, "sales_rep")
        let names = try tenant.list(ListRequest.parse(.object(["columns": .array([.string("name")]), "limit": .number(500)]), list: .clients))
            .rows.compactMap { $0.values["name"]?.stringValue }
        let lasts = try tenant.list(ListRequest.parse(.object(["columns": .array([.string("last_name")]), "limit": .number(500),
                                                               "sort": .array([.object(["column": .string("email")])])]), list: .contacts))
            .rows.compactMap { $0.values["last_name"]?.stringValue }
        func word(_ s: String) -> String {
            let ws = s.split(separator: " ").filter { $0.count >= 4 }
            return ws.isEmpty ? s : String(ws[rng.int(ws.count)])
        }
        func sub(_ s: String) -> String {
            let w = Array(word(s).lowercased())
            guard w.count > 4 else { return String(w) }
            let i = rng.int(w.count - 4)
            return String(w[i..<i + 4])
        }
        let page = "LIMIT 50"
        let cCols = "id, name, city, type, postal_code, created_at, contacts_count"
        let kCols = "id, first_name, last_name, client_name, email, source"
        var out: [ListShape] = []
        func shape(_ name: String, _ list: ListName, group: Bool = false, _ d: String,
                   _ make: () -> (String, String, String, [DatabaseValueConvertible])) {
            var s = ListShape(name: name, list: list, isGroup: group, description: d, variants: [])
            for _ in 0..<n { let v = make(); s.variants.append((v.0, v.1, v.2, v.3)) }
            out.append(s)
        }
        shape("clients-default", .clients, "whole list, default order (name)") {
            (#"{"limit":50}"#,
             "SELECT \(cCols) FROM b_clients WHERE active = 1 ORDER BY name COLLATE NOCASE, id \(page)",
             "SELECT count(*) FROM b_clients WHERE active = 1", [])
        }
        shape("clients-city-eq", .clients, "city = X, sorted by name") {
            let c = rng.pick(cities)
            return (#"{"filters":[{"column":"city","op":"eq","values":[\#(quote(c))]}],"sort":[{"column":"name"}],"limit":50}"#,
                    "SELECT \(cCols) FROM b_clients WHERE active = 1 AND city = ? COLLATE NOCASE ORDER BY name COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_clients WHERE active = 1 AND city = ? COLLATE NOCASE", [c])
        }
        shape("clients-type-in-created-desc", .clients, "type in (X, Y), newest first") {
            let a = rng.pick(types), b = rng.pick(types)
            return (#"{"filters":[{"column":"type","op":"in","values":[\#(quote(a)),\#(quote(b))]}],"sort":[{"column":"created_at","dir":"desc"}],"limit":50}"#,
                    "SELECT \(cCols) FROM b_clients WHERE active = 1 AND type IN (?, ?) COLLATE NOCASE ORDER BY created_at DESC, id \(page)",
                    "SELECT count(*) FROM b_clients WHERE active = 1 AND type IN (?, ?) COLLATE NOCASE", [a, b])
        }
        shape("clients-name-contains", .clients, "name contains 4 letters, sorted by city") {
            let s = sub(rng.pick(names))
            return (#"{"filters":[{"column":"name","op":"contains","values":[\#(quote(s))]}],"sort":[{"column":"city"}],"limit":50}"#,
                    "SELECT \(cCols) FROM b_clients WHERE active = 1 AND name LIKE ? ORDER BY city COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_clients WHERE active = 1 AND name LIKE ?", ["%" + s + "%"])
        }
        shape("clients-created-multisort", .clients, "created in one year, city asc then name desc") {
            let y = 2019 + rng.int(6)
            return (#"{"filters":[{"column":"created_at","op":"between","from":"\#(y)-01-01","to":"\#(y)-12-31"}],"sort":[{"column":"city"},{"column":"name","dir":"desc"}],"limit":50}"#,
                    "SELECT \(cCols) FROM b_clients WHERE active = 1 AND created_at >= ? AND created_at <= ? ORDER BY city COLLATE NOCASE, name COLLATE NOCASE DESC, id \(page)",
                    "SELECT count(*) FROM b_clients WHERE active = 1 AND created_at >= ? AND created_at <= ?", ["\(y)-01-01", "\(y)-12-31~"])
        }
        shape("clients-contacts-count", .clients, "3+ contacts, name descending") {
            (#"{"filters":[{"column":"contacts_count","op":"between","from":3}],"sort":[{"column":"name","dir":"desc"}],"limit":50}"#,
             "SELECT \(cCols) FROM b_clients WHERE active = 1 AND contacts_count >= 3 ORDER BY name COLLATE NOCASE DESC, id \(page)",
             "SELECT count(*) FROM b_clients WHERE active = 1 AND contacts_count >= 3", [])
        }
        shape("clients-postal-prefix", .clients, "postal code starts with 2 digits, sorted by name") {
            let d = String(format: "%02d", 1 + rng.int(95))
            return (#"{"filters":[{"column":"postal_code","op":"starts_with","values":["\#(d)"]}],"sort":[{"column":"name"}],"limit":50}"#,
                    "SELECT \(cCols) FROM b_clients WHERE active = 1 AND postal_code LIKE ? ORDER BY name COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_clients WHERE active = 1 AND postal_code LIKE ?", [d + "%"])
        }
        shape("clients-q", .clients, "text query (a word of a name), relevance order") {
            let w = word(rng.pick(names))
            return (#"{"q":\#(quote(w)),"limit":50}"#,
                    "SELECT \(cCols) FROM b_clients WHERE active = 1 AND name LIKE ? ORDER BY name COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_clients WHERE active = 1 AND name LIKE ?", ["%" + w + "%"])
        }
        shape("contacts-default", .contacts, "whole list, default order (last, first name)") {
            (#"{"limit":50}"#,
             "SELECT \(kCols) FROM b_contacts WHERE active = 1 ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id \(page)",
             "SELECT count(*) FROM b_contacts WHERE active = 1", [])
        }
        shape("contacts-last-starts", .contacts, "last name starts with 3 letters") {
            let p = String(rng.pick(lasts).lowercased().prefix(3))
            return (#"{"filters":[{"column":"last_name","op":"starts_with","values":[\#(quote(p))]}],"limit":50}"#,
                    "SELECT \(kCols) FROM b_contacts WHERE active = 1 AND last_name LIKE ? ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_contacts WHERE active = 1 AND last_name LIKE ?", [p + "%"])
        }
        shape("contacts-source-eq", .contacts, "source = X, sorted by company name") {
            let s = rng.pick(sources)
            return (#"{"filters":[{"column":"source","op":"eq","values":[\#(quote(s))]}],"sort":[{"column":"client_name"}],"limit":50}"#,
                    "SELECT \(kCols) FROM b_contacts WHERE active = 1 AND source = ? COLLATE NOCASE ORDER BY client_name COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_contacts WHERE active = 1 AND source = ? COLLATE NOCASE", [s])
        }
        shape("contacts-q", .contacts, "text query (a last name), relevance order") {
            let l = rng.pick(lasts)
            return (#"{"q":\#(quote(l)),"limit":50}"#,
                    "SELECT \(kCols) FROM b_contacts WHERE active = 1 AND last_name LIKE ? ORDER BY last_name COLLATE NOCASE, id \(page)",
                    "SELECT count(*) FROM b_contacts WHERE active = 1 AND last_name LIKE ?", [l])
        }
        // Group-bys: every group's exact count and its first 10 rows.
        shape("clients-group-type", .clients, group: true, "group by type: counts + 10 rows per group") {
            (#"{"group_by":"type","limit":10}"#, "type", "b_clients", [])
        }
        shape("clients-group-city", .clients, group: true, "group by city (many groups): counts + 10 rows of the first 100") {
            (#"{"group_by":"city","limit":10}"#, "city", "b_clients", [])
        }
        shape("contacts-group-source-rep", .contacts, group: true, "sales rep = X, grouped by source") {
            let r = rng.pick(reps)
            return (#"{"group_by":"source","filters":[{"column":"sales_rep","op":"eq","values":[\#(quote(r))]}],"limit":10}"#,
                    "source", "b_contacts", [r])
        }
        return out
    }

    static func run(tenant: Tenant, recordsPath: String, scratch: String, variants: Int, runs: Int, seed: UInt64) throws -> ListBenchReport {
        let t0 = Date()
        let baseline = try buildBaseline(recordsPath: recordsPath, path: scratch + "/baseline.sqlite")
        let buildSeconds = Date().timeIntervalSince(t0)
        let t1 = Date()
        try tenant.warmList(.clients)
        try tenant.warmList(.contacts)
        let snapshotSeconds = Date().timeIntervalSince(t1)
        let shapes = try shapes(tenant, variants: variants, seed: seed)
        var results: [ListShapeResult] = []
        var allFS: [Double] = [], allG: [Double] = [], baseFS: [Double] = [], baseG: [Double] = []
        for s in shapes {
            var mine: [Double] = [], base: [Double] = []
            var agree = 0
            let requests = try s.variants.map { try ListRequest.parse(JSONValue.parseFast($0.json), list: s.list) }
            for run in 0..<max(runs, 1) {
                for (i, v) in s.variants.enumerated() {
                    var t = DispatchTime.now().uptimeNanoseconds
                    let r = try tenant.list(requests[i])
                    mine.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
                    t = DispatchTime.now().uptimeNanoseconds
                    var baseTotal = 0
                    try baseline.read { db in
                        if s.isGroup {
                            let table = v.count, col = v.page
                            let filter = s.name == "contacts-group-source-rep" ? " AND sales_rep = ? COLLATE NOCASE" : ""
                            let groups = try Row.fetchAll(db, sql: "SELECT \(col), count(*) FROM \(table) WHERE active = 1\(filter) GROUP BY \(col) COLLATE NOCASE ORDER BY \(col) COLLATE NOCASE",
                                                          arguments: StatementArguments(v.args))
                            for g in groups.prefix(100) {
                                let key: String? = g[0]
                                baseTotal += g[1] as Int
                                let cond = key == nil ? "\(col) IS NULL" : "\(col) = ? COLLATE NOCASE"
                                var args = v.args
                                if let key { args.append(key) }
                                _ = try Row.fetchAll(db, sql: "SELECT id, \(col) FROM \(table) WHERE active = 1\(filter) AND \(cond) ORDER BY id LIMIT 10",
                                                     arguments: StatementArguments(args))
                            }
                        } else {
                            _ = try Row.fetchAll(db, sql: v.page, arguments: StatementArguments(v.args))
                            baseTotal = try Int.fetchOne(db, sql: v.count, arguments: StatementArguments(v.args)) ?? 0
                        }
                    }
                    base.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
                    if run == 0, baseTotal == r.total { agree += 1 }
                }
            }
            mine.sort(); base.sort()
            let res = ListShapeResult(shape: s.name, list: s.list.rawValue, kind: s.isGroup ? "group" : "filter-sort",
                                      description: s.description, queries: s.variants.count,
                                      p50_ms: percentile(mine, 50), p99_ms: percentile(mine, 99),
                                      baseline_p50_ms: percentile(base, 50), baseline_p99_ms: percentile(base, 99),
                                      ratio_p99: percentile(mine, 99) / max(percentile(base, 99), 1e-6),
                                      example: s.variants.first?.json ?? "", totals_agree: agree)
            results.append(res)
            if s.isGroup { allG += mine; baseG += base } else { allFS += mine; baseFS += base }
            log(String(format: "list %@: p50 %.2f / p99 %.2f ms (baseline %.2f / %.2f ms), totals equal to the baseline's %d/%d",
                       s.name, res.p50_ms, res.p99_ms, res.baseline_p50_ms, res.baseline_p99_ms, agree, s.variants.count))
        }
        allFS.sort(); allG.sort(); baseFS.sort(); baseG.sort()
        return ListBenchReport(shapes: results, filter_sort_p99_ms: percentile(allFS, 99), group_p99_ms: percentile(allG, 99),
                               baseline_filter_sort_p99_ms: percentile(baseFS, 99), baseline_group_p99_ms: percentile(baseG, 99),
                               baseline_build_seconds: buildSeconds, snapshot_build_seconds: snapshotSeconds)
    }
}
