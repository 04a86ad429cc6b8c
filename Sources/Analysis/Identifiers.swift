/// Analysis of identifiers by kind (not as words). Inputs are raw text, as stored or typed.
/// Every function is pure and returns its forms deduplicated, in a stable order.
public enum Identifiers {

    // MARK: Digits

    /// The decimal digits of `s`, as ASCII (other scripts' decimal digits are converted).
    public static func digits(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            if let v = digitValue(c) { out.unicodeScalars.append(Unicode.Scalar(UInt8(0x30 + v))) }
        }
        return out
    }

    /// Luhn checksum (SIREN, SIRET, card numbers). False for empty or non-digit input.
    public static func luhnValid(_ digits: String) -> Bool {
        guard !digits.isEmpty else { return false }
        var sum = 0
        var double = false
        for b in digits.utf8.reversed() {
            guard b >= 0x30 && b <= 0x39 else { return false }
            var d = Int(b - 0x30)
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
        }
        return sum % 10 == 0
    }

    // MARK: Phones

    /// A phone number as analysed: `national` (French numbers only, "0612345678"),
    /// `international` (country code + national significant number, no "+" or "00"),
    /// `digits` (what was typed, digits only) when neither could be derived.
    public struct Phone: Sendable, Hashable {
        public var national: String?
        public var international: String?
        public var digits: String
        /// The canonical form: national for French numbers, else international, else digits.
        public var canonical: String { national ?? international ?? digits }
    }

    /// French overseas departments: national prefixes → country calling code (the number after
    /// the code is the national number without its leading 0).
    static let overseasNational: [(prefix: String, code: String)] = [
        ("0262", "262"), ("0263", "262"), ("0692", "262"), ("0693", "262"),  // La Réunion
        ("0269", "262"), ("0639", "262"),                                    // Mayotte
        ("0590", "590"), ("0690", "590"), ("0691", "590"),                   // Guadeloupe, St-Martin, St-Barth.
        ("0594", "594"), ("0694", "594"),                                    // Guyane
        ("0596", "596"), ("0696", "596"), ("0697", "596"),                   // Martinique
    ]
    static let frenchCountryCodes = ["33", "262", "590", "594", "596"]

    @inline(__always)
    static func digitValue(_ c: Unicode.Scalar) -> Int? {
        if c.value >= 0x30 && c.value <= 0x39 { return Int(c.value - 0x30) }
        guard c.value >= 0x80, c.properties.generalCategory == .decimalNumber,
              let v = c.properties.numericValue, v >= 0, v <= 9 else { return nil }
        return Int(v)
    }

    /// Parses one phone number (extensions such as "poste 12" or "x12" are ignored).
    public static func parsePhone(_ raw: String) -> Phone? {
        // The number starts at the first digit; a "+" just before it (spaces and "(" aside)
        // marks an international number. Text before it ("Tél. :") is ignored, and so is
        // everything from the first letter after it (extensions: "poste 12", "ext. 3", "x12").
        // "+33 (0)6 12…": the trunk 0 in parentheses is not dialled from abroad.
        let scalars = Array(raw.unicodeScalars)
        var d = ""
        var plus = false
        var lastMark: Unicode.Scalar = " "
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if let v = digitValue(c) {
                if d.isEmpty { plus = lastMark == "+" || lastMark == "\u{FF0B}" }
                d.unicodeScalars.append(Unicode.Scalar(UInt8(0x30 + v)))
            } else if d.isEmpty {
                if c != " " && c != "(" && c != "\u{00A0}" && c != "\t" { lastMark = c }
            } else if c == "(" && plus && i + 2 < scalars.count && scalars[i + 1] == "0" && scalars[i + 2] == ")" {
                i += 2
            } else if c.value < 0x80 ? ((UInt8(c.value) | 0x20) &- 0x61) < 26 : c.properties.isAlphabetic {
                break
            }
            i += 1
        }
        guard !d.isEmpty else { return nil }

        var international: String? = nil
        if plus {
            international = d
        } else if d.hasPrefix("00"), d.count > 6 {
            international = String(d.dropFirst(2))
        } else if d.count == 10, d.hasPrefix("0"), !d.hasPrefix("00") {
            return Phone(national: d, international: frenchInternational(national: d), digits: d)
        } else if d.count == 9, !d.hasPrefix("0") {
            let national = "0" + d
            return Phone(national: national, international: frenchInternational(national: national), digits: d)
        } else if d.count == 11, d.hasPrefix("33"), d.dropFirst(2).first != "0" {
            international = d
        }
        guard var intl = international else { return Phone(national: nil, international: nil, digits: d) }
        // Country codes of France and its overseas departments.
        for code in frenchCountryCodes where intl.hasPrefix(code) {
            var nsn = String(intl.dropFirst(code.count))
            if nsn.hasPrefix("0") && nsn.count == 10 { nsn.removeFirst() }   // "+33 06…"
            guard nsn.count == 9 else { continue }
            intl = code + nsn
            return Phone(national: "0" + nsn, international: intl, digits: d)
        }
        return Phone(national: nil, international: intl, digits: d)
    }

    /// The national digits so far of a French number being typed in its international form
    /// ("+33 6 12 34 5", "0033 6 12" → "0612345", "0612"; overseas codes too): nil when the
    /// text is not such a number or is already whole (then `parsePhone` gives its forms).
    public static func frenchNationalStart(_ raw: String) -> String? {
        guard let p = parsePhone(raw), p.national == nil else { return nil }
        let typedPlus = raw.trimmingSpaces().hasPrefix("+") || raw.trimmingSpaces().hasPrefix("\u{FF0B}")
        var d = p.digits
        if !typedPlus {
            guard d.hasPrefix("00") else { return nil }
            d.removeFirst(2)
        }
        for code in frenchCountryCodes.sorted(by: { $0.count > $1.count }) where d.hasPrefix(code) {
            var nsn = String(d.dropFirst(code.count))
            if nsn.hasPrefix("0") { nsn.removeFirst() }   // "+33 (0)6…", "+33 06…"
            guard !nsn.isEmpty, nsn.count < 9 else { return nil }
            if code == "33" { return "0" + nsn }
            // Overseas: the national prefix of that code ("262" → "0262", "0692"…) is not
            // known from a partial number; the mainland form is the only sure one.
            return nil
        }
        return nil
    }

    static func frenchInternational(national: String) -> String {
        let nsn = String(national.dropFirst())
        for (prefix, code) in overseasNational where national.hasPrefix(prefix) {
            return code + nsn
        }
        return "33" + nsn
    }

    /// Splits a field holding several numbers ("01 23 45 67 89 ; 06 12 34 56 78").
    static func phonePieces(_ raw: String) -> [String] {
        guard raw.utf8.contains(where: { $0 == 0x3B || $0 == 0x2C || $0 == 0x7C || $0 == 0x0A || $0 == 0x2F }) else { return [raw] }
        var pieces: [String] = []
        for part in raw.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "|" || $0 == "\n" }) {
            let s = String(part)
            if s.contains("/"), digits(s).count > 15 {
                pieces += s.split(separator: "/").map(String.init)
            } else {
                pieces.append(s)
            }
        }
        return pieces
    }

    /// Index-side forms of a phone field: for each number, the national form (French numbers,
    /// "0612345678"), the international form ("33612345678"; foreign numbers only have this
    /// one), then the suffixes made of its last 8, 7, 6, 5 and 4 digits (each a distinct form,
    /// shorter than the number). Numbers neither French nor written with "+"/"00" give their
    /// digits. Use `phoneForms` to tell full numbers from suffixes.
    public static func phoneTerms(_ raw: String) -> [String] {
        let f = phoneForms(raw)
        return dedup(f.full + f.suffixes)
    }

    /// The index-side forms of `phoneTerms`, split into full numbers and suffixes.
    public static func phoneForms(_ raw: String) -> (full: [String], suffixes: [String]) {
        var full: [String] = []
        var suffixes: [String] = []
        for piece in phonePieces(raw) {
            guard let p = parsePhone(piece) else { continue }
            var forms: [String] = []
            if let n = p.national { forms.append(n) }
            if let i = p.international { forms.append(i) }
            if forms.isEmpty { forms.append(p.digits) }
            full += forms
            let base = p.national ?? p.international ?? p.digits
            for k in stride(from: 8, through: 4, by: -1) where k < base.count {
                suffixes.append(String(base.suffix(k)))
            }
        }
        return (dedup(full), dedup(suffixes).filter { !full.contains($0) })
    }

    /// The canonical form of each number of a phone field (`Phone.canonical`): what the index
    /// stores and what `phoneQueryForms` gives for the same number typed in any layout.
    public static func phoneCanonicalForms(_ raw: String) -> [String] {
        dedup(phonePieces(raw).compactMap { parsePhone($0)?.canonical })
    }

    /// Query-side form of a typed phone: the canonical national digits for a French number
    /// ("06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678", "612345678", "6.12.34.56.78" →
    /// "0612345678"), the international digits for a foreign number written with +/00, and the
    /// digits as typed otherwise (a run of 4–8 digits is a suffix or prefix lookup). Fewer
    /// than 4 digits give nothing (too unselective to search a phone by).
    public static func phoneQueryForms(_ raw: String) -> [String] {
        guard let p = parsePhone(raw), p.digits.count >= 4 else { return [] }
        return [p.canonical]
    }

    // MARK: E-mail

    /// Second-level public suffixes under which the registrable name is one label further.
    static let secondLevelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk",
        "com.au", "net.au", "org.au", "co.nz", "co.jp", "co.za", "com.br", "com.mx", "com.cn",
        "gouv.fr", "asso.fr", "com.fr", "nom.fr", "tm.fr", "presse.fr", "co.in", "co.il", "com.tr",
    ]

    /// Index- and query-side forms of an e-mail address: the whole address lowercased, the
    /// local part, the local part without a "+tag", the domain, and the domain's registrable
    /// name without its public suffix ("edf" for "dupont@edf.fr", "bbc" for "@news.bbc.co.uk").
    /// "mailto:" and a display name ("Jean <jean@x.fr>") are stripped. No "@" (or an empty
    /// local part or domain) gives nothing. Accents are kept (addresses are not folded).
    public static func emailTerms(_ raw: String) -> [String] {
        var s = raw.trimmingSpaces().lowercased()
        if let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt {
            s = String(s[s.index(after: lt)..<gt]).trimmingSpaces()
        }
        if s.hasPrefix("mailto:") { s = String(s.dropFirst(7)) }
        guard let at = s.lastIndex(of: "@") else { return [] }
        let local = String(s[..<at])
        var domain = String(s[s.index(after: at)...])
        while domain.hasSuffix(".") { domain.removeLast() }
        guard !local.isEmpty, !domain.isEmpty, !local.contains(" "), !domain.contains(" ") else { return [] }
        var out = [local + "@" + domain, local]
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex {
            out.append(String(local[..<plus]))
        }
        out.append(domain)
        let labels = domain.split(separator: ".").map(String.init)
        if labels.count >= 2 {
            let lastTwo = labels.suffix(2).joined(separator: ".")
            if secondLevelSuffixes.contains(lastTwo) {
                if labels.count >= 3 { out.append(labels[labels.count - 3]) }
            } else {
                out.append(labels[labels.count - 2])
            }
        }
        return dedup(out)
    }

    // MARK: SIREN / SIRET / VAT

    /// SIRET (14 digits) → [siret, siren]; a SIREN alone (9 digits) → [siren]; spaces, dots and
    /// any non-digit ignored; other lengths → [] (validate with `validateSiret`).
    public static func siretTerms(_ raw: String) -> [String] {
        let d = digits(raw)
        switch d.count {
        case 14: return [d, String(d.prefix(9))]
        case 9: return [d]
        default: return []
        }
    }

    /// VAT numbers, spaces/dots/hyphens ignored, lowercased. French ("FR 40 303 265 045"):
    /// ["fr40303265045", "40303265045" (key + SIREN, the FR prefix ignored), "303265045" (SIREN)];
    /// 11 digits without prefix are taken as French. Other countries: ["de123456789",
    /// "123456789"] (Greece's "EL" kept as is). A bare 9-digit SIREN gives [siren].
    public static func vatTerms(_ raw: String) -> [String] {
        let s = alnumLower(raw)
        guard s.count >= 4 else { return s.isEmpty ? [] : [s] }
        let head = s.prefix(2)
        let hasCountry = head.unicodeScalars.allSatisfy { $0.value >= 0x61 && $0.value <= 0x7A }
        if !hasCountry {
            if s.count == 11, s.allSatisfy(\.isASCIIDigit) { return vatTerms("fr" + s) }
            if s.count == 9, s.allSatisfy(\.isASCIIDigit) { return [s] }
            return [s]
        }
        let number = String(s.dropFirst(2))
        var out = [s, number]
        if head == "fr", number.count == 11 {
            let siren = String(number.suffix(9))
            if siren.allSatisfy(\.isASCIIDigit) { out.append(siren) }
        }
        return dedup(out.filter { !$0.isEmpty })
    }

    /// French VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, two digits.
    public static func frenchVATKey(siren: String) -> String? {
        guard siren.count == 9, let n = Int(siren) else { return nil }
        let key = (12 + 3 * (n % 97)) % 97
        return key < 10 ? "0\(key)" : "\(key)"
    }

    /// Why an identifier is refused on input.
    public enum ValidationError: Error, Equatable, CustomStringConvertible {
        case wrongLength(kind: String, expected: Int, got: Int)
        case badChecksum(kind: String)
        case badFormat(kind: String)

        public var description: String {
            switch self {
            case .wrongLength(let kind, let expected, let got):
                return "\(kind): \(expected) digits expected, \(got) given"
            case .badChecksum(let kind):
                return "\(kind): the check digit is wrong (typing error?)"
            case .badFormat(let kind):
                return "\(kind): unrecognized format"
            }
        }
    }

    /// La Poste's SIREN: its establishments' SIRETs fail Luhn; their digit sum is a multiple of 5.
    public static let laPosteSiren = "356000000"

    public static func validateSiren(_ raw: String) throws {
        let d = digits(raw)
        guard d.count == 9 else { throw ValidationError.wrongLength(kind: "SIREN", expected: 9, got: d.count) }
        guard luhnValid(d) else { throw ValidationError.badChecksum(kind: "SIREN") }
    }

    public static func validateSiret(_ raw: String) throws {
        let d = digits(raw)
        guard d.count == 14 else { throw ValidationError.wrongLength(kind: "SIRET", expected: 14, got: d.count) }
        if d.hasPrefix(laPosteSiren) {
            let sum = d.utf8.reduce(0) { $0 + Int($1 - 0x30) }
            if sum % 5 == 0 || luhnValid(d) { return }
            throw ValidationError.badChecksum(kind: "SIRET")
        }
        guard luhnValid(d) else { throw ValidationError.badChecksum(kind: "SIRET") }
    }

    /// French VAT numbers: "FR" + 2-digit key + SIREN, key checked. Other EU numbers: two
    /// letters then 2–13 letters/digits (format only).
    public static func validateVAT(_ raw: String) throws {
        let s = alnumLower(raw)
        let numeric11 = s.count == 11 && s.allSatisfy(\.isASCIIDigit)
        let v = numeric11 ? "fr" + s : s
        guard v.count >= 4, v.prefix(2).allSatisfy({ $0.isASCIILetter }) else { throw ValidationError.badFormat(kind: "VAT") }
        if v.hasPrefix("fr") {
            let number = v.dropFirst(2)
            guard number.count == 11 else { throw ValidationError.wrongLength(kind: "VAT FR", expected: 11, got: number.count) }
            let key = String(number.prefix(2)), siren = String(number.suffix(9))
            guard siren.allSatisfy(\.isASCIIDigit) else { throw ValidationError.badFormat(kind: "VAT FR") }
            if key.allSatisfy(\.isASCIIDigit) {
                guard frenchVATKey(siren: siren) == key else { throw ValidationError.badChecksum(kind: "VAT FR") }
            }
            return
        }
        guard (4...15).contains(v.count) else { throw ValidationError.badFormat(kind: "VAT") }
    }

    // MARK: Codes

    /// APE/NAF codes: "62.02A", "6202 a", "62-02-a" → ["6202a"] (letters and digits, lowercased).
    public static func apeTerms(_ raw: String) -> [String] {
        let s = alnumLower(raw)
        return s.isEmpty ? [] : [s]
    }

    /// Postal codes, spaces and dots removed. A French 5-digit code also gives its department:
    /// "75 008" → ["75008", "75"]; overseas "97411" → ["97411", "974"]; Corsica "20000" →
    /// ["20000", "2a"] (2B from 20200); Monaco "98000" → ["98000", "980"]. Other codes are
    /// lowercased letters and digits ("SW1A 1AA" → ["sw1a1aa"]).
    public static func postalCodeTerms(_ raw: String) -> [String] {
        let s = alnumLower(raw)
        guard !s.isEmpty else { return [] }
        guard s.count == 5, s.allSatisfy(\.isASCIIDigit) else { return [s] }
        let department: String
        if s.hasPrefix("97") || s.hasPrefix("98") {
            department = String(s.prefix(3))
        } else if s.hasPrefix("20") {
            department = (Int(s)! < 20200) ? "2a" : "2b"
        } else {
            department = String(s.prefix(2))
        }
        return dedup([s, department])
    }

    /// References such as "PRD-00123": the joined lowercased letters and digits ("prd00123"),
    /// then each run of digits as written ("00123") and without leading zeros ("123").
    public static func referenceTerms(_ raw: String) -> [String] {
        let s = alnumLower(raw)
        guard !s.isEmpty else { return [] }
        var out = [s]
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            out.append(run)
            let stripped = String(run.drop(while: { $0 == "0" }))
            out.append(stripped.isEmpty ? "0" : stripped)
            run = ""
        }
        // Digit runs as separated in the input ("EVT-2024-0042" → 2024, 0042).
        for c in Identifiers.digitsKeepingSeparators(raw) {
            if c.isASCIIDigit { run.append(c) } else { flush() }
        }
        flush()
        return dedup(out)
    }

    /// The last run of digits of a reference without its leading zeros ("EV-2025-00042" →
    /// "42", "PRD-000" → "0"); nil without digits.
    public static func lastNumber(_ raw: String) -> String? {
        guard let run = digitsKeepingSeparators(raw).split(separator: " ").last else { return nil }
        let stripped = run.drop(while: { $0 == "0" })
        return stripped.isEmpty ? "0" : String(stripped)
    }

    // MARK: Helpers

    /// Letters and digits of `raw`, folded (lowercase, no accents); digits of other scripts
    /// become ASCII.
    static func alnumLower(_ raw: String) -> String {
        let folded = Folding.fold(raw)
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        for c in folded.unicodeScalars {
            if c.value < 0x80 {
                let b = UInt8(c.value)
                if (b &- 0x30) < 10 || (b &- 0x61) < 26 { out.unicodeScalars.append(c) }
            } else if c.properties.generalCategory == .decimalNumber, let v = c.properties.numericValue {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(0x30 + Int(v))))
            } else if c.properties.isAlphabetic {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `raw` with every decimal digit as ASCII and everything else as a space.
    static func digitsKeepingSeparators(_ raw: String) -> String {
        var out = ""
        for c in raw.unicodeScalars {
            if c.value >= 0x30 && c.value <= 0x39 {
                out.unicodeScalars.append(c)
            } else if c.value >= 0x80, c.properties.generalCategory == .decimalNumber, let v = c.properties.numericValue {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(0x30 + Int(v))))
            } else {
                out.append(" ")
            }
        }
        return out
    }

    static func dedup(_ a: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for x in a where !x.isEmpty && seen.insert(x).inserted { out.append(x) }
        return out
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    var isASCIILetter: Bool { asciiValue.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } ?? false }
}

