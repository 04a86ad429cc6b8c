import Foundation
import Testing
@testable import Sheets

@Suite("hostile files")
struct HostileTests {
    @Test(arguments: [
        ("bomb-honest.xlsx", SheetError.Code.zipBomb),
        ("bomb-lying.xlsx", .zipBomb),
        ("doctype.xlsx", .forbiddenXML),
        ("xxe.xlsx", .forbiddenXML),
        ("truncated.xlsx", .corrupt),
        ("corrupt-zip.xlsx", .corrupt),
        ("bad-crc.xlsx", .corrupt),
        ("random.bin", .unsupportedFormat),
        ("image-renamed.xlsx", .unsupportedFormat),
        ("zip-encrypted.xlsx", .encrypted),
        ("encrypted.xlsx", .encrypted),
        ("too-many-rows.xlsx", .tooManyCells),
        ("not-a-workbook.xlsx", .unsupportedFormat),
        ("empty.csv", .empty),
    ])
    func refused(_ name: String, _ code: SheetError.Code) throws {
        let bytes = try fixture(name)
        #expect(errorCode { try SheetReader.read(bytes) } == code, "\(name)")
    }

    @Test func messagesAreFrench() throws {
        let cases: [(String, String)] = [
            ("bomb-honest.xlsx", "Le fichier se décompresse en un volume anormalement grand."),
            ("doctype.xlsx", "Le fichier contient des déclarations XML interdites (DOCTYPE)."),
            ("encrypted.xlsx", "Le fichier est protégé par un mot de passe."),
            ("corrupt-zip.xlsx", "Le fichier est corrompu ou incomplet."),
            ("empty.csv", "Le fichier est vide."),
        ]
        for (name, message) in cases {
            let bytes = try fixture(name)
            do {
                _ = try SheetReader.read(bytes)
                Issue.record("\(name) was read")
            } catch let error as SheetError {
                #expect(error.message == message)
            }
        }
    }

    @Test func tooLargeBeforeAnythingElse() {
        var big = [UInt8](repeating: 0x61, count: 2 * 1024 * 1024 + 1)
        do {
            _ = try SheetReader.read(big)
            Issue.record("read")
        } catch let error as SheetError {
            #expect(error.code == .tooLarge)
            #expect(error.message == "Le fichier dépasse la taille maximale de 2 Mo.")
        } catch {
            Issue.record("\(error)")
        }
        big[0] = 0x50; big[1] = 0x4B; big[2] = 3; big[3] = 4 // even a "zip"
        #expect(errorCode { try SheetReader.read(big) } == .tooLarge)
        #expect(errorCode { try SheetReader.read(Array(big[0..<(2 * 1024 * 1024)])) } == .corrupt)
    }

    @Test func emptyInputs() {
        #expect(errorCode { try SheetReader.read([]) } == .empty)
        let emptyZip: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        #expect(SheetReader.detectFormat(emptyZip) == .xlsx)
        #expect(errorCode { try SheetReader.read(emptyZip) } == .unsupportedFormat)
    }

    @Test func detection() throws {
        #expect(SheetReader.detectFormat(try fixture("openpyxl.xlsx")) == .xlsx)
        #expect(SheetReader.detectFormat(try fixture("xlwt.xls")) == .xls)
        #expect(SheetReader.detectFormat(try fixture("encrypted.xlsx")) == .xls) // an OLE2 container
        #expect(SheetReader.detectFormat(try fixture("cp1252.csv")) == .csv)
        #expect(SheetReader.detectFormat(try fixture("utf16le.csv")) == .csv)
        #expect(SheetReader.detectFormat(try fixture("random.bin")) == nil)
        #expect(SheetReader.detectFormat(try fixture("image-renamed.xlsx")) == nil)
    }

    @Test func compressionRatioAndBudget() throws {
        // The lying bomb's real content is 10 MB: with honest limits it is caught by ratio…
        var zip = try ZipArchive(try fixture("bomb-honest.xlsx"), limits: SheetLimits())
        let entry = try #require(zip.entry("xl/worksheets/sheet1.xml"))
        #expect(entry.uncompressedSize == 100 * 1024 * 1024)
        #expect(errorCode { try zip.extract(entry) } == .zipBomb)
        // …and by the total budget when the ratio is allowed.
        var l = SheetLimits()
        l.maxCompressionRatio = 10_000
        l.maxUncompressedBytes = 1 << 20
        zip = try ZipArchive(try fixture("bomb-honest.xlsx"), limits: l)
        #expect(errorCode { try zip.extract(entry) } == .zipBomb)
        // A small budget shared by several entries.
        l = SheetLimits()
        l.maxUncompressedBytes = 6000
        #expect(errorCode { try SheetReader.read(try fixture("openpyxl.xlsx"), limits: l) } == .zipBomb)
    }

    @Test func zipStructure() throws {
        // ZIP64 locator before the end record.
        var bytes = try fixture("openpyxl.xlsx")
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        let found: Int? = (0...(bytes.count - 22)).last { (k: Int) -> Bool in bytes[k..<(k + 4)].elementsEqual(signature) }
        let eocd = try #require(found)
        var zip64 = bytes
        zip64.replaceSubrange((eocd - 20)..<(eocd - 16), with: [0x50, 0x4B, 0x06, 0x07])
        #expect(errorCode { try SheetReader.read(zip64) } == .unsupportedFormat)
        // Entry count over 10,000.
        bytes[eocd + 8] = 0x11; bytes[eocd + 9] = 0x27; bytes[eocd + 10] = 0x11; bytes[eocd + 11] = 0x27
        #expect(errorCode { try SheetReader.read(bytes) } == .corrupt)
    }

    @Test func xmlDeclarationsAreRefused() {
        for xml in [
            "<!DOCTYPE a><a/>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            "<a><!ENTITY x \"y\"></a>",
            "<a><!ELEMENT a ANY></a>",
        ] {
            #expect(errorCode { try XMLReader.with(Array(xml.utf8)) { r in while try r.next() != .eof {} } } == .forbiddenXML, "\(xml)")
        }
    }
}
