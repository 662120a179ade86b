import Foundation

/// A small seeded generator (xoshiro256**, seeded through SplitMix64) owned by one data set or
/// loader, so their randomness repeats from the seed alone and never depends on, or disturbs,
/// the engine's global generator. Shuffles and draws are written here, not taken from the
/// standard library, whose algorithms may change between Swift versions.
struct SeededRandom: RandomNumberGenerator {
    private var s0, s1, s2, s3: UInt64

    /// One stream per seed; `stream` separates independent streams of one seed (epochs, images).
    init(seed: Int, stream: Int = 0) {
        var z = SeededRandom.mix(UInt64(bitPattern: Int64(seed))) ^ UInt64(bitPattern: Int64(stream)) &* 0xD1B5_4A32_D192_ED03
        func next() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            return SeededRandom.mix(z)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
    }

    /// SplitMix64's finalizer: spreads every input bit over the whole word.
    private static func mix(_ v: UInt64) -> UInt64 {
        var x = v
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// Uniform in 0..<n (n > 0), by Lemire's multiply-shift; the tiny bias is irrelevant here.
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A standard normal draw (Box–Muller, one of the pair).
    mutating func normal() -> Double {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53, u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// 0..<n in a uniformly random order (Fisher–Yates).
    mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        var i = n - 1
        while i > 0 {
            p.swapAt(i, below(i + 1))
            i -= 1
        }
        return p
    }
}
