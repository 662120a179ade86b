import Foundation

/// Matrix-shaped composites: triangles, diagonals, flips, rolls, products of vectors and
/// distances, all written from registry ops so autograd, tracing and the profiler see their parts.
extension Tensor {
    /// Elements on and below (`lower`) or on and above the `diagonal`-th diagonal of the last two dims.
    private func triangle(_ diagonal: Int, lower: Bool, op: String) throws -> Tensor {
        guard rank >= 2 else { throw TensorError.shape("\(op): input tensor must have at least 2 dimensions") }
        let rows = shape[rank - 2], cols = shape[rank - 1]
        guard count > 0 else { return try clone() }
        let i = try Tensor.arange(Double(rows), dtype: .int64).unsqueeze(1)
        let j = try Tensor.arange(Double(cols), dtype: .int64).unsqueeze(0)
        let offset = try j - i
        let keep = lower ? try offset <= Double(diagonal) : try offset >= Double(diagonal)
        return try Tensor.where_(keep, self, dtype == .bool ? Tensor.scalar(false) : Tensor.scalar(0))
    }

    public func tril(diagonal: Int = 0) throws -> Tensor { try triangle(diagonal, lower: true, op: "tril") }
    public func triu(diagonal: Int = 0) throws -> Tensor { try triangle(diagonal, lower: false, op: "triu") }

    /// The `offset`-th diagonal of dims dim1 and dim2, as the last dim: both moved last, flattened
    /// together, and read with a stride of one row plus one.
    public func diagonal(offset: Int = 0, dim1: Int = 0, dim2: Int = 1) throws -> Tensor {
        let a = try Shape.normalize(dim: dim1, rank: rank, op: "diagonal"), b = try Shape.normalize(dim: dim2, rank: rank, op: "diagonal")
        guard rank >= 2, a != b else { throw TensorError.dim("diagonal: dimensions cannot be identical \(dim1), \(dim2)") }
        let order = (0..<rank).filter { $0 != a && $0 != b } + [a, b]
        let moved = try permute(order)
        let rows = shape[a], cols = shape[b]
        let length = offset >= 0 ? Swift.max(0, Swift.min(rows, cols - offset)) : Swift.max(0, Swift.min(rows + offset, cols))
        let flat = try moved.reshape(Array(moved.shape.dropLast(2)) + [try Shape.checkedProduct([rows, cols], op: "diagonal")])
        guard length > 0 else { return try flat.slice(dim: -1, start: 0, end: 0) }
        let start = offset >= 0 ? offset : -offset * cols
        return try flat.slice(dim: -1, start: start, end: start + (length - 1) * (cols + 1) + 1, step: cols + 1)
    }

    /// PyTorch's diag: a vector becomes a square matrix with it on the `diagonal`-th diagonal; a
    /// matrix gives that diagonal as a vector.
    public func diag(diagonal k: Int = 0) throws -> Tensor {
        switch rank {
        case 1:
            let n = shape[0]
            guard k.magnitude <= UInt(Int.max - n) else { throw TensorError.shape("diag: diagonal \(k) is too far from the main one") }
            let m = Int(k.magnitude)
            let square = try Tensor.eye(n, dtype: dtype == .bool ? .int64 : dtype) * self
            let placed = m == 0 ? square : try square.pad(k > 0 ? [m, 0, 0, m] : [0, m, m, 0])
            return dtype == .bool ? try placed.to(.bool) : placed
        case 2:
            return try diagonal(offset: k)
        default:
            throw TensorError.shape("diag(): Supports 1D or 2D tensors. Got \(rank)D")
        }
    }

    /// The sum of the main diagonal of a matrix.
    public func trace() throws -> Tensor {
        guard rank == 2 else { throw TensorError.shape("trace: expected a matrix, but got tensor with dim \(rank)") }
        return try diagonal().sum()
    }

    /// The elements in reverse order along each of dims (a copy, as in PyTorch).
    public func flip(dims: [Int]) throws -> Tensor {
        var out = self
        var seen = Set<Int>()
        for dim in dims {
            let d = try Shape.normalize(dim: dim, rank: rank, op: "flip")
            guard seen.insert(d).inserted else { throw TensorError.dim("flip: dim \(d) appears multiple times in the list of dims") }
            guard rank > 0, shape[d] > 1 else { continue }
            let n = shape[d]
            let reversed = try Tensor.arange(Double(n - 1), -1, step: -1, dtype: .int64)
            out = try out.indexSelect(dim: d, index: reversed)
        }
        return out === self ? try clone() : out
    }