extension Identifiers {
    /// A stored E.164 phone as people write it: French numbers (and the overseas departments')
    /// in their national form `06 54 17 06 12`, others `+41 22 345 67 89` (country code, then
    /// the national number in groups). Anything that is not E.164 comes back as it is.
    public static func displayPhone(_ e164: String) -> String {
        let u = Array(e164.utf8)
        guard u.count >= 8, u[0] == 0x2B, u.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return e164 }
        let digits = String(decoding: u.dropFirst(), as: UTF8.self)
        func pairs(_ s: Substring) -> String {
            var out: [String] = []
            var i = s.startIndex
            while i < s.endIndex {
                let j = s.index(i, offsetBy: 2, limitedBy: s.endIndex) ?? s.endIndex
                out.append(String(s[i..<j]))
                i = j
            }
            return out.joined(separator: " ")
        }
        if digits.hasPrefix("33"), digits.count == 11 { return pairs(Substring("0" + digits.dropFirst(2))) }
        for dom in ["262", "590", "594", "596", "269", "508"] where digits.hasPrefix(dom) && digits.count == 12 {
            return pairs(Substring("0" + digits.dropFirst(3)))
        }
        let ccLength: Int
        if digits.hasPrefix("1") || digits.hasPrefix("7") { ccLength = 1 }
        else if ["20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
                 "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
                 "86", "90", "91", "92", "93", "94", "95", "98"].contains(String(digits.prefix(2))) { ccLength = 2 }
        else { ccLength = 3 }
        let cc = digits.prefix(ccLength)
        let rest = digits.dropFirst(ccLength)
        if cc == "1", rest.count == 10 {   // North America: 415 555 0123
            return "+1 \(rest.prefix(3)) \(rest.dropFirst(3).prefix(3)) \(rest.dropFirst(6))"
        }
        // Odd lengths open with a group of three after the first pair ("22 345 67 89").
        if rest.count % 2 == 1, rest.count >= 5 {
            let head = rest.prefix(2), mid = rest.dropFirst(2).prefix(3), tail = rest.dropFirst(5)
            return "+\(cc) \(head) \(mid)" + (tail.isEmpty ? "" : " " + pairs(tail))
        }
        return "+\(cc) " + pairs(rest)
    }
}
