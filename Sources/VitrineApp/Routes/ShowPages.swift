import Foundation
import Hummingbird
import VitrineDomain
import VitrineStore

/// A brand's public pages, made on the server so they work without script and load fast on a
/// phone: the upcoming shows (list and month calendar, with the iCalendar feed to subscribe to),
/// and a page per show with its countdown, "remind me" form and "add to calendar" link.
/// Every text that comes from a brand or a viewer is escaped.
struct ShowPages {
    let services: AppServices
    let publicRoutes: PublicRoutes
    let audience: AudienceRoutes
    var showRoutes: PublicShowRoutes { PublicShowRoutes(services: services, publicRoutes: publicRoutes) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/b/{slug}", use: upcoming)
        router.get("/b/{slug}/shows/{showId}", use: showPage)
        router.post("/b/{slug}/shows/{showId}", use: remind)
    }

    // MARK: Pages

    @Sendable func upcoming(request: Request, context: AppRequestContext) async throws -> Response {
        let scope: BrandScope
        switch try await brandScope(request, context) {
        case .success(let found): scope = found
        case .failure(let missing): return missing.response
        }
        let brand = try await scope.settings()
        let text = PageText(language: language(request, brand: brand))
        let zone = TimeZone(identifier: brand.timeZone) ?? .gmt
        let now = services.clock()
        let shows = try await scope.publicShows(pastDays: 1)
            .filter {
                $0.status == .live
                    || ($0.status == .scheduled && ($0.scheduledStart ?? now) > now.addingTimeInterval(-3600))
            }
        let slug = brand.slug
        let feed = "\(services.config.publicURL)/api/public/brands/\(slug)/calendar.ics"
        let webcal = feed.replacingOccurrences(of: #"^https?://"#, with: "webcal://", options: .regularExpression)
        var body = header(brand, text: text, home: true)
        body += "<main id=\"main\"><h1>\(text["upcoming"])</h1>"
        if shows.isEmpty {
            body += "<p class=\"empty\">\(text["none"])</p>"
        } else {
            body += "<ol class=\"show-list\">"
            for show in shows {
                body +=
                    "<li class=\"show-item\"><a href=\"\(showPath(slug, show))\"><span class=\"show-title\">\(e(show.title))</span></a>"
                if show.status == .live { body += " <span class=\"badge live\">\(text["live_now"])</span>" }
                if let start = show.scheduledStart {
                    body += "<br><time datetime=\"\(iso(start))\">\(e(text.dateTime(start, zone: zone)))</time>"
                }
                body += "</li>"
            }
            body += "</ol>"
            body += calendarGrid(shows, zone: zone, now: now, text: text, slug: slug)
        }
        body += "<p class=\"subscribe\"><a class=\"button\" href=\"\(e(webcal))\">\(text["subscribe"])</a> "
        body += "<a href=\"\(e(feed))\">\(text["feed_link"])</a></p>"
        body += "<p class=\"hint\">\(text["subscribe_hint"])</p></main>"
        return page(brand: brand, text: text, title: "\(brand.name) · \(text["upcoming"])", body: body)
    }

    @Sendable func showPage(request: Request, context: AppRequestContext) async throws -> Response {
        let scope: BrandScope
        switch try await brandScope(request, context) {
        case .success(let found): scope = found
        case .failure(let missing): return missing.response
        }
        let brand = try await scope.settings()
        let text = PageText(language: language(request, brand: brand))
        let id = try context.parameters.id("showId")
        let query = request.uri.queryParameters
        var access = Access(guest: query["guest"].map(String.init), code: query["code"].map(String.init))
        if let show = try await showRoutes.viewable(
            scope, id: id, guest: access.guest, code: access.code, context: context)
        {
            if show.format == .private {
                access.mediaToken = try await services.mediaTokens.token(showID: show.id, now: services.clock())
            }
            return render(scope: scope, brand: brand, show: show, text: text, notice: nil, access: access)
        }
        guard try await scope.isPrivateShow(id) else { return notFound(brand: brand, text: text) }
        return codeForm(brand: brand, id: id, text: text, wrong: access.given)
    }

    /// What opens a private show: a guest's link token or the access code, carried along by links and forms.
    struct Access {
        var guest: String?
        var code: String?
        /// For a private show opened with a guest link or the code: the video's signed token.
        var mediaToken: String?
        var given: Bool { !(guest ?? "").isEmpty || !(code ?? "").isEmpty }
        /// `&guest=…` or `&code=…` (escaped for an attribute), or nothing.
        var query: String {
            if let guest, !guest.isEmpty { return "&guest=" + Self.encoded(guest) }
            if let code, !code.isEmpty { return "&code=" + Self.encoded(code) }
            return ""
        }
        var hiddenFields: String {
            var html = ""
            if let guest, !guest.isEmpty {
                html += "<input type=\"hidden\" name=\"guest\" value=\"\(MailMessage.escapeHTML(guest))\">"
            }
            if let code, !code.isEmpty {
                html += "<input type=\"hidden\" name=\"code\" value=\"\(MailMessage.escapeHTML(code))\">"
            }
            return html
        }
        static func encoded(_ text: String) -> String {
            MailMessage.escapeHTML(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
    }

    /// A private show opened without (or with a wrong) guest link or code: the code form.
    func codeForm(
        brand: Brand, id: UUID, text: PageText, wrong: Bool, action: String? = nil, hidden: [String: String] = [:]
    ) -> Response {
        var body = header(brand, text: text, home: false)
        body += "<main id=\"main\"><h1>\(text["private_title"])</h1>"
        if wrong {
            body +=
                "<p class=\"message message-error\" role=\"status\" tabindex=\"-1\" id=\"notice\">\(text["wrong_code"])</p>"
        }
        body += """
            <form class="card" method="get" action="\(action ?? "/b/\(e(brand.slug))/shows/\(id.uuidString.lowercased())")">
            <p>\(text["private_intro"])</p>
            <input type="hidden" name="lang" value="\(text.language)">\(hidden.map { "<input type=\"hidden\" name=\"\(e($0.key))\" value=\"\(e($0.value))\">" }.joined())
            <p><label for="code">\(text["access_code"])</label><br>
            <input id="code" name="code" type="text" required autocomplete="off" autocapitalize="characters" maxlength="40"></p>
            <p><button type="submit" class="button primary">\(text["open"])</button></p></form></main>
            """
        return page(
            brand: brand, text: text, title: "\(text["private_title"]) · \(brand.name)", body: body,
            status: wrong ? .forbidden : .ok)
    }

    func notFound(brand: Brand?, text: PageText) -> Response {
        let body = "<main id=\"main\"><h1>\(text["not_found"])</h1></main>"
        if let brand {
            return page(brand: brand, text: text, title: text["not_found"], body: body, status: .notFound)
        }
        return HTMLPage.message(status: .notFound, french: text.french, title: text["not_found"], text: "")
    }

    /// The "remind me" form: the same registration as the API, answered with the page and a message.
    @Sendable func remind(request: Request, context: AppRequestContext) async throws -> Response {
        let scope: BrandScope
        switch try await brandScope(request, context) {
        case .success(let found): scope = found
        case .failure(let missing): return missing.response
        }
        let brand = try await scope.settings()
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        let fields = AudienceRoutes.formFields(String(decoding: Data(buffer: buffer), as: UTF8.self))
        let chosen = fields["language"].flatMap { $0 == "en" || $0 == "fr" ? $0 : nil }
        let text = PageText(language: chosen ?? language(request, brand: brand))
        let access = Access(guest: fields["guest"], code: fields["code"])
        guard
            let show = try await showRoutes.viewable(
                scope, id: try context.parameters.id("showId"), guest: access.guest, code: access.code,
                context: context)
        else { return notFound(brand: brand, text: text) }
        let email = fields["email"] ?? ""
        let consent = fields["marketingConsent"] == "on" || fields["marketingConsent"] == "true"
        guard show.status == .scheduled else {
            return render(
                scope: scope, brand: brand, show: show, text: text, notice: (text["too_late"], false),
                status: .conflict, access: access)
        }
        do {
            let pending = try await audience.register(
                scope: scope, show: show, email: email, language: text.language, marketingConsent: consent,
                context: context)
            let message = pending ? text.format("check_mail", e(email)) : text["already"]
            return render(
                scope: scope, brand: brand, show: show, text: text, notice: (message, true), status: .accepted)
        } catch let error as DomainError where error.field == "email" {
            return render(
                scope: scope, brand: brand, show: show, text: text, notice: (text["bad_email"], false),
                status: .unprocessableContent, email: email, consent: consent, access: access)
        } catch let error as APIError {
            let message = error.code == "email_unavailable" ? text["no_mail"] : text["too_many"]
            return render(
                scope: scope, brand: brand, show: show, text: text, notice: (message, false), status: error.status,
                email: email, consent: consent, access: access)
        }
    }

    func render(
        scope: BrandScope, brand: Brand, show: Show, text: PageText, notice: (String, Bool)?,
        status: HTTPResponse.Status = .ok, email: String = "", consent: Bool = false, access: Access = Access()
    ) -> Response {
        let zone = TimeZone(identifier: brand.timeZone) ?? .gmt
        let slug = brand.slug
        var body = header(brand, text: text, home: false)
        body += "<main id=\"main\" class=\"show-page \(show.orientation.rawValue)\">"
        if let cover = show.coverUrl, Self.isSafeImage(cover) {
            body += "<img class=\"cover\" src=\"\(e(cover))\" alt=\"\">"
        }
        body += "<h1>\(e(show.title))</h1>"
        if let start = show.scheduledStart {
            body += "<p class=\"when\"><time datetime=\"\(iso(start))\">\(e(text.dateTime(start, zone: zone)))</time>"
            body += " · \(text.format("duration", String(show.durationMinutes)))</p>"
        }
        // The video, where the browser plays HLS itself (Safari, Chromium); the player issue brings
        // its own loader for the others, chapters and products.
        let hls = "/hls/\(show.id.uuidString.lowercased())"
        var playlist: String? = nil
        if show.status == .live { playlist = "\(hls)/live.m3u8" }
        if show.status == .ended && show.replayPublished { playlist = "\(hls)/event.m3u8" }
        let folder = "\(services.config.hlsDirectory)/\(show.id.uuidString.lowercased())"
        let hasVideo =
            playlist.map { FileManager.default.fileExists(atPath: folder + "/" + ($0 as NSString).lastPathComponent) }
            ?? false
        if var playlist, hasVideo, show.format == .public || access.given {
            if show.format == .private, let token = access.mediaToken { playlist += "?token=\(token)" }
            body +=
                "<video class=\"video\" controls playsinline muted preload=\"metadata\" src=\"\(e(playlist))\"></video>"
            body += "<p class=\"hint no-hls\" hidden>\(text["no_hls"])</p>"
        }
        switch show.status {
        case .scheduled:
            if let start = show.scheduledStart {
                body += "<p class=\"countdown\" data-start=\"\(iso(start))\" data-lang=\"\(text.language)\" "
                body += "aria-live=\"off\">\(e(text.dateTime(start, zone: zone)))</p>"
            }
        case .live: body += "<p class=\"badge live\">\(text["live_now"])</p>"
        case .ended:
            body += "<p class=\"state\">\(text[hasVideo ? "ended_replay" : "ended"])</p>"
        case .cancelled: body += "<p class=\"state\">\(text["cancelled"])</p>"
        case .missed: body += "<p class=\"state\">\(text["missed"])</p>"
        case .draft: break
        }
        if let (message, success) = notice {
            body +=
                "<p class=\"message \(success ? "message-success" : "message-error")\" role=\"status\" tabindex=\"-1\" id=\"notice\">\(message)</p>"
        }
        if !show.description.isEmpty {
            let paragraphs = show.description.components(separatedBy: "\n\n").map {
                "<p>" + e($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>"
            }
            body += "<div class=\"description\">\(paragraphs.joined())</div>"
        }
        if show.status == .scheduled {
            body += remindForm(brand: brand, show: show, text: text, email: email, consent: consent, access: access)
        }
        if show.status == .scheduled || show.status == .live {
            var ics = "/api/public/brands/\(slug)/shows/\(show.id.uuidString.lowercased())/calendar.ics"
            if access.given { ics += "?" + access.query.dropFirst() }
            body += "<p><a class=\"button\" href=\"\(ics)\" download=\"show.ics\">\(text["add_calendar"])</a></p>"
        }
        body += "<p><a href=\"/b/\(e(slug))?lang=\(text.language)\">\(text["all_shows"])</a></p></main>"
        return page(brand: brand, text: text, title: "\(show.title) · \(brand.name)", body: body, status: status)
    }

    func remindForm(brand: Brand, show: Show, text: PageText, email: String, consent: Bool, access: Access) -> String {
        let languages = [("fr", "Français"), ("en", "English")].map { code, name in
            "<option value=\"\(code)\"\(code == text.language ? " selected" : "")>\(name)</option>"
        }.joined()
        return """
            <form class="remind card" method="post" action="\(showPath(brand.slug, show))">\(access.hiddenFields)
            <h2>\(text["remind_title"])</h2>
            <p class="hint">\(text["remind_intro"])</p>
            <p><label for="email">\(text["email"])</label><br>
            <input id="email" name="email" type="email" required autocomplete="email" maxlength="254" value="\(e(email))"></p>
            <p><label for="language">\(text["language"])</label><br><select id="language" name="language">\(languages)</select></p>
            <p><label class="check"><input type="checkbox" name="marketingConsent" value="on"\(consent ? " checked" : "")> \(text.format("consent", e(brand.name)))</label></p>
            <p><button type="submit" class="button primary">\(text["remind_button"])</button></p>
            <p class="hint">\(text["privacy"])</p>
            </form>
            """
    }

    /// A month grid (Monday first) for each month from now that has shows, at most three.
    func calendarGrid(_ shows: [Show], zone: TimeZone, now: Date, text: PageText, slug: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        // Keyed by "year-month-day" in the brand's time zone.
        var byDay: [String: [Show]] = [:]
        var months: [DateComponents] = []
        for show in shows {
            guard let start = show.scheduledStart else { continue }
            let day = calendar.dateComponents([.year, .month, .day], from: start)
            byDay["\(day.year ?? 0)-\(day.month ?? 0)-\(day.day ?? 0)", default: []].append(show)
            let month = DateComponents(year: day.year, month: day.month)
            if !months.contains(month) { months.append(month) }
        }
        var html = ""
        for month in months.prefix(3) {
            guard let first = calendar.date(from: month),
                let days = calendar.range(of: .day, in: .month, for: first)
            else { continue }
            let offset = (calendar.component(.weekday, from: first) + 5) % 7
            html += "<table class=\"month\"><caption>\(e(text.month(first, zone: zone)))</caption><thead><tr>"
            html +=
                text.weekdays.map { "<th scope=\"col\" abbr=\"\($0.1)\">\($0.0)</th>" }.joined()
                + "</tr></thead><tbody><tr>"
            html += String(repeating: "<td></td>", count: offset)
            for day in days {
                let column = (offset + day - 1) % 7
                if column == 0 && day > 1 { html += "</tr><tr>" }
                if let list = byDay["\(month.year ?? 0)-\(month.month ?? 0)-\(day)"] {
                    let links = list.map {
                        "<a href=\"\(showPath(slug, $0))\" aria-label=\"\(e($0.title))\"><span class=\"t\">\(e($0.title))</span></a>"
                    }.joined(separator: " ")
                    html += "<td class=\"has-show\"><span class=\"day\">\(day)</span> \(links)</td>"
                } else {
                    html += "<td><span class=\"day\">\(day)</span></td>"
                }
            }
            let trailing = (7 - (offset + days.count) % 7) % 7
            html += String(repeating: "<td></td>", count: trailing) + "</tr></tbody></table>"
        }
        return html.isEmpty ? "" : "<section class=\"calendar\" aria-label=\"\(text["calendar"])\">\(html)</section>"
    }

    // MARK: Pieces

    func header(_ brand: Brand, text: PageText, home: Bool) -> String {
        var html = "<header class=\"brand-bar\">"
        if let logo = brand.logoUrl, Self.isSafeImage(logo) {
            html += "<img class=\"logo\" src=\"\(e(logo))\" alt=\"\">"
        }
        html +=
            home
            ? "<span class=\"brand\">\(e(brand.name))</span>"
            : "<a class=\"brand\" href=\"/b/\(e(brand.slug))?lang=\(text.language)\">\(e(brand.name))</a>"
        let other = text.language == "fr" ? ("en", "English") : ("fr", "Français")
        html += "<a class=\"lang\" href=\"?lang=\(other.0)\" lang=\"\(other.0)\">\(other.1)</a></header>"
        return html
    }

    func page(brand: Brand, text: PageText, title: String, body: String, status: HTTPResponse.Status = .ok)
        -> Response
    {
        let accent = BrandRules.isHexColor(brand.accentColor) ? brand.accentColor : "#1f6f5c"
        let html = """
            <!doctype html>
            <html lang="\(text.language)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/pages/pages.css">
            <script type="module" src="/pages/pages.js"></script>
            </head><body data-accent="\(e(accent))">
            \(body)
            <footer class="footer">Vitrine</footer></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The brand of the page, or an HTML "not found" page to answer with.
    func brandScope(_ request: Request, _ context: AppRequestContext) async throws -> Result<BrandScope, PageMissing> {
        do {
            return .success(services.store.brand(try await publicRoutes.brandID(context)))
        } catch let error as APIError where error.status == .notFound {
            let french = language(request, brand: nil) == "fr"
            return .failure(
                PageMissing(
                    response: HTMLPage.message(
                        status: .notFound, french: french,
                        title: PageText(language: french ? "fr" : "en")["not_found"],
                        text: "")))
        }
    }

    struct PageMissing: Error { var response: Response }

    /// `?lang=` first, then the browser's languages, then the brand's first language.
    func language(_ request: Request, brand: Brand?) -> String {
        if let chosen = request.uri.queryParameters["lang"], chosen == "fr" || chosen == "en" { return String(chosen) }
        let accepted = (request.headers[.acceptLanguage] ?? "").lowercased().split(separator: ",")
        for entry in accepted {
            let code = entry.trimmingCharacters(in: .whitespaces).prefix(2)
            if code == "fr" || code == "en" { return String(code) }
        }
        return brand?.languages.first == "en" ? "en" : "fr"
    }

    func showPath(_ slug: String, _ show: Show) -> String {
        "/b/\(e(slug))/shows/\(show.id.uuidString.lowercased())"
    }

    /// Images from this server or over https only (never `javascript:` or `data:` from a brand's field).
    static func isSafeImage(_ url: String) -> Bool {
        url.hasPrefix("https://") || (url.hasPrefix("/") && !url.hasPrefix("//"))
    }

    func e(_ text: String) -> String { MailMessage.escapeHTML(text) }
    func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}

/// The public pages' words in French and English; values are HTML-safe (no user text inside).
struct PageText {
    let language: String
    var french: Bool { language == "fr" }

    static let table: [String: (String, String)] = [
        "upcoming": ("Upcoming live shows", "Prochains lives"),
        "none": (
            "No show is scheduled yet. Subscribe to the calendar to hear of the next ones.",
            "Aucun live n’est programmé pour l’instant. Abonnez-vous au calendrier pour connaître les prochains."
        ),
        "live_now": ("Live now", "En direct"),
        "subscribe": ("Subscribe to the calendar", "S’abonner au calendrier"),
        "feed_link": ("iCalendar feed (.ics)", "Flux iCalendar (.ics)"),
        "subscribe_hint": (
            "New shows appear in your calendar app by themselves.",
            "Les nouveaux lives apparaissent d’eux-mêmes dans votre agenda."
        ),
        "calendar": ("Calendar", "Calendrier"),
        "duration": ("%@ min", "%@ min"),
        "ended": ("This show has ended.", "Ce live est terminé."),
        "ended_replay": (
            "This show has ended; its replay is available.", "Ce live est terminé ; son replay est disponible."
        ),
        "cancelled": ("This show is cancelled.", "Ce live est annulé."),
        "missed": ("This show did not take place.", "Ce live n’a pas eu lieu."),
        "remind_title": ("Remind me", "Me le rappeler"),
        "remind_intro": (
            "An e-mail the day before and 15 minutes before, and when the show starts.",
            "Un e-mail la veille et 15 minutes avant, et au début du live."
        ),
        "email": ("Your e-mail address", "Votre adresse e-mail"),
        "language": ("Language of the e-mails", "Langue des e-mails"),
        "consent": (
            "I also want %@’s offers and news by e-mail.",
            "Je souhaite aussi recevoir les offres et nouveautés de %@ par e-mail."
        ),
        "remind_button": ("Remind me", "Me le rappeler"),
        "privacy": (
            "We first send a link to confirm your address. Every e-mail has a one-click unsubscribe link.",
            "Nous envoyons d’abord un lien pour confirmer votre adresse. Chaque e-mail contient un lien de désinscription en un clic."
        ),
        "check_mail": (
            "Almost done: open the e-mail sent to %@ and click its link to confirm.",
            "Presque fini : ouvrez l’e-mail envoyé à %@ et cliquez sur son lien pour confirmer."
        ),
        "already": (
            "You are already registered: you will get your reminders.",
            "Vous êtes déjà inscrit : vous recevrez vos rappels."
        ),
        "bad_email": (
            "This e-mail address does not look right: check it and try again.",
            "Cette adresse e-mail semble incorrecte : vérifiez-la et réessayez."
        ),
        "no_mail": ("Reminders are not available for this show.", "Les rappels ne sont pas disponibles pour ce live."),
        "too_many": (
            "Too many attempts: try again in a few minutes.", "Trop de tentatives : réessayez dans quelques minutes."
        ),
        "too_late": (
            "Reminders are closed: the show is no longer upcoming.",
            "Les rappels sont fermés : ce live n’est plus à venir."
        ),
        "add_calendar": ("Add to my calendar", "Ajouter à mon agenda"),
        "private_title": ("Private live show", "Live privé"),
        "private_intro": (
            "This show is for invited customers. Enter the access code you were given, or open the personal link of your invitation.",
            "Ce live est réservé aux clients invités. Saisissez le code d’accès reçu, ou ouvrez le lien personnel de votre invitation."
        ),
        "access_code": ("Access code", "Code d’accès"),
        "open": ("Open", "Ouvrir"),
        "wrong_code": ("This code or link does not open this show.", "Ce code ou ce lien n’ouvre pas ce live."),
        "not_found": ("This page does not exist.", "Cette page n’existe pas."),
        "no_hls": (
            "This browser cannot play the video here yet: open the page in Safari, Chrome or Edge.",
            "Ce navigateur ne peut pas encore lire la vidéo ici : ouvrez la page dans Safari, Chrome ou Edge."
        ),
        "all_shows": ("All the upcoming shows", "Tous les prochains lives"),
        "no_script": (
            "The player needs JavaScript: turn it on to watch this show.",
            "Le lecteur a besoin de JavaScript : activez-le pour regarder ce live."
        ),
    ]

    subscript(key: String) -> String {
        guard let entry = Self.table[key] else { return key }
        return french ? entry.1 : entry.0
    }

    /// `key`'s text with `%@` replaced by `value` (which the caller escaped).
    func format(_ key: String, _ value: String) -> String {
        self[key].replacingOccurrences(of: "%@", with: value)
    }

    var locale: Locale { Locale(identifier: french ? "fr_FR" : "en_GB") }

    /// "jeudi 3 décembre 2026 à 19:00" / "Thursday 3 December 2026 at 19:00", in the brand's time zone.
    func dateTime(_ date: Date, zone: TimeZone) -> String {
        var style = Date.FormatStyle(date: .complete, time: .shortened, locale: locale, timeZone: zone)
        style.calendar = Calendar(identifier: .gregorian)
        return date.formatted(style)
    }

    func month(_ date: Date, zone: TimeZone) -> String {
        var style = Date.FormatStyle(locale: locale, timeZone: zone).month(.wide).year()
        style.calendar = Calendar(identifier: .gregorian)
        return date.formatted(style)
    }

    /// Column heads, Monday first: (short, full).
    var weekdays: [(String, String)] {
        french
            ? [
                ("lun", "lundi"), ("mar", "mardi"), ("mer", "mercredi"), ("jeu", "jeudi"), ("ven", "vendredi"),
                ("sam", "samedi"), ("dim", "dimanche"),
            ]
            : [
                ("Mon", "Monday"), ("Tue", "Tuesday"), ("Wed", "Wednesday"), ("Thu", "Thursday"), ("Fri", "Friday"),
                ("Sat", "Saturday"), ("Sun", "Sunday"),
            ]
    }
}
