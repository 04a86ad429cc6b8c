import CICU

/// Text folding: the single definition of "folded text" shared by the index and query sides.
///
/// Pipeline (in the C shim, see `cicu.h`): Unicode NFKC_Casefold, then the ICU transliteration
/// `Latin-ASCII; Any-Lower; NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Any-Lower` (the
/// second Latin-ASCII for bases bared by the mark removal, "∦" → "∥" → "||"). Pure-ASCII input never calls
/// ICU: for ASCII the pipeline is exactly ASCII lower-casing (checked by tests).
public enum Folding {
    /// Folds `s` (see the type's documentation).
    public static func fold(_ s: String) -> String {
        var s = s
        return s.withUTF8 { fold(bytes: $0) }
    }

    /// Folds through the full ICU pipeline, bypassing both the Swift ASCII fast path and the
    /// shim's per-code-point table. For tests and diagnostics; `fold` must agree with it.
    public static func foldWithICU(_ s: String) -> String {
        var s = s
        return s.withUTF8 { callC($0, cicu_fold_icu) }
    }

    /// The version of the system ICU used for folding, e.g. "72.1".
    public static var icuVersion: String { String(cString: cicu_icu_version()) }

    /// Whether ICU and its transliterator could be opened (folding degrades to lower-casing
    /// otherwise). `lastError` tells why when it is false.
    public static var isICUAvailable: Bool { cicu_init() == 0 }

    /// Last ICU error message in the calling thread ("" if none).
    public static var lastError: String { String(cString: cicu_last_error()) }

    /// Whether the shim folds this code point through its precomputed table. For tests.
    public static func hasFastFold(_ scalar: Unicode.Scalar) -> Bool {
        cicu_has_fast_fold(Int32(bitPattern: scalar.value)) != 0
    }

    @inline(__always)
    static func isASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in p where b >= 0x80 { return false }
        return true
    }

    /// Folds a UTF-8 slice; ASCII is lower-cased in Swift, anything else goes to the shim.
    @inline(__always)
    static func fold(bytes p: UnsafeBufferPointer<UInt8>) -> String {
        if isASCII(p) { return asciiLower(p) }
        return callC(p, cicu_fold)
    }

    @inline(__always)
    static func asciiLower(_ p: UnsafeBufferPointer<UInt8>) -> String {
        if p.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: p.count) { out in
            for i in 0..<p.count {
                let b = p[i]
                out[i] = (b &- 0x41) < 26 ? b | 0x20 : b
            }
            return p.count
        }
    }

    typealias CFold = (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32) -> Int32

    static func callC(_ p: UnsafeBufferPointer<UInt8>, _ f: CFold) -> String {
        if p.isEmpty { return "" }
        let inPtr = UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self)
        let inLen = Int32(clamping: p.count)
        var capacity = p.count * 2 + 32
        for _ in 0..<3 {
            var needed: Int32 = 0
            let result: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buf in
                let n = f(inPtr, inLen, buf.baseAddress, Int32(clamping: capacity))
                needed = n
                guard n >= 0, Int(n) <= capacity else { return nil }
                return UnsafeRawBufferPointer(start: buf.baseAddress, count: Int(n))
                    .withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
            }
            if let result { return result }
            if needed < 0 { break }
            capacity = Int(needed) + 16
        }
        // ICU unavailable: degrade to lower-casing rather than fail (see `isICUAvailable`).
        return String(decoding: p, as: UTF8.self).lowercased()
    }
}
