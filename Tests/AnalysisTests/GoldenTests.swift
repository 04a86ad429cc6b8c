import Foundation
import Testing
@testable import Analysis

/// One row of `analyzers/golden.tsv`.
struct GoldenRow: Sendable, CustomTestStringConvertible {
    var line: Int
    var function: String
    var input: String
    var expected: String

    var testDescription: String { "golden.tsv:\(line) \(function)(\(input.debugDescription.prefix(60)))" }
}

enum Golden {
    static let path = AnalyzerRules.defaultDirectory() + "/golden.tsv"

    /// Parsed rows, or the reason they could not be read.
    static let loaded: Result<[GoldenRow], GoldenError> = {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(GoldenError(message: "cannot read \(path)"))
        }
        var rows: [GoldenRow] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 2 else { return .failure(GoldenError(message: "golden.tsv:\(i + 1): fewer than 2 columns")) }
            do {
                rows.append(GoldenRow(line: i + 1, function: cols[0], input: try unescape(cols[1]),
                                      expected: try unescape(cols.count > 2 ? cols[2] : "")))
            } catch {
                return .failure(GoldenError(message: "golden.tsv:\(i + 1): \(error)"))
            }
        }
        return .success(rows)
    }()

    static var rows: [GoldenRow] { (try? loaded.get()) ?? [] }

    struct GoldenError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// \t \n \\ \u{XXXX} and \R{N}{text}.
    static func unescape(_ s: String) throws -> String {
        var out = ""
        var chars = Array(s)[...]
        func readBraced() throws -> String {
            guard chars.first == "{" else { throw GoldenError(message: "expected { in \(s)") }
            chars = chars.dropFirst()
            var depth = 1, body = ""
            while let c = chars.first {
                chars = chars.dropFirst()
                if c == "{" { depth += 1 } else if c == "}" { depth -= 1; if depth == 0 { return body } }
                body.append(c)
            }
            throw GoldenError(message: "unclosed { in \(s)")
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "\\", let e = chars.first else { out.append(c); continue }
            chars = chars.dropFirst()
            switch e {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "\\": out.append("\\")
            case "u":
                let hex = try readBraced()
                guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else { throw GoldenError(message: "bad \\u{\(hex)}") }
                out.unicodeScalars.append(scalar)
            case "R":
                guard let n = Int(try readBraced()) else { throw GoldenError(message: "bad \\R count") }
                let body = try unescape(try readBraced())
                out += String(repeating: body, count: n)
            default: throw GoldenError(message: "unknown escape \\\(e)")
            }
        }
        return out
    }
}

let sharedAnalyzer: Analyzer = Analyzer(rules: try! AnalyzerRules.loadDefault())

/// What a golden row's function gives for its input, in the expected column's format.
func goldenActual(_ row: GoldenRow) -> String? {
    let a = sharedAnalyzer
    let input = row.input
    func list(_ xs: [String]) -> String { xs.joined(separator: " ") }
    func ok(_ f: () throws -> Void) -> String { (try? f()) != nil ? "true" : "false" }
    switch row.function {
    case "fold": return a.fold(input)
    case "terms": return list(a.terms(input))
    case "tokens": return list(a.tokens(input).map(\.description))
    case "phone": return list(Identifiers.phoneTerms(input))
    case "phone_query": return list(Identifiers.phoneQueryForms(input))
    case "email": return list(Identifiers.emailTerms(input))
    case "siret": return list(Identifiers.siretTerms(input))
    case "vat": return list(Identifiers.vatTerms(input))
    case "ape": return list(Identifiers.apeTerms(input))
    case "postal": return list(Identifiers.postalCodeTerms(input))
    case "reference": return list(Identifiers.referenceTerms(input))
    case "digits": return Identifiers.digits(input)
    case "luhn": return String(Identifiers.luhnValid(input))
    case "legal_form": return String(a.isLegalForm(input))
    case "stop_word": return String(a.isStopWord(input))
    case "civility": return a.civility(input) ?? ""
    case "siret_valid": return ok { try Identifiers.validateSiret(input) }
    case "vat_valid": return ok { try Identifiers.validateVAT(input) }
    default: return nil
    }
}

@Suite("Golden table (analyzers/golden.tsv)")
struct GoldenTests {
    @Test func tableLoadsWithEnoughRows() throws {
        let rows = try Golden.loaded.get()
        #expect(rows.count >= 180, "golden.tsv has \(rows.count) rows")
        let functions = Set(rows.map(\.function))
        for f in ["fold", "terms", "tokens", "phone", "phone_query", "email", "siret", "vat", "ape", "postal",
                  "reference", "legal_form", "stop_word"] {
            #expect(functions.contains(f), "no golden row for \(f)")
        }
    }

    @Test(arguments: Golden.rows)
    func row(_ row: GoldenRow) {
        guard let actual = goldenActual(row) else {
            Issue.record("golden.tsv:\(row.line): unknown function \(row.function)")
            return
        }
        #expect(actual == row.expected,
                "golden.tsv:\(row.line): \(row.function)(\(row.input.debugDescription.prefix(80))) gave \(actual.debugDescription.prefix(300)), expected \(row.expected.debugDescription.prefix(300))")
    }

    /// Every `terms` and `tokens` row also holds for the input in NFD and in NFC.
    @Test(arguments: Golden.rows.filter { $0.function == "terms" || $0.function == "fold" })
    func normalizationInvariant(_ row: GoldenRow) {
        let nfd = row.input.decomposedStringWithCanonicalMapping
        let nfc = row.input.precomposedStringWithCanonicalMapping
        if row.function == "fold" {
            #expect(sharedAnalyzer.fold(nfd) == row.expected, "golden.tsv:\(row.line) NFD")
            #expect(sharedAnalyzer.fold(nfc) == row.expected, "golden.tsv:\(row.line) NFC")
        } else {
            #expect(sharedAnalyzer.terms(nfd).joined(separator: " ") == row.expected, "golden.tsv:\(row.line) NFD")
            #expect(sharedAnalyzer.terms(nfc).joined(separator: " ") == row.expected, "golden.tsv:\(row.line) NFC")
        }
    }
}
