/// Reductions and the composites built from them.
extension Tensor {
    private func reduce(_ op: OpDef, _ dims: [Int]?, _ keepdim: Bool) throws -> Tensor {
        try Dispatch.call1(op, [self], Attrs([dims.map(AttrValue.ints) ?? .none, .bool(keepdim)]))
    }

    public func sum(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor { try reduce(Ops.sum, dims, keepdim) }
    public func amax(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor { try reduce(Ops.amax, dims, keepdim) }
    public func amin(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor { try reduce(Ops.amin, dims, keepdim) }

    public func argmax(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        try Dispatch.call1(Ops.argmax, [self], Attrs([dim.map(AttrValue.int) ?? .none, .bool(keepdim)]))
    }
    public func argmin(dim: Int? = nil, keepdim: Bool = false) throws -> Tensor {
        try Dispatch.call1(Ops.argmin, [self], Attrs([dim.map(AttrValue.int) ?? .none, .bool(keepdim)]))
    }

    /// Number of elements the given dims reduce over.
    private func reducedCount(_ dims: [Int]?) throws -> Int {
        try Shape.reductionDims(dims, rank: rank, op: "mean").reduce(1) { $0 * shape[$1] }
    }

    public func mean(dims: [Int]? = nil, keepdim: Bool = false) throws -> Tensor {
        let x = dtype.isFloatingPoint ? self : try to(.float32)
        return try x.sum(dims: dims, keepdim: keepdim) / Double(try reducedCount(dims))
    }

    /// Variance with Bessel's correction by default (PyTorch's `correction=1`).
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepdim: Bool = false) throws -> Tensor {
        let x = dtype.isFloatingPoint ? self : try to(.float32)
        let centered = try x - x.mean(dims: dims, keepdim: true)
        let n = try reducedCount(dims)
        return try (centered * centered).sum(dims: dims, keepdim: keepdim) / Double(Swift.max(n - correction, 0))
    }

    /// `torch.max(x, dim)`: the maxima and their indices.
    public func max(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        (try amax(dims: [dim], keepdim: keepdim), try argmax(dim: dim, keepdim: keepdim))
    }
    public func min(dim: Int, keepdim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        (try amin(dims: [dim], keepdim: keepdim), try argmin(dim: dim, keepdim: keepdim))
    }
    public func max() throws -> Tensor { try amax() }
    public func min() throws -> Tensor { try amin() }

    /// Sums broadcast dims away so a gradient matches `target` (the reverse of broadcasting).
    public func sumToShape(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        guard lead >= 0 else { return self }
        var dims = Array(0..<lead)
        for (i, s) in target.enumerated() where s == 1 && shape[i + lead] != 1 { dims.append(i + lead) }
        let summed = dims.isEmpty ? self : try sum(dims: dims, keepdim: true)
        return try summed.reshape(target)
    }
}
