/// Views: new shape, strides or offset over the same storage, no data moved.
extension Ops {
    /// Strides that let a tensor of `shape`/`strides` be viewed as `newShape` without copying, or nil
    /// when the memory layout forbids it (then reshape copies). Walks groups of old dims that are
    /// contiguous with each other and splits or merges each group into new dims.
    static func viewStrides(shape: [Int], strides: [Int], newShape: [Int]) -> [Int]? {
        if Shape.count(shape) == 0 || shape.isEmpty { return Shape.contiguousStrides(newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkStride = strides[strides.count - 1]
        var oldCount = 1, newCount = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            oldCount *= shape[d]
            let chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != oldCount * chunkStride)
            guard chunkEnds else { continue }
            while viewD >= 0 && (newCount < oldCount || newShape[viewD] == 1) {
                newStrides[viewD] = newCount * chunkStride
                newCount *= newShape[viewD]
                viewD -= 1
            }
            if newCount != oldCount { return nil }
            if d > 0 {
                chunkStride = strides[d - 1]
                oldCount = 1
                newCount = 1
            }
        }
        return viewD == -1 ? newStrides : nil
    }

    /// Resolves one -1 in a requested shape and checks the element count. A requested shape whose
    /// size overflows cannot match any tensor, so it gets the same error as any other mismatch.
    static func resolveShape(_ requested: [Int], count: Int, op: String) throws -> [Int] {
        var shape = requested
        let unknown = shape.indices.filter { shape[$0] == -1 }
        guard unknown.count <= 1 else { throw TensorError.shape("\(op): only one dimension can be inferred (-1) in \(shapeString(requested))") }
        for d in shape where d < -1 { throw TensorError.shape("\(op): invalid dimension \(d) in \(shapeString(requested))") }
        let invalid = TensorError.shape("\(op): shape \(shapeString(requested)) is invalid for input of size \(count)")
        if let u = unknown.first {
            shape[u] = 1
            guard let known = try? Shape.checkedCount(shape, op: op), known != 0, count % known == 0 else { throw invalid }
            shape[u] = count / known
        }
        guard (try? Shape.checkedCount(shape, op: op)) == count else { throw invalid }
        return shape
    }

    public static let view: OpDef = OpDef(
        name: "view", doc: "Same data seen with another shape (one dim may be -1); fails if strides forbid it.",
        inputs: [InputParam("input")], attrs: [AttrParam("size", .ints)], fusion: .movement,
        infer: { metas, attrs in
            [TensorMeta(shape: try resolveShape(attrs.ints("size"), count: Shape.count(metas[0].shape), op: "view"), dtype: metas[0].dtype)]
        },
        kernel: .view { t, attrs in
            let shape = try resolveShape(attrs.ints("size"), count: t.count, op: "view")
            guard let strides = viewStrides(shape: t.shape, strides: t.strides, newShape: shape) else {
                throw TensorError.shape("view: size \(shapeString(shape)) is not compatible with the input's strides \(shapeString(t.strides)); use reshape(), which copies")
            }
            return t.view(shape: shape, strides: strides, offset: t.offset)
        },
        reference: { ins, attrs in [RefArray(shape: try resolveShape(attrs.ints("size"), count: ins[0].data.count, op: "view"), data: ins[0].data)] },
        backward: .rule(saves: []) { ctx in [try ctx.grad.reshape(ctx.inputMetas[0].shape)] },
        cost: Rules.noCost,
        samples: [OpSample([SampleInput([2, 3, 4])], [.ints([6, 4])]), OpSample([SampleInput([2, 3, 4])], [.ints([-1])]),
                  OpSample([SampleInput([2, 3, 4])], [.ints([4, -1, 1, 2])]), OpSample([SampleInput([])], [.ints([1, 1])]),
                  OpSample([SampleInput([0, 3])], [.ints([3, 0])]), OpSample([SampleInput([2, 0, 3])], [.ints([-1, 3])])])

    static func checkPermutation(_ dims: [Int], rank: Int) throws -> [Int] {
        guard dims.count == rank else {
            throw TensorError.dim("permute: got \(dims.count) dims for a tensor of rank \(rank)")
        }
        let norm = try dims.map { try Shape.normalize(dim: $0, rank: rank, op: "permute") }
        guard Set(norm).count == rank else { throw TensorError.dim("permute: repeated dim in \(shapeString(dims))") }
        return norm
    }

