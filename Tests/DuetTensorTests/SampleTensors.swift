@testable import DuetTensor

/// Builds concrete tensors for a registry sample from a small deterministic generator of the
/// test's own, so test inputs do not depend on the engine's random ops.
struct SampleTensors {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func nextUnit() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Double(state >> 11) * 0x1p-53
    }

    /// Logical values and dtype for one sample input.
    mutating func values(_ input: SampleInput, floatDType: DType) -> ([Double], DType) {
        let n = input.shape.reduce(1, *)
        switch input.values {
        case .uniform(let lo, let hi): return ((0..<n).map { _ in lo + (hi - lo) * nextUnit() }, floatDType)
        case .integers(let lo, let hi): return ((0..<n).map { _ in Double(lo + Int(nextUnit() * Double(hi - lo + 1))) }, .int64)
        case .bools: return ((0..<n).map { _ in nextUnit() < 0.5 ? 0 : 1 }, .bool)
        case .exactly(let v): return (v, v.allSatisfy { $0 == $0.rounded() } ? .int64 : floatDType)
        }
    }

    /// The sample's inputs; with `contiguous: false` every input of rank ≥ 1 is a strided view
    /// (transposed storage, or every other element) holding the same logical values.
    mutating func tensors(_ sample: OpSample, floatDType: DType, contiguous: Bool) throws -> [Tensor] {
        try sample.inputs.map { input in
            let (vals, dtype) = values(input, floatDType: floatDType)
            let t = try Tensor(vals, shape: input.shape, dtype: dtype)
            if contiguous || t.rank == 0 || t.count == 0 { return t }
            if t.rank == 1 {
                let doubled = try Tensor.stack([t, Tensor.zerosLike(t)], dim: 1).flatten()
                return try doubled.slice(dim: 0, step: 2)
            }
            let reversed = Array((0..<t.rank).reversed())
            let transposedStorage = try t.permute(reversed).contiguous()
            return try transposedStorage.permute(reversed)
        }
    }
}

/// Elementwise closeness with NaN equal to NaN and infinities equal when signs agree.
func allClose(_ a: [Double], _ b: [Double], atol: Double, rtol: Double) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        if x.isNaN || y.isNaN { if !(x.isNaN && y.isNaN) { return false }; continue }
        if x.isInfinite || y.isInfinite { if x != y { return false }; continue }
        if Swift.abs(x - y) > atol + rtol * Swift.abs(y) { return false }
    }
    return true
}

/// The worst |a-b| for messages.
func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { Swift.abs($0 - $1) }.filter { !$0.isNaN }.max() ?? 0
}
