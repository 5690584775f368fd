import FluentKit
import Foundation
import VitrineDomain

final class SimulcastDestinationModel: Model, @unchecked Sendable {
    static let schema = "simulcast_destinations"
    @ID(key: .id) var id: UUID?
    @Field(key: "brand_id") var brandID: UUID
    @Field(key: "show_id") var showID: UUID
    @Field(key: "name") var name: String
    @Field(key: "url") var url: String
    @Field(key: "stream_key") var streamKey: String
    @Field(key: "enabled") var enabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var destination: SimulcastDestination {
        SimulcastDestination(
            id: id!, name: name, url: url, keyHint: String(streamKey.suffix(4)), enabled: enabled,
            createdAt: createdAt ?? Date())
    }
}

/// Another platform a show streams to, as the team sees it (the key masked).
public struct SimulcastDestination: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    /// `rtmp://` or `rtmps://` server URL, without the key.
    public var url: String
    public var keyHint: String
    public var enabled: Bool
    public var createdAt: Date
}

public struct SimulcastDestinationInput: Sendable, Codable, Equatable {
    public var name: String?
    public var url: String?
    public var streamKey: String?
    public var enabled: Bool?
}

extension BrandScope {
    public static let maxDestinations = 5

    public func destinations(showID: UUID) async throws -> [SimulcastDestination] {
        guard try await showModel(showID, on: db) != nil else { throw DomainError.notFound }
        return try await SimulcastDestinationModel.query(on: db).filter(\.$brandID == brandID)
            .filter(\.$showID == showID).sort(\.$createdAt).all().map(\.destination)
    }

    public func addDestination(showID: UUID, _ input: SimulcastDestinationInput) async throws -> SimulcastDestination {
        guard let url = input.url else {
            throw DomainError(.invalid, code: "missing_field", message: "'url' is required.", field: "url")
        }
        guard let key = input.streamKey else {
            throw DomainError(.invalid, code: "missing_field", message: "'streamKey' is required.", field: "streamKey")
        }
        let model = SimulcastDestinationModel()
        model.brandID = brandID
        model.showID = showID
        model.name = try Self.destinationName(input.name ?? URLComponents(string: url)?.host ?? "RTMP")
        model.url = try Self.destinationURL(url)
        model.streamKey = try Self.destinationKey(key)
        model.enabled = input.enabled ?? true
        return try await db.transaction { db in
            guard try await self.showModel(showID, on: db) != nil else { throw DomainError.notFound }
            let count = try await SimulcastDestinationModel.query(on: db).filter(\.$showID == showID).count()
            guard count < Self.maxDestinations else {
                throw DomainError(
                    .conflict, code: "too_many_destinations",
                    message: "A show streams to at most \(Self.maxDestinations) other platforms.")
            }
            try await model.create(on: db)
            return model.destination
        }
    }

    public func updateDestination(showID: UUID, id: UUID, _ input: SimulcastDestinationInput) async throws
        -> SimulcastDestination
    {
        let model = try await destinationModel(showID: showID, id: id)
        if let name = input.name { model.name = try Self.destinationName(name) }
        if let url = input.url { model.url = try Self.destinationURL(url) }
        if let key = input.streamKey { model.streamKey = try Self.destinationKey(key) }
        if let enabled = input.enabled { model.enabled = enabled }
        try await model.save(on: db)
        return model.destination
    }

    public func deleteDestination(showID: UUID, id: UUID) async throws {
        try await destinationModel(showID: showID, id: id).delete(on: db)
    }

    /// Throws 404 for an unknown destination or another brand's, before a body is read.
    public func requireDestination(showID: UUID, id: UUID) async throws {
        _ = try await destinationModel(showID: showID, id: id)
    }

    func destinationModel(showID: UUID, id: UUID) async throws -> SimulcastDestinationModel {
        guard
            let model = try await SimulcastDestinationModel.query(on: db).filter(\.$brandID == brandID)
                .filter(\.$showID == showID).filter(\.$id == id).first()
        else { throw DomainError.notFound }
        return model
    }

    static func destinationName(_ text: String) throws(DomainError) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(name.count),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalid("name", "The name has 1 to 80 characters.") }
        return name
    }

    public static func destinationURL(_ text: String) throws(DomainError) -> String {
        var url = text.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        guard url.count <= 500, let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "rtmp" || scheme == "rtmps", let host = parts.host, !host.isEmpty, parts.user == nil,
            parts.query == nil, parts.fragment == nil
        else {
            throw .invalid(
                "url",
                "Give the platform's server URL, such as rtmps://live-api-s.facebook.com:443/rtmp (rtmp:// or rtmps://)."
            )
        }
        return url
    }

    static func destinationKey(_ text: String) throws(DomainError) -> String {
        let key = text.trimmingCharacters(in: .whitespaces)
        guard (1...500).contains(key.count),
            !key.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            })
        else { throw .invalid("streamKey", "The stream key has 1 to 500 characters, without spaces.") }
        return key
    }
}

extension Store {
    /// The enabled destinations of a show, with their keys, for the ingest (never for the API).
    public func simulcastTargets(showID: UUID) async throws -> [(id: UUID, name: String, url: String)] {
        try await SimulcastDestinationModel.query(on: db).filter(\.$showID == showID).filter(\.$enabled == true)
            .sort(\.$createdAt).all().map { ($0.id!, $0.name, $0.url + "/" + $0.streamKey) }
    }
}
