import Foundation

/// A rate: `burst` actions at once, refilled at `perSecond`. Used for chat and reactions, per
/// viewer and per address.
public struct TokenBucket: Sendable {
    public var perSecond: Double
    public var burst: Double
    var tokens: Double
    var updated: Double

    public init(perSecond: Double, burst: Double, now: Double) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
        updated = now
    }

    /// Takes one token if there is one. Otherwise returns the seconds until there will be.
    public mutating func take(now: Double) -> Double? {
        tokens = min(burst, tokens + max(0, now - updated) * perSecond)
        updated = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return perSecond > 0 ? (1 - tokens) / perSecond : .infinity
    }

    /// Whether the bucket is full again (and can be forgotten).
    public func isIdle(now: Double) -> Bool { tokens + max(0, now - updated) * perSecond >= burst }
}
