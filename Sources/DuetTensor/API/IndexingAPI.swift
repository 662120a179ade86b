/// Indexing, joining and matrix products.
extension Tensor {
    public func gather(dim: Int, index: Tensor) throws -> Tensor { try Dispatch.call1(Ops.gather, [self, index], Attrs([.int(dim)])) }
    public func scatterAdd(dim: Int, index: Tensor, src: Tensor) throws -> Tensor {
        try Dispatch.call1(Ops.scatterAdd, [self, index, src], Attrs([.int(dim)]))
    }
    public func scatter(dim: Int, index: Tensor, src: Tensor) throws -> Tensor {
        try Dispatch.call1(Ops.scatter, [self, index, src], Attrs([.int(dim)]))
    }
    public func argsort(dim: Int = -1, descending: Bool = false) throws -> Tensor {
        try Dispatch.call1(Ops.argsort, [self], Attrs([.int(dim), .bool(descending), .bool(false)]))
    }
    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor { try Dispatch.call1(Ops.indexSelect, [self, index], Attrs([.int(dim)])) }
    public func indexAdd(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
        try Dispatch.call1(Ops.indexAdd, [self, index, source], Attrs([.int(dim)]))
    }

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor { try Dispatch.call1(Ops.cat, tensors, Attrs([.int(dim)])) }

    /// Joins tensors of one shape along a new dim.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.value("stack: expected a non-empty list of tensors") }
        for (k, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError.shape("stack: tensor \(k) has shape \(shapeString(t.shape)), expected \(shapeString(first.shape))")
        }
        return try cat(tensors.map { try $0.unsqueeze(dim) }, dim: dim)
    }

    public func pad(_ pad: [Int], value: Double = 0) throws -> Tensor {
        try Dispatch.call1(Ops.pad, [self], Attrs([.ints(pad), .double(value)]))
    }

    /// One-hot rows; with `numClasses` -1 the count is the largest label + 1.
    public func oneHot(numClasses: Int = -1) throws -> Tensor {
        var n = numClasses
        if n == -1 {
            guard dtype == .int64 else { throw TensorError.dtype("one_hot: expected an int64 tensor, got \(dtype)") }
            n = Int(try scalars(Int64.self).max() ?? -1) + 1
        }
        return try Dispatch.call1(Ops.oneHot, [self], Attrs([.int(n)]))
    }

    /// PyTorch's matmul: 1-D operands become a row (left) or column (right) vector and that dim is
    /// dropped from the result.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank > 0, other.rank > 0 else {
            throw TensorError.shape("matmul: both arguments need at least 1 dim, got \(shapeString(shape)) and \(shapeString(other.shape))")
        }
        let a = rank == 1 ? try unsqueeze(0) : self
        let b = other.rank == 1 ? try other.unsqueeze(-1) : other
        var out = try Dispatch.call1(Ops.matmul, [a, b])
        if other.rank == 1 { out = try out.squeeze(dim: -1) }
        if rank == 1 { out = try out.squeeze(dim: other.rank == 1 ? -1 : -2) }
        return out
    }

    public func softmax(dim: Int) throws -> Tensor { try Dispatch.call1(Ops.softmax, [self], Attrs([.int(dim)])) }
    public func logSoftmax(dim: Int) throws -> Tensor { try Dispatch.call1(Ops.logSoftmax, [self], Attrs([.int(dim)])) }
}
