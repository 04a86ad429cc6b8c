// The JSON body decoder and the validator: JSONValue.parse (Data) and parseFast (bytes,
// String) agree on acceptance and values; what parses serialises to compact JSON that parses
// back to the same value and serialises to the same bytes; Validator.normalize, for every
// record kind, never crashes on a parsed object (an NDJSON line's "record" too), and what it
// accepts is stable: normalizing the normalized body again gives it back.
import Foundation
@testable import Model

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let viaData = Result { try JSONValue.parse(Data(bytes)) }
    let viaBytes = Result { try bytes.withUnsafeBufferPointer { try JSONValue.parseFast(bytes: $0) } }
    check(same(viaData, viaBytes), "parse(Data) and parseFast(bytes) disagree on \(bytes)")
    if let text = String(validating: bytes, as: UTF8.self) {
        check(same(viaBytes, Result { try JSONValue.parseFast(text) }), "parseFast(String) disagrees on \(text.debugDescription)")
    }
    guard case .success(let v) = viaBytes else { return 0 }

    let out = v.compactJSONBytes()
    check(v.jsonData() == Data(out), "jsonData differs from compactJSONBytes")
    let back = try? out.withUnsafeBufferPointer { try JSONValue.parseFast(bytes: $0) }
    check(back == v, "round trip: \(String(decoding: out, as: UTF8.self).debugDescription) parses to \(String(describing: back)), not \(v)")
    if let back { check(back.compactJSONBytes() == out, "serialisation not stable on \(String(decoding: out, as: UTF8.self).debugDescription)") }

    guard case .object(let o) = v else { return 0 }
    var bodies = [o]
    if case .object(let r)? = o["record"] { bodies.append(r) }
    for body in bodies {
        for kind in RecordKind.allCases {
            guard case .success(let normalized) = Validator.normalize(kind: kind, body: body) else { continue }
            let again = Validator.normalize(kind: kind, body: normalized)
            check((try? again.get()) == normalized,
                  "\(kind): normalize not idempotent on \(JSONValue.object(body).compactJSON().debugDescription): \(JSONValue.object(normalized).compactJSON()) then \(again)")
        }
    }
    return 0
}

func same(_ a: Result<JSONValue, Error>, _ b: Result<JSONValue, Error>) -> Bool {
    switch (a, b) {
    case (.success(let x), .success(let y)): return x == y
    case (.failure, .failure): return true
    default: return false
    }
}
