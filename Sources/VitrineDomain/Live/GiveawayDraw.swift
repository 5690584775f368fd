/// The draw of a giveaway, made so anyone can check it: the winner is a function of a recorded
/// 64-bit seed and the recorded entrant list (in entry order), computed with SplitMix64 and
/// rejection sampling (no modulo bias). `docs/realtime.md` shows the same computation in Python.
public enum GiveawayDraw {
    /// The index in `count` entrants that `seed` picks.
    public static func winnerIndex(seed: UInt64, count: Int) -> Int {
        precondition(count > 0)
        var generator = SplitMix64(seed: seed)
        let n = UInt64(count)
        // The largest multiple of n that fits in 64 bits: draws at or above it are thrown away.
        let limit = UInt64.max - (UInt64.max % n + 1) % n
        while true {
            let value = generator.next()
            if value <= limit { return Int(value % n) }
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fully specified, easy to reproduce in any language.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
