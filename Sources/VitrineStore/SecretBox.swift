import Crypto
import Foundation

/// Seals the secrets Vitrine must read back (a brand's payment keys) with AES-GCM, under a key
/// kept outside the database: a copy of the database alone does not give them away.
public struct SecretBox: Sendable {
    let keyData: Data
    var key: SymmetricKey { SymmetricKey(data: keyData) }

    public init(key: SymmetricKey) {
        keyData = key.withUnsafeBytes { Data($0) }
    }

    /// A box with a new random key (tests).
    public static func random() -> SecretBox {
        SecretBox(key: SymmetricKey(size: .bits256))
    }

    /// The key from `text` (32 bytes in base64), or else from the file at `path`, made with a new
    /// random key (readable by its owner only) the first time.
    public static func load(base64 text: String?, file path: String) throws -> SecretBox {
        if let text, !text.isEmpty {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw SecretBoxError(message: "expected 32 bytes in base64 (openssl rand -base64 32)")
            }
            return SecretBox(key: SymmetricKey(data: data))
        }
        if let data = FileManager.default.contents(atPath: path) {
            guard
                let decoded = Data(
                    base64Encoded: String(decoding: data, as: UTF8.self)
                        .trimmingCharacters(in: .whitespacesAndNewlines)), decoded.count == 32
            else { throw SecretBoxError(message: "\(path) does not hold 32 bytes in base64") }
            return SecretBox(key: SymmetricKey(data: decoded))
        }
        let key = SymmetricKey(size: .bits256)
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw SecretBoxError(message: "cannot write \(path)") }
        return SecretBox(key: key)
    }

    /// `v1.` + base64 of nonce, ciphertext and tag.
    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key)
        guard let combined = box.combined else { throw SecretBoxError(message: "cannot seal") }
        return "v1." + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix("v1."), let data = Data(base64Encoded: String(sealed.dropFirst(3))) else {
            throw SecretBoxError(message: "not a sealed secret")
        }
        do {
            return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
        } catch {
            throw SecretBoxError(
                message: "a secret sealed with another key (is secrets.key the one it was saved with?)")
        }
    }
}

public struct SecretBoxError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "Secrets key: \(message)" }
}
