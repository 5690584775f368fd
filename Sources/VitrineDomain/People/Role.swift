/// A member's role in one brand. One person may hold a different role in each brand.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case owner, admin, producer, host, moderator

    /// Higher ranks include more rights; used to stop an admin from touching owners.
    public var rank: Int {
        switch self {
        case .owner: 5
        case .admin: 4
        case .producer: 3
        case .host: 2
        case .moderator: 1
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// Something a member may do in a brand. `docs/roles.md` is the table of `Role.allows`.
public enum Action: String, Sendable, CaseIterable {
    case viewBrand = "brand.view"
    case editBrandSettings = "brand.settings"
    /// See the team (names, roles): producers pick the hosts of their shows from it.
    case viewMembers = "members.view"
    case manageMembers = "members.manage"
    case manageOwners = "owners.manage"
    case manageTokens = "tokens.manage"
    case viewCatalog = "catalog.view"
    case editCatalog = "catalog.edit"
    case importCatalog = "catalog.import"
    case pushStock = "stock.push"
    case viewShows = "shows.view"
    case manageShows = "shows.manage"
    /// Go live, end a show, reveal its stream key: producers, and the hosts of that show.
    case presentShow = "shows.present"
    /// See who registered for a show and what they answered to the survey (personal data).
    case viewAudience = "audience.view"
    /// Endpoints, their secrets and their delivery logs: they receive registrants' e-mail addresses.
    case manageWebhooks = "webhooks.manage"
    /// The brand's queue of e-mails and webhooks: what is pending, what failed and why.
    case viewJobs = "jobs.view"
    /// In a show's live chat: delete messages, time out and ban, slow mode, questions, announcements.
    case moderateLive = "live.moderate"
    /// Orders: buyers' names, addresses and what they bought (personal data).
    case viewOrders = "orders.view"
    /// Mark paid, fulfil, cancel, refund.
    case manageOrders = "orders.manage"
}

extension Role {
    /// The role × action table. Later issues add their actions here and to `docs/roles.md`.
    public func allows(_ action: Action) -> Bool {
        switch action {
        case .viewBrand, .viewCatalog, .viewShows:
            true
        case .editBrandSettings, .manageMembers, .manageTokens, .manageWebhooks, .viewJobs:
            self >= .admin
        case .manageOwners:
            self == .owner
        case .editCatalog, .importCatalog, .pushStock, .manageShows, .viewMembers, .viewAudience, .viewOrders,
            .manageOrders:
            self >= .producer
        case .presentShow:
            self >= .host
        case .moderateLive:
            self >= .moderator
        }
    }
}

/// A scope of a brand API token: what a server-to-server client may do.
public enum TokenScope: String, Sendable, Codable, CaseIterable {
    case brandRead = "brand:read"
    case catalogRead = "catalog:read"
    case catalogWrite = "catalog:write"
    case showsRead = "shows:read"
    case showsWrite = "shows:write"
    case audienceRead = "audience:read"
    case ordersRead = "orders:read"
    case ordersWrite = "orders:write"
    case webhooksManage = "webhooks:manage"

    /// The scope a token needs for an action; nil means tokens may never do it (people only).
    public static func required(for action: Action) -> TokenScope? {
        switch action {
        case .viewBrand: .brandRead
        case .viewCatalog: .catalogRead
        case .editCatalog, .importCatalog, .pushStock: .catalogWrite
        case .viewShows: .showsRead
        case .manageShows: .showsWrite
        case .viewAudience: .audienceRead
        case .manageWebhooks: .webhooksManage
        case .viewOrders: .ordersRead
        case .manageOrders: .ordersWrite
        case .editBrandSettings, .viewMembers, .manageMembers, .manageOwners, .manageTokens, .presentShow, .viewJobs,
            .moderateLive:
            nil
        }
    }
}
