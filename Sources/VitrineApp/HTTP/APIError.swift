import FluentKit
import Foundation
import Hummingbird
import NIOCore
import VitrineDomain

/// An error answered as `{"error":{"code","message","field"}}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static let unauthenticated = APIError(
        .unauthorized, code: "unauthenticated", message: "Log in or send an API token.")
    public static let forbidden = APIError(.forbidden, code: "forbidden", message: "You are not allowed to do this.")
    public static let notFound = APIError(.notFound, code: "not_found", message: "Not found.")

    public static func badRequest(_ message: String, field: String? = nil, code: String = "bad_request") -> APIError {
        APIError(.badRequest, code: code, message: message, field: field)
    }

    struct Body: Encodable {
        struct Inner: Encodable {
            var code: String
            var message: String
            var field: String?
        }
        var error: Inner
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Body(error: .init(code: code, message: message, field: field)))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The API form of any error thrown below the routes.
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .invalid: .unprocessableContent
                case .conflict: .conflict
                case .notFound: .notFound
                case .forbidden: .forbidden
                }
            return APIError(status, code: error.code, message: error.message, field: error.field)
        case let error as any DatabaseError where error.isConstraintFailure:
            // A concurrent request won the race to create the same thing.
            return APIError(
                .conflict, code: "conflict", message: "This conflicts with a change made at the same moment; try again."
            )
        case is NIOTooManyBytesError:
            return APIError(
                .contentTooLarge, code: "body_too_large",
                message: "The request body is too large (JSON at most 1 MiB, CSV at most 20 MiB).")
        case let error as HTTPError:
            let code =
                switch error.status {
                case .contentTooLarge: "body_too_large"
                case .notFound: "not_found"
                case .methodNotAllowed: "method_not_allowed"
                default: "http_\(error.status.code)"
                }
            let message =
                error.status == .contentTooLarge
                ? "The request body is too large (JSON at most 1 MiB, CSV at most 20 MiB)."
                : (error.body ?? error.status.reasonPhrase)
            return APIError(error.status, code: code, message: message)
        default:
            return nil
        }
    }
}

extension Request {
    /// An optional query parameter naming one case of `T` (`?status=pending`), or a 400 that lists them.
    func enumQuery<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let text = uri.queryParameters[Substring(name)], !text.isEmpty else { return nil }
        guard let value = T(rawValue: String(text)) else {
            throw APIError(
                .badRequest, code: "invalid_query",
                message: "\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")).", field: name)
        }
        return value
    }
}
