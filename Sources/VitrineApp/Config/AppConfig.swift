import Configuration
import Foundation
import Logging
import VitrineLive
import VitrineStore

/// Settings read once at start-up: command line > environment (`VITRINE_…`) > `.env` > defaults.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var database: DatabaseLocation
    /// Base URL people use to reach this server (invitation links, cookies' Secure flag).
    public var publicURL: String
    public var logLevel: Logger.Level
    /// bcrypt work factor; 12 in production, lower only in tests.
    public var bcryptCost: Int
    /// Failed logins allowed per e-mail and per address within `loginWindow` seconds.
    public var loginAttempts: Int
    public var loginWindow: Double
    /// Outgoing e-mail; nil when `smtp.host` is not set (links are then only shown, not sent).
    public var smtp: SMTPSettings?
    /// Webhooks may go to loopback and private addresses: for tests and local development only.
    public var webhooksAllowPrivate: Bool
    /// Simulcast destinations may be on loopback and private addresses: for tests and local development only.
    public var simulcastAllowPrivate: Bool
    /// Serves the demo shop (`/demo/shop`, a brand's site embedding Vitrine): `vitrine demo` and tests.
    public var demoShop: Bool
    /// Seconds before a failed job's first retry; each retry waits twice as long, at most an hour.
    public var jobRetryDelay: Double
    /// This node runs the durable jobs (e-mails, webhooks…); off only for benchmarks that measure
    /// what is enqueued, not what is sent.
    public var runJobs: Bool
    /// The RTMP ingest (OBS and other encoders): address and port; nil port turns it off.
    public var rtmpHost: String
    public var rtmpPort: Int?
    /// Seconds a live show waits for its encoder to come back before it ends.
    public var rtmpGrace: Int
    /// Addresses of the load balancers in front of this node: from them only, the client's
    /// address is read from `X-Forwarded-For` (for per-address limits and bans).
    public var trustedProxies: Set<String>
    /// Rates and queue sizes of the live rooms.
    public var live: LiveLimits
    /// How orders reach the disk: `group` (many per transaction, the default) or `single` (one
    /// transaction each: the naive design, for comparison in `vitrine bench orders`).
    public var orderCommit: OrderCommit
    /// Seals the secrets Vitrine reads back (brands' Stripe keys): `secrets.key` (32 bytes in
    /// base64), else the file `secrets.key` in the data directory, made the first time.
    public var secretsKey: String?
    /// Seconds a checkout holds its stock (and a card order, until its payment is confirmed).
    public var holdSeconds: Int
    public var secretsKeyFile: String { dataDirectory + "/secrets.key" }
    /// Stripe's API and Stripe.js (the Payment Element): Stripe's own addresses but in tests.
    public var stripeAPI: String
    public var stripeJS: String
    public var hlsDirectory: String { dataDirectory + "/hls" }

    /// Sessions get the Secure flag when the public URL is https.
    public var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }
    public var mediaDirectory: String { dataDirectory + "/media" }
}

/// A setting with a value that cannot be used; start-up stops with this message.
public struct ConfigError: Error, CustomStringConvertible {
    public var setting: String
    public var message: String
    public var description: String {
        "Invalid setting \(setting) (environment VITRINE_\(setting.uppercased().replacingOccurrences(of: ".", with: "_"))): \(message)"
    }
}

extension AppConfig {
    /// The providers in precedence order. `arguments` are the options the subcommand did not parse itself.
    public static func reader(arguments: [String], environment: [String: String], dotEnvPath: String = ".env")
        async throws -> ConfigReader
    {
        let prefixed: @Sendable (AbsoluteConfigKey) -> AbsoluteConfigKey = { $0.prepending(["vitrine"]) }
        var providers: [any ConfigProvider] = [
            CommandLineArgumentsProvider(arguments: ["vitrine"] + arguments),
            KeyMappingProvider(
                upstream: EnvironmentVariablesProvider(environmentVariables: environment), keyMapper: prefixed),
        ]
        let dotEnv = try await EnvironmentVariablesProvider(environmentFilePath: .init(dotEnvPath), allowMissing: true)
        providers.append(KeyMappingProvider(upstream: dotEnv, keyMapper: prefixed))
        return ConfigReader(providers: providers)
    }

