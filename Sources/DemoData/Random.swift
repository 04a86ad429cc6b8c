/// Deterministic pseudo-random numbers: xoshiro256** seeded through SplitMix64.
/// Integer-only arithmetic, so a given seed yields the same sequence on every machine.
struct DemoRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = DemoRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = DemoRandom.rotl(s3, 45)
        return result
    }

    /// Uniform integer in `0..<n` (n > 0), by multiply-high (no modulo).
    @inline(__always)
    mutating func int(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform integer in `lo...hi`.
    @inline(__always)
    mutating func range(_ lo: Int, _ hi: Int) -> Int { lo + int(hi - lo + 1) }

    /// True with the given probability in percent.
    @inline(__always)
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    /// True with the given probability in per mille.
    @inline(__always)
    mutating func chancePerMille(_ perMille: Int) -> Bool { int(1000) < perMille }

    @inline(__always)
    mutating func pick<T>(_ array: [T]) -> T { array[int(array.count)] }

    /// A skewed index in `0..<n`, small indexes more likely (u² distribution).
    mutating func skewed(_ n: Int) -> Int {
        let a = UInt64(int(1 << 20))
        let i = Int((a * a * UInt64(n)) >> 40)
        return min(i, n - 1)
    }

    /// Index drawn from integer weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        var total = 0
        for w in weights { total += w }
        var r = int(total)
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }
}
