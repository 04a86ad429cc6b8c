// The French analyzer: folding (fast path against ICU, idempotence), tokens (offsets on
// character boundaries of the input, consecutive positions, folded terms) and the identifier
// parsers (phones, SIRET, VAT, e-mail, APE, postal codes, references) on arbitrary text.
@testable import Analysis

let analyzer: Analyzer = {
    do { return Analyzer(rules: try AnalyzerRules.loadDefault()) } catch { fatal("cannot load the analyzer rules: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let s = String(decoding: bytes, as: UTF8.self)

    // Folding.
    let folded = Folding.fold(s)
    check(Folding.fold(folded) == folded, "fold not idempotent on \(s.debugDescription): \(folded.debugDescription)")
    check(folded == Folding.foldWithICU(s), "fold differs from ICU on \(s.debugDescription)")

    // Tokens.
    let u = Array(s.utf8)
    var lastPrimary = -1
    for t in analyzer.tokens(s) {
        check(0 <= t.start && t.start < t.end && t.end <= u.count, "bad range \(t) in \(s.debugDescription)")
        check(u[t.start] & 0xC0 != 0x80 && (t.end == u.count || u[t.end] & 0xC0 != 0x80),
              "token \(t) cuts a character in \(s.debugDescription)")
        check(!t.term.isEmpty && t.term.utf8.count <= Analyzer.maxTermBytes, "bad term \(t)")
        check(t.isNumeric == t.term.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "isNumeric wrong on \(t)")
        if t.isAlternative {
            check(t.position <= lastPrimary, "alternative \(t) before its word in \(s.debugDescription)")
        } else {
            check(t.position == lastPrimary + 1, "primary positions not consecutive: \(t) in \(s.debugDescription)")
            lastPrimary = t.position
        }
    }
    _ = analyzer.civility(s)
    _ = analyzer.isStopWord(folded)
    _ = analyzer.isLegalForm(folded)

    // Identifiers.
    let digits = Identifiers.digits(s)
    check(digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "digits() not ASCII digits")
    _ = Identifiers.luhnValid(digits)
    if let p = Identifiers.parsePhone(s) {
        check(!p.digits.isEmpty, "phone without digits")
        if let n = p.national { check(n.utf8.count == 10 && n.hasPrefix("0"), "national \(n) from \(s.debugDescription)") }
        _ = Identifiers.displayPhone("+" + (p.international ?? p.digits))
    }
    if let start = Identifiers.frenchNationalStart(s) {
        check(start.hasPrefix("0") && start.utf8.count < 10 && start.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 },
              "national start \(start) from \(s.debugDescription)")
    }
    _ = Identifiers.phoneTerms(s)
    _ = Identifiers.phoneForms(s)
    _ = Identifiers.phoneCanonicalForms(s)
    _ = Identifiers.phoneQueryForms(s)
    _ = Identifiers.emailTerms(s)
    _ = Identifiers.siretTerms(s)
    _ = Identifiers.vatTerms(s)
    _ = Identifiers.frenchVATKey(siren: digits)
    _ = try? Identifiers.validateSiren(s)
    _ = try? Identifiers.validateSiret(s)
    _ = try? Identifiers.validateVAT(s)
    _ = Identifiers.apeTerms(s)
    _ = Identifiers.postalCodeTerms(s)
    _ = Identifiers.referenceTerms(s)
    _ = Identifiers.lastNumber(s)
    _ = Identifiers.displayPhone(s)
    return 0
}
