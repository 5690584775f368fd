import Crypto
import Foundation

/// Random secrets (session tokens, API tokens, invitation links) and their stored hashes.
/// Secrets carry 256 bits of randomness, so a plain SHA-256 is enough to store them: unlike
/// passwords they cannot be guessed from a dictionary.
public enum Secrets {
    /// A URL-safe random string with `prefix` (e.g. `vit_`).
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// The hex SHA-256 of a secret, as stored.
    public static func hash(_ secret: String) -> String {
        hash(data: Data(secret.utf8))
    }

    /// The hex SHA-256 of bytes (an order's request body, to compare a retried one).
    public static func hash(data: Data) -> String {
        hex(Array(SHA256.hash(data: data)))
    }

    /// Lower-case hex of bytes (digests, MACs).
    public static func hex(_ bytes: [UInt8]) -> String {
        String(bytes.flatMap { byte in [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]] })
    }

    static let hexDigits = Array("0123456789abcdef")
}
