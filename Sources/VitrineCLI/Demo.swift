import ArgumentParser
import Foundation
import VitrineApp
import VitrineDomain

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a demo brand with its catalog and an owner account, print how to log in, and serve.")
    @Flag(help: "Prepare the demo data and exit without serving.") var noServe = false
    @OptionGroup var settings: Settings

    static let email = "demo@vitrine.test"
    static let slug = "maison-lumiere"

    func run() async throws {
        let config = try await settings.load()
        let (password, report, show) = try await Admin.withStore(config) { store in
            let password: String
            let userID: UUID
            if let existing = try await store.credentials(email: Self.email) {
                userID = existing.user.id
                password = try await Admin.resetPassword(store: store, config: config, userID: userID)
            } else {
                let (user, generated) = try await Admin.createUser(
                    store: store, config: config, email: Self.email, name: "Camille (démo)", password: nil)
                userID = user.id
                password = generated
            }
            let brandID: UUID
            if let id = try await store.brandID(slug: Self.slug) {
                brandID = id
                _ = try await store.brand(id).addMember(userID: userID, role: .owner)
            } else {
                brandID = try await store.createBrand(name: "Maison Lumière", slug: Self.slug, ownerID: userID).id
            }
            let report = try await Admin.importFile(
                store: store, config: config, path: Admin.demoCatalogPath, brandID: brandID, strict: false)
            let show = try await Admin.demoShow(store: store, brandID: brandID)
            return (password, report, show)
        }
        let url = config.publicURL
        print(
            """

            Vitrine demo is ready.
              Catalog: \(report.created) products created, \(report.updated) updated, \(report.unchanged) unchanged
              Open:     \(url)/admin/
              E-mail:   \(Self.email)
              Password: \(password)   (shown once; run `vitrine demo` again for a new one)
              Live:     \(url)/b/\(Self.slug)/shows/\(show.uuidString.lowercased())   (a test pattern streams to it)

            """)
        if noServe { return }
        let app = try await buildApplication(
            config: config, logger: Logging.make(config), demoShow: config.rtmpPort == nil ? nil : show)
        try await app.runService()
    }
}
