/// torch.linalg's `solve`, `inv` and `det` as composites: Gauss–Jordan elimination with partial
/// pivoting written in registry ops (argmax, gather, where, div, mul, sub), batched over the
/// leading dims, so autograd differentiates it and a trace records it like any other code. It
/// takes n steps of O(n·(n+k)) work for an n×n system with k right-hand sides: sized for the
/// small matrices scripts invert, not for large factorizations (docs/language.md, "The torch API").
extension Tensor {
    /// The solution X of A X = B (B: [..., n, k], or [..., n] for one vector).
    public func linalgSolve(_ b: Tensor) throws -> Tensor {
        let vector = b.rank == rank - 1
        let (x, pivots, _) = try gaussJordan(vector ? b.unsqueeze(-1) : b, op: "linalg.solve")
        try Self.refuseSingular(pivots, op: "linalg.solve")
        return vector ? try x.squeeze(dim: -1) : x
    }

    /// The inverse of each square matrix in the last two dims.
    public func inverse() throws -> Tensor {
        try squareMatrix(op: "linalg.inv")
        let n = shape[rank - 1]
        let (x, pivots, _) = try gaussJordan(Tensor.eye(n, dtype: dtype).expand(shape), op: "linalg.inv")
        try Self.refuseSingular(pivots, op: "linalg.inv")
        return x
    }

    /// The determinant of each square matrix in the last two dims: the product of the pivots,
    /// negated once per row swap; 0 for a singular matrix.
    public func det() throws -> Tensor {
        try squareMatrix(op: "linalg.det")
        let n = shape[rank - 1]
        guard n > 0 else { return try Tensor.ones(Array(shape.dropLast(2)), dtype: dtype) }
        let (_, pivots, sign) = try gaussJordan(Tensor.zeros(Array(shape.dropLast()) + [0], dtype: dtype), op: "linalg.det")
        return try sign * pivots.prod(dim: -1)
    }

    private func squareMatrix(op: String) throws {
        guard rank >= 2, shape[rank - 1] == shape[rank - 2] else {
            throw TensorError.shape("\(op): A must be batches of square matrices, but they are \(rank >= 2 ? "\(shape[rank - 2]) by \(shape[rank - 1])" : "of rank \(rank)")")
        }
        guard dtype.isFloatingPoint else {
            throw TensorError.dtype("\(op): Expected a floating point tensor as input. Got \(dtype)")
        }
    }

    /// Reduces [A | B] to [I | A⁻¹B]. Returns the solution, the pivots ([..., n], before each
    /// row is scaled) and the permutation's sign ([...]). A zero pivot (a singular A) is divided
    /// as 1 so the elimination stays finite; callers decide what a zero pivot means.
    private func gaussJordan(_ rhs: Tensor, op: String) throws -> (Tensor, Tensor, Tensor) {
        try squareMatrix(op: op)
        let n = shape[rank - 1]
        guard rhs.rank == rank, Array(rhs.shape.dropLast()) == Array(shape.dropLast()) else {
            throw TensorError.shape("\(op): B of shape \(shapeString(rhs.shape)) does not match A of shape \(shapeString(shape)) (B must be [..., \(n), k] with A's batch dims)")
        }
        let batch = Array(shape.dropLast(2))
        var aug = try Tensor.cat([self, rhs], dim: -1)
        let width = aug.shape[rank - 1]
        let rows = try Tensor.arange(Double(n), dtype: .int64)
        var sign = try Tensor.ones(batch, dtype: dtype)
        var pivots: [Tensor] = []
        for k in 0..<n {
            // The largest magnitude at or below the diagonal in column k becomes the pivot row.
            let column = try aug.select(dim: -1, index: k).abs()
            let p = try Tensor.where_(rows < Double(k), Tensor.scalar(-1.0), column).argmax(dim: -1, keepdim: true)
            let order = try Tensor.where_(rows == Double(k), p, Tensor.where_(rows == p, Tensor.scalar(k), rows))
            aug = try aug.gather(dim: -2, index: order.unsqueeze(-1).expand(batch + [n, width]))
            sign = try sign * Tensor.where_(p.squeeze(dim: -1) == Double(k), Tensor.scalar(1.0), Tensor.scalar(-1.0))
            let pivotRow = try aug.select(dim: -2, index: k)
            let pivot = try pivotRow.select(dim: -1, index: k)
            pivots.append(pivot)
            let scaled = try pivotRow / Tensor.where_(pivot == 0, Tensor.scalar(1.0), pivot).unsqueeze(-1)
            aug = try aug - aug.select(dim: -1, index: k).unsqueeze(-1) * scaled.unsqueeze(-2)
            aug = try Tensor.where_((rows == Double(k)).unsqueeze(-1), scaled.unsqueeze(-2), aug)
        }
        return (try aug.slice(dim: -1, start: n), try Tensor.stack(pivots, dim: -1), sign)
    }

    /// PyTorch refuses to invert or solve with a singular matrix; reading the pivots is the
    /// check, so a traced inverse, which cannot read values, skips it.
    private static func refuseSingular(_ pivots: Tensor, op: String) throws {
        guard !EngineContext.current.isTracing, pivots.count > 0 else { return }
        let values = try pivots.reshape([-1]).toDoubles()
        let n = pivots.shape[pivots.rank - 1]
        if let i = values.firstIndex(of: 0) {
            throw TensorError.linalg("\(op): The diagonal element \(i % n + 1) is zero, the inversion could not be completed because the input matrix is singular.")
        }
    }
}