    public static let permute: OpDef = OpDef(
        name: "permute", doc: "Reorders dims (a view).",
        inputs: [InputParam("input")], attrs: [AttrParam("dims", .ints)], fusion: .movement,
        infer: { metas, attrs in
            let p = try checkPermutation(attrs.ints("dims"), rank: metas[0].shape.count)
            return [TensorMeta(shape: p.map { metas[0].shape[$0] }, dtype: metas[0].dtype)]
        },
        kernel: .view { t, attrs in
            let p = try checkPermutation(attrs.ints("dims"), rank: t.rank)
            return t.view(shape: p.map { t.shape[$0] }, strides: p.map { t.strides[$0] }, offset: t.offset)
        },
        reference: { ins, attrs in
            let a = ins[0]
            let p = try checkPermutation(attrs.ints("dims"), rank: a.shape.count)
            let shape = p.map { a.shape[$0] }
            var data: [Double] = []
            for flat in 0..<Ref.count(shape) {
                let idx = Ref.unravel(flat, shape)
                var src = [Int](repeating: 0, count: idx.count)
                for (k, d) in p.enumerated() { src[d] = idx[k] }
                data.append(a.data[Ref.ravel(src, a.shape)])
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: []) { ctx in
            let p = try checkPermutation(ctx.attrs.ints("dims"), rank: ctx.inputMetas[0].shape.count)
            var inverse = [Int](repeating: 0, count: p.count)
            for (k, d) in p.enumerated() { inverse[d] = k }
            return [try ctx.grad.permute(inverse)]
        },
        cost: Rules.noCost,
        samples: [OpSample([SampleInput([2, 3, 4])], [.ints([2, 0, 1])]), OpSample([SampleInput([3, 4])], [.ints([-1, 0])]),
                  OpSample([SampleInput([0, 3, 2])], [.ints([1, 2, 0])])])

    static func expandedShape(_ shape: [Int], to size: [Int]) throws -> [Int] {
        guard size.count >= shape.count else {
            throw TensorError.shape("expand: the number of sizes (\(size.count)) must be at least the tensor's rank (\(shape.count))")
        }
        let lead = size.count - shape.count
        return try size.enumerated().map { i, s in
            if i < lead {
                guard s >= 0 else { throw TensorError.shape("expand: -1 is not allowed for a new leading dim in \(shapeString(size))") }
                return s
            }
            let own = shape[i - lead]
            if s == -1 || s == own { return own }
            guard own == 1 else {
                throw TensorError.shape("expand: the size of dim \(i) (\(own)) must match \(s) or be 1 (from \(shapeString(shape)) to \(shapeString(size)))")
            }
            return s
        }
    }

    public static let expand: OpDef = OpDef(
        name: "expand", doc: "Broadcasts size-1 dims to a larger size without copying (-1 keeps a dim).",
        inputs: [InputParam("input")], attrs: [AttrParam("size", .ints)], fusion: .movement,
        infer: { metas, attrs in [TensorMeta(shape: try expandedShape(metas[0].shape, to: attrs.ints("size")), dtype: metas[0].dtype)] },
        kernel: .view { t, attrs in
            let shape = try expandedShape(t.shape, to: attrs.ints("size"))
            return t.view(shape: shape, strides: Shape.broadcastStrides(shape: t.shape, strides: t.strides, to: shape), offset: t.offset)
        },
        reference: { ins, attrs in
            let shape = try expandedShape(ins[0].shape, to: attrs.ints("size"))
            return [RefArray(shape: shape, data: (0..<Ref.count(shape)).map { Ref.broadcastRead(ins[0], Ref.unravel($0, shape)) })]
        },
        backward: .rule(saves: []) { ctx in [try ctx.grad.sumToShape(ctx.inputMetas[0].shape)] },
        cost: Rules.noCost,
        samples: [OpSample([SampleInput([3, 1])], [.ints([2, 3, 4])]), OpSample([SampleInput([1, 4])], [.ints([3, -1])]),
                  OpSample([SampleInput([])], [.ints([2, 2])]), OpSample([SampleInput([1, 3])], [.ints([0, 3])]),
                  OpSample([SampleInput([0, 1])], [.ints([2, 0, 4])])])

    /// Python slice bounds clamped into 0...size, as `x[start:end:step]` resolves them. The count is
    /// ceil((e - s) / step) written so that no step, however large, overflows.
    static func sliceBounds(size: Int, start: Int, end: Int, step: Int) throws -> (start: Int, count: Int) {
        guard step > 0 else { throw TensorError.index("slice: step must be positive (got \(step))") }
        func clampIndex(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + size : i, 0), size) }
        let s = clampIndex(start), e = clampIndex(end)
        return (s, e > s ? (e - s - 1) / step + 1 : 0)
    }

    public static let slice: OpDef = OpDef(
        name: "slice", doc: "Elements start:end:step along dim (Python slice rules, a view).",
        inputs: [InputParam("input")],
        attrs: [AttrParam("dim", .int, default: .int(0)), AttrParam("start", .int, default: .int(0)),
                AttrParam("end", .int, default: .int(Int.max)), AttrParam("step", .int, default: .int(1))],
        fusion: .movement,
        infer: { metas, attrs in
            var shape = metas[0].shape
            let d = try Shape.normalize(dim: attrs.int("dim"), rank: shape.count, op: "slice")
            guard !shape.isEmpty else { throw TensorError.index("slice: cannot slice a 0-dim tensor") }
            shape[d] = try sliceBounds(size: shape[d], start: attrs.int("start"), end: attrs.int("end"), step: attrs.int("step")).count
            return [TensorMeta(shape: shape, dtype: metas[0].dtype)]
        },
        kernel: .view { t, attrs in
            let d = try Shape.normalize(dim: attrs.int("dim"), rank: t.rank, op: "slice"), step = try attrs.int("step")
            let b = try sliceBounds(size: t.shape[d], start: attrs.int("start"), end: attrs.int("end"), step: step)
            var shape = t.shape, strides = t.strides
            shape[d] = b.count
            // With two or more elements, stride × step is a distance inside the storage, so it fits;
            // a dim of one element (or none) is never stepped along, and keeps its stride.
            if b.count > 1 { strides[d] *= step }
            return t.view(shape: shape, strides: strides, offset: t.offset + b.start * t.strides[d])
        },
        reference: { ins, attrs in
            let a = ins[0]
            let d = try Ref.dim(attrs.int("dim"), rank: a.shape.count), step = try attrs.int("step")
            let b = try sliceBounds(size: a.shape[d], start: attrs.int("start"), end: attrs.int("end"), step: step)
            var shape = a.shape
            shape[d] = b.count
            let data = (0..<Ref.count(shape)).map { flat -> Double in
                var idx = Ref.unravel(flat, shape)
                idx[d] = b.start + idx[d] * step
                return a.data[Ref.ravel(idx, a.shape)]
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: []) { ctx in
            let inShape = ctx.inputMetas[0].shape
            let d = try Shape.normalize(dim: ctx.attrs.int("dim"), rank: inShape.count, op: "slice"), step = try ctx.attrs.int("step")
            let b = try sliceBounds(size: inShape[d], start: ctx.attrs.int("start"), end: ctx.attrs.int("end"), step: step)
            let positions = try Tensor((0..<b.count).map { Double(b.start + $0 * step) }, shape: [b.count], dtype: .int64)
            let zeros = try Tensor.zeros(inShape, dtype: ctx.grad.dtype)
            return [try zeros.indexAdd(dim: d, index: positions, source: ctx.grad)]
        },
        cost: Rules.noCost,
        samples: [OpSample([SampleInput([5, 4])], [.int(0), .int(1), .int(4), .int(1)]),
                  OpSample([SampleInput([5, 4])], [.int(1), .int(-3), .int(Int.max), .int(2)]),
                  OpSample([SampleInput([5, 4])], [.int(0), .int(0), .int(5), .int(3)]),
                  OpSample([SampleInput([2, 6, 3])], [.int(-2), .int(-100), .int(100), .int(4)]),
                  // A step past the end keeps one element; an end before the start keeps none.
                  OpSample([SampleInput([5, 4])], [.int(0), .int(0), .int(Int.max), .int(Int.max)]),
                  OpSample([SampleInput([3, 4])], [.int(1), .int(2), .int(1), .int(1)]),
                  OpSample([SampleInput([5, 4])], [.int(-1), .int(Int.min), .int(Int.max), .int(Int.max - 1)]),
                  OpSample([SampleInput([0, 4])], [.int(0), .int(Int.min), .int(Int.max), .int(2)])],
        placement: [.function])
}
