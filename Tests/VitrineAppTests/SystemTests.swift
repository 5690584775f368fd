import Configuration
import Foundation
import Testing

@testable import VitrineApp
import VitrineStore

@Suite struct SystemTests {
    @Test func healthAndMetricsAnswerWithoutLogin() async throws {
        let env = try await TestEnvironment.make()
        try await env.test { client in
            let basic = try await client.execute(
                uri: "/healthz", method: .get, headers: [.authorization: "Basic dXNlcjpwYXNz"]
            ) { $0.status }
            #expect(basic == .ok, "a proxy's Basic header is not mistaken for an API token")
            let health = try await client.call(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.json["database"] as? String == "ok")
            #expect(health.headers[.init("X-Request-Id")!]?.isEmpty == false)
            _ = try await client.call(.get, "/api/me")
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(
                metrics.text.contains(#"vitrine_http_requests_total{method="GET",route="/healthz",status="200"} 2"#))
            #expect(metrics.text.contains(#"route="/api/me",status="401""#))
            #expect(metrics.text.contains("vitrine_http_request_duration_seconds_bucket"))
        }
    }

    @Test func settingsPrecedenceCommandLineThenEnvironment() async throws {
        // setup
        let environment = [
            "VITRINE_HTTP_PORT": "9001", "VITRINE_DATA_DIR": "/srv/vitrine", "VITRINE_LOG_LEVEL": "debug",
        ]
        // MUT
        let reader = try await AppConfig.reader(
            arguments: ["--http-port", "9002"], environment: environment, dotEnvPath: "/nonexistent/.env")
        let config = try AppConfig(reader: reader)
        // validate
        #expect(config.port == 9002)
        #expect(config.dataDirectory == "/srv/vitrine")
        #expect(config.database == .sqlite(path: "/srv/vitrine/vitrine.sqlite"))
        #expect(config.logLevel == .debug)
        #expect(config.bcryptCost == 12)
        #expect(!config.secureCookies)
    }

    @Test(arguments: [
        ("--http-port", "99999", "http.port"), ("--database-url", "mysql://db/vitrine", "database.url"),
        ("--public-url", "ftp://x", "public.url"), ("--auth-bcrypt-cost", "2", "auth.bcrypt.cost"),
    ])
    func badValueNamesTheSetting(option: String, value: String, setting: String) async throws {
        let reader = try await AppConfig.reader(
            arguments: [option, value], environment: [:], dotEnvPath: "/nonexistent/.env")
        #expect {
            try AppConfig(reader: reader)
        } throws: { error in
            // The database URL may hold a password: its value is never repeated back.
            (error as? ConfigError)?.setting == setting
                && "\(error)".contains(setting) && ("\(error)".contains(value) == (setting != "database.url"))
        }
    }

    @Test func postgresPasswordIsMaskedInDescriptions() {
        let location = VitrineStore.DatabaseLocation.postgres(url: "postgres://vitrine:s3cret@db:5432/vitrine")
        #expect(!location.description.contains("s3cret"))
        #expect(location.description.contains("db:5432"))
    }
}