    /// Elements shifted cyclically by shifts[k] along dims[k]; with no dims, over the flattened tensor.
    public func roll(shifts: [Int], dims: [Int] = []) throws -> Tensor {
        if dims.isEmpty {
            guard shifts.count == 1 else { throw TensorError.value("roll: shifts and dimensions must align. shifts: \(shifts.count), dims: 0") }
            return try reshape([-1]).roll(shifts: shifts, dims: [0]).reshape(shape)
        }
        guard shifts.count == dims.count else {
            throw TensorError.value("roll: shifts and dimensions must align. shifts: \(shifts.count), dims: \(dims.count)")
        }
        var out = self
        for (shift, dim) in zip(shifts, dims) {
            let d = try Shape.normalize(dim: dim, rank: rank, op: "roll")
            let n = rank == 0 ? 1 : shape[d]
            guard rank > 0, n > 0 else { continue }
            let s = ((shift % n) + n) % n
            guard s > 0 else { continue }
            out = try Tensor.cat([out.slice(dim: d, start: n - s), out.slice(dim: d, end: n - s)], dim: d)
        }
        return out === self ? try clone() : out
    }

    /// The inner product of two 1-D tensors of one dtype.
    public func dot(_ other: Tensor) throws -> Tensor {
        guard rank == 1, other.rank == 1 else {
            throw TensorError.shape("1D tensors expected, but got \(rank)D and \(other.rank)D tensors")
        }
        guard shape == other.shape else {
            throw TensorError.shape("inconsistent tensor size, expected tensor [\(shape[0])] and src [\(other.shape[0])] to have the same number of elements, but got \(shape[0]) and \(other.shape[0]) elements respectively")
        }
        guard dtype == other.dtype else { throw TensorError.dtype("dot : expected both vectors to have same dtype, but found \(dtype) and \(other.dtype)") }
        return try (self * other).sum()
    }

    /// u[i] * v[j] for two 1-D tensors.
    public func outer(_ other: Tensor) throws -> Tensor {
        guard rank == 1, other.rank == 1 else { throw TensorError.shape("outer: expected 1D tensors, but got \(rank)D and \(other.rank)D tensors") }
        return try unsqueeze(1) * other.unsqueeze(0)
    }

    /// A matrix times a vector.
    public func mv(_ vec: Tensor) throws -> Tensor {
        guard rank == 2, vec.rank == 1 else { throw TensorError.shape("vector + matrix @ vector expected, got \(rank), \(vec.rank)") }
        guard shape[1] == vec.shape[0] else {
            throw TensorError.shape("size mismatch, got input (\(shape[0])), mat (\(shape[0])x\(shape[1])), vec (\(vec.shape[0]))")
        }
        return try matmul(vec)
    }

    /// Batched matrix product of two 3-D tensors with the same batch size (no broadcasting).
    public func bmm(_ mat2: Tensor) throws -> Tensor {
        guard rank == 3 else { throw TensorError.shape("batch1 must be a 3D tensor") }
        guard mat2.rank == 3 else { throw TensorError.shape("batch2 must be a 3D tensor") }
        guard shape[0] == mat2.shape[0], shape[2] == mat2.shape[1] else {
            throw TensorError.shape("Expected size for first two dimensions of batch2 tensor to be: [\(shape[0]), \(shape[2])] but got: [\(mat2.shape[0]), \(mat2.shape[1])].")
        }
        return try matmul(mat2)
    }

    /// x^(1/p) with a zero gradient where x is zero (a norm at the origin, a distance to itself)
    /// instead of the 0 * inf = NaN the plain power would give.
    func safeRoot(_ p: Double) throws -> Tensor {
        if p == 1 { return self }
        let positive = try self > 0
        let base = try Tensor.where_(positive, self, Tensor.scalar(1.0))
        return try Tensor.where_(positive, base.pow(1 / p), Tensor.scalar(0.0))
    }

    /// The p-norm of |x| over dims (all when nil): inf the largest magnitude, -inf the smallest,
    /// 0 the count of nonzeros.
    public func vectorNorm(_ p: Double = 2, dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else {
            throw TensorError.dtype("linalg.vector_norm: Expected a floating point tensor as input. Got \(dtype)")
        }
        let magnitude = try abs()
        if p.isInfinite { return p > 0 ? try magnitude.amax(dims: dims, keepdim: keepdim) : try magnitude.amin(dims: dims, keepdim: keepdim) }
        if p == 0 { return try (magnitude > 0).to(dtype).sum(dims: dims, keepdim: keepdim) }
        return try magnitude.pow(p).sum(dims: dims, keepdim: keepdim).safeRoot(p)
    }

    /// The p-norm distance between each row of x1 (…, P, M) and each row of x2 (…, R, M): (…, P, R).
    public func cdist(_ x2: Tensor, p: Double = 2) throws -> Tensor {
        guard rank >= 2, x2.rank >= 2 else { throw TensorError.shape("cdist only supports at least 2D tensors, X1 got: \(rank)D") }
        guard shape[rank - 1] == x2.shape[x2.rank - 1] else {
            throw TensorError.shape("X1 and X2 must have the same number of columns. X1: \(shape[rank - 1]) X2: \(x2.shape[x2.rank - 1])")
        }
        guard p >= 0 else { throw TensorError.value("cdist only supports non-negative p values") }
        let difference = try unsqueeze(-2) - x2.unsqueeze(-3)
        return try difference.vectorNorm(p, dims: [-1])
    }
}
