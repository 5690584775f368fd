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

    /// The demo shop's origin: Vitrine's public address with the other loopback name, so that the
    /// shop is another origin than the player's, as a brand's site is.
    static func shopOrigin(_ publicURL: String) -> String? {
        guard let url = URLComponents(string: publicURL), let host = url.host else { return nil }
        let other = host == "localhost" ? "127.0.0.1" : host == "127.0.0.1" ? "localhost" : nil
        return other.map { "\(url.scheme ?? "http")://\($0)\(url.port.map { ":\($0)" } ?? "")" }
    }

    func run() async throws {
        var config = try await settings.load()
        config.demoShop = true
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
            // The demo shop (`/demo/shop`) opened at the other loopback name is the brand's site.
            let scope = store.brand(brandID)
            let origins = try await scope.settings().embedOrigins
            if let shop = Self.shopOrigin(config.publicURL), !origins.contains(shop) {
                var change = BrandSettingsChange()
                change.embedOrigins = origins + [shop]
                _ = try await scope.updateSettings(change)
            }
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
              Live:     \(url)/watch/\(show.uuidString.lowercased())   (a test pattern streams to it)
              Studio:   \(url)/studio/\(show.uuidString.lowercased())
              Shop:     \(Self.shopOrigin(url) ?? url)/demo/shop   (a brand's own site embedding the show)

            """)
        if noServe { return }
        let app = try await buildApplication(
            config: config, logger: Logging.make(config), demoShow: config.rtmpPort == nil ? nil : show)
        try await app.runService()
    }
}
