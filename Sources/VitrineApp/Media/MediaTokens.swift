import Crypto
import Foundation
import VitrineStore

/// Signed, expiring tokens for the video of private shows: given to viewers who opened the show
/// with a guest link or its access code, carried in the playlist and segment URLs.
/// `EXPIRY.SIGNATURE`, the signature an HMAC-SHA256 of the show and the expiry with the server's key.
struct MediaTokens: Sendable {
    let store: Store
    /// Long enough for a long show watched from its start, short enough that a shared link dies.
    static let lifetime: TimeInterval = 6 * 3600

    func key() async throws -> SymmetricKey {
        SymmetricKey(data: Data(try await store.serverSecret("hls-token").utf8))
    }

    func token(showID: UUID, now: Date) async throws -> String {
        let expiry = Int(now.timeIntervalSince1970 + Self.lifetime)
        return "\(expiry).\(try await signature(showID: showID, expiry: expiry))"
    }

    func isValid(_ token: String, showID: UUID, now: Date) async -> Bool {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let expiry = Int(parts[0]), Double(expiry) > now.timeIntervalSince1970,
            let expected = try? await signature(showID: showID, expiry: expiry)
        else { return false }
        // Compared as digests, so the time taken tells nothing about how much was right.
        return SHA256.hash(data: Data(expected.utf8)) == SHA256.hash(data: Data(parts[1].utf8))
    }

    func signature(showID: UUID, expiry: Int) async throws -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("hls:\(showID.uuidString.lowercased()):\(expiry)".utf8), using: try await key())
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A playlist whose segment and init URIs carry the token (relative URIs do not inherit a query).
    static func sign(playlist: String, token: String) -> String {
        let query = "?token=" + token
        return playlist.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("#EXT-X-MAP:URI=\"") {
                return line.replacingOccurrences(of: ".mp4\"", with: ".mp4\(query)\"")
            }
            if !line.isEmpty && !line.hasPrefix("#") { return String(line) + query }
            return String(line)
        }.joined(separator: "\n")
    }
}
