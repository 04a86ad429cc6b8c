// A read-only parser of OLE2 compound files (CFBF), the container of .xls workbooks and of
// password-protected .xlsx packages. Only what the checks before FreeXL need: the entry
// names and the bytes of one stream. Every chain is bounded and checked.

struct CompoundFile {
    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let freeSector: UInt32 = 0xFFFF_FFFF

    struct Entry {
        var name: String
        var type: UInt8 // 1 storage, 2 stream, 5 root
        var start: UInt32
        var size: Int
    }

    let bytes: [UInt8]
    private let sectorSize: Int
    private let miniSectorSize: Int
    private let miniCutoff: Int
    private let sectorCount: Int
    private var fat: [UInt32] = []
    private var miniFat: [UInt32] = []
    private var miniStream: [UInt8] = []
    private(set) var entries: [Entry] = []

    var names: [String] { entries.map(\.name) }

    static func hasSignature(_ b: [UInt8]) -> Bool {
        b.count >= 8 && b[0..<8].elementsEqual(signature)
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 512, Self.hasSignature(bytes) else { throw SheetError.corrupt }
        self.bytes = bytes
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        func u32(_ o: Int) -> UInt32 {
            UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        }
        let shift = u16(0x1E), miniShift = u16(0x20)
        guard shift == 9 || shift == 12, miniShift == 6 else { throw SheetError.corrupt }
        sectorSize = 1 << shift
        miniSectorSize = 1 << miniShift
        miniCutoff = Int(u32(0x38))
        let sectorCount = (bytes.count + sectorSize - 1) / sectorSize // upper bound of valid sector ids
        self.sectorCount = sectorCount
        let fatSectors = Int(u32(0x2C))
        guard fatSectors <= sectorCount else { throw SheetError.corrupt }

        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        var fatSectorIds: [UInt32] = []
        for k in 0..<109 where fatSectorIds.count < fatSectors {
            fatSectorIds.append(u32(0x4C + 4 * k))
        }
        var difat = u32(0x44)
        var difatSeen = 0
        while fatSectorIds.count < fatSectors && difat != Self.endOfChain && difat != Self.freeSector {
            difatSeen += 1
            guard difatSeen <= sectorCount else { throw SheetError.corrupt }
            let off = (Int(difat) + 1) * sectorSize
            guard off + sectorSize <= bytes.count else { throw SheetError.corrupt }
            let per = sectorSize / 4 - 1
            for k in 0..<per where fatSectorIds.count < fatSectors {
                fatSectorIds.append(u32(off + 4 * k))
            }
            difat = u32(off + 4 * per)
        }
        guard fatSectorIds.count == fatSectors else { throw SheetError.corrupt }
        fat.reserveCapacity(fatSectors * sectorSize / 4)
        for s in fatSectorIds {
            let off = (Int(s) + 1) * sectorSize
            guard Int(s) < sectorCount, off + sectorSize <= bytes.count else { throw SheetError.corrupt }
            for k in 0..<(sectorSize / 4) { fat.append(u32(off + 4 * k)) }
        }

        // Directory entries.
        let dir = try chain(from: u32(0x30), size: nil)
        var k = 0
        while k + 128 <= dir.count {
            let nameLen = min(64, Int(dir[k + 64]) | Int(dir[k + 65]) << 8)
            var units: [UInt16] = []
            var j = 0
            while j + 1 < nameLen {
                let u = UInt16(dir[k + j]) | UInt16(dir[k + j + 1]) << 8
                if u == 0 { break }
                units.append(u)
                j += 2
            }
            let type = dir[k + 66]
            let start = UInt32(dir[k + 116]) | UInt32(dir[k + 117]) << 8 | UInt32(dir[k + 118]) << 16 | UInt32(dir[k + 119]) << 24
            let size = Int(dir[k + 120]) | Int(dir[k + 121]) << 8 | Int(dir[k + 122]) << 16 | Int(dir[k + 123]) << 24
            if type != 0 {
                entries.append(Entry(name: String(decoding: units, as: UTF16.self), type: type, start: start, size: size))
            }
            k += 128
        }
        guard let root = entries.first, root.type == 5 else { throw SheetError.corrupt }
        // Mini FAT and mini stream (streams under the cutoff live there).
        let miniFatStart = u32(0x3C)
        if miniFatStart != Self.endOfChain && miniFatStart != Self.freeSector {
            let m = try chain(from: miniFatStart, size: nil)
            miniFat.reserveCapacity(m.count / 4)
            var o = 0
            while o + 4 <= m.count {
                miniFat.append(UInt32(m[o]) | UInt32(m[o + 1]) << 8 | UInt32(m[o + 2]) << 16 | UInt32(m[o + 3]) << 24)
                o += 4
            }
            miniStream = try chain(from: root.start, size: root.size)
        }
    }

    /// The bytes of a FAT chain (truncated to `size` when given).
    private func chain(from start: UInt32, size: Int?) throws -> [UInt8] {
        if let size, size > bytes.count { throw SheetError.corrupt }
        var out: [UInt8] = []
        var s = start
        var steps = 0
        while s != Self.endOfChain {
            if let size, out.count >= size { break }
            guard Int(s) < fat.count else { throw SheetError.corrupt }
            steps += 1
            guard steps <= sectorCount else { throw SheetError.corrupt } // a loop
            let off = (Int(s) + 1) * sectorSize
            guard off + sectorSize <= bytes.count || (off < bytes.count && size != nil) else { throw SheetError.corrupt }
            out.append(contentsOf: bytes[off..<min(off + sectorSize, bytes.count)])
            s = fat[Int(s)]
        }
        if let size {
            guard out.count >= size else { throw SheetError.corrupt }
            out.removeLast(out.count - size)
        }
        return out
    }

    private func miniChain(from start: UInt32, size: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(size)
        var s = start
        var steps = 0
        while out.count < size {
            guard s != Self.endOfChain, Int(s) < miniFat.count else { throw SheetError.corrupt }
            steps += 1
            guard steps <= miniStream.count / miniSectorSize else { throw SheetError.corrupt } // a loop
            let off = Int(s) * miniSectorSize
            guard off + miniSectorSize <= miniStream.count else { throw SheetError.corrupt }
            out.append(contentsOf: miniStream[off..<(off + miniSectorSize)])
            s = miniFat[Int(s)]
        }
        out.removeLast(out.count - size)
        return out
    }

    /// The bytes of the first stream with this name (case-insensitive, as OLE2 compares).
    func stream(named name: String) throws -> [UInt8]? {
        let lower = name.lowercased()
        guard let e = entries.first(where: { $0.type == 2 && $0.name.lowercased() == lower }) else { return nil }
        if e.size < miniCutoff { return try miniChain(from: e.start, size: e.size) }
        return try chain(from: e.start, size: e.size)
    }
}
