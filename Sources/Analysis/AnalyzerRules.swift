import Foundation

/// An error met while loading the rule files of `analyzers/`.
public enum AnalyzerRulesError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case unreadableFile(String)
    case invalidLine(file: String, line: Int, text: String)

    public var description: String {
        switch self {
        case .missingFile(let path): return "analyzer rules: missing file \(path)"
        case .unreadableFile(let path): return "analyzer rules: cannot read \(path) as UTF-8"
        case .invalidLine(let file, let line, let text):
            return "analyzer rules: \(file):\(line): expected two tab-separated columns, got \"\(text)\""
        }
    }
}

/// The language rules of the analyzer, loaded from the data files of `analyzers/`.
///
/// Every key is stored folded (see `Folding`), so lookups take folded terms:
/// - `elisions`: elided particles without their apostrophe (`l`, `d`, `qu`, `jusqu`…);
/// - `legalForms`: folded, dots and spaces removed (`S.A.S.` → `sas`);
/// - `stopWords`: folded;
/// - `abbreviations`: folded abbreviation (trailing dot removed) → its first folded expansion;
///   `expansions` keeps all of them (`ste` → `societe`, `sainte`);
/// - `civilities`: folded form, dots removed (`mme`, `m`) → canonical display form (`Madame`).
public struct AnalyzerRules: Sendable, Equatable {
    public var elisions: Set<String>
    public var legalForms: Set<String>
    public var stopWords: Set<String>
    public var abbreviations: [String: String]
    public var expansions: [String: [String]]
    public var civilities: [String: String]
    /// FNV-1a 64-bit hash (16 lowercase hex digits) of the rule files' names and contents, in
    /// a fixed order. Stored in each index: a different fingerprint asks for a reindex.
    public var fingerprint: String

    /// The rule files, in fingerprint order.
    public static let fileNames = ["elisions.txt", "legal_forms.txt", "stop_words.txt", "abbreviations.tsv", "civilities.tsv"]

    public init(elisions: Set<String> = [], legalForms: Set<String> = [], stopWords: Set<String> = [],
                abbreviations: [String: String] = [:], expansions: [String: [String]]? = nil,
                civilities: [String: String] = [:], fingerprint: String = "") {
        self.elisions = elisions
        self.legalForms = legalForms
        self.stopWords = stopWords
        self.abbreviations = abbreviations
        self.expansions = expansions ?? abbreviations.mapValues { [$0] }
        self.civilities = civilities
        self.fingerprint = fingerprint
    }

    /// Loads the five rule files of `directory`. Lines are trimmed; empty lines and lines
    /// starting with `#` are ignored. `.txt` files hold one entry per line (a legal form may be
    /// followed by a tab and a description); `.tsv` files hold `key<TAB>value`.
    public static func load(directory: String) throws -> AnalyzerRules {
        var contents: [String: String] = [:]
        for name in fileNames {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { throw AnalyzerRulesError.missingFile(path) }
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(data: data, encoding: .utf8) else { throw AnalyzerRulesError.unreadableFile(path) }
            contents[name] = text
        }
        return try parse(contents)
    }

    /// Builds rules from the files' texts (keyed by file name, see `fileNames`).
    public static func parse(_ contents: [String: String]) throws -> AnalyzerRules {
        func entries(_ name: String) -> [(line: Int, text: String)] {
            var out: [(Int, String)] = []
            let lines = (contents[name] ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            for (i, raw) in lines.enumerated() {
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                out.append((i + 1, line))
            }
            return out
        }
        func pairs(_ name: String) throws -> [(String, String)] {
            try entries(name).map { entry in
                let cols = entry.text.split(separator: "\t", omittingEmptySubsequences: true)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard cols.count >= 2, !cols[0].isEmpty, !cols[1].isEmpty else {
                    throw AnalyzerRulesError.invalidLine(file: name, line: entry.line, text: entry.text)
                }
                return (cols[0], cols[1])
            }
        }
        func firstColumn(_ text: String) -> String {
            String(text.split(separator: "\t", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
        }

        var rules = AnalyzerRules()
        for e in entries("elisions.txt") {
            var t = normalizeKey(firstColumn(e.text))
            while let last = t.last, last == "'" { t.removeLast() }
            if !t.isEmpty { rules.elisions.insert(t) }
        }
        for e in entries("legal_forms.txt") {
            let t = legalFormKey(firstColumn(e.text))
            if !t.isEmpty { rules.legalForms.insert(t) }
        }
        for e in entries("stop_words.txt") {
            let t = Folding.fold(firstColumn(e.text))
            if !t.isEmpty { rules.stopWords.insert(t) }
        }
        rules.expansions = [:]
        for (k, v) in try pairs("abbreviations.tsv") {
            let key = k == "&" ? "&" : normalizeKey(k)
            let value = Folding.fold(v)
            guard !key.isEmpty, !value.isEmpty else { continue }
            if rules.abbreviations[key] == nil { rules.abbreviations[key] = value }
            if !(rules.expansions[key, default: []].contains(value)) { rules.expansions[key, default: []].append(value) }
        }
        for (k, v) in try pairs("civilities.tsv") {
            let key = normalizeKey(k)
            if !key.isEmpty, rules.civilities[key] == nil { rules.civilities[key] = v }
        }
        rules.fingerprint = fingerprint(of: contents)
        return rules
    }

    /// Folded, dots removed at the end (`Sté.` → `ste`, `M.` → `m`).
    static func normalizeKey(_ s: String) -> String {
        var t = Folding.fold(s)
        while let last = t.last, last == "." { t.removeLast() }
        return t
    }

    /// Folded with dots and spaces removed (`S.A.S.` → `sas`, `S. A.` → `sa`).
    static func legalFormKey(_ s: String) -> String {
        String(Folding.fold(s).unicodeScalars.filter { $0 != "." && $0 != " " && $0 != "\u{00A0}" }
            .map(Character.init))
    }

    static func fingerprint(of contents: [String: String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        }
        for name in fileNames {
            add(name.utf8); add([0])
            add((contents[name] ?? "").utf8); add([0])
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `LABSEARCH_ANALYZERS` when set; otherwise the repository's `analyzers/` directory, found
    /// by walking up from this source file (also through symlinks); else `./analyzers`.
    public static func defaultDirectory() -> String {
        if let env = ProcessInfo.processInfo.environment["LABSEARCH_ANALYZERS"], !env.isEmpty { return env }
        let here = URL(fileURLWithPath: #filePath)
        for start in [here, here.resolvingSymlinksInPath()] {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("analyzers")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("elisions.txt").path) {
                    return candidate.path
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return FileManager.default.currentDirectoryPath + "/analyzers"
    }

    public static func loadDefault() throws -> AnalyzerRules {
        try load(directory: defaultDirectory())
    }
}
