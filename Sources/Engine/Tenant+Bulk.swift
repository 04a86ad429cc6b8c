import Foundation
import Model
import Store

extension Tenant {
    /// One parsed line of a bulk load.
    enum BulkOp {
        case upsert(Record)
        case delete(RecordKey)
    }

    /// Applies NDJSON bulk operations (API.md "Bulk load"): valid lines are applied, each one
    /// atomically, invalid ones reported by their 1-based line number.
    /// Lines are committed in chunks; when this returns, the accepted operations are durable.
    public func bulk(ndjson data: Data, firstLine: Int = 1, progress: ((_ linesDone: Int, _ bytesDone: Int) -> Void)? = nil) -> BulkResult {
        var result = BulkResult()
        var chunk: [(line: Int, op: BulkOp)] = []
        var lineNumber = firstLine - 1
        var bytesDone = 0
        let chunkSize = 2000
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            let n = bytes.count
            while start < n {
                var end = start
                while end < n && bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }  // CRLF
                let line = Data(bytes[start..<lineEnd])
                bytesDone = min(end + 1, n)
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                switch Self.parseBulkLine(line) {
                case .success(let op): chunk.append((lineNumber, op))
                case .failure(let errs):
                    for e in errs.errors { result.errors.append(.init(line: lineNumber, field: e.field.isEmpty ? nil : e.field, error: e.message)) }
                }
                if chunk.count >= chunkSize {
                    applyBulkChunk(chunk, into: &result)
                    chunk.removeAll(keepingCapacity: true)
                    progress?(lineNumber, bytesDone)
                }
            }
        }
        if !chunk.isEmpty { applyBulkChunk(chunk, into: &result) }
        progress?(lineNumber, bytesDone)
        result.errors.sort { $0.line < $1.line }
        return result
    }

    static func parseBulkLine(_ line: Data) -> Result<BulkOp, ValidationError> {
        guard let value = try? JSONValue.parse(line) else {
            return .failure(ValidationError(field: "", message: "Ligne JSON invalide."))
        }
        guard case .object(let o) = value else {
            return .failure(ValidationError(field: "", message: "Chaque ligne doit être un objet JSON."))
        }
        for k in o.keys where !["op", "type", "id", "record"].contains(k) {
            return .failure(ValidationError(field: k, message: "Champ inconnu."))
        }
        guard case .string(let op)? = o["op"], op == "upsert" || op == "delete" else {
            return .failure(ValidationError(field: "op", message: "« op » doit valoir « upsert » ou « delete »."))
        }
        guard case .string(let type)? = o["type"], let kind = RecordKind(rawValue: type) else {
            return .failure(ValidationError(field: "type", message: "Type inconnu : client, client_contact, partner, partner_contact, event ou product."))
        }
        guard case .string(let id)? = o["id"], Schema.isValidId(id) else {
            return .failure(ValidationError(field: "id", message: "Identifiant absent ou invalide : 1 à 128 caractères parmi lettres, chiffres, « _ », « . », « : » et « - »."))
        }
        if op == "delete" { return .success(.delete(RecordKey(kind: kind, id: id))) }
        guard case .object(var body)? = o["record"] else {
            return .failure(ValidationError(field: "record", message: "« record » doit être un objet."))
        }
        if let rid = body["id"] {
            guard rid == .string(id) else {
                return .failure(ValidationError(field: "record.id", message: "L'identifiant de l'enregistrement diffère de celui de la ligne."))
            }
            body.removeValue(forKey: "id")
        }
        switch Validator.normalize(kind: kind, body: body) {
        case .success(let fields): return .success(.upsert(Record(kind: kind, id: id, fields: fields)))
        case .failure(let e): return .failure(e)
        }
    }

    /// A line refused before it changed anything (its checks come before its writes).
    private struct LineRefused: Error { var message: String }

    /// Writes one chunk in one transaction. Lines are checked before they write, so a refused
    /// line leaves nothing behind and the chunk needs no savepoint per line (their statement
    /// journal was a third of the store's time); if a write fails anyway (SQLite), the
    /// transaction rolls back and the chunk is written again with a savepoint per line, so
    /// that only the failing lines are lost.
    private func applyBulkChunk(_ chunk: [(line: Int, op: BulkOp)], into result: inout BulkResult) {
        var local = BulkResult()
        var written: [(record: Record, seq: Int64, docid: Int64)] = []
        var known: [RecordKey: Record] = [:]
        // The seqs of the chunk's upserts, announced to the indexer before the commit (so it
        // waits for the records offered below instead of reading them back), withdrawn once
        // offered or when the transaction rolls back.
        var announced: ClosedRange<Int64>?
        func withdraw() {
            if let a = announced { index.withdraw(a) }
            announced = nil
        }
        defer { withdraw() }
        func writeChunk(savepoints: Bool) throws -> BulkResult {
            withdraw()
            return try store.write { tx -> BulkResult in
                var r = BulkResult()
                written.removeAll(keepingCapacity: true)
                for (line, op) in chunk {
                    func apply() throws {
                        switch op {
                        case .upsert(let record):
                            var seq = try tx.upsert(record)
                            let entry = (record: record, seq: seq, docid: tx.lastUpsertDocid)
                            if record.kind.isContact, record.bool("is_primary") == true {
                                seq = max(seq, try clearOtherPrimaries(of: record, tx: tx))
                            }
                            written.append(entry)
                            r.upserted += 1
                            r.lastSeq = max(r.lastSeq, seq)
                        case .delete(let key):
                            if key.kind.isCompany, try tx.hasChildren(key) {
                                throw LineRefused(message: "Cette société a encore des contacts, événements ou produits rattachés.")
                            }
                            if let seq = try tx.delete(key) {
                                r.deleted += 1
                                r.lastSeq = max(r.lastSeq, seq)
                            }
                        }
                    }
                    do {
                        if savepoints { try tx.savepoint { try apply() } } else { try apply() }
                    } catch let e as LineRefused {
                        r.errors.append(.init(line: line, field: "id", error: e.message))
                    } catch {
                        if !savepoints { throw error }
                        r.errors.append(.init(line: line, field: nil, error: "Échec de l'écriture de la ligne."))
                    }
                }
                if let lo = written.lazy.map(\.seq).min(), let hi = written.lazy.map(\.seq).max() {
                    announced = lo...hi
                    index.announce(lo...hi)
                }
                return r
            }
        }
        do {
            do {
                local = try writeChunk(savepoints: false)
            } catch {
                local = try writeChunk(savepoints: true)
            }
        } catch {
            withdraw()
            for (line, _) in chunk { local.errors.append(.init(line: line, field: nil, error: "Échec de l'écriture : rien de cette partie n'a été appliqué.")) }
            local.upserted = 0
            local.deleted = 0
            written.removeAll()
        }
        if !written.isEmpty {
            // A line rolled back by its savepoint is not in `written` (appended once it succeeded).
            for w in written { known[w.record.key] = w.record }
            index.offer(written, known: known)
        }
        result.upserted += local.upserted
        result.deleted += local.deleted
        result.errors += local.errors
        result.lastSeq = max(result.lastSeq, local.lastSeq)
        index.wake()
    }
}
