import ArgumentParser
import Foundation
import VitrineApp

/// The `vitrine` command: the server and its administration.
@main
struct Vitrine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitrine",
        abstract: "Vitrine, live video shopping on a brand's own site.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, BrandCommand.self, UserCommand.self, Import.self, Bench.self,
        ]
    )
}

/// Settings given on the command line after the subcommand's own options (`--http-port 9000`).
struct Settings: ParsableArguments {
    @Argument(
        parsing: .allUnrecognized,
        help:
            "Settings such as --http-port 9000 --data-dir ./data --database-url postgres://… (also VITRINE_HTTP_PORT, …, or .env)"
    )
    var values: [String] = []

    func load() async throws -> AppConfig {
        do {
            let reader = try await AppConfig.reader(arguments: values, environment: ProcessInfo.processInfo.environment)
            return try AppConfig(reader: reader)
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (migrates the database first).")
    @OptionGroup var settings: Settings

    func run() async throws {
        let config = try await settings.load()
        let app = try await buildApplication(config: config, logger: Logging.make(config))
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then exit.")
    @OptionGroup var settings: Settings

    func run() async throws {
        let config = try await settings.load()
        try await Admin.withStore(config) { _ in }
        print("Database up to date: \(config.database)")
    }
}
