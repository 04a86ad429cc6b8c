/// Identifiers, phones, dates and text helpers of the demo data.
enum DemoIdentifiers {
    // MARK: SIREN / SIRET / VAT

    /// The Luhn check digit to append to `digits`.
    static func luhnCheckDigit(_ digits: [Int]) -> Int {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            var v = d
            if i % 2 == 0 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
        }
        return (10 - sum % 10) % 10
    }

    static func isLuhnValid(_ s: String) -> Bool {
        var sum = 0
        var count = 0
        for (i, ch) in s.utf8.reversed().enumerated() {
            guard ch >= 0x30, ch <= 0x39 else { return false }
            var v = Int(ch - 0x30)
            if i % 2 == 1 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
            count += 1
        }
        return count > 0 && sum % 10 == 0
    }

    static func digitsOf(_ n: Int, width: Int) -> [Int] {
        var out = [Int](repeating: 0, count: width)
        var v = n
        for i in stride(from: width - 1, through: 0, by: -1) {
            out[i] = v % 10
            v /= 10
        }
        return out
    }

    static func string(_ digits: [Int]) -> String {
        String(decoding: digits.map { UInt8($0) + 0x30 }, as: UTF8.self)
    }

    /// A Luhn-valid SIREN, unique per `ordinal` (< 45,000,000) for one `salt`:
    /// an affine bijection of 0..<90,000,000 gives the first 8 digits (leading digit 1–9).
    static func siren(ordinal: Int, salt: UInt64) -> String {
        let space: UInt64 = 90_000_000
        let mapped = (UInt64(ordinal) &* 48_271 &+ salt % space) % space
        var digits = digitsOf(Int(10_000_000 + mapped), width: 8)
        digits.append(luhnCheckDigit(digits))
        var s = string(digits)
        if s == "356000000" {  // La Poste's SIREN follows another rule: never produce it
            digits = digitsOf(10_000_001, width: 8)
            digits.append(luhnCheckDigit(digits))
            s = string(digits)
        }
        return s
    }

    static let nicPrefixes = ["0001", "0001", "0001", "0002", "0003", "0004", "0005", "0006", "0008",
                              "0011", "0012", "0019", "0023", "0037", "0041", "0156"]

    /// A Luhn-valid SIRET: SIREN + a 4-digit NIC prefix + the check digit.
    static func siret(siren: String, nicPrefix: String) -> String {
        var digits = (siren + nicPrefix).utf8.map { Int($0 - 0x30) }
        digits.append(luhnCheckDigit(digits))
        return string(digits)
    }

    /// `FR` + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97.
    static func frenchVAT(siren: String) -> String {
        let n = Int(siren)!
        let key = (12 + 3 * (n % 97)) % 97
        return "FR" + (key < 10 ? "0" : "") + String(key) + siren
    }

    /// Belgian VAT: BE + 10 digits, the last two = 97 − (first eight mod 97).
    static func belgianVAT(_ rng: inout DemoRandom) -> String {
        let base = rng.range(2_000_000, 9_999_999)  // leading 0 then 7 digits
        let check = 97 - base % 97
        return "BE0" + string(digitsOf(base, width: 7)) + string(digitsOf(check, width: 2))
    }

    /// German VAT: DE + 8 digits + ISO 7064 MOD 11,10 check digit.
    static func germanVAT(_ rng: inout DemoRandom) -> String {
        var digits = digitsOf(rng.range(10_000_000, 99_999_999), width: 8)
        var product = 10
        for d in digits {
            var sum = (d + product) % 10
            if sum == 0 { sum = 10 }
            product = (2 * sum) % 11
        }
        var check = 11 - product
        if check == 10 { check = 0 }
        digits.append(check)
        return "DE" + string(digits)
    }

    /// Spanish VAT of a company: ES + B + 7 digits + CIF control digit.
    static func spanishVAT(_ rng: inout DemoRandom) -> String {
        let digits = digitsOf(rng.range(1_000_000, 9_999_999), width: 7)
        var total = 0
        for (i, d) in digits.enumerated() {
            if i % 2 == 0 {
                let x = 2 * d
                total += x / 10 + x % 10
            } else {
                total += d
            }
        }
        let control = (10 - total % 10) % 10
        return "ESB" + string(digits) + String(control)
    }

    /// A SIRET as people type it, sometimes grouped "552 081 317 00010".
    static func typedSiret(_ siret: String, _ rng: inout DemoRandom) -> String {
        guard rng.chance(15) else { return siret }
        let b = Array(siret)
        return String(b[0..<3]) + " " + String(b[3..<6]) + " " + String(b[6..<9]) + " " + String(b[9..<14])
    }

    // MARK: phones

    /// 10 French digits: "0" + prefix digit + 8 digits (prefix 1–5 landline by region, 6–7 mobile, 9 VoIP).
    static func frenchNumber(prefix: Int, _ rng: inout DemoRandom) -> [UInt8] {
        var d: [UInt8] = [0, UInt8(prefix)]
        if prefix == 7 {
            d.append(UInt8(rng.range(3, 9)))
        } else {
            d.append(UInt8(rng.range(1, 9)))
        }
        for _ in 0..<7 { d.append(UInt8(rng.int(10))) }
        return d
    }

    /// Formats a 10-digit French number the way people type it.
    static func typedFrench(_ d: [UInt8], _ rng: inout DemoRandom) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func pairs(_ sep: UInt8?) {
            for i in 0..<10 {
                if i > 0, i % 2 == 0, let sep { out.append(sep) }
                out.append(d[i] + 0x30)
            }
        }
        switch rng.weighted([40, 20, 15, 13, 5, 7]) {
        case 0: pairs(0x20)                       // 06 12 34 56 78
        case 1: pairs(nil)                        // 0612345678
        case 2: pairs(0x2E)                       // 06.12.34.56.78
        case 3:                                   // +33 6 12 34 56 78
            out.append(contentsOf: Array("+33 ".utf8))
            out.append(d[1] + 0x30)
            for i in 2..<10 {
                if i % 2 == 0 { out.append(0x20) }
                out.append(d[i] + 0x30)
            }
        case 4: pairs(0x2D)                       // 01-45-67-89-10
        default:                                  // +33612345678
            out.append(contentsOf: Array("+33".utf8))
            for i in 1..<10 { out.append(d[i] + 0x30) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An international number "+CC AREA SUBSCRIBER" (foreign companies), grouped or compact.
    static func typedInternational(countryCode: String, national: [UInt8], areaLength: Int,
                                   _ rng: inout DemoRandom) -> String {
        var out = "+" + countryCode
        if rng.chance(25) {
            for x in national { out.unicodeScalars.append(Unicode.Scalar(x + 0x30)) }
            return out
        }
        out += " "
        for i in 0..<areaLength { out.unicodeScalars.append(Unicode.Scalar(national[i] + 0x30)) }
        let rest = Array(national[areaLength...])
        var i = 0
        if rest.count % 2 == 1 {
            out += " "
            for j in 0..<3 { out.unicodeScalars.append(Unicode.Scalar(rest[j] + 0x30)) }
            i = 3
        }
        while i < rest.count {
            out += " "
            out.unicodeScalars.append(Unicode.Scalar(rest[i] + 0x30))
            out.unicodeScalars.append(Unicode.Scalar(rest[i + 1] + 0x30))
            i += 2
        }
        return out
    }

    // MARK: text

    /// The ASCII folding of one Unicode scalar (lower case, accents stripped, ligatures expanded);
    /// empty for other signs.
    @inline(__always)
    static func foldScalar(_ v: UInt32, into out: inout [UInt8]) {
        if v < 0x80 {
            out.append(v >= 0x41 && v <= 0x5A ? UInt8(v + 32) : UInt8(v))
            return
        }
        switch v {
        case 0xC0...0xC5, 0xE0...0xE5: out.append(0x61)                  // a
        case 0xC6, 0xE6: out.append(0x61); out.append(0x65)              // ae
        case 0xC7, 0xE7: out.append(0x63)                                // c
        case 0xC8...0xCB, 0xE8...0xEB: out.append(0x65)                  // e
        case 0xCC...0xCF, 0xEC...0xEF: out.append(0x69)                  // i
        case 0xD1, 0xF1: out.append(0x6E)                                // n
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: out.append(0x6F)      // o
        case 0xD9...0xDC, 0xF9...0xFC: out.append(0x75)                  // u
        case 0xDD, 0xFD, 0xFF, 0x178: out.append(0x79)                   // y
        case 0xDF: out.append(0x73); out.append(0x73)                    // ss
        case 0x152, 0x153: out.append(0x6F); out.append(0x65)            // oe
        case 0x2018, 0x2019: out.append(0x27)                            // '
        case 0x2013, 0x2014: out.append(0x2D)                            // -
        default: break
        }
    }

    /// Lower-cases and strips accents (French, German, Spanish letters), ligatures expanded.
    static func foldBytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var copy = s
        copy.withUTF8 { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b0 = buf[i]
                if b0 < 0x80 {
                    foldScalar(UInt32(b0), into: &out)
                    i += 1
                } else if b0 < 0xE0, i + 1 < n {
                    foldScalar(UInt32(b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F), into: &out)
                    i += 2
                } else if b0 < 0xF0, i + 2 < n {
                    foldScalar(UInt32(b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F),
                               into: &out)
                    i += 3
                } else {
                    i += 4
                }
            }
        }
        return out
    }

    static func fold(_ s: String) -> String { String(decoding: foldBytes(s), as: UTF8.self) }

    /// A slug of letters and digits: spaces, hyphens, dots and slashes become `separator`
    /// (collapsed; nothing when nil), apostrophes and other signs vanish, `&` becomes "et".
    static func slug(_ s: String, separator: UInt8?) -> String {
        let folded = foldBytes(s)
        var out: [UInt8] = []
        out.reserveCapacity(folded.count + 4)
        var pendingSeparator = false
        for b in folded {
            let isAlnum = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            if isAlnum {
                if pendingSeparator, !out.isEmpty, let separator { out.append(separator) }
                pendingSeparator = false
                out.append(b)
            } else if b == 0x20 || b == 0x2D || b == 0x2F || b == 0x2E {
                pendingSeparator = true
            } else if b == 0x26 {
                if !out.isEmpty, let separator { out.append(separator) }
                out.append(0x65)
                out.append(0x74)
                pendingSeparator = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: dates (proleptic Gregorian, days since 1970-01-01)

    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y2 = m <= 2 ? y - 1 : y
        let era = (y2 >= 0 ? y2 : y2 - 399) / 400
        let yoe = y2 - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `YYYY-MM-DD`.
    static func date(_ day: Int) -> String {
        let c = civil(day)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// RFC 3339 UTC: `YYYY-MM-DDTHH:MM:SSZ`, from seconds since 1970.
    static func timestamp(_ seconds: Int) -> String {
        let day = seconds / 86_400
        let s = seconds % 86_400
        return date(day) + "T" + pad(s / 3600, 2) + ":" + pad(s / 60 % 60, 2) + ":" + pad(s % 60, 2) + "Z"
    }

    static func padded(_ n: Int, _ width: Int) -> String { pad(n, width) }
}
