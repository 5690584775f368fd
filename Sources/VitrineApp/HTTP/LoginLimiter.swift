import Foundation

/// Counts failed logins per e-mail and per client address in a sliding window; past the limit,
/// logins are refused with 429 until the window moves on. Per process: with several nodes each
/// keeps its own count (a later issue can move it to the database).
actor LoginLimiter {
    let limit: Int
    let window: TimeInterval
    let clock: @Sendable () -> Date
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval, clock: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Seconds to wait when any of the keys is over its limit, nil when a try is allowed.
    func retryAfter(keys: [String]) -> Int? {
        let now = clock()
        var wait: TimeInterval = 0
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait, window - now.timeIntervalSince(oldest))
            }
        }
        return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
    }

    func recordFailure(keys: [String]) {
        let now = clock()
        for key in keys { failures[key, default: []].append(now) }
        if failures.count > 100_000 { failures.removeAll() }
    }

    func reset(keys: [String]) {
        for key in keys { failures[key] = nil }
    }
}

extension LoginLimiter {
    /// Throws 429 `too_many_attempts` with `Retry-After` when any key is over its limit.
    func refuseIfLimited(keys: [String], what: String) async throws {
        guard let wait = retryAfter(keys: keys) else { return }
        var error = APIError(
            .tooManyRequests, code: "too_many_attempts", message: "Too many \(what); try again in \(wait) seconds.")
        error.headers[.retryAfter] = String(wait)
        throw error
    }
}