    /// Reads and checks every setting; the first bad one stops start-up naming the setting.
    public init(reader: ConfigReader) throws {
        host = reader.string(forKey: "http.host", default: "127.0.0.1")
        port = try Self.int(reader, "http.port", default: 8080, range: 0...65535)
        dataDirectory = reader.string(forKey: "data.dir", default: "./data")
        guard !dataDirectory.isEmpty else { throw ConfigError(setting: "data.dir", message: "must not be empty") }
        if let url = reader.string(forKey: "database.url"), !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), URL(string: url)?.host != nil else {
                throw ConfigError(
                    setting: "database.url", message: "expected postgres://user:password@host:port/database")
            }
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: dataDirectory + "/vitrine.sqlite")
        }
        publicURL = reader.string(forKey: "public.url", default: "http://localhost:\(port == 0 ? 8080 : port)")
        guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://") else {
            throw ConfigError(setting: "public.url", message: "expected an http:// or https:// URL, got '\(publicURL)'")
        }
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        let level = reader.string(forKey: "log.level", default: "info")
        guard let parsedLevel = Logger.Level(rawValue: level) else {
            throw ConfigError(
                setting: "log.level", message: "expected trace, debug, info, notice, warning, error or critical")
        }
        logLevel = parsedLevel
        bcryptCost = try Self.int(reader, "auth.bcrypt.cost", default: 12, range: 4...31)
        loginAttempts = try Self.int(reader, "auth.login.attempts", default: 5, range: 1...1000)
        loginWindow = Double(try Self.int(reader, "auth.login.window", default: 900, range: 1...86400))
        if let host = reader.string(forKey: "smtp.host"), !host.isEmpty {
            let tls = reader.string(forKey: "smtp.starttls", default: "true")
            guard tls == "true" || tls == "false" else {
                throw ConfigError(setting: "smtp.starttls", message: "expected true or false, got '\(tls)'")
            }
            let from = reader.string(forKey: "mail.from", default: "Vitrine <no-reply@\(host)>")
            guard from.contains("@") else {
                throw ConfigError(
                    setting: "mail.from", message: "expected an address such as Vitrine <live@example.com>")
            }
            smtp = SMTPSettings(
                host: host, port: try Self.int(reader, "smtp.port", default: 587, range: 1...65535),
                startTLS: tls == "true",
                username: reader.string(forKey: "smtp.username"),
                password: reader.string(forKey: "smtp.password", isSecret: true),
                from: from, caCertificate: reader.string(forKey: "smtp.cacert"))
        } else {
            smtp = nil
        }
        webhooksAllowPrivate = try Self.bool(reader, "webhooks.private.allowed", default: false)
        simulcastAllowPrivate = try Self.bool(reader, "simulcast.private.allowed", default: false)
        demoShop = try Self.bool(reader, "demo.shop", default: false)
        jobRetryDelay = Double(try Self.int(reader, "jobs.retry.delay", default: 30, range: 1...3600))
        runJobs = try Self.bool(reader, "jobs.run", default: true)
        rtmpHost = reader.string(forKey: "rtmp.host", default: host)
        if reader.string(forKey: "rtmp.port") == "off" {
            rtmpPort = nil
        } else {
            rtmpPort = try Self.int(reader, "rtmp.port", default: 1935, range: 1...65535)
        }
        rtmpGrace = try Self.int(reader, "rtmp.grace", default: 60, range: 1...3600)
        let commit = reader.string(forKey: "orders.commit", default: "group")
        guard let orderCommit = OrderCommit(rawValue: commit) else {
            throw ConfigError(setting: "orders.commit", message: "expected group or single, got '\(commit)'")
        }
        self.orderCommit = orderCommit
        secretsKey = reader.string(forKey: "secrets.key", isSecret: true)
        holdSeconds = try Self.int(reader, "orders.hold.seconds", default: 600, range: 1...86400)
        stripeAPI = reader.string(forKey: "stripe.api", default: "https://api.stripe.com")
        stripeJS = reader.string(forKey: "stripe.js", default: "https://js.stripe.com/v3/")
        for (setting, url) in [("stripe.api", stripeAPI), ("stripe.js", stripeJS)] {
            guard let parsed = URLComponents(string: url), parsed.scheme == "https" || parsed.scheme == "http",
                parsed.host != nil
            else { throw ConfigError(setting: setting, message: "expected an http(s) address, got '\(url)'") }
        }
        trustedProxies = Set(
            reader.string(forKey: "http.proxies.trusted", default: "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        live = LiveLimits()
        live.chatPerIPPerSecond = Double(
            try Self.int(reader, "live.chat.ip.rate", default: Int(live.chatPerIPPerSecond), range: 1...100_000))
        live.chatPerIPBurst = live.chatPerIPPerSecond * 3
        live.reactionsPerIPPerSecond = Double(
            try Self.int(
                reader, "live.reactions.ip.rate", default: Int(live.reactionsPerIPPerSecond), range: 1...1_000_000))
        live.connectionsPerIPPerSecond = Double(
            try Self.int(
                reader, "live.connections.ip.rate", default: Int(live.connectionsPerIPPerSecond), range: 1...1_000_000))
        live.connectionsPerIPBurst = live.connectionsPerIPPerSecond * 10
        live.outboxBytes = try Self.int(
            reader, "live.outbox.bytes", default: live.outboxBytes, range: 4096...(64 << 20))
        live.tick = .milliseconds(try Self.int(reader, "live.tick.ms", default: 50, range: 10...1000))
    }

    static func bool(_ reader: ConfigReader, _ key: String, default value: Bool) throws -> Bool {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return value }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigError(setting: key, message: "expected true or false, got '\(text)'")
        }
    }

    static func int(_ reader: ConfigReader, _ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return value }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw ConfigError(
                setting: key,
                message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }
}
