import Analysis
import Model

/// The columns of the import template (the seed: "Explication des colonnes du fichier
/// modèle"), in the template's order, with their French headers, the record field each one
/// fills, and the other spellings a header row may use (compared folded: case, accents,
/// punctuation and spacing ignored).
public struct TransferColumn: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// A field of the company (`client.<field>`).
        case company(String)
        /// A field of the contact.
        case contact(String)
        /// The creation date: of the list's own record (and of the other one when created).
        case createdAt
    }

    /// How a cell is read and written.
    public enum Format: Sendable, Hashable {
        case text, date, yesNo, phone, siret, postalCode
    }

    public var header: String
    public var target: Target
    public var format: Format
    public var aliases: [String]

    init(_ header: String, _ target: Target, _ format: Format = .text, aliases: [String] = []) {
        self.header = header
        self.target = target
        self.format = format
        self.aliases = aliases
    }

    /// The JSON path shown in errors: `client.siret`, `contact.email`, `created_at`.
    public var fieldPath: String {
        switch target {
        case .company(let f): return "client." + f
        case .contact(let f): return "contact." + f
        case .createdAt: return "created_at"
        }
    }
}

public enum TransferColumns {
    /// The template's 31 columns, in order.
    public static let template: [TransferColumn] = [
        TransferColumn("Date de création", .createdAt, .date,
                       aliases: ["date de la creation", "date creation", "cree le", "date d import", "created at", "created_at"]),
        TransferColumn("Société cliente", .company("name"),
                       aliases: ["societe", "societe client", "client", "nom de la societe", "nom societe", "raison sociale", "entreprise", "company", "name"]),
        TransferColumn("SIRET", .company("siret"), .siret, aliases: ["n siret", "no siret", "numero siret", "numero de siret"]),
        TransferColumn("Numéro de TVA", .company("vat_number"),
                       aliases: ["tva", "n tva", "no tva", "numero tva", "tva intracommunautaire", "numero de tva intracommunautaire", "vat", "vat number", "vat_number"]),
        TransferColumn("Site web", .company("website"), aliases: ["site internet", "site", "website", "url", "web"]),
        TransferColumn("Compte comptable client", .company("accounting_account"),
                       aliases: ["compte comptable", "accounting account", "accounting_account"]),
        TransferColumn("Langues société", .company("language"),
                       aliases: ["langue societe", "langues de la societe", "langue de la societe", "langues", "langue", "language"]),
        TransferColumn("Type société", .company("type"), aliases: ["type de societe", "type", "company type"]),
        TransferColumn("Code APE", .company("ape_code"), aliases: ["ape", "code naf", "naf", "code ape naf", "ape code", "ape_code"]),
        TransferColumn("Adresse 1", .company("address1"), aliases: ["adresse", "adresse1", "address", "address1", "address 1"]),
        TransferColumn("Adresse 2", .company("address2"), aliases: ["adresse2", "complement d adresse", "complement adresse", "address2", "address 2"]),
        TransferColumn("Code postal", .company("postal_code"), .postalCode, aliases: ["cp", "postal code", "postal_code", "code postal ville"]),
        TransferColumn("Ville", .company("city"), aliases: ["city", "commune", "localite"]),
        TransferColumn("Pays", .company("country"), aliases: ["country"]),
        TransferColumn("Civilité", .contact("civility"), aliases: ["civility", "titre"]),
        TransferColumn("Prénom du contact", .contact("first_name"), aliases: ["prenom", "first name", "first_name"]),
        TransferColumn("Nom du contact", .contact("last_name"), aliases: ["nom", "nom de famille", "last name", "last_name"]),
        TransferColumn("Email du contact", .contact("email"),
                       aliases: ["email", "e mail", "mail", "adresse email", "adresse e mail", "adresse mail", "courriel", "email contact"]),
        TransferColumn("Téléphone direct du contact", .contact("phone_direct"), .phone,
                       aliases: ["telephone direct", "tel direct", "ligne directe", "telephone", "tel", "phone", "phone direct", "phone_direct"]),
        TransferColumn("Téléphone standard", .contact("phone_switchboard"), .phone,
                       aliases: ["standard", "tel standard", "telephone standard du contact", "phone switchboard", "phone_switchboard"]),
        TransferColumn("Téléphone portable du contact", .contact("phone_mobile"), .phone,
                       aliases: ["telephone portable", "portable", "tel portable", "mobile", "telephone mobile", "gsm", "phone mobile", "phone_mobile"]),
        TransferColumn("Facebook", .contact("facebook")),
        TransferColumn("LinkedIn", .contact("linkedin")),
        TransferColumn("Twitter", .contact("twitter")),
        TransferColumn("Instagram", .contact("instagram")),
        TransferColumn("Commentaires sur le contact", .contact("comment"),
                       aliases: ["commentaire sur le contact", "commentaires", "commentaire", "comment"]),
        TransferColumn("Catégorie du commentaire contact", .contact("comment_category"),
                       aliases: ["categorie du commentaire", "categorie commentaire", "categorie du commentaire du contact", "comment category", "comment_category"]),
        TransferColumn("Opt-In", .contact("opt_in"), .yesNo, aliases: ["optin", "opt in oui non", "opt_in", "consentement"]),
        TransferColumn("Poste occupé du contact", .contact("position"),
                       aliases: ["poste occupe", "poste", "fonction", "position"]),
        TransferColumn("Situation", .contact("situation")),
        TransferColumn("Source", .contact("source"), aliases: ["origine"]),
    ]

    /// Columns of the lists that the importer also reads (not in the template, written by the
    /// export), so that an export imported again gives back these values too.
    public static let extra: [TransferColumn] = [
        TransferColumn("Potentiel", .contact("potential"), aliases: ["potentiel du contact", "potential"]),
        TransferColumn("Commercial", .contact("sales_rep"), aliases: ["sales rep", "sales_rep"]),
        TransferColumn("État d'avancement", .contact("stage"), aliases: ["etat avancement", "stage"]),
    ]

    /// Every column the importer recognises.
    public static let readable: [TransferColumn] = template + extra

    /// A header folded for comparison: parenthesised parts and `*` dropped, lower case
    /// without accents, every run of other characters one space.
    public static func foldHeader(_ raw: String) -> String {
        var s = ""
        var depth = 0
        for ch in raw {
            if ch == "(" || ch == "[" { depth += 1; continue }
            if ch == ")" || ch == "]" { depth = max(0, depth - 1); continue }
            if depth == 0 { s.append(ch) }
        }
        let folded = Folding.fold(s)
        var out = ""
        var space = false
        for ch in folded {
            if ch.isLetter || ch.isNumber {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.append(ch)
            } else {
                space = true
            }
        }
        return out
    }

    static let lookup: [String: Int] = {
        var m: [String: Int] = [:]
        for (i, c) in readable.enumerated() {
            for name in [c.header] + c.aliases {
                let k = foldHeader(name)
                if m[k] == nil { m[k] = i }
            }
        }
        return m
    }()

    /// The column a header names, if any.
    public static func column(forHeader raw: String) -> TransferColumn? {
        lookup[foldHeader(raw)].map { readable[$0] }
    }
}
