import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Store
import Testing

/// The search answer's direct JSON writer gives the bytes of `SearchResponse.jsonBytes()`, and
/// the cached key check still sees every change of the keys at once, from this process's
/// store or from another connection (the command line).
@Suite struct HotPathTests {
    /// Responses with every shape the writer meets: escapes, control characters, non-ASCII,
    /// `/`, empty and multi-key maps, scores with and without a fraction, big and non-finite-free
    /// numbers, a corrected query or none.
    static let responses: [String] = [
        #"{"query":"","took_ms":0,"tabs":[],"suggestions":[]}"#,
        #"{"query":"dupont","took_ms":1.23456789,"corrected_query":"dupond","tabs":[{"tab":"clients","label":"Clients","total":2,"groups":[{"kind":"client","label":"Clients","total":2,"hits":[{"id":"cl_1","kind":"client","title":"Groupe Dupont","subtitle":"Lyon · 239 411 465 00010","score":10.0007,"active":true,"highlights":{"name":"Groupe <mark>Dupont</mark>"}},{"id":"cl_2","kind":"client","title":"A \"quoted\" \\ back/slash","subtitle":"tab\there\nnew\rline\u0001\u001f\b\f","score":3,"active":false,"highlights":{}}]},{"kind":"client_contact","label":"Contacts","total":0,"hits":[]}]}],"suggestions":[{"action":"create_client","label":"Nouveau client","prefill":{"name":"dupont"}},{"action":"create_contact","label":"Nouveau contact","prefill":{"last_name":"dupont","first_name":"Jean","email":"j@x.fr"}}]}"#,
        #"{"query":"L’Oréal — œuvre 😀 \u00e9","took_ms":12345.5,"tabs":[{"tab":"events","label":"Événements","total":9007199254740993,"groups":[{"kind":"event","label":"Événements","total":123456789,"hits":[{"id":"ev_1","kind":"event","title":"Gala","subtitle":"","score":0.1,"active":true,"highlights":{"title":"<mark>Gala</mark>","subtitle":"x","city":"Zé","Name":"upper","a_b":"u"}},{"id":"ev_2","kind":"event","title":"t","subtitle":"s","score":-2.5e-7,"active":true,"highlights":{"z":"1"}},{"id":"ev_3","kind":"event","title":"t","subtitle":"s","score":1e300,"active":true,"highlights":{}}]}]}],"suggestions":[]}"#,
        // Escapes before, across and after eight-byte boundaries, in long strings.
        #"{"query":"0123456789abcdef\"xyz\\0123456789\u0007abcdefgh","took_ms":0.5,"tabs":[{"tab":"clients","label":"Clients","total":1,"groups":[{"kind":"client","label":"Clients","total":1,"hits":[{"id":"abcdefgh\"","kind":"client","title":"abcdefg\"hijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\u001b","subtitle":"Événement à Saint-Étienne — 12 rue de l’Église, 42000 Saint-Étienne \\ fin","score":12.5,"active":true,"highlights":{"title":"<mark>abcdefg</mark>\"hijklmnop\nqrstuvwxyz"}}]}]}],"suggestions":[]}"#,
    ]

    @Test(arguments: responses)
    func directWriterMatchesJSONBytes(_ json: String) throws {
        let response = try JSONDecoder().decode(SearchResponse.self, from: Data(json.utf8))
        let direct = SearchJSON.bytes(response)
        #expect(String(decoding: direct, as: UTF8.self) == String(decoding: response.jsonBytes(), as: UTF8.self))
        #expect(direct == response.jsonBytes())
    }

