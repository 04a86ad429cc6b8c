import CArgon2
import Foundation

/// Password hashing with Argon2id (the reference implementation, Debian's libargon2), in its
/// PHC string encoding (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), which carries the salt and the
/// costs: a stored hash stays verifiable after the defaults change.
///
/// Defaults follow OWASP's password storage cheat sheet for Argon2id: 19 MiB of memory, 2
/// passes, 1 lane, 16 random bytes of salt, a 32-byte tag.
public struct PasswordHasher: Sendable, Hashable {
    public var memoryKiB: UInt32
    public var iterations: UInt32
    public var parallelism: UInt32

    public init(memoryKiB: UInt32 = 19 * 1024, iterations: UInt32 = 2, parallelism: UInt32 = 1) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    public static let `default` = PasswordHasher()

    /// Shortest and longest accepted passwords, in characters / UTF-8 bytes.
    public static let minLength = 8
    public static let maxBytes = 1024

    /// The PHC-encoded Argon2id hash of `password` with a fresh random salt.
    public func hash(_ password: String) throws -> String {
        var rng = SystemRandomNumberGenerator()
        let salt: [UInt8] = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        let pwd = Array(password.utf8)
        let hashLen = 32
        let encodedLen = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(salt.count), UInt32(hashLen), Argon2_id)
        var encoded = [CChar](repeating: 0, count: encodedLen + 1)
        let rc = pwd.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                argon2id_hash_encoded(iterations, memoryKiB, parallelism, p.baseAddress, pwd.count, s.baseAddress, salt.count,
                                      hashLen, &encoded, encodedLen)
            }
        }
        guard rc == ARGON2_OK.rawValue else {
            throw StoreError(.sqlite("argon2: " + String(cString: argon2_error_message(rc))))
        }
        return String(cString: encoded)
    }

    /// Whether `password` matches a PHC-encoded Argon2id hash (constant time in the tag).
    public static func verify(_ password: String, encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$") else { return false }
        let pwd = Array(password.utf8)
        let rc = pwd.withUnsafeBytes { p in
            encoded.withCString { e in argon2id_verify(e, p.baseAddress, pwd.count) }
        }
        return rc == ARGON2_OK.rawValue
    }
}
