import Foundation

// Per-type normalizers of the validator. Each returns the stored form, or a French message
// that never echoes the value back (messages end up in logs and problem bodies).

extension Validator {
    // MARK: - Character helpers

    /// Separators people put inside identifiers: spaces (incl. no-break), dots, dashes, slashes, underscores.
    static func isSeparator(_ c: Character) -> Bool {
        switch c {
        case " ", ".", "-", "/", "_", "\u{00A0}", "\u{202F}", "\u{2009}", "\t", "\u{2010}", "\u{2011}", "\u{2013}":
            return true
        default: return false
        }
    }

    static func isASCIIDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
    static func isASCIILetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }

    /// Lower case, accents removed, trimmed: for matching words such as civilities and countries.
    public static func fold(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.lowercased().trimmedSpaces() }
        var f = s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: frenchLocale)
        if f.contains("œ") { f = f.replacingOccurrences(of: "œ", with: "oe") }
        if f.contains("æ") { f = f.replacingOccurrences(of: "æ", with: "ae") }
        return f.trimmedSpaces()
    }

    static let frenchLocale = Locale(identifier: "fr_FR")

    // MARK: - Luhn, SIRET, SIREN

    /// Luhn check over a string of ASCII digits.
    public static func luhnValid(_ digits: String) -> Bool {
        var sum = 0
        var double = false
        for c in digits.utf8.reversed() {
            guard c >= 0x30, c <= 0x39 else { return false }
            var d = Int(c - 0x30)
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// The SIREN of La Poste, whose establishments' SIRETs do not follow Luhn: for them the
    /// plain sum of the 14 digits is a multiple of 5.
    public static let laPosteSiren = "356000000"

    /// Whether 14 ASCII digits form a valid SIRET (Luhn, or the La Poste rule).
    public static func siretChecksumValid(_ digits: String) -> Bool {
        guard digits.utf8.count == 14, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        if luhnValid(digits) { return true }
        if digits.hasPrefix(laPosteSiren) {
            let sum = digits.utf8.reduce(0) { $0 + Int($1 - 0x30) }
            return sum % 5 == 0
        }
        return false
    }

    /// `siret` field: spaces, dots and dashes accepted; 14 digits, checksum verified.
    /// A 9-digit SIREN is refused with a message saying so.
    public static func normalizeSiret(_ raw: String) -> Result<String, ValueError> {
        let trimmed = raw.trimmedSpaces()
        var digits = ""
        for c in trimmed {
            if isASCIIDigit(c) { digits.append(c) } else if isSeparator(c) { continue } else {
                return .failure("Le SIRET ne doit contenir que des chiffres (espaces et points acceptés).")
            }
        }
        if digits.count == 9 {
            return .failure("Ceci ressemble à un SIREN (9 chiffres) : le SIRET en compte 14 (SIREN + NIC de l'établissement).")
        }
        guard digits.count == 14 else {
            return .failure("Le SIRET doit comporter 14 chiffres (\(digits.count) saisis).")
        }
        guard digits != String(repeating: "0", count: 14) else {
            return .failure("SIRET invalide.")
        }
        guard siretChecksumValid(digits) else {
            return .failure("SIRET invalide : la clé de contrôle (Luhn) ne correspond pas, vérifiez la saisie.")
        }
        return .success(digits)
    }

    /// A SIREN (9 digits, Luhn; La Poste's accepted): spaces and dots accepted.
    public static func normalizeSiren(_ raw: String) -> Result<String, ValueError> {
        var digits = ""
        for c in raw.trimmedSpaces() {
            if isASCIIDigit(c) { digits.append(c) } else if isSeparator(c) { continue } else {
                return .failure("Le SIREN ne doit contenir que des chiffres.")
            }
        }
        guard digits.count == 9 else { return .failure("Le SIREN doit comporter 9 chiffres.") }
        guard digits == laPosteSiren || (luhnValid(digits) && digits != "000000000") else {
            return .failure("SIREN invalide : la clé de contrôle ne correspond pas.")
        }
        return .success(digits)
    }

    // MARK: - VAT

    /// The two-character key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97.
    public static func frenchVatKey(siren: String) -> String? {
        guard siren.utf8.count == 9, let n = Int(siren) else { return nil }
        let key = (12 + 3 * (n % 97)) % 97
        return key < 10 ? "0\(key)" : "\(key)"
    }

    /// Plausible formats of the part after the prefix, per country (EU, XI, and a few neighbours).
    static let vatFormats: [String: [String]] = [
        // d = digit, a = letter, x = letter or digit
        "AT": ["Udddddddd"],
        "BE": ["dddddddddd"],
        "BG": ["ddddddddd", "dddddddddd"],
        "CY": ["dddddddda"],
        "CZ": ["dddddddd", "ddddddddd", "dddddddddd"],
        "DE": ["ddddddddd"],
        "DK": ["dddddddd"],
        "EE": ["ddddddddd"],
        "EL": ["ddddddddd"],
        "ES": ["xddddddda", "adddddddd", "addddddda", "dddddddda"],
        "FI": ["dddddddd"],
        "HR": ["ddddddddddd"],
        "HU": ["dddddddd"],
        "IE": ["dddddddaa", "ddddddda", "dxddddda"],
        "IT": ["ddddddddddd"],
        "LT": ["ddddddddd", "dddddddddddd"],
        "LU": ["dddddddd"],
        "LV": ["ddddddddddd"],
        "MT": ["dddddddd"],
        "NL": ["dddddddddBdd"],
        "PL": ["dddddddddd"],
        "PT": ["ddddddddd"],
        "RO": ["dd", "ddd", "dddd", "ddddd", "dddddd", "ddddddd", "dddddddd", "ddddddddd", "dddddddddd"],
        "SE": ["dddddddddd01"],
        "SI": ["dddddddd"],
        "SK": ["dddddddddd"],
        "XI": ["ddddddddd", "dddddddddddd", "GDddd", "HAddd"],
        "GB": ["ddddddddd", "dddddddddddd", "GDddd", "HAddd"],
        "CHE": ["ddddddddd"],
        "NO": ["ddddddddd", "dddddddddMVA"],
    ]

    static func matches(_ s: [Character], _ pattern: String) -> Bool {
        let p = Array(pattern)
        guard s.count == p.count else { return false }
        for (c, q) in zip(s, p) {
            switch q {
            case "d": if !isASCIIDigit(c) { return false }
            case "a": if !isASCIILetter(c) { return false }
            case "x": if !(isASCIIDigit(c) || isASCIILetter(c)) { return false }
            default: if c != q { return false }
            }
        }
        return true
    }

    /// `vat_number`: case, spaces, dots and dashes accepted → "FR40303265045". French numbers
    /// have their key checked; other EU (and GB, XI, CH, NO) numbers are checked for a plausible
    /// format. Eleven digits alone are read as a French number when their key checks out.
    public static func normalizeVat(_ raw: String) -> Result<String, ValueError> {
        var chars: [Character] = []
        for c in raw.trimmedSpaces() {
            if isSeparator(c) || c == "," { continue }
            guard c.isASCII, c.isLetter || c.isNumber else {
                return .failure("Numéro de TVA invalide : seuls lettres, chiffres, espaces et points sont acceptés.")
            }
            chars.append(Character(c.uppercased()))
        }
        guard !chars.isEmpty else { return .failure("Numéro de TVA vide.") }
        // Eleven digits without prefix: a French number if the key is right.
        if chars.count == 11, chars.allSatisfy(isASCIIDigit) {
            let s = String(chars)
            if frenchVatKey(siren: String(s.dropFirst(2))) == String(s.prefix(2)) { return .success("FR" + s) }
            return .failure("Numéro de TVA invalide : le préfixe du pays manque (ex. FR40303265045).")
        }
        guard chars.count >= 4, isASCIILetter(chars[0]), isASCIILetter(chars[1]) else {
            return .failure("Numéro de TVA invalide : il doit commencer par le code du pays (ex. FR40303265045).")
        }
        var prefix = String(chars[0..<2])
        var rest = Array(chars[2...])
        if prefix == "GR" { prefix = "EL" }
        if prefix == "CH" {
            // Swiss UID: CHE-123.456.789 (TVA|MWST|IVA)
            guard rest.first == "E" else { return .failure("Numéro de TVA suisse invalide (format CHE-123.456.789).") }
            prefix = "CHE"
            rest.removeFirst()
            for suffix in ["TVA", "MWST", "IVA"] where String(rest).hasSuffix(suffix) {
                rest.removeLast(suffix.count)
                break
            }
        }
        if prefix == "FR" {
            guard rest.count == 11 else {
                return .failure("Numéro de TVA français invalide : FR suivi de 11 caractères (clé + SIREN) attendu.")
            }
            let key = String(rest[0..<2])
            let siren = String(rest[2...])
            guard siren.allSatisfy(isASCIIDigit) else {
                return .failure("Numéro de TVA français invalide : les 9 derniers caractères (SIREN) doivent être des chiffres.")
            }
            if key.allSatisfy(isASCIIDigit) {
                guard frenchVatKey(siren: siren) == key else {
                    return .failure("Numéro de TVA français invalide : la clé ne correspond pas au SIREN.")
                }
            } else {
                // Alphanumeric keys exist (entities without a SIREN-based key); letters I and O excluded.
                guard rest[0..<2].allSatisfy({ isASCIIDigit($0) || (isASCIILetter($0) && $0 != "I" && $0 != "O") }) else {
                    return .failure("Numéro de TVA français invalide : clé incorrecte.")
                }
            }
            return .success("FR" + key + siren)
        }
        guard let formats = vatFormats[prefix] else {
            return .failure("Numéro de TVA invalide : préfixe de pays inconnu.")
        }
        // Belgian numbers of 9 digits are the old form of the 10-digit one.
        if prefix == "BE", rest.count == 9, rest.allSatisfy(isASCIIDigit) { rest.insert("0", at: 0) }
        guard formats.contains(where: { matches(rest, $0) }) else {
            return .failure("Numéro de TVA invalide : format inattendu pour le pays \(prefix == "CHE" ? "CH" : prefix).")
        }
        return .success(prefix + String(rest))
    }

    // MARK: - APE

    /// `ape_code`: "62.02A", "6202 a" → "6202A" (NAF rév. 2: 4 digits and a letter).
    public static func normalizeApe(_ raw: String) -> Result<String, ValueError> {
        var chars: [Character] = []
        for c in raw.trimmedSpaces() where !isSeparator(c) {
            chars.append(Character(c.uppercased()))
        }
        guard chars.count == 5, chars[0..<4].allSatisfy(isASCIIDigit), isASCIILetter(chars[4]) else {
            return .failure("Code APE invalide : 4 chiffres et une lettre attendus (ex. 62.02A).")
        }
        return .success(String(chars))
    }

    // MARK: - E-mail

    /// `email`: trimmed, lower-cased, "mailto:" dropped; one @, a local part, a domain with a dot.
    public static func normalizeEmail(_ raw: String) -> Result<String, ValueError> {
        var s = raw.trimmedSpaces().lowercased()
        if s.hasPrefix("mailto:") { s.removeFirst(7) }
        if s.hasPrefix("<"), s.hasSuffix(">") { s = String(s.dropFirst().dropLast()) }
        guard !s.isEmpty else { return .failure("Adresse e-mail vide.") }
        guard !s.contains(where: { $0.isWhitespace }) else {
            return .failure("Adresse e-mail invalide : elle ne doit pas contenir d'espace.")
        }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return .failure("Adresse e-mail invalide : elle doit contenir un seul @.")
        }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else {
            return .failure("Adresse e-mail invalide : la partie avant le @ est vide ou trop longue.")
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return .failure("Adresse e-mail invalide : point mal placé avant le @.")
        }
        guard !local.contains(where: { "()<>[]\\,;:\"".contains($0) }) else {
            return .failure("Adresse e-mail invalide : caractère interdit avant le @.")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }) else {
            return .failure("Adresse e-mail invalide : le domaine doit contenir un point (ex. exemple.fr).")
        }
        for label in labels {
            guard label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !label.hasPrefix("-"), !label.hasSuffix("-") else {
                return .failure("Adresse e-mail invalide : caractère interdit dans le domaine.")
            }
        }
        guard let tld = labels.last, tld.count >= 2, !tld.allSatisfy(isASCIIDigit) else {
            return .failure("Adresse e-mail invalide : extension du domaine incorrecte.")
        }
        guard s.utf8.count <= 254 else { return .failure("Adresse e-mail trop longue.") }
        return .success(s)
    }

    // MARK: - Phone

    /// French overseas departments and territories dialled with a national 0 prefix from
    /// mainland France but with their own country code internationally: national prefix → code.
    static let frenchOverseasPrefixes: [(national: String, code: String)] = [
        ("0262", "262"), ("0263", "262"), ("0692", "262"), ("0693", "262"), // La Réunion
        ("0269", "262"), ("0639", "262"),                                   // Mayotte
        ("0590", "590"), ("0690", "590"), ("0691", "590"),                  // Guadeloupe, St-Martin, St-Barthélemy
        ("0594", "594"), ("0694", "594"),                                   // Guyane
        ("0596", "596"), ("0696", "596"), ("0697", "596"),                  // Martinique
        ("0508", "508"),                                                    // Saint-Pierre-et-Miquelon
    ]

    /// Phone number → E.164 (`+33612345678`), or nil when it is not a plausible number.
    /// French national forms (10 digits starting 0[1-9], also without the 0), `+33`, `0033`,
    /// `+33 (0)6…`; foreign numbers starting with + or 00 (8 to 15 digits in all).
    /// Overseas French numbers dialled nationally (0692…, 0590…) get their own code (+262…).
    public static func normalizePhone(_ raw: String, defaultCountry: String = "FR") -> String? {
        if case .success(let s) = phoneResult(raw, defaultCountry: defaultCountry) { return s }
        return nil
    }

    /// `normalizePhone` with a French message on failure.
    public static func phoneResult(_ raw: String, defaultCountry: String = "FR") -> Result<String, ValueError> {
        var s = raw.trimmedSpaces()
        guard !s.isEmpty else { return .failure("Numéro de téléphone vide.") }
        // "+33 (0)6 12…": the trunk 0 in brackets after a country code.
        if s.contains("(0)") { s = s.replacingOccurrences(of: "(0)", with: "") }
        var international = false
        var digits = ""
        for (i, c) in s.enumerated() {
            if isASCIIDigit(c) { digits.append(c) }
            else if c == "+" && i == 0 { international = true }
            else if isSeparator(c) || c == "(" || c == ")" { continue }
            else {
                return .failure("Numéro de téléphone invalide : seuls chiffres, espaces, points, tirets, parenthèses et + sont acceptés.")
            }
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        let french = "Numéro de téléphone invalide : 10 chiffres attendus pour un numéro français (ex. 01 23 45 67 89), ou le format international (+32…)."
        if !international, digits.count == 11, digits.hasPrefix("33"), digits.dropFirst(2).first != "0" {
            // "33612345678": a French international number typed without + (not a national length).
            international = true
        }
        if international {
            guard let first = digits.first, first != "0" else {
                return .failure("Numéro de téléphone international invalide : indicatif de pays manquant.")
            }
            if digits.hasPrefix("33") {
                var national = String(digits.dropFirst(2))
                if national.hasPrefix("0") { national.removeFirst() }
                guard national.count == 9, national.first != "0" else { return .failure(ValueError(french)) }
                // +33 followed by an overseas national number: use its own code.
                for (prefix, code) in frenchOverseasPrefixes where ("0" + national).hasPrefix(prefix) {
                    return .success("+" + code + national)
                }
                return .success("+33" + national)
            }
            guard (8...15).contains(digits.count) else {
                return .failure("Numéro de téléphone international invalide : 8 à 15 chiffres attendus après le +.")
            }
            // North America (+1) and Russia/Kazakhstan (+7): fixed length of 10 national digits.
            if (digits.hasPrefix("1") || digits.hasPrefix("7")), digits.count != 11 {
                return .failure("Numéro de téléphone international invalide : 10 chiffres attendus après l'indicatif.")
            }
            return .success("+" + digits)
        }
        let country = defaultCountry.uppercased()
        guard country == "FR" || frenchPostalCountries.contains(country) else {
            return .failure("Numéro de téléphone invalide : indiquez l'indicatif du pays (+…).")
        }
        if digits.count == 9, digits.first != "0" { digits = "0" + digits }
        guard digits.count == 10, digits.hasPrefix("0"), digits.dropFirst().first != "0" else {
            return .failure(ValueError(french))
        }
        for (prefix, code) in frenchOverseasPrefixes where digits.hasPrefix(prefix) {
            return .success("+" + code + digits.dropFirst())
        }
        return .success("+33" + digits.dropFirst())
    }

    /// The French national form (`0612345678`) of an E.164 number of France or its overseas
    /// departments, else nil. The inverse of `normalizePhone` for French numbers.
    public static func frenchNationalPhone(_ e164: String) -> String? {
        guard e164.hasPrefix("+") else { return nil }
        let d = e164.dropFirst()
        if d.hasPrefix("33"), d.count == 11 { return "0" + d.dropFirst(2) }
        for code in ["262", "590", "594", "596", "508"] where d.hasPrefix(code) && d.count == 12 {
            let national = "0" + d.dropFirst(3)
            if frenchOverseasPrefixes.contains(where: { $0.code == code && national.hasPrefix($0.national) }) {
                return String(national)
            }
        }
        return nil
    }

    // MARK: - Country

    /// Territories following French postal codes (5 digits, 97xxx/98xxx).
    static let frenchPostalCountries: Set<String> = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "MC"]

    static let isoCountries: Set<String> = Set("""
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO \
        JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR \
        MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO \
        RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV \
        TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
        """.split(separator: " ").map(String.init))

    /// Country names and codes people type, folded (lower case, no accents) → ISO alpha-2.
    static let countryAliases: [String: String] = [
        "france": "FR", "france metropolitaine": "FR", "fra": "FR", "republique francaise": "FR",
        "belgique": "BE", "belgium": "BE", "bel": "BE",
        "suisse": "CH", "switzerland": "CH", "che": "CH",
        "luxembourg": "LU", "lux": "LU",
        "allemagne": "DE", "germany": "DE", "deutschland": "DE", "deu": "DE",
        "espagne": "ES", "spain": "ES", "espana": "ES", "esp": "ES",
        "italie": "IT", "italy": "IT", "italia": "IT", "ita": "IT",
        "royaume-uni": "GB", "royaume uni": "GB", "united kingdom": "GB", "angleterre": "GB", "grande-bretagne": "GB",
        "grande bretagne": "GB", "uk": "GB", "gbr": "GB",
        "pays-bas": "NL", "pays bas": "NL", "netherlands": "NL", "hollande": "NL", "nld": "NL",
        "portugal": "PT", "prt": "PT",
        "monaco": "MC", "mco": "MC",
        "autriche": "AT", "austria": "AT",
        "irlande": "IE", "ireland": "IE",
        "danemark": "DK", "denmark": "DK",
        "suede": "SE", "sweden": "SE",
        "norvege": "NO", "norway": "NO",
        "finlande": "FI", "finland": "FI",
        "pologne": "PL", "poland": "PL",
        "grece": "GR", "greece": "GR",
        "republique tcheque": "CZ", "tchequie": "CZ",
        "roumanie": "RO", "hongrie": "HU", "croatie": "HR", "slovenie": "SI", "slovaquie": "SK", "bulgarie": "BG",
        "chypre": "CY", "malte": "MT", "estonie": "EE", "lettonie": "LV", "lituanie": "LT",
        "andorre": "AD", "islande": "IS",
        "etats-unis": "US", "etats unis": "US", "usa": "US", "united states": "US", "etats-unis d'amerique": "US",
        "canada": "CA", "can": "CA",
        "maroc": "MA", "morocco": "MA", "tunisie": "TN", "algerie": "DZ", "senegal": "SN",
        "cote d'ivoire": "CI", "cote divoire": "CI",
        "chine": "CN", "japon": "JP", "inde": "IN", "bresil": "BR", "mexique": "MX", "australie": "AU",
        "emirats arabes unis": "AE", "israel": "IL", "turquie": "TR", "russie": "RU", "singapour": "SG",
        "guadeloupe": "GP", "martinique": "MQ", "guyane": "GF", "la reunion": "RE", "reunion": "RE", "mayotte": "YT",
        "nouvelle-caledonie": "NC", "polynesie francaise": "PF",
    ]

    /// `country`: ISO 3166 alpha-2 in any case ("fr" → "FR"), a few country names in French and
    /// English ("France", "Belgique", "Royaume-Uni") and alpha-3 codes of neighbours.
    public static func normalizeCountry(_ raw: String) -> Result<String, ValueError> {
        let t = raw.trimmedSpaces()
        if t.count == 2, t.allSatisfy(isASCIILetter) {
            let up = t.uppercased()
            if up == "UK" { return .success("GB") }
            if isoCountries.contains(up) { return .success(up) }
            return .failure("Code pays inconnu : code ISO à 2 lettres attendu (ex. FR, BE, CH).")
        }
        let f = fold(t).replacingOccurrences(of: "’", with: "'")
        if let code = countryAliases[f] { return .success(code) }
        return .failure("Pays inconnu : indiquez le code ISO à 2 lettres (ex. FR, BE, CH).")
    }

    // MARK: - Postal code

    /// `postal_code` for a country: 5 digits for France and its overseas territories (spaces
    /// accepted, 4 digits padded with a leading 0 as spreadsheets drop it), free form up to 12
    /// characters elsewhere.
    public static func normalizePostalCode(_ raw: String, country: String?) -> Result<String, ValueError> {
        let t = raw.trimmedSpaces()
        let c = (country ?? "FR").uppercased()
        if frenchPostalCountries.contains(c) {
            var digits = ""
            for ch in t {
                if isASCIIDigit(ch) { digits.append(ch) } else if isSeparator(ch) { continue } else {
                    return .failure("Code postal invalide : 5 chiffres attendus en France (ex. 75001).")
                }
            }
            if digits.count == 4 { digits = "0" + digits }
            guard digits.count == 5 else {
                return .failure("Code postal invalide : 5 chiffres attendus en France (ex. 75001).")
            }
            let dept = digits.prefix(2)
            guard dept != "00", dept != "96", dept != "99" else {
                return .failure("Code postal invalide : département inexistant.")
            }
            return .success(digits)
        }
        guard t.count <= 12 else { return .failure("Code postal trop long (12 caractères au plus).") }
        guard t.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }) else {
            return .failure("Code postal invalide : lettres, chiffres, espaces et tirets seulement.")
        }
        return .success(t.uppercased())
    }

    // MARK: - Civility

    static let civilities: [String: String] = [
        "monsieur": "Monsieur", "m": "Monsieur", "mr": "Monsieur", "mister": "Monsieur", "mssr": "Monsieur",
        "madame": "Madame", "mme": "Madame", "mlle": "Madame", "mademoiselle": "Madame", "mrs": "Madame", "ms": "Madame", "melle": "Madame",
        "professeur": "Professeur", "pr": "Professeur", "prof": "Professeur", "pre": "Professeur",
        "maitre": "Maître", "me": "Maître",
        "docteur": "Docteur", "dr": "Docteur", "doct": "Docteur",
    ]

    /// `civility`: one of Monsieur, Madame, Professeur, Maître, Docteur; abbreviations (M., Mme,
    /// Mlle, Mr, Pr, Me, Dr) and any case or accents accepted.
    public static func normalizeCivility(_ raw: String) -> Result<String, ValueError> {
        var f = fold(raw)
        while f.hasSuffix(".") { f.removeLast() }
        f = f.trimmedSpaces()
        if let c = civilities[f] { return .success(c) }
        return .failure("Civilité inconnue : Monsieur, Madame, Professeur, Maître ou Docteur (M., Mme, Pr, Me, Dr acceptés).")
    }

    // MARK: - Dates

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        default: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses "YYYY-MM-DD" or "dd/mm/yyyy" (also dd-mm-yyyy, dd.mm.yyyy, d/m/yyyy) into a real date.
    static func parseDate(_ t: String) -> (y: Int, m: Int, d: Int)? {
        let parts = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isASCIIDigit) }) else { return nil }
        let y: Int, m: Int, d: Int
        if parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, !t.contains("/"), !t.contains(".") {
            y = Int(parts[0])!; m = Int(parts[1])!; d = Int(parts[2])!
        } else if parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count) {
            d = Int(parts[0])!; m = Int(parts[1])!; y = Int(parts[2])!
        } else {
            return nil
        }
        guard (1000...9999).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return (y, m, d)
    }

    /// A date: "YYYY-MM-DD", or "dd/mm/yyyy" as typed in France → "YYYY-MM-DD"; real calendar dates only.
    public static func normalizeDate(_ raw: String) -> Result<String, ValueError> {
        let t = raw.trimmedSpaces()
        guard let (y, m, d) = parseDate(t) else {
            return .failure("Date invalide : format AAAA-MM-JJ ou JJ/MM/AAAA attendu, date réelle du calendrier.")
        }
        return .success("\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))")
    }

    static let parisZone = TimeZone(identifier: "Europe/Paris")

    /// `created_at`: RFC 3339 ("2024-03-01T10:00:00+01:00", fractions accepted and dropped) →
    /// UTC "2024-03-01T09:00:00Z". Also accepted: a space instead of T, a date alone (midnight
    /// UTC), and a date-time without offset, read as Paris time (the agency's time zone).
    public static func normalizeDateTime(_ raw: String) -> Result<String, ValueError> {
        let bad = Result<String, ValueError>.failure("Date et heure invalides : format RFC 3339 attendu (ex. 2024-03-01T10:00:00Z).")
        let t = raw.trimmedSpaces()
        let chars = Array(t)
        // A date alone.
        if chars.count <= 10, let (y, m, d) = parseDate(t) {
            return .success("\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T00:00:00Z")
        }
        guard chars.count >= 16, chars[10] == "T" || chars[10] == "t" || chars[10] == " ",
              let (y, mo, d) = parseDate(String(chars[0..<10])) else { return bad }
        var i = 11
        func num(_ n: Int) -> Int? {
            guard i + n <= chars.count, chars[i..<(i + n)].allSatisfy(isASCIIDigit) else { return nil }
            defer { i += n }
            return Int(String(chars[i..<(i + n)]))
        }
        guard let hh = num(2), i < chars.count, chars[i] == ":" else { return bad }
        i += 1
        guard let mi = num(2) else { return bad }
        var ss = 0
        if i < chars.count, chars[i] == ":" {
            i += 1
            guard let s = num(2) else { return bad }
            ss = s
            if i < chars.count, chars[i] == "." || chars[i] == "," {
                i += 1
                let start = i
                while i < chars.count, isASCIIDigit(chars[i]) { i += 1 }
                guard i > start else { return bad }
            }
        }
        guard hh <= 23, mi <= 59, ss <= 59 else { return bad }
        var offsetSeconds: Int? = nil
        if i < chars.count {
            let c = chars[i]
            if c == "Z" || c == "z" {
                offsetSeconds = 0
                i += 1
            } else if c == "+" || c == "-" {
                i += 1
                guard let oh = num(2) else { return bad }
                var om = 0
                if i < chars.count, chars[i] == ":" { i += 1 }
                if i < chars.count { guard let m = num(2) else { return bad }; om = m }
                guard oh <= 23, om <= 59 else { return bad }
                offsetSeconds = (c == "+" ? 1 : -1) * (oh * 3600 + om * 60)
            } else {
                return bad
            }
        }
        guard i == chars.count else { return bad }
        var comps = DateComponents()
        comps.year = y; comps.month = mo; comps.day = d; comps.hour = hh; comps.minute = mi; comps.second = ss
        var cal = Calendar(identifier: .gregorian)
        if let off = offsetSeconds {
            cal.timeZone = TimeZone(secondsFromGMT: 0)!
            guard let local = cal.date(from: comps) else { return bad }
            return .success(formatUTC(local.addingTimeInterval(TimeInterval(-off))))
        }
        cal.timeZone = parisZone ?? TimeZone(secondsFromGMT: 3600)!
        guard let date = cal.date(from: comps) else { return bad }
        return .success(formatUTC(date))
    }

    /// "YYYY-MM-DDTHH:MM:SSZ" of a date.
    public static func formatUTC(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return "\(pad(c.year!, 4))-\(pad(c.month!, 2))-\(pad(c.day!, 2))T\(pad(c.hour!, 2)):\(pad(c.minute!, 2)):\(pad(c.second!, 2))Z"
    }

    // MARK: - URL

    /// `website`: "www.exemple.fr" → "https://www.exemple.fr"; http and https only (no
    /// javascript: or data: links, as websites are shown as links); host lower-cased, with a dot.
    public static func normalizeURL(_ raw: String) -> Result<String, ValueError> {
        var t = raw.trimmedSpaces()
        guard !t.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "\\" }) else {
            return .failure("Adresse de site web invalide : elle ne doit pas contenir d'espace ni de caractère spécial.")
        }
        let lower = t.lowercased()
        var scheme = "https"
        if lower.hasPrefix("http://") { scheme = "http"; t.removeFirst(7) }
        else if lower.hasPrefix("https://") { t.removeFirst(8) }
        else if lower.hasPrefix("//") { t.removeFirst(2) }
        else if let colon = t.firstIndex(of: ":"), t[..<colon].allSatisfy({ $0.isLetter }) {
            // "exemple.fr:8080" is a port; "javascript:…", "ftp:…" are other schemes.
            let next = t[t.index(after: colon)...].first
            if next == nil || !isASCIIDigit(next!) {
                return .failure("Adresse de site web invalide : seuls les liens http et https sont acceptés.")
            }
        }
        let hostEnd = t.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? t.endIndex
        var hostPort = String(t[..<hostEnd])
        let rest = String(t[hostEnd...])
        guard !hostPort.contains("@") else {
            return .failure("Adresse de site web invalide : identifiants dans l'adresse refusés.")
        }
        var port = ""
        if let colon = hostPort.lastIndex(of: ":") {
            port = String(hostPort[colon...])
            hostPort = String(hostPort[..<colon])
            guard port.count > 1, port.dropFirst().allSatisfy(isASCIIDigit), port.count <= 6 else {
                return .failure("Adresse de site web invalide : port incorrect.")
            }
        }
        let host = hostPort.lowercased()
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }),
              let tld = labels.last, tld.count >= 2
        else {
            return .failure("Adresse de site web invalide : nom de domaine attendu (ex. www.exemple.fr).")
        }
        let url = scheme + "://" + host + port + rest
        guard url.utf8.count <= 2048 else { return .failure("Adresse de site web trop longue.") }
        return .success(url)
    }

    // MARK: - Numbers and booleans

    /// A number typed as text: "12,50", "1 200.5", "12 €" → 12.5, 1200.5, 12.
    public static func parseNumberText(_ raw: String) -> Double? {
        var s = raw.trimmedSpaces()
        if s.hasSuffix("€") { s.removeLast() }
        if s.uppercased().hasSuffix("EUR") { s.removeLast(3) }
        s = String(s.filter { !($0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}") })
        if s.contains(","), !s.contains(".") { s = s.replacingOccurrences(of: ",", with: ".") }
        guard !s.isEmpty, s.allSatisfy({ isASCIIDigit($0) || $0 == "." || $0 == "-" || $0 == "+" }),
              let d = Double(s), d.isFinite else { return nil }
        return d
    }

    /// Boolean words of spreadsheets and imports: oui/non (the template's opt-in column),
    /// true/false, vrai/faux; any case.
    public static func parseBoolText(_ raw: String) -> Bool? {
        switch fold(raw) {
        case "oui", "true", "vrai", "o", "yes": return true
        case "non", "false", "faux", "n", "no": return false
        default: return nil
        }
    }
}
