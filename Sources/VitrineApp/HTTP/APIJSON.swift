import Foundation
import Hummingbird

/// JSON in and out of the API: ISO 8601 dates, bounded bodies, decoding errors that name the field.
public enum APIJSON {
    public static let maxBody = 1024 * 1024

    public struct Encoder: ResponseEncoder {
        public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws
            -> Response
        {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(value)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    public struct Decoder: RequestDecoder {
        public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext)
            async throws -> T
        {
            if let contentType = request.headers[.contentType], !contentType.lowercased().contains("json") {
                throw APIError(
                    .unsupportedMediaType, code: "unsupported_media_type",
                    message: "Send JSON with Content-Type: application/json.")
            }
            let buffer = try await request.body.collect(upTo: maxBody)
            return try APIJSON.decode(type, from: Data(buffer: buffer))
        }
    }

    /// Decodes JSON, turning Foundation's errors into messages that name the JSON path at fault.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else {
            throw APIError.badRequest("The request body is empty; send a JSON object.", code: "invalid_json")
        }
        guard String(validating: data, as: UTF8.self) != nil else {
            throw APIError.badRequest("The request body is not valid UTF-8.", code: "invalid_json")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce(into: "") { path, key in
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
    }

    static func describe(_ error: DecodingError) -> APIError {
        switch error {
        case .typeMismatch(let type, let context):
            return APIError(
                .unprocessableContent, code: "invalid_field",
                message: "Expected \(typeName(type)) at '\(path(context.codingPath))'.", field: path(context.codingPath)
            )
        case .valueNotFound(let type, let context):
            return APIError(
                .unprocessableContent, code: "invalid_field",
                message: "Expected \(typeName(type)) at '\(path(context.codingPath))', got null.",
                field: path(context.codingPath))
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return APIError(
                .unprocessableContent, code: "missing_field", message: "'\(field)' is required.", field: field)
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = path(context.codingPath)
            return APIError(
                .unprocessableContent, code: "invalid_field",
                message: "The value at '\(field)' is not allowed (\(context.debugDescription)).", field: field)
        case .dataCorrupted:
            return APIError.badRequest("The request body is not valid JSON.", code: "invalid_json")
        @unknown default:
            return APIError.badRequest("The request body could not be read.", code: "invalid_json")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
