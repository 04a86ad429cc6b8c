// The French messages of every SheetError, in one place.

extension SheetError {
    static func tooLarge(_ limit: Int) -> SheetError {
        SheetError(.tooLarge, "Le fichier dépasse la taille maximale de \(megabytes(limit)).")
    }
    static let empty = SheetError(.empty, "Le fichier est vide.")
    static let corrupt = SheetError(.corrupt, "Le fichier est corrompu ou incomplet.")
    static func corrupt(_ detail: String) -> SheetError {
        SheetError(.corrupt, "Le fichier est corrompu ou incomplet (\(detail)).")
    }
    static let encrypted = SheetError(.encrypted, "Le fichier est protégé par un mot de passe.")
    static let zipBomb = SheetError(.zipBomb, "Le fichier se décompresse en un volume anormalement grand.")
    static let forbiddenDoctype = SheetError(.forbiddenXML, "Le fichier contient des déclarations XML interdites (DOCTYPE).")
    static let forbiddenEntity = SheetError(.forbiddenXML, "Le fichier contient des déclarations XML interdites (ENTITY).")
    static let unsupported = SheetError(.unsupportedFormat, "Format de fichier non pris en charge : seuls les fichiers .xlsx, .xls et .csv sont acceptés.")
    static let binary = SheetError(.unsupportedFormat, "Le fichier n'est pas un fichier texte (CSV) ni un classeur Excel.")
    static let zip64 = SheetError(.unsupportedFormat, "Les archives ZIP64 ne sont pas prises en charge.")
    static func zipMethod(_ m: Int) -> SheetError {
        SheetError(.unsupportedFormat, "Méthode de compression ZIP non prise en charge (\(m)).")
    }
    static let notWorkbook = SheetError(.unsupportedFormat, "L'archive ne contient pas de classeur Excel (.xlsx).")
    static let xlsb = SheetError(.unsupportedFormat, "Les classeurs binaires (.xlsb) ne sont pas pris en charge : enregistrez le fichier au format .xlsx.")
    static let ods = SheetError(.unsupportedFormat, "Les fichiers OpenDocument (.ods) ne sont pas pris en charge : enregistrez le fichier au format .xlsx.")
    static let oldXLS = SheetError(.unsupportedFormat, "Ce classeur Excel est d'un format trop ancien : enregistrez le fichier au format .xlsx.")
    static func tooManyRows(_ limit: Int) -> SheetError {
        SheetError(.tooManyCells, "Le fichier dépasse le nombre maximal de lignes (\(limit)).")
    }
    static func tooManyColumns(_ limit: Int) -> SheetError {
        SheetError(.tooManyCells, "Le fichier dépasse le nombre maximal de colonnes (\(limit)).")
    }
    static func tooManyCells(_ limit: Int) -> SheetError {
        SheetError(.tooManyCells, "Le fichier dépasse le nombre maximal de cellules (\(limit)).")
    }

    static let archiveTooLarge = SheetError(.tooLargeToWrite, "L'export dépasse 4 Go, la taille maximale d'un classeur .xlsx sans ZIP64 : filtrez la liste ou exportez en .csv.")
    static func tooManyRowsToWrite(_ limit: Int) -> SheetError {
        SheetError(.tooLargeToWrite, "L'export dépasse le nombre maximal de lignes d'une feuille Excel (\(limit)) : filtrez la liste ou exportez en .csv.")
    }
    static let outOfMemory = SheetError(.writeFailed, "La compression du fichier a échoué (mémoire insuffisante).")

    /// "2 Mo", "1,5 Mo", "512 Ko".
    static func megabytes(_ n: Int) -> String {
        if n >= 1 << 20 {
            let tenths = (n * 10 + (1 << 19) / 10) >> 20
            return tenths % 10 == 0 ? "\(tenths / 10) Mo" : "\(tenths / 10),\(tenths % 10) Mo"
        }
        if n >= 1 << 10 { return "\(n >> 10) Ko" }
        return "\(n) octets"
    }
}
