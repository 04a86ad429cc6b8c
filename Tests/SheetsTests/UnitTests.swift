import Foundation
import Testing
@testable import Sheets

@Suite("dates")
struct DateTests {
    @Test(arguments: [
        (1.0, SheetDate(year: 1900, month: 1, day: 1)),
        (59.0, SheetDate(year: 1900, month: 2, day: 28)),
        (60.0, SheetDate(year: 1900, month: 2, day: 29)),
        (61.0, SheetDate(year: 1900, month: 3, day: 1)),
        (45356.0, SheetDate(year: 2024, month: 3, day: 5)),
        (45291.60434027778, SheetDate(year: 2023, month: 12, day: 31, hour: 14, minute: 30, second: 15)),
        (0.5, SheetDate(year: 1899, month: 12, day: 30, hour: 12)),
        (2_958_465.0, SheetDate(year: 9999, month: 12, day: 31)),
        (44_926.999_999_9, SheetDate(year: 2023, month: 1, day: 1)),
    ])
    func serial1900(_ serial: Double, _ date: SheetDate) {
        #expect(SheetDate(serial: serial) == date)
        if serial.rounded() != serial || serial < 44_926 || serial > 44_927 {
            let back = date.serial()
            #expect(back.map { abs($0 - serial) < 1e-6 } == true)
        }
    }

    @Test func serial1904() {
        #expect(SheetDate(serial: 0, date1904: true) == SheetDate(year: 1904, month: 1, day: 1))
        #expect(SheetDate(serial: 43894, date1904: true) == SheetDate(year: 2024, month: 3, day: 5))
        #expect(SheetDate(year: 2024, month: 3, day: 5).serial(date1904: true) == 43894)
    }

    @Test func outOfRange() {
        #expect(SheetDate(serial: -1) == nil)
        #expect(SheetDate(serial: .nan) == nil)
        #expect(SheetDate(serial: 3_000_000) == nil)
        #expect(SheetDate(year: 1899, month: 1, day: 1).serial() == nil)
        #expect(SheetDate(year: 2024, month: 13, day: 1).serial() == nil)
    }
}

@Suite("xml tokenizer")
struct XMLTests {
    func events(_ xml: String) throws -> [String] {
        try XMLReader.with(Array(xml.utf8)) { r in
            var out: [String] = []
            while true {
                switch try r.next() {
                case .eof: return out
                case .start:
                    let name = String(decoding: UnsafeBufferPointer(start: r.p + r.localStart, count: r.localNameLength), as: UTF8.self)
                    let attrs = try r.attributes.map { a -> String in
                        let n = String(decoding: UnsafeBufferPointer(start: r.p + a.nameStart, count: a.nameEnd - a.nameStart), as: UTF8.self)
                        return "\(n)=\(try r.string(a))"
                    }
                    out.append("<" + ([name] + attrs).joined(separator: " ") + ">")
                case .end:
                    out.append("</" + String(decoding: UnsafeBufferPointer(start: r.p + r.localStart, count: r.localNameLength), as: UTF8.self) + ">")
                case .text:
                    var b: [UInt8] = []
                    try r.appendText(to: &b)
                    out.append(String(decoding: b, as: UTF8.self))
                }
            }
        }
    }

    @Test func tokens() throws {
        #expect(try events("<?xml version=\"1.0\"?>\n<!-- c --><x:a x:b='1 &amp; 2' c=\"&#x3C;\"><b/>t&lt;&#233;<![CDATA[<&>]]></x:a>\n")
                == ["<a x:b=1 & 2 c=<>", "<b>", "</b>", "t<é", "<&>", "</a>"])
        #expect(try events("<a v=\"x\ty\r\nz\">l1\r\nl2\rl3</a>") == ["<a v=x y z>", "l1\nl2\nl3", "</a>"])
    }

    @Test(arguments: ["<a>", "<a></b>", "<a><b></a></b>", "<a>&unknown;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a b=c/>",
                      "<a b=\"<\"/>", "<a/><b/>", "<a", "<a><!-- x</a>", "<a><![CDATA[x</a>", "", "text only"])
    func malformed(_ xml: String) {
        #expect(errorCode { try self.events(xml) } == .corrupt, "\(xml)")
    }

    @Test func depthIsBounded() {
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(errorCode { try self.events(deep) } == .corrupt)
    }

    @Test func ooxmlEscapes() {
        #expect(unescapeOOXML(Array("a_x000D_b".utf8)) == "a\rb")
        #expect(unescapeOOXML(Array("_x005F_x0041_".utf8)) == "_x0041_")
        #expect(unescapeOOXML(Array("_x00zz_ et _x12".utf8)) == "_x00zz_ et _x12")
    }
}

@Suite("zip")
struct ZipTests {
    @Test func writerAndReader() throws {
        var w = ZipWriter()
        let big = [UInt8](repeating: 0x41, count: 100_000)
        let random = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ ($0 >> 3)) }
        w.add("a.txt", Array("bonjour".utf8))
        w.add("dir/big.bin", big)
        w.add("random.bin", random)
        w.add("empty", [])
        let bytes = w.finish()
        var l = SheetLimits()
        l.maxCompressionRatio = 10_000
        var zip = try ZipArchive(bytes, limits: l)
        #expect(zip.entries.map(\.name) == ["a.txt", "dir/big.bin", "random.bin", "empty"])
        #expect(try zip.extract(try #require(zip.entry("a.txt"))) == Array("bonjour".utf8))
        #expect(try zip.extract(try #require(zip.entry("DIR/BIG.BIN"))) == big)
        #expect(try zip.extract(try #require(zip.entry("random.bin"))) == random)
        #expect(try zip.extract(try #require(zip.entry("empty"))) == [])
        #expect(zip.budget == l.maxUncompressedBytes - 7 - 100_000 - 5000)
    }

    @Test func truncationAnywhere() throws {
        let bytes = XLSXWriter.write(rows: [[t("abc"), n(1)]], sheetName: "S")
        for cut in stride(from: 4, to: bytes.count, by: 97) {
            let code = errorCode { try SheetReader.read(Array(bytes[0..<cut])) }
            #expect(code == .corrupt || code == .unsupportedFormat, "cut at \(cut): \(String(describing: code))")
        }
    }

    @Test func crc() {
        #expect(crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
