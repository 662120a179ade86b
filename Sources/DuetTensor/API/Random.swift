import Foundation
import Synchronization

/// The engine's seeded random source (xoshiro256**), shared by all random ops so that
/// `manualSeed(n)` makes a whole run reproducible.
public final class Generator: Sendable {
    public static let shared = Generator(seed: 0)
    private let state: Mutex<(UInt64, UInt64, UInt64, UInt64)>

    public init(seed: UInt64) {
        state = Mutex(Generator.expand(seed))
    }

    /// SplitMix64 expansion of a seed into a full state (never all zero).
    private static func expand(_ seed: UInt64) -> (UInt64, UInt64, UInt64, UInt64) {
        var z = seed
        func next() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        return (next(), next(), next(), next())
    }

    /// The generator random ops on this thread draw from: the shared one, unless `withGenerator`
    /// installed another (tests that run in parallel use that to stay reproducible).
    public static var current: Generator { EngineContext.current.generator ?? shared }

    public func seed(_ seed: UInt64) { state.withLock { $0 = Generator.expand(seed) } }

    /// The whole state, so checkpoints can resume a run exactly.
    public var snapshot: [UInt64] { state.withLock { [$0.0, $0.1, $0.2, $0.3] } }
    public func restore(_ s: [UInt64]) throws {
        guard s.count == 4, s.contains(where: { $0 != 0 }) else { throw TensorError.value("generator state must be 4 words, not all zero") }
        state.withLock { $0 = (s[0], s[1], s[2], s[3]) }
    }

    /// Fills `n` values from one lock: `body` receives a function returning the next 64 random bits.
    func draw(_ body: (() -> UInt64) -> Void) {
        state.withLock { s in
            body {
                let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
                let t = s.1 << 17
                s.2 ^= s.0
                s.3 ^= s.1
                s.1 ^= s.2
                s.0 ^= s.3
                s.2 ^= t
                s.3 = s.3 << 45 | s.3 >> 19
                return result
            }
        }
    }
}

/// Seeds the generator this thread draws from — the global one unless `withGenerator` installed
/// another (PyTorch's `torch.manual_seed`).
public func manualSeed(_ seed: Int) { Generator.current.seed(UInt64(bitPattern: Int64(seed))) }

extension Tensor {
    /// Uniform values in [low, high); a registry op, so a compiled function draws fresh values each run.
    public static func rand(_ shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32) throws -> Tensor {
        try Dispatch.call1(Ops.rand, [], Attrs([.ints(shape), .double(low), .double(high), .dtype(dtype)]))
    }

    /// Standard normal values (Box–Muller), scaled by std and shifted by mean; a registry op like `rand`.
    public static func randn(_ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32) throws -> Tensor {
        try Dispatch.call1(Ops.randn, [], Attrs([.ints(shape), .double(mean), .double(std), .dtype(dtype)]))
    }

    /// Integers uniform in [low, high).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64) throws -> Tensor {
        let (width, overflow) = high.subtractingReportingOverflow(low)
        guard high > low, !overflow else {
            throw TensorError.value("randint: high (\(high)) must be greater than low (\(low)) and the range must fit in 64 bits")
        }
        let span = UInt64(width)
        var values = [Double](repeating: 0, count: try EngineContext.current.checkedElementCount(shape, dtype: dtype, op: "randint"))
        Generator.current.draw { next in
            for i in values.indices { values[i] = Double(low + Int(next() % span)) }
        }
        return try Tensor(values, shape: shape, dtype: dtype)
    }

    /// A random permutation of 0..<n (int64), Fisher–Yates over the shared generator.
    public static func randperm(_ n: Int) throws -> Tensor {
        guard n >= 0 else { throw TensorError.value("randperm: n must be non-negative, got \(n)") }
        _ = try EngineContext.current.checkedElementCount([n], dtype: .int64, op: "randperm")
        var values = (0..<n).map(Double.init)
        Generator.current.draw { next in
            for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
        return try Tensor(values, shape: [n], dtype: .int64)
    }

    public static func randLike(_ t: Tensor) throws -> Tensor { try rand(t.shape, dtype: t.dtype.isFloatingPoint ? t.dtype : .float32) }
    public static func randnLike(_ t: Tensor) throws -> Tensor { try randn(t.shape, dtype: t.dtype.isFloatingPoint ? t.dtype : .float32) }
}

/// Runs `body` with random ops on this thread drawing from `generator` instead of the shared one.
public func withGenerator<R>(_ generator: Generator, _ body: () throws -> R) rethrows -> R {
    let ctx = EngineContext.current
    let saved = ctx.generator
    ctx.generator = generator
    defer { ctx.generator = saved }
    return try body()
}