    @Test func directWriterMatchesJSONBytesOnRealSearches() async throws {
        try await withServer { client, env in
            let lines = (0..<60).map { i in
                #"{"op":"upsert","type":"client","id":"c\#(i)","record":{"name":"Société \#(i) \"Alpha\" L’Oréal / Dupont","city":"Saint-Étienne"}}"#
            } + (0..<20).map { i in
                #"{"op":"upsert","type":"event","id":"e\#(i)","record":{"name":"Gala Dupont \#(i)","start_date":"2025-06-0\#(i % 9 + 1)"}}"#
            }
            let r = try await client.call(.post, "/v1/bulk?wait=true", key: env.acmeAdmin, body: ByteBuffer(string: lines.joined(separator: "\n")),
                                          headers: [.contentType: "application/x-ndjson"])
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["errors"]?.arrayValue?.isEmpty == true, "\(r.text)")
            let tenant = try env.engine.tenant("acme")
            let requests = ["dupont", "soc", "s", "alpha", "l'oreal", "saint etienne", "gala", "dupnt", "zzzz", "  ", "06 12",
                            "Société 12", "\"Alpha\"", "a/b"].flatMap { q in
                [SearchRequest(query: q), SearchRequest(query: q, limit: 50), SearchRequest(query: q, limit: 0),
                 SearchRequest(query: q, limit: 3, tab: .clients, offset: 2, inactive: .include)]
            }
            for request in requests {
                let response = try tenant.search(request)
                #expect(SearchJSON.bytes(response) == response.jsonBytes(), "\(request.query)")
            }
            // The HTTP answer is that JSON.
            let http = try await client.call(.get, "/v1/search?q=dupont&limit=10", key: env.acmeUser)
            #expect(http.status == .ok)
            #expect(http.contentType == "application/json; charset=utf-8")
            #expect(hitIds(http.json, kind: "client").count == 10)
        }
    }

    /// The byte-wise reading of `Authorization` gives what the `String` operations it stands
    /// for give, on every form of header (and the `String` path still serves non-ASCII ones).
    @Test func bearerKeyMatchesTheStringOperations() {
        func reference(_ header: String) -> String? {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        let key = "lsk_" + String(repeating: "ab12", count: 16)
        var headers = ["", " ", "Bearer", "Bearer ", "Bearer  ", "bearer " + key, "BEARER " + key, "BeArEr \t" + key + " \t ",
                       "  Bearer   " + key + "  ", "Bearer\t" + key, "Basic " + key, "Bearerx " + key, "Bearer " + key + " extra",
                       "Bearer " + key + "\u{00A0}", "Bearer \u{00A0}" + key, "Bearér " + key, "Bearer\u{0301} " + key, "Bearer \u{0301}" + key,
                       "Bearer \u{000B}" + key + "\u{000C}", "Bearer " + key + "\u{2003}", "Bearer é"]
        var rng = SystemRandomNumberGenerator()
        let alphabet: [String] = [" ", " ", "\t", "B", "b", "e", "E", "a", "r", "R", "k", "0", "é", "\u{00A0}", "\u{0301}", "\u{000B}"]
        for _ in 0..<3000 {
            headers.append((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
            headers.append("Bearer" + (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
        }
        for h in headers {
            #expect(AuthMiddleware.bearerKey(h) == reference(h), "\(Array(h.unicodeScalars))")
        }
    }

    /// The byte-wise decoding of query parameters gives what Foundation gives (`+` as a
    /// space, then `removingPercentEncoding`), on valid and invalid encodings alike.
    @Test func queryDecodingMatchesFoundation() {
        var samples = ["", "a", "+", "a+b", "%20", "%2B", "%2b", "%", "%2", "%zz", "%%41", "%41%", "%C3%A9", "%C3", "%C3%28", "%E2%82%AC",
                       "%F0%9F%98%80", "%ED%A0%80", "%00", "q%3Dx%26y", "jean+dupont", "l%27oreal", "%FF", "%c3%a9t%C3%A9", "é", "%C3é", "a+%2B+b",
                       "%F4%90%80%80", "%C0%80", "%7e~", "%A9", "a%a9b", "%EF%BB%BFabc", "a%EF%BB%BF", "%ef%bb%bf%ef%bb%bf", "%EF%BF%BD"]
        var rng = SystemRandomNumberGenerator()
        let alphabet: [String] = ["%", "%", "2", "B", "b", "C", "3", "A", "9", "f", "F", "+", "a", "z", "8", "0", "E"]
        for _ in 0..<5000 {
            samples.append((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
        }
        // Valid UTF-8 of every length, escaped or not, in either case of hex digit.
        let scalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "+", "%", "/", "?", "&", "=", "é", "€", "😀", "\u{0}", "\u{7F}", "\u{80}",
                                         "\u{7FF}", "\u{800}", "\u{FFFD}", "\u{FEFF}", "\u{10FFFF}", "\u{0301}", "\u{E000}"]
        for _ in 0..<5000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                let scalar = scalars.randomElement(using: &rng)!
                if scalar.value >= 0x80 || scalar == "%" || Bool.random(using: &rng) {
                    for byte in String(scalar).utf8 {
                        let hex = String(byte, radix: 16, uppercase: Bool.random(using: &rng))
                        text += "%" + (hex.count == 1 ? "0" + hex : hex)
                    }
                } else {
                    text += String(scalar)
                }
            }
            samples.append(text)
        }
        for sample in samples {
            let s = Substring(sample)
            #expect(QueryParameters.decode(s) == QueryParameters.decodeWithFoundation(s), "\(sample)")
        }
    }

    /// Short reads run on the caller's thread up to `callerSlots` at once, the others on the
    /// pool: never more than slots + threads together, and every one runs.
    @Test func callerSlotsBoundInlineWork() async throws {
        let pool = BlockingPool(threads: 2, callerSlots: 1, name: "test-pool")
        let counter = Counter()
        let inline = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<24 {
                group.addTask {
                    try await pool.runPreferringCaller {
                        counter.enter()
                        // On a pool thread there is no current task; on the caller's, there is.
                        let onPool = withUnsafeCurrentTask { $0 == nil }
                        if !onPool { inline.enter() }
                        Thread.sleep(forTimeInterval: 0.005)
                        if !onPool { inline.leave() }
                        counter.leave()
                        return i
                    }
                }
            }
            var seen = Set<Int>()
            for try await i in group { seen.insert(i) }
            #expect(seen.count == 24)
        }
        #expect(counter.maximum <= 3)
        #expect(inline.maximum == 1)
        // Without slots, everything goes to the pool.
        let strict = BlockingPool(threads: 1, callerSlots: 0, name: "test-strict")
        let onPool = try await strict.runPreferringCaller { withUnsafeCurrentTask { $0 == nil } }
        #expect(onPool)
        pool.stop()
        strict.stop()
    }

    /// Keys created and revoked by another connection to `system.sqlite` (as the command line
    /// does, from another process) while the server runs are seen by the very next request,
    /// and so are those of the server's own store.
    @Test func keyChangesAreSeenAtOnceDespiteTheCache() async throws {
        try await withServer { client, env in
            let cli = try SystemStore(dataDirectory: env.directory)
            defer { try? cli.close() }
            for round in 0..<5 {
                // Created elsewhere: valid at once.
                let made = try cli.createKey(tenant: "acme", role: .user)
                for _ in 0..<3 {
                    #expect(try await client.call(.get, "/v1/search?q=a", key: made.key).status == .ok, "round \(round)")
                }
                // Revoked elsewhere: refused at once, though it was just used (and cached).
                try cli.revokeKey(id: made.id)
                expectProblem(try await client.call(.get, "/v1/search?q=a", key: made.key), .unauthorized, type: "unauthorized")
                expectProblem(try await client.call(.get, "/v1/index/status", key: made.key), .unauthorized, type: "unauthorized")
                // Other keys are unaffected.
                #expect(try await client.call(.get, "/v1/search?q=a", key: env.acmeUser).status == .ok)

                // Through the server's own store.
                let own = try env.engine.system.createKey(tenant: "other", role: .admin)
                #expect(try await client.call(.get, "/v1/index/status", key: own.key).status == .ok)
                #expect(try await client.call(.get, "/v1/index/status", key: own.key).status == .ok)
                try env.engine.system.revokeKey(id: own.id)
                expectProblem(try await client.call(.get, "/v1/index/status", key: own.key), .unauthorized, type: "unauthorized")
            }
            // The cached answer carries the key's tenant and role.
            let user = try cli.createKey(tenant: "acme", role: .user)
            #expect(try await client.call(.get, "/v1/search?q=a", key: user.key).status == .ok)
            expectProblem(try await client.call(.post, "/v1/index/reindex", key: user.key), .forbidden, type: "forbidden")
        }
    }

    /// The store alone: a cached key is dropped when another connection revokes it, including
    /// right after a checkpoint of the WAL.
    @Test func storeCacheFollowsOtherConnections() throws {
        let dir = NSTemporaryDirectory() + "labsearch-authcache-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try SystemStore(dataDirectory: dir)
        let cli = try SystemStore(dataDirectory: dir)
        try server.createTenant("t")
        var keys: [(id: String, key: String)] = []
        for i in 0..<20 {
            let k = try (i % 2 == 0 ? cli : server).createKey(tenant: "t", role: i % 3 == 0 ? .admin : .user)
            keys.append(k)
            for k in keys { #expect(try server.authenticate(key: k.key)?.keyId == k.id) }
        }
        for (i, k) in keys.enumerated() {
            try (i % 2 == 0 ? server : cli).revokeKey(id: k.id)
            #expect(try server.authenticate(key: k.key) == nil)
            #expect(try cli.authenticate(key: k.key) == nil)
            for later in keys[(i + 1)...] { #expect(try server.authenticate(key: later.key)?.keyId == later.id) }
        }
        try server.close()
        try cli.close()
    }
}
