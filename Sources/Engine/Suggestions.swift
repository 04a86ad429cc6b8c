import Analysis
import Foundation
import Model

/// "Nouveau client" / "Nouveau contact", pre-filled from what the query looks like: an e-mail,
/// a phone, a SIRET/SIREN, a person's name, or a company name.
enum Suggestions {
    static func make(for raw: String, parsed: ParsedQuery, analyzer: Analyzer) -> [Suggestion] {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        var client: [String: String] = [:]
        var contact: [String: String] = [:]
        let digits = Identifiers.digits(text)
        if text.contains("@"), !text.contains(" ") {
            client["email"] = text.lowercased()
            contact["email"] = text.lowercased()
            // The domain often names the company: "jean@lefevre-traiteur.fr" → "Lefevre Traiteur".
            if let domain = text.split(separator: "@").last?.split(separator: ".").first, !domain.isEmpty,
               !["gmail", "yahoo", "hotmail", "outlook", "orange", "free", "wanadoo", "sfr", "laposte", "icloud", "live"].contains(domain.lowercased()) {
                client["name"] = domain.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            }
        } else if let d = parsed.identifierDigits ?? (text.allSatisfy({ $0.isNumber || " .".contains($0) }) ? digits : nil),
                  d.count == 14 || d.count == 9, !d.hasPrefix("0") {
            client["siret"] = d
        } else if parsed.identifierDigits != nil, !Identifiers.phoneQueryForms(text).isEmpty {
            client["phone_direct"] = text
            contact["phone_direct"] = text
        } else if !text.isEmpty {
            client["name"] = text
            let words = text.split(separator: " ").map(String.init)
            let folded = words.map { analyzer.fold($0) }
            let looksLikeCompany = folded.contains { analyzer.isLegalForm($0) } || words.contains { $0.count > 1 && $0 == $0.uppercased() && $0.contains(where: { $0.isLetter }) }
                || text.contains(where: { $0.isNumber })
            if looksLikeCompany {
                contact["last_name"] = nil
            } else if words.count >= 2 && words.count <= 4 {
                // "Jean Dupont", "Dupont Jean", "Marie-Hélène de La Tour": a known first name decides the order.
                if FirstNames.contains(analyzer.fold(words[0])) || !FirstNames.contains(analyzer.fold(words[words.count - 1])) {
                    contact["first_name"] = words[0]
                    contact["last_name"] = words.dropFirst().joined(separator: " ")
                } else {
                    contact["first_name"] = words[words.count - 1]
                    contact["last_name"] = words.dropLast().joined(separator: " ")
                }
                client["first_name"] = contact["first_name"]
                client["last_name"] = contact["last_name"]
            } else if words.count == 1 {
                if FirstNames.contains(analyzer.fold(words[0])) { contact["first_name"] = words[0] } else { contact["last_name"] = words[0] }
            }
        }
        return [
            Suggestion(action: "create_client", label: "Nouveau client", prefill: client),
            Suggestion(action: "create_contact", label: "Nouveau contact", prefill: contact),
        ]
    }
}

/// Common French first names (folded), to tell "Jean Dupont" from "Dupont Jean" in suggestions.
enum FirstNames {
    static func contains(_ folded: String) -> Bool {
        if set.contains(folded) { return true }
        // Compound first names: "jean-francois" → both parts known.
        let parts = folded.split(separator: "-")
        return parts.count > 1 && parts.allSatisfy { set.contains(String($0)) }
    }

    static let set: Set<String> = [
        "jean", "pierre", "michel", "andre", "philippe", "louis", "nicolas", "francois", "laurent", "stephane",
        "david", "christophe", "patrick", "alain", "daniel", "julien", "thomas", "eric", "olivier", "sebastien",
        "frederic", "pascal", "christian", "guillaume", "antoine", "alexandre", "vincent", "maxime", "romain",
        "jerome", "bernard", "jacques", "paul", "hugo", "lucas", "leo", "gabriel", "arthur", "raphael", "jules",
        "adam", "louis", "mathis", "nathan", "enzo", "theo", "noah", "tom", "ethan", "clement", "quentin", "loic",
        "herve", "yves", "gerard", "rene", "marcel", "roger", "henri", "claude", "didier", "thierry", "bruno",
        "franck", "gilles", "denis", "cedric", "fabrice", "arnaud", "benoit", "mathieu", "matthieu", "xavier",
        "yann", "kevin", "anthony", "florian", "adrien", "baptiste", "benjamin", "damien", "dylan", "samuel",
        "marie", "nathalie", "isabelle", "sylvie", "catherine", "francoise", "anne", "christine", "monique",
        "valerie", "sandrine", "veronique", "sophie", "nicole", "celine", "stephanie", "martine", "julie", "aurelie",
        "camille", "laura", "emma", "lea", "chloe", "manon", "ines", "jade", "louise", "alice", "lina", "rose",
        "anna", "ambre", "julia", "mila", "zoe", "lucie", "sarah", "pauline", "marion", "emilie", "elodie", "claire",
        "caroline", "helene", "laetitia", "virginie", "audrey", "melanie", "agnes", "brigitte", "chantal",
        "jacqueline", "michele", "patricia", "corinne", "delphine", "florence", "karine", "laurence", "muriel",
        "odile", "pascale", "severine", "gaelle", "maelys", "noel", "noelle", "oceane", "charlotte", "margaux",
        "clara", "eva", "juliette", "agathe", "mathilde", "elise", "justine", "morgane", "amandine", "alexandra",
        "jeanne", "genevieve", "josiane", "annie", "danielle", "denise", "paulette", "simone", "yvette", "odette",
        "mohamed", "ahmed", "karim", "mehdi", "sofiane", "yasmine", "fatima", "leila", "nadia", "samia", "amine",
    ]
}
