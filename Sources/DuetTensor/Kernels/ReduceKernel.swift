/// Loop structure for reductions: an outer walk over the kept positions (in the output's order)
/// and, for each, a walk over the reduced positions whose innermost run is handed to a typed row
/// function (vectorized for contiguous float sums).
struct ReducePlan {
    let outCount: Int
    let keptShape: [Int]
    let keptStrides: [Int]
    let redShape: [Int]
    let redStrides: [Int]

    init(_ t: Tensor, dims: [Int]) {
        var ks: [Int] = [], kst: [Int] = [], rs: [Int] = [], rst: [Int] = []
        for d in 0..<t.rank {
            if dims.contains(d) { rs.append(t.shape[d]); rst.append(t.strides[d]) }
            else { ks.append(t.shape[d]); kst.append(t.strides[d]) }
        }
        if rs.isEmpty { (rs, rst) = ([1], [0]) }
        if ks.isEmpty { (ks, kst) = ([1], [0]) }
        keptShape = ks
        keptStrides = kst
        redShape = rs
        redStrides = rst
        outCount = Shape.count(ks)
    }

    var innerCount: Int { redShape[redShape.count - 1] }
    var innerStride: Int { redStrides[redStrides.count - 1] }
    var rowsPerOutput: Int { Shape.count(redShape) / Swift.max(innerCount, 1) }

    /// Calls `body(outIndex, rowOffsets)` with the element offsets of every innermost reduced row of
    /// each output position, in row-major order of the reduced dims.
    @inline(__always)
    func forEachOutput(_ body: (Int, _ rowOffset: (Int) -> Int) -> Void) {
        var keptIndex = [Int](repeating: 0, count: keptShape.count)
        var keptOffset = 0
        let outerRed = Array(redShape.dropLast())
        let outerRedStrides = Array(redStrides.dropLast())
        for o in 0..<outCount {
            let base = keptOffset
            body(o) { row in
                var off = base, rest = row
                for d in stride(from: outerRed.count - 1, through: 0, by: -1) {
                    off += (rest % outerRed[d]) * outerRedStrides[d]
                    rest /= outerRed[d]
                }
                return off
            }
            var d = keptShape.count - 1
            while d >= 0 {
                keptIndex[d] += 1
                keptOffset += keptStrides[d]
                if keptIndex[d] < keptShape[d] { break }
                keptOffset -= keptStrides[d] * keptShape[d]
                keptIndex[d] = 0
                d -= 1
            }
        }
    }
}

/// Sum of `n` floats at stride `s`, with eight independent SIMD accumulators when contiguous so
/// the loop vectorizes and rounding error grows slowly.
@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ n: Int, _ s: Int) -> Float {
    if s == 1 && n >= 64 {
        var acc = SIMD16<Float>(repeating: 0), acc2 = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 32 <= n {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            acc2 += UnsafeRawPointer(p + i + 16).loadUnaligned(as: SIMD16<Float>.self)
            i += 32
        }
        var total = (acc + acc2).sum()
        while i < n { total += p[i]; i += 1 }
        return total
    }
    var total: Float = 0
    for i in 0..<n { total += p[i * s] }
    return total
}
