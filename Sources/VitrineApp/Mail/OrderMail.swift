import Foundation
import VitrineDomain
import VitrineStore

/// The buyer's e-mails about an order, in the order's language: the confirmation (sent by the job
/// queued with the order) and "shipped" (queued with the fulfilment). The job carries only the
/// order's id: the message is written from the order as it is when it is sent.
enum OrderMail {
    struct Payload: Codable {
        var order: UUID
        var mail: String
    }

    static func handler(store: Store, mailer: Mailer, from: String) -> JobHandler {
        { job in
            guard let brandID = job.brandID else { return }
            let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
            let scope = store.brand(brandID)
            let order: Order
            do {
                order = try await scope.order(payload.order)
            } catch let error as DomainError where error.kind == .notFound {
                return  // deleted (GDPR erasure): nothing to send
            }
            guard EmailRules.isValid(order.email), order.email != "erased@invalid" else { return }  // erased (GDPR)
            let brand = try await scope.settings()
            var message =
                switch payload.mail {
                case "shipped": shipped(order, brand: brand)
                case "refunded": refunded(order, brand: brand)
                default: confirmation(order, brand: brand, pickup: try await pickupStore(order, scope: scope))
                }
            message.from = from
            try await mailer.send(message)
        }
    }

    static func amount(_ money: Money, french: Bool) -> String {
        let symbol = ["EUR": "€", "GBP": "£", "CHF": "CHF", "USD": "$"][money.currency] ?? money.currency
        let decimal = Money.decimalString(minorUnits: money.minorUnits)
        guard !french else { return decimal.replacingOccurrences(of: ".", with: ",") + " " + symbol }
        return decimal.hasPrefix("-") ? "-" + symbol + decimal.dropFirst() : symbol + decimal
    }

    static func pickupStore(_ order: Order, scope: BrandScope) async throws -> PickupStore? {
        guard order.delivery == .pickup, let id = order.pickupStoreId else { return nil }
        return try? await scope.pickupStore(id)
    }

    static func confirmation(_ order: Order, brand: Brand, pickup: PickupStore? = nil) -> MailMessage {
        let french = order.language != "en"
        let subject =
            french
            ? "\(brand.name) : votre commande \(order.number) est enregistrée"
            : "\(brand.name): your order \(order.number) is confirmed"
        let hello = french ? "Bonjour \(order.name)," : "Hello \(order.name),"
        let intro =
            french
            ? "Merci pour votre commande \(order.number). Voici son récapitulatif."
            : "Thank you for your order \(order.number). Here is what you ordered."
        var rows: [(String, String)] = order.lines.map { line in
            (
                "\(line.quantity) × \(line.title)\(line.variantTitle.isEmpty ? "" : " (\(line.variantTitle))")",
                // Before the discount, which has its own row.
                amount(
                    Money(minorUnits: line.unitPrice.minorUnits * line.quantity, currency: line.total.currency),
                    french: french)
            )
        }
        if order.discount.minorUnits > 0 {
            rows.append(
                (
                    french ? "Remise" : "Discount",
                    amount(
                        Money(minorUnits: -order.discount.minorUnits, currency: order.discount.currency), french: french
                    )
                ))
        }
        rows.append((french ? "Livraison" : "Delivery", amount(order.deliveryPrice, french: french)))
        rows.append((french ? "Total TTC" : "Total (VAT included)", amount(order.total, french: french)))
        for vat in order.vat {
            let rate =
                "\(vat.rate / 100)\(vat.rate % 100 == 0 ? "" : (french ? "," : ".") + String(format: "%02d", vat.rate % 100)) %"
            rows.append((french ? "dont TVA \(rate)" : "of which VAT \(rate)", amount(vat.vat, french: french)))
        }
        let payment =
            switch order.payment {
            case .later:
                french
                    ? "Paiement : à régler plus tard ou en boutique. Votre commande vous attend."
                    : "Payment: to be paid later or in store. Your order is held for you."
            case .stripe:
                french ? "Paiement : reçu par carte." : "Payment: received by card."
            }
        let delivery: String
        if order.delivery == .pickup {
            delivery =
                (french ? "Retrait en boutique" : "Pick-up in store")
                + (pickup.map { store in
                    let address = store.address
                    return (french ? " : " : ": ")
                        + "\(store.name), \(address.line1), \(address.postalCode) \(address.city)"
                } ?? "") + "."
        } else if let address = order.address {
            let lines = [address.line1, address.line2, "\(address.postalCode) \(address.city)", address.country]
                .compactMap { $0 }.joined(separator: ", ")
            delivery = (french ? "Livraison à : " : "Delivery to: ") + lines
        } else {
            delivery = ""
        }
        let text =
            "\(hello)\n\n\(intro)\n\n" + rows.map { "\($0.0) : \($0.1)" }.joined(separator: "\n")
            + "\n\n\(payment)\n\(delivery)\n\n\(brand.name)\n"
        let table = rows.map {
            "<tr><td>\(MailMessage.escapeHTML($0.0))</td><td style=\"text-align:right\">\(MailMessage.escapeHTML($0.1))</td></tr>"
        }.joined()
        let html = """
            <!doctype html><html lang="\(french ? "fr" : "en")"><body style="font-family:sans-serif">
            <p>\(MailMessage.escapeHTML(hello))</p><p>\(MailMessage.escapeHTML(intro))</p>
            <table cellpadding="4">\(table)</table>
            <p>\(MailMessage.escapeHTML(payment))</p><p>\(MailMessage.escapeHTML(delivery))</p>
            <p style="color:#666">\(MailMessage.escapeHTML(brand.name))</p>
            </body></html>
            """
        return MailMessage(from: "", to: order.email, subject: subject, text: text, html: html)
    }

