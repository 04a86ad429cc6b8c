// A small zip reader and writer for .xlsx: stored and deflate entries only, no ZIP64, CRC-32
// checked, and every expansion bounded (see `ZipArchive.extract`).
import CSheets

@inline(__always) func le16(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    Int(b[i]) | Int(b[i + 1]) << 8
}

@inline(__always) func le32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
}

func crc32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { csheets_crc32(0, $0.baseAddress, $0.count) }
}

struct ZipEntry {
    var name: String
    var flags: Int
    var method: Int
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
    var isEncrypted: Bool { flags & 1 != 0 }
}

/// The central directory of a zip held in memory, and bounded extraction of its entries.
struct ZipArchive {
    static let maxEntries = 10_000
    /// Entries this small may exceed the compression ratio: they cannot be a bomb on their own
    /// (the total budget still applies).
    static let ratioFloor = 1 << 20

    let bytes: [UInt8]
    private(set) var entries: [ZipEntry] = []
    private var byName: [String: Int] = [:]
    private var byLowercasedName: [String: Int] = [:]
    /// Uncompressed bytes still allowed (shared by every extraction from this archive).
    private(set) var budget: Int
    let maxRatio: Int

    init(_ bytes: [UInt8], limits: SheetLimits) throws {
        self.bytes = bytes
        self.budget = max(0, limits.maxUncompressedBytes)
        self.maxRatio = max(1, limits.maxCompressionRatio)
        entries = try bytes.withUnsafeBufferPointer { try Self.parseDirectory($0) }
        for (i, e) in entries.enumerated() {
            if byName[e.name] == nil { byName[e.name] = i }
            let lower = e.name.lowercased()
            if byLowercasedName[lower] == nil { byLowercasedName[lower] = i }
        }
    }

