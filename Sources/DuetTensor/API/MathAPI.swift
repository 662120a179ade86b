import Foundation

/// Trigonometric, logarithmic and rounding functions, scans, and the reductions composed from them.
extension Tensor {
    public func sin() throws -> Tensor { try unary(Ops.sin) }
    public func cos() throws -> Tensor { try unary(Ops.cos) }
    public func tan() throws -> Tensor { try unary(Ops.tan) }
    public func asin() throws -> Tensor { try unary(Ops.asin) }
    public func acos() throws -> Tensor { try unary(Ops.acos) }
    public func atan() throws -> Tensor { try unary(Ops.atan) }
    public func sinh() throws -> Tensor { try unary(Ops.sinh) }
    public func cosh() throws -> Tensor { try unary(Ops.cosh) }
    public func log2() throws -> Tensor { try unary(Ops.log2) }
    public func log10() throws -> Tensor { try unary(Ops.log10) }
    public func log1p() throws -> Tensor { try unary(Ops.log1p) }
    public func expm1() throws -> Tensor { try unary(Ops.expm1) }
    public func reciprocal() throws -> Tensor { try unary(Ops.reciprocal) }
    public func floor() throws -> Tensor { try unary(Ops.floor) }
    public func ceil() throws -> Tensor { try unary(Ops.ceil) }
    public func trunc() throws -> Tensor { try unary(Ops.trunc) }
    public func frac() throws -> Tensor { try unary(Ops.frac) }
    public func round(decimals: Int = 0) throws -> Tensor { try Dispatch.call1(Ops.round, [self], Attrs([.int(decimals)])) }
    public func atan2(_ other: Tensor) throws -> Tensor { try binary(Ops.atan2, other) }

    /// Bools scan and multiply as int64, as in PyTorch.
    private var countable: Tensor { get throws { dtype == .bool ? try to(.int64) : self } }

    public func cumsum(dim: Int) throws -> Tensor { try Dispatch.call1(Ops.cumsum, [try countable], Attrs([.int(dim)])) }
    public func cumprod(dim: Int) throws -> Tensor { try Dispatch.call1(Ops.cumprod, [try countable], Attrs([.int(dim)])) }

    /// The product over `dim` (all elements when nil): the last running product, so its gradient is
    /// cumprod's (exact where no factor is zero). An empty product is 1.
    public func prod(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        guard let dim else { return try reshape([-1]).prod(dim: 0).reshape([]) }
        let x = try countable
        let d = try Shape.normalize(dim: dim, rank: rank, op: "prod")
        if rank == 0 { return try x.cumprod(dim: 0) }
        var kept = shape
        kept[d] = 1
        let last: Tensor
        if shape[d] == 0 {
            last = try Tensor.ones(kept, dtype: x.dtype)
        } else {
            last = try x.cumprod(dim: d).slice(dim: d, start: shape[d] - 1)
        }
        return keepdim ? last : try last.squeeze(dim: d)
    }

    /// log(sum(exp(x))) over dims, shifted by the (detached) maximum so large values do not
    /// overflow; an infinite maximum is not subtracted, so all -inf gives -inf.
    public func logsumexp(dims: [Int], keepdim: Bool = false) throws -> Tensor {
        let x = dtype.isFloatingPoint ? self : try to(.float32)
        guard x.count > 0 else { return try x.exp().sum(dims: dims, keepdim: keepdim).log() }
        let peak = try x.amax(dims: dims, keepdim: true).detach()
        let shift = try Tensor.where_(try peak.abs() == Double.infinity, Tensor.scalar(0.0), peak)
        let out = try (x - shift).exp().sum(dims: dims, keepdim: true).log() + shift
        return keepdim ? out : try out.squeezing(Shape.reductionDims(dims, rank: rank, op: "logsumexp"))
    }

    /// The sum with NaNs counted as zero.
    public func nansum(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        guard dtype.isFloatingPoint else { return try sum(dims: dims, keepdim: keepdim) }
        return try Tensor.where_(try self != self, Tensor.scalar(0.0), self).sum(dims: dims, keepdim: keepdim)
    }

    /// The number of nonzero elements over dims (all when nil), as int64.
    public func countNonzero(dims: [Int]? = nil) throws -> Tensor {
        try (self != 0).to(.int64).sum(dims: dims)
    }

    /// The n-th forward difference along dim, after joining `prepend` and `append` to it.
    public func diff(n: Int = 1, dim: Int = -1, prepend: Tensor? = nil, append: Tensor? = nil) throws -> Tensor {
        guard rank > 0 else { throw TensorError.shape("diff: expects input to be at least one-dimensional") }
        guard n >= 0 else { throw TensorError.value("diff: order must be non-negative but got \(n)") }
        let d = try Shape.normalize(dim: dim, rank: rank, op: "diff")
        var x = self
        if prepend != nil || append != nil { x = try Tensor.cat([prepend, self, append].compactMap { $0 }, dim: d) }
        for _ in 0..<Swift.min(n, x.shape[d]) {
            let len = x.shape[d]
            x = x.dtype == .bool ? try x.slice(dim: d, start: 1) != x.slice(dim: d, end: len - 1)
                                 : try x.slice(dim: d, start: 1) - x.slice(dim: d, end: len - 1)
        }
        return x
    }

    /// The lower median along dim and its index: the middle of `argsort`'s order, gathered, so
    /// its gradient reaches the chosen element. A row holding NaN gives NaN, at its first NaN,
    /// as PyTorch's does.
    public func median(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        guard rank > 0 else {
            _ = try Shape.normalize(dim: dim, rank: rank, op: "median")
            return (try clone(), try Tensor.zeros([], dtype: .int64))
        }
        let d = try Shape.normalize(dim: dim, rank: rank, op: "median")
        let n = shape[d]
        guard n > 0 else { throw TensorError.index("median(): Expected reduction dim \(d) to have non-zero size.") }
        let middle = (n - 1) / 2
        var index = try argsort(dim: d).slice(dim: d, start: middle, end: middle + 1)
        if dtype.isFloatingPoint {
            let nan = try (self != self).to(.int64)
            let hasNaN = try nan.amax(dims: [d], keepdim: true) > 0
            index = try Tensor.where_(hasNaN, nan.argmax(dim: d, keepdim: true), index)
        }
        let values = try gather(dim: d, index: index)
        return keepdim ? (values, index) : (try values.squeeze(dim: d), try index.squeeze(dim: d))
    }

    /// The lower median of all elements.
    public func median() throws -> Tensor {
        guard count > 0 else { return try Tensor.full([], .nan, dtype: dtype.isFloatingPoint ? dtype : .float32) }
        return try reshape([-1]).median(dim: 0).values
    }

    /// Removes the listed (size-1) dims, highest first.
    func squeezing(_ dims: [Int]) throws -> Tensor {
        var t = self
        for d in dims.sorted(by: >) { t = try t.squeeze(dim: d) }
        return t
    }
}
