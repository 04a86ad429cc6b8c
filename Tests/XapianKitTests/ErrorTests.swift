import Foundation
import Testing
@testable import XapianKit

@Suite struct ErrorTests {
    @Test func openingAMissingDatabase() throws {
        let dir = try TempDir()
        let error = xapianError { _ = try Database(path: dir.path("missing")) }
        #expect(error?.code == .databaseNotFound)
        #expect(error?.message.contains("DatabaseNotFoundError") == true)
        #expect(xapianError { _ = try WritableDatabase(path: dir.path("missing"), mode: .open) }?.code == .databaseNotFound)
        #expect(!FileManager.default.fileExists(atPath: dir.path("missing")))
    }

    @Test func twoWritersConflict() throws {
        let dir = try TempDir()
        let first = try WritableDatabase(path: dir.path())
        let error = xapianError { _ = try WritableDatabase(path: dir.path()) }
        #expect(error?.code == .databaseLock)
        #expect(error?.description.contains("databaseLock") == true)
        // Readers are not blocked by the writer.
        #expect(try Database(path: dir.path()).docCount() == 0)
        try first.close()
        let second = try WritableDatabase(path: dir.path())
        #expect(try second.docCount() == 0)
    }

    @Test func corruptAndInvalidDatabases() throws {
        let dir = try TempDir()
        let corrupt = dir.path("corrupt")
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 100).write(to: URL(fileURLWithPath: corrupt + "/iamglass"))
        #expect(xapianError { _ = try Database(path: corrupt) }?.code == .databaseCorrupt)

        let file = dir.path("file")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        #expect(xapianError { _ = try Database(path: file) }?.code == .databaseOpening)
        #expect(xapianError { _ = try WritableDatabase(path: file) }?.code == .other)  // DatabaseCreateError
    }

    @Test func closedDatabasesFailCleanly() throws {
        let dir = try TempDir()
        let path = try makeCorpus(dir)
        let reader = try Database(path: path)
        let enquire = Enquire(database: reader)
        try enquire.setQuery(.term("apple"))
        reader.close()
        reader.close()  // idempotent
        // Xapian keeps some statistics after close (docCount still answers); reads fail.
        #expect(xapianError { _ = try reader.termFrequency("apple") }?.code == .other)
        #expect(xapianError { _ = try reader.documentData(1) }?.code == .other)
        #expect(xapianError { _ = try enquire.mset(first: 0, maxItems: 10) }?.code == .other)

        let writer = try WritableDatabase(path: path)
        try writer.close()
        #expect(xapianError { try writer.replaceDocument(uniqueTerm: "Qz", makeDocument(id: "z", terms: [])) }?.code == .other)
    }

    @Test func badDocumentsAreRejectedWhenStored() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())

        let empty = makeDocument(id: "1", terms: ["ok", ""])
        let emptyError = xapianError { try writer.replaceDocument(uniqueTerm: "Q1", empty) }
        #expect(emptyError?.code == .invalidArgument)
        #expect(empty.pendingError != nil)

        let long = makeDocument(id: "2", terms: [String(repeating: "x", count: 300)])
        #expect(xapianError { try writer.replaceDocument(uniqueTerm: "Q2", long) }?.code == .invalidArgument)

        #expect(xapianError { try writer.replaceDocument(uniqueTerm: "", makeDocument(id: "3", terms: [])) }?.code == .invalidArgument)
        #expect(xapianError { try writer.deleteDocument(uniqueTerm: "") }?.code == .invalidArgument)

        try writer.commit()
        #expect(try writer.docCount() == 0)
        try writer.replaceDocument(uniqueTerm: "Q4", makeDocument(id: "4", terms: ["fine"]))
        try writer.commit()
        #expect(try writer.docCount() == 1)
    }

    @Test func readerFallingTwoRevisionsBehindThrowsDatabaseModified() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        func rewriteAll(_ round: Int) throws {
            for i in 0..<2000 {
                let doc = makeDocument(id: "\(i)", terms: ["r\(round)t\(i)", "all"], data: String(repeating: "\(round)", count: 200))
                try writer.replaceDocument(uniqueTerm: "Q\(i)", doc)
            }
            try writer.commit()
        }
        try rewriteAll(0)
        let reader = try Database(path: dir.path())
        for round in 1...3 { try rewriteAll(round) }
        func readEverything() throws {
            for docid in 1...UInt32(2000) { _ = try reader.documentData(docid) }
            var count = 0
            try reader.allTerms(prefix: "") { _, _ in count += 1; return true }
        }
        #expect(xapianError(readEverything)?.code == .databaseModified)
        #expect(try reader.reopen())
        try readEverything()
        #expect(try reader.termFrequency("r3t5") == 1)
    }
}
