/// A small, fast, seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64).
///
/// The benchmark data set must be the same on every run and every platform, so it never uses
/// Foundation's or the system's randomness. Each entity gets its own generator seeded from
/// `(seed, kind, index)` (see ``SplitMix64/init(seed:stream:index:)``), which makes an entity a
/// pure function of its index: concurrent loader tasks can produce any entity in any order and the
/// data set stays identical.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator that starts at `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator for entity `index` of stream `stream` (one stream per entity kind) under `seed`.
    init(seed: UInt64, stream: UInt64, index: Int) {
        state = Self.mix(seed ^ Self.mix(stream &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: index)))
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform integer in `range` (modulo bias is negligible for the small ranges used here).
    mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        return range.lowerBound + Int64(width == 0 ? next() : next() % width)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < p
    }

    /// SplitMix64's finaliser: a bijective 64-bit mix.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
