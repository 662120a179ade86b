/// Views, reshapes and casts. All but `contiguous`/`reshape`-with-copy share storage.
extension Tensor {
    public func view(_ shape: [Int]) throws -> Tensor { try Dispatch.call1(Ops.view, [self], Attrs([.ints(shape)])) }

    /// A view when strides allow, else a contiguous copy (PyTorch's reshape).
    public func reshape(_ shape: [Int]) throws -> Tensor {
        let target = try Ops.resolveShape(shape, count: count, op: "reshape")
        if target == self.shape { return self }
        if Ops.viewStrides(shape: self.shape, strides: strides, newShape: target) != nil { return try view(target) }
        return try contiguous().view(target)
    }

    public func permute(_ dims: [Int]) throws -> Tensor { try Dispatch.call1(Ops.permute, [self], Attrs([.ints(dims)])) }

    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor {
        let a = try Shape.normalize(dim: d0, rank: rank, op: "transpose"), b = try Shape.normalize(dim: d1, rank: rank, op: "transpose")
        if rank < 2 || a == b { return self }
        var p = Array(0..<rank)
        p.swapAt(a, b)
        return try permute(p)
    }

    /// Reversed dims (`x.T`).
    public var T: Tensor { get throws { rank < 2 ? self : try permute(Array((0..<rank).reversed())) } }
    /// The last two dims swapped (`x.mT`).
    public var mT: Tensor { get throws { try transpose(-2, -1) } }

    public func expand(_ shape: [Int]) throws -> Tensor { try Dispatch.call1(Ops.expand, [self], Attrs([.ints(shape)])) }

    public func slice(dim: Int, start: Int = 0, end: Int = Int.max, step: Int = 1) throws -> Tensor {
        try Dispatch.call1(Ops.slice, [self], Attrs([.int(dim), .int(start), .int(end), .int(step)]))
    }

    /// The sub-tensor at `index` along `dim`, that dim removed (`x[i]`).
    public func select(dim: Int, index: Int) throws -> Tensor {
        let d = try Shape.normalize(dim: dim, rank: rank, op: "select")
        guard rank > 0 else { throw TensorError.index("select: cannot index a 0-dim tensor") }
        let size = shape[d]
        guard index >= -size && index < size else {
            throw TensorError.index("index \(index) is out of bounds for dimension \(d) with size \(size)")
        }
        let i = index < 0 ? index + size : index
        return try slice(dim: d, start: i, end: i + 1).squeeze(dim: d)
    }

    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Shape.normalize(dim: dim, rank: rank + 1, op: "unsqueeze")
        var s = shape
        s.insert(1, at: d)
        return try view(s)
    }

    /// Removes `dim` if it has size 1, or every size-1 dim when nil.
    public func squeeze(dim: Int? = nil) throws -> Tensor {
        var s = shape
        if let dim {
            if rank == 0 { return self }
            let d = try Shape.normalize(dim: dim, rank: rank, op: "squeeze")
            if s[d] == 1 { s.remove(at: d) }
        } else {
            s.removeAll { $0 == 1 }
        }
        return s == shape ? self : try view(s)
    }

    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return try reshape([1]) }
        let a = try Shape.normalize(dim: startDim, rank: rank, op: "flatten"), b = try Shape.normalize(dim: endDim, rank: rank, op: "flatten")
        guard a <= b else { throw TensorError.dim("flatten: start_dim \(startDim) comes after end_dim \(endDim)") }
        let merged = shape[a...b].reduce(1, *)
        return try reshape(Array(shape[..<a]) + [merged] + Array(shape[(b + 1)...]))
    }

    /// The shape the given shapes broadcast to (PyTorch's broadcast_shapes).
    public static func broadcastShapes(_ shapes: [[Int]]) throws -> [Int] { try Shape.broadcast(shapes, op: "broadcast_shapes") }

    public func broadcastTo(_ shape: [Int]) throws -> Tensor { try expand(shape) }

    /// Self when already contiguous, else a contiguous copy (recorded, so gradients flow).
    public func contiguous() throws -> Tensor { isContiguous ? self : try Dispatch.call1(Ops.clone, [self]) }
    public func clone() throws -> Tensor { try Dispatch.call1(Ops.clone, [self]) }

    public func to(_ dtype: DType) throws -> Tensor { dtype == self.dtype ? self : try Dispatch.call1(Ops.to, [self], Attrs([.dtype(dtype)])) }
    public func float() throws -> Tensor { try to(.float32) }
    public func double() throws -> Tensor { try to(.float64) }
    public func long() throws -> Tensor { try to(.int64) }
    public func bool() throws -> Tensor { try to(.bool) }

    /// A contiguous copy made inside a kernel: no dispatch, no tape.
    func contiguousCopy() throws -> Tensor {
        let t = try Tensor(empty: shape, dtype: dtype)
        try Kernels.copy(from: self, into: t)
        return t
    }

    func contiguousCopyIfNeeded() throws -> Tensor { isContiguous ? self : try contiguousCopy() }
}