    static func shipped(_ order: Order, brand: Brand) -> MailMessage {
        let french = order.language != "en"
        let subject =
            french
            ? "\(brand.name) : votre commande \(order.number) est en route"
            : "\(brand.name): your order \(order.number) is on its way"
        let hello = french ? "Bonjour \(order.name)," : "Hello \(order.name),"
        let intro =
            french
            ? "Votre commande \(order.number) a été expédiée par \(order.carrier ?? "") (suivi : \(order.trackingNumber ?? ""))."
            : "Your order \(order.number) was sent with \(order.carrier ?? "") (tracking: \(order.trackingNumber ?? ""))."
        let action = french ? "Suivre le colis" : "Track the parcel"
        var text = "\(hello)\n\n\(intro)\n"
        var link = ""
        if let url = order.trackingUrl {
            text += "\n\(action) : \(url)\n"
            link = "<p><a href=\"\(MailMessage.escapeHTML(url))\">\(MailMessage.escapeHTML(action))</a></p>"
        }
        text += "\n\(brand.name)\n"
        let html = """
            <!doctype html><html lang="\(french ? "fr" : "en")"><body style="font-family:sans-serif">
            <p>\(MailMessage.escapeHTML(hello))</p><p>\(MailMessage.escapeHTML(intro))</p>\(link)
            <p style="color:#666">\(MailMessage.escapeHTML(brand.name))</p>
            </body></html>
            """
        return MailMessage(from: "", to: order.email, subject: subject, text: text, html: html)
    }

    /// A card payment Vitrine could not keep (it came after the order's hold expired and the item
    /// sold out meanwhile, or the order was cancelled): the buyer learns it was refunded in full.
    static func refunded(_ order: Order, brand: Brand) -> MailMessage {
        let french = order.language != "en"
        let subject =
            french
            ? "\(brand.name) : votre commande \(order.number) est annulée et remboursée"
            : "\(brand.name): your order \(order.number) is cancelled and refunded"
        let hello = french ? "Bonjour \(order.name)," : "Hello \(order.name),"
        let total = amount(order.total, french: french)
        let intro =
            french
            ? "Votre paiement de \(total) est arrivé alors que l'article n'était plus disponible : nous l'avons remboursé en totalité sur votre carte. Le remboursement apparaît sous quelques jours."
            : "Your payment of \(total) arrived when the item was no longer available: we refunded it in full to your card. The refund shows within a few days."
        let text = "\(hello)\n\n\(intro)\n\n\(brand.name)\n"
        let html = """
            <!doctype html><html lang="\(french ? "fr" : "en")"><body style="font-family:sans-serif">
            <p>\(MailMessage.escapeHTML(hello))</p><p>\(MailMessage.escapeHTML(intro))</p>
            <p style="color:#666">\(MailMessage.escapeHTML(brand.name))</p>
            </body></html>
            """
        return MailMessage(from: "", to: order.email, subject: subject, text: text, html: html)
    }
}
