import CDigest
import Foundation

/// SHA-256 (FIPS 180-4), dependency-free: API keys are stored as the hex digest of the key
/// (swift-crypto is not available), a backup's files are checked by theirs. One implementation,
/// the C one of CDigest (fast in debug builds too); tested against the NIST vectors.
public struct SHA256: Sendable {
    var ctx = cdg_sha256_ctx()

    public init() { cdg_sha256_init(&ctx) }

    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let chunk = Array(bytes)
        chunk.withUnsafeBytes { cdg_sha256_update(&ctx, $0.baseAddress, $0.count) }
    }

    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        cdg_sha256_final(&ctx, &out)
        return out
    }

    /// The digest of `bytes`.
    public static func hash<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        var s = SHA256()
        s.update(bytes)
        return s.finalize()
    }

    /// The lower-case hex digest of a string's UTF-8 bytes.
    public static func hex(_ string: String) -> String { hexString(hash(Array(string.utf8))) }

    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}


extension SHA256 {
    /// The SHA-256 (lower-case hex) and size of the file at `path`, hashed in C in 1 MiB reads.
    public static func file(atPath path: String) throws -> (hex: String, size: Int64) {
        var out = [UInt8](repeating: 0, count: 32)
        var size: UInt64 = 0
        let err = cdg_sha256_file(path, &out, &size)
        if err != 0 { throw POSIXError(POSIXErrorCode(rawValue: err) ?? .EIO) }
        return (hexString(out), Int64(size))
    }
}
