/// A rule of the domain was broken by input; carries a stable code and the field at fault.
public struct DomainError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input is invalid (HTTP 422).
        case invalid
        /// The input conflicts with the current state (HTTP 409).
        case conflict
        /// The thing does not exist, or belongs to another brand (HTTP 404).
        case notFound
        /// The caller may not do this (HTTP 403).
        case forbidden
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var field: String?

    public init(_ kind: Kind, code: String, message: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalid(_ field: String, _ message: String, code: String = "invalid_field") -> DomainError {
        DomainError(.invalid, code: code, message: message, field: field)
    }

    public static let notFound = DomainError(.notFound, code: "not_found", message: "Not found.")
}
