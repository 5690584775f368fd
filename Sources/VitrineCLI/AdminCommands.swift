import ArgumentParser
import Foundation
import VitrineApp
import VitrineDomain

struct BrandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brand", abstract: "Manage brands.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a brand owned by an existing user.")
        @Option(help: "The brand's name.") var name: String
        @Option(help: "URL slug (default: made from the name).") var slug: String?
        @Option(help: "E-mail of the user who owns it.") var owner: String
        @OptionGroup var settings: Settings

        func run() async throws {
            let config = try await settings.load()
            let brand = try await Admin.withStore(config) { store in
                guard let owner = try await store.credentials(email: owner) else {
                    throw ValidationError("No user with the e-mail \(owner); create it with `vitrine user create`.")
                }
                return try await store.createBrand(name: name, slug: slug, ownerID: owner.user.id)
            }
            print("Brand \(brand.name) created: id \(brand.id.uuidString.lowercased()), slug \(brand.slug)")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (the password is generated and shown once unless --password-stdin).")
        @Option(help: "E-mail address, used to log in.") var email: String
        @Option(help: "Display name.") var name: String
        @Flag(help: "Read the password from standard input instead of generating one.") var passwordStdin = false
        @Option(help: "Slug of a brand to join.") var brand: String?
        @Option(help: "Role in that brand: owner, admin, producer, host, moderator.") var role: Role = .admin
        @OptionGroup var settings: Settings

        func run() async throws {
            let config = try await settings.load()
            let given = passwordStdin ? readLine(strippingNewline: true) : nil
            let (user, password) = try await Admin.withStore(config) { store in
                // The brand is looked up first: a wrong slug must not leave a user whose password was never shown.
                var brandID: UUID?
                if let brand {
                    guard let id = try await store.brandID(slug: brand) else {
                        throw ValidationError("No brand with the slug \(brand).")
                    }
                    brandID = id
                }
                let created = try await Admin.createUser(
                    store: store, config: config, email: email, name: name, password: given)
                if let brandID { _ = try await store.brand(brandID).addMember(userID: created.0.id, role: role) }
                return created
            }
            print("User \(user.email) created.")
            if given == nil { print("Password: \(password)   (shown once)") }
        }
    }
}

extension Role: ExpressibleByArgument {}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a Shopify product CSV export into a brand's catalog.")
    @Argument(help: "The CSV file (images given as relative paths are read next to it).") var file: String
    @Option(help: "Slug of the brand.") var brand: String
    @Flag(help: "Import nothing when any row is rejected.") var strict = false
    @OptionGroup var settings: Settings

    func run() async throws {
        let config = try await settings.load()
        let progress = ProgressBar()
        let report = try await Admin.withStore(config) { store in
            guard let brandID = try await store.brandID(slug: brand) else {
                throw ValidationError("No brand with the slug \(brand).")
            }
            do {
                return try await Admin.importFile(
                    store: store, config: config, path: file, brandID: brandID, strict: strict,
                    progress: { progress.show($0, of: $1) })
            } catch {
                throw ValidationError(Admin.describe(error))
            }
        }
        progress.finish()
        for row in report.rejected {
            print("line \(row.line): rejected: \(row.field.map { "\($0): " } ?? "")\(row.message)")
        }
        for row in report.warnings {
            print("line \(row.line): warning: \(row.message)")
        }
        print(
            "\(report.imported ? "Imported" : "Nothing imported"): \(report.created) created, \(report.updated) updated, "
                + "\(report.unchanged) unchanged, \(report.rejected.count) rows rejected.")
        if !report.imported { throw ExitCode(1) }
    }
}

/// A one-line progress bar on standard error when it is a terminal.
final class ProgressBar: Sendable {
    let enabled = isatty(STDERR_FILENO) != 0

    func show(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) products".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