    private static func parseDirectory(_ b: UnsafeBufferPointer<UInt8>) throws -> [ZipEntry] {
        let n = b.count
        guard n >= 22 else { throw SheetError.corrupt }
        // End of central directory: the last signature whose comment fits the file.
        var eocd = -1
        var p = n - 22
        let lowest = max(0, n - 22 - 0xFFFF)
        while p >= lowest {
            if b[p] == 0x50 && b[p + 1] == 0x4B && b[p + 2] == 0x05 && b[p + 3] == 0x06
                && p + 22 + le16(b, p + 20) <= n {
                eocd = p
                break
            }
            p -= 1
        }
        guard eocd >= 0 else { throw SheetError.corrupt }
        // A ZIP64 end-of-central-directory locator just before it.
        if eocd >= 20 && b[eocd - 20] == 0x50 && b[eocd - 19] == 0x4B && b[eocd - 18] == 0x06
            && b[eocd - 17] == 0x07 {
            throw SheetError.zip64
        }
        let disk = le16(b, eocd + 4), cdDisk = le16(b, eocd + 6)
        let countOnDisk = le16(b, eocd + 8), count = le16(b, eocd + 10)
        let cdSize = le32(b, eocd + 12), cdOffset = le32(b, eocd + 16)
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF { throw SheetError.zip64 }
        guard disk == 0, cdDisk == 0, countOnDisk == count else { throw SheetError.corrupt("archive multi-volume") }
        guard count <= maxEntries else { throw SheetError.corrupt("trop d'entrées dans l'archive") }
        guard cdOffset + cdSize <= eocd else { throw SheetError.corrupt }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(count)
        var q = cdOffset
        let end = cdOffset + cdSize
        for _ in 0..<count {
            guard q + 46 <= end, le32(b, q) == 0x0201_4B50 else { throw SheetError.corrupt }
            let flags = le16(b, q + 8), method = le16(b, q + 10)
            let crc = UInt32(le32(b, q + 16))
            let csize = le32(b, q + 20), usize = le32(b, q + 24)
            let nameLen = le16(b, q + 28), extraLen = le16(b, q + 30), commentLen = le16(b, q + 32)
            let local = le32(b, q + 42)
            guard q + 46 + nameLen + extraLen + commentLen <= end else { throw SheetError.corrupt }
            if csize == 0xFFFF_FFFF || usize == 0xFFFF_FFFF || local == 0xFFFF_FFFF { throw SheetError.zip64 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: b[(q + 46)..<(q + 46 + nameLen)]), as: UTF8.self)
            entries.append(ZipEntry(name: name, flags: flags, method: method, crc: crc, compressedSize: csize,
                                    uncompressedSize: usize, localHeaderOffset: local))
            q += 46 + nameLen + extraLen + commentLen
        }
        return entries
    }

    func entry(_ name: String) -> ZipEntry? {
        if let i = byName[name] { return entries[i] }
        if let i = byLowercasedName[name.lowercased()] { return entries[i] } // OPC names ignore case
        return nil
    }

    /// The uncompressed bytes of an entry. Inflation writes into a buffer of the smallest
    /// allowance + 1 bytes (declared size, remaining budget, ratio × compressed size), so it
    /// stops as soon as the output would exceed any of them.
    mutating func extract(_ e: ZipEntry) throws -> [UInt8] {
        if e.isEncrypted { throw SheetError.encrypted }
        let declared = e.uncompressedSize
        let ratioCap = max(Self.ratioFloor, e.compressedSize.multipliedReportingOverflow(by: maxRatio).overflow
                           ? Int.max : e.compressedSize * maxRatio)
        if declared > budget || declared > ratioCap { throw SheetError.zipBomb }
        let data: Range<Int> = try bytes.withUnsafeBufferPointer { b in
            let h = e.localHeaderOffset
            guard h + 30 <= b.count, le32(b, h) == 0x0403_4B50 else { throw SheetError.corrupt }
            let start = h + 30 + le16(b, h + 26) + le16(b, h + 28)
            guard start + e.compressedSize <= b.count else { throw SheetError.corrupt }
            return start..<(start + e.compressedSize)
        }
        var out: [UInt8]
        switch e.method {
        case 0:
            guard e.compressedSize == declared else { throw SheetError.corrupt }
            out = Array(bytes[data])
        case 8:
            // Room for one byte more than the declared size: filling it proves a lying header.
            let cap = declared + 1
            out = [UInt8](repeating: 0, count: cap)
            var produced = 0
            let rc = bytes.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    csheets_inflate_raw(b.baseAddress! + data.lowerBound, data.count, o.baseAddress, cap, &produced)
                }
            }
            switch Int(rc) {
            case Int(CSHEETS_INFLATE_OK): break
            case Int(CSHEETS_INFLATE_OVERFLOW): throw SheetError.zipBomb
            case Int(CSHEETS_INFLATE_NOMEM): throw SheetError.zipBomb
            default: throw SheetError.corrupt
            }
            guard produced == declared else { throw SheetError.corrupt }
            out.removeLast(cap - produced)
        default:
            throw SheetError.zipMethod(e.method)
        }
        guard crc32(out) == e.crc else { throw SheetError.corrupt("somme de contrôle") }
        budget -= out.count
        return out
    }
}

/// Builds a zip in memory (`ZipStreamWriter` with a sink that keeps every chunk): local
/// headers with known sizes and CRC, central directory, end record. Entries are deflated
/// unless that does not make them smaller.
struct ZipWriter {
    private let writer: ZipStreamWriter
    private let box: Box

    private final class Box { var bytes: [UInt8] = [] }

    init() {
        let box = Box()
        self.box = box
        writer = ZipStreamWriter(chunkSize: 1 << 20) { box.bytes += $0 }
    }

    mutating func add(_ name: String, _ content: [UInt8]) {
        do { try writer.add(name, content) } catch { preconditionFailure("ZipWriter.add: \(error)") }
    }

    mutating func finish() -> [UInt8] {
        do { try writer.finish() } catch { preconditionFailure("ZipWriter.finish: \(error)") }
        return box.bytes
    }
}
