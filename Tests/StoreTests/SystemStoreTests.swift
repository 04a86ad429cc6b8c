import Foundation
import Testing
import Model
import Store

@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ])
    func vectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAsIncremental() {
        var h = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        #expect(SHA256.hexString(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func constantTimeEqual() {
        #expect(SHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SHA256.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}

@Suite("System store")
struct SystemStoreTests {
    let dir = tempDir()

    @Test func tenants() throws {
        let sys = try SystemStore(dataDirectory: dir)
        #expect(FileManager.default.fileExists(atPath: dir + "/system.sqlite"))
        try sys.createTenant("agence-paris")
        try sys.createTenant("lyon_2")
        #expect(throws: StoreError(.tenantExists)) { try sys.createTenant("lyon_2") }
        #expect(throws: StoreError(.invalidTenantName)) { try sys.createTenant("Agence Paris") }
        #expect(throws: StoreError(.invalidTenantName)) { try sys.createTenant("") }
        #expect(try sys.tenantExists("agence-paris"))
        #expect(try !sys.tenantExists("nantes"))
        #expect(try sys.listTenants().map(\.name) == ["agence-paris", "lyon_2"])
        #expect(try sys.listTenants()[0].createdAt.hasSuffix("Z"))
    }

    @Test func keys() throws {
        let sys = try SystemStore(dataDirectory: dir)
        try sys.createTenant("a")
        try sys.createTenant("b")
        let (idA, keyA) = try sys.createKey(tenant: "a", role: .admin)
        let (idB, keyB) = try sys.createKey(tenant: "b", role: .user)
        #expect(keyA.hasPrefix("lsk_") && keyA.count == 68)
        #expect(keyA != keyB && idA != idB)
        #expect(throws: StoreError(.tenantNotFound)) { try sys.createKey(tenant: "c", role: .user) }

        let authA = try #require(try sys.authenticate(key: keyA))
        #expect(authA.tenant == "a" && authA.role == .admin && authA.keyId == idA)
        let authB = try #require(try sys.authenticate(key: keyB))
        #expect(authB.tenant == "b" && authB.role == .user)
        // Wrong or malformed keys.
        #expect(try sys.authenticate(key: "lsk_" + String(repeating: "0", count: 64)) == nil)
        #expect(try sys.authenticate(key: keyA.uppercased()) == nil)
        #expect(try sys.authenticate(key: String(keyA.dropLast())) == nil)
        #expect(try sys.authenticate(key: "") == nil)

        // The plaintext is never stored.
        let raw = try String(contentsOfFile: sys.path, encoding: .isoLatin1)
        #expect(!raw.contains(String(keyA.dropFirst(4))))

        #expect(try sys.listKeys(tenant: "a").map(\.id) == [idA])
        #expect(try sys.listKeys(tenant: "a").first?.role == .admin)
        try sys.revokeKey(id: idA)
        try sys.revokeKey(id: idA) // idempotent
        #expect(try sys.authenticate(key: keyA) == nil)
        #expect(try sys.authenticate(key: keyB) != nil)
        #expect(try sys.listKeys(tenant: "a").first?.isRevoked == true)
        #expect(throws: StoreError(.keyNotFound)) { try sys.revokeKey(id: "key_nope") }

        // Survives a reopen.
        try sys.close()
        let again = try SystemStore(dataDirectory: dir)
        #expect(try again.authenticate(key: keyB)?.tenant == "b")
        #expect(try again.authenticate(key: keyA) == nil)
    }
}
