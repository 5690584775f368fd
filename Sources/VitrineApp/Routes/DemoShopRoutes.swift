import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// `/demo/shop`: a brand's own e-shop as it would embed Vitrine, to try the embed and its
/// hand-off cart. Open it at another host name than Vitrine's public address (for
/// `http://localhost:8080`, open `http://127.0.0.1:8080/demo/shop`): it is then another origin,
/// as a brand's site is, and the brand must list that origin among its embed origins.
/// `/demo/shop/collection` is a second page of the same site (the mini-player follows the visitor).
/// Served only with `demo.shop` (`vitrine demo` turns it on).
struct DemoShopRoutes {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/demo/shop", use: { request, context in try await page(request, context, home: true) })
        router.get("/demo/shop/collection", use: { request, context in try await page(request, context, home: false) })
    }

    func page(_ request: Request, _ context: AppRequestContext, home: Bool) async throws -> Response {
        let query = request.uri.queryParameters
        let slug = query["brand"].map(String.init) ?? "maison-lumiere"
        guard let brandID = try await services.store.brandID(slug: slug) else { throw APIError.notFound }
        let scope = services.store.brand(brandID)
        let brand = try await scope.settings()
        let shows = try await scope.publicShows(pastDays: 30)
        let chosen =
            query["show"].flatMap { UUID(uuidString: String($0)) }
            ?? (shows.first { $0.status == .live } ?? shows.first { $0.status == .scheduled }
            ?? shows.last { $0.status == .ended && $0.replayPublished })?.id
        let vitrine = services.config.publicURL
        let e = MailMessage.escapeHTML
        let show = chosen.map { $0.uuidString.lowercased() } ?? ""
        var main = ""
        if home {
            main =
                """
                <section class="hero"><h1>\(e(brand.name)) · Live shopping</h1>
                <p>Our live show, right here on our own site. Add to cart from the video: it goes into this shop's cart.</p></section>
                <div class="layout"><div class="vitrine-player" data-show="\(e(show))"></div>
                <aside><h2>Cart</h2><p id="cart-lines">Your cart is empty.</p>
                <h2>Events from the player</h2><ol id="events" aria-live="polite"></ol></aside></div>
                <h2>Our shows and replays</h2><div class="vitrine-shows" data-brand="\(e(slug))"></div>
                <p><a href="/demo/shop/collection?brand=\(e(slug))">Browse the collection →</a> (the player follows you as a mini-player)</p>
                """
        } else {
            main =
                """
                <section class="hero"><h1>The collection</h1><p>Another page of the brand's site: a show that was playing follows you here.</p></section>
                <p><a href="/demo/shop?brand=\(e(slug))">← Back to the live</a></p>
                """
        }
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(brand.name)) · demo shop</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/demo/shop.css">
            <script src="/demo/shop.js" defer></script>
            <script src="\(e(vitrine))/embed.js" async></script>
            </head><body>
            <header class="shop-bar"><a class="shop-name" href="/demo/shop?brand=\(e(slug))">\(e(brand.name))</a>
            <span class="cart">Cart: <strong id="cart-count">0</strong></span></header>
            <main>\(main)</main>
            <footer>A demo of a brand's own site embedding Vitrine (docs/embed.md).</footer>
            </body></html>
            """
        // The shop's own policy: its scripts and Vitrine's, Vitrine's frames.
        let policy =
            "default-src 'self'; script-src 'self' \(vitrine); style-src 'self' \(vitrine); img-src 'self' \(vitrine) https: data:; "
            + "frame-src \(vitrine); connect-src 'self' \(vitrine); frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                .init("Content-Security-Policy")!: policy,
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
