/// Loop structure for reductions: an outer walk over the kept positions (in the output's order)
/// and, for each, a walk over the reduced positions whose innermost run is handed to a typed row
/// function (vectorized for contiguous float sums).
struct ReducePlan {
    let outCount: Int
    let keptShape: [Int]
    let keptStrides: [Int]
    let redShape: [Int]
    let redStrides: [Int]
    let innerCount: Int
    let innerStride: Int
    let rowsPerOutput: Int
    /// Offset of every innermost reduced row from its output's base, when there are at most
    /// `rowTableLimit` rows: saves a division per reduced dim per row, which dominated reductions
    /// over short rows such as a 2×2 window.
    private let rowTable: [Int]?
    static let rowTableLimit = 4096

    init(_ t: Tensor, dims: [Int]) {
        var ks: [Int] = [], kst: [Int] = [], rs: [Int] = [], rst: [Int] = []
        for d in 0..<t.rank {
            if dims.contains(d) { rs.append(t.shape[d]); rst.append(t.strides[d]) }
            else { ks.append(t.shape[d]); kst.append(t.strides[d]) }
        }
        (ks, kst) = Self.merged(ks, kst)
        (rs, rst) = Self.merged(rs, rst)
        if rs.isEmpty { (rs, rst) = ([1], [0]) }
        if ks.isEmpty { (ks, kst) = ([1], [0]) }
        keptShape = ks
        keptStrides = kst
        redShape = rs
        redStrides = rst
        outCount = Shape.count(ks)
        innerCount = rs[rs.count - 1]
        innerStride = rst[rst.count - 1]
        rowsPerOutput = Shape.count(rs) / Swift.max(innerCount, 1)
        rowTable = rowsPerOutput <= Self.rowTableLimit ? (0..<rowsPerOutput).map { Self.rowOffset($0, rs, rst) } : nil
    }

    /// Offset of innermost row `row` (row-major over all reduced dims but the last).
    private static func rowOffset(_ row: Int, _ shape: [Int], _ strides: [Int]) -> Int {
        var off = 0, rest = row
        for d in stride(from: shape.count - 2, through: 0, by: -1) {
            off += (rest % shape[d]) * strides[d]
            rest /= shape[d]
        }
        return off
    }

    /// Joins neighbouring dims that step through memory as one (stride[d] == stride[d+1] * shape[d+1]):
    /// the same offsets in the same order, but longer innermost rows, e.g. one contiguous run of H*W
    /// per image when summing [N, C, H, W] over (0, 2, 3).
    private static func merged(_ shape: [Int], _ strides: [Int]) -> ([Int], [Int]) {
        var outShape: [Int] = [], outStrides: [Int] = []
        for (size, stride) in zip(shape, strides) {
            if let last = outShape.last, outStrides[outStrides.count - 1] == stride * size {
                outShape[outShape.count - 1] = last * size
                outStrides[outStrides.count - 1] = stride
            } else {
                outShape.append(size)
                outStrides.append(stride)
            }
        }
        return (outShape, outStrides)
    }

    /// Calls `body(outIndex, rowOffsets)` with the element offsets of every innermost reduced row of
    /// each output position, in row-major order of the reduced dims.
    @inline(__always)
    func forEachOutput(_ body: (Int, _ rowOffset: (Int) -> Int) -> Void) {
        var keptIndex = [Int](repeating: 0, count: keptShape.count)
        var keptOffset = 0
        for o in 0..<outCount {
            let base = keptOffset
            if let rowTable {
                body(o) { row in base + rowTable[row] }
            } else {
                body(o) { row in base + Self.rowOffset(row, redShape, redStrides) }
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

/// Sums over the leading dim of a row-major [rows, columns] block, a row at a time: the loop over
/// columns is contiguous and vectorizes, where one strided walk per column (a bias gradient,
/// summing [128, 512] over dim 0) missed cache on every element. Each column still adds its rows
/// in order, so results are bit-identical to the strided walk.
func columnSums(_ p: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    out.update(repeating: 0, count: columns)
    for r in 0..<rows {
        let row = p + r * columns
        for j in 0..<columns { out[j] += row[j] }
    }
}
