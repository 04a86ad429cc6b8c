/// A problem with one field of an input, with a French message a user can act on.
/// `field` is a dotted path (`main_contact.email`, `billing_addresses[0].postal_code`).
public struct FieldError: Error, Hashable, Sendable, Codable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// One or more field errors for a record.
public struct ValidationError: Error, Hashable, Sendable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    public init(field: String, message: String) { self.errors = [FieldError(field: field, message: message)] }
}

/// Why one value was refused: a French message that does not echo the value. The per-type
/// normalizers of `Validator` return `Result<String, ValueError>`; it is written as a string
/// literal (`.failure("Code APE invalide…")`).
public struct ValueError: Error, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public var message: String
    public init(_ message: String) { self.message = message }
    public init(stringLiteral value: String) { self.message = value }
    public init(stringInterpolation: DefaultStringInterpolation) { self.message = String(stringInterpolation: stringInterpolation) }
    public var description: String { message }
}
