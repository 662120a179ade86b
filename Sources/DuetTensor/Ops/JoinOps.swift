/// Ops that assemble a tensor from pieces: cat and constant pad.
extension Ops {
    public static let cat: OpDef = OpDef(
        name: "cat", doc: "Concatenates tensors along an existing dim.",
        inputs: [InputParam("tensors", variadic: true)], attrs: [AttrParam("dim", .int, default: .int(0))],
        fusion: .opaque, promotion: .commonAll,
        infer: { metas, attrs in
            guard let first = metas.first else { throw TensorError.value("cat: expected a non-empty list of tensors") }
            guard !first.shape.isEmpty else { throw TensorError.shape("cat: zero-dimensional tensors cannot be concatenated") }
            let dim = try Shape.normalize(dim: attrs.int("dim"), rank: first.shape.count, op: "cat")
            for (k, m) in metas.enumerated() {
                guard m.shape.count == first.shape.count,
                      m.shape.indices.allSatisfy({ $0 == dim || m.shape[$0] == first.shape[$0] }) else {
                    throw TensorError.shape("cat: tensor \(k) has shape \(shapeString(m.shape)), expected \(shapeString(first.shape)) except in dim \(dim)")
                }
            }
            var shape = first.shape
            shape[dim] = try Shape.checkedSum(metas.map { $0.shape[dim] }, op: "cat")
            return [TensorMeta(shape: shape, dtype: first.dtype)]
        },
        kernel: .compute { args in
            let out = args.outputs[0]
            let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: out.rank, op: "cat")
            var start = 0
            for t in args.inputs {
                try Kernels.copy(from: t, into: Kernels.narrow(out, dim: dim, start: start, count: t.shape[dim]))
                start += t.shape[dim]
            }
        },
        reference: { ins, attrs in
            let rank = ins[0].shape.count
            let dim = try Ref.dim(attrs.int("dim"), rank: rank)
            var shape = ins[0].shape
            shape[dim] = ins.reduce(0) { $0 + $1.shape[dim] }
            let data = (0..<Ref.count(shape)).map { flat -> Double in
                var idx = Ref.unravel(flat, shape)
                for a in ins {
                    if idx[dim] < a.shape[dim] { return a.data[Ref.ravel(idx, a.shape)] }
                    idx[dim] -= a.shape[dim]
                }
                return .nan
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: []) { ctx in
            let dim = try Shape.normalize(dim: ctx.attrs.int("dim"), rank: ctx.grad.rank, op: "cat")
            var start = 0
            return try ctx.inputMetas.enumerated().map { k, m in
                defer { start += m.shape[dim] }
                return ctx.needsGrad[k] ? try ctx.grad.slice(dim: dim, start: start, end: start + m.shape[dim]) : nil
            }
        },
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([2, 3]), SampleInput([4, 3])], [.int(0)]),
                  OpSample([SampleInput([2, 3]), SampleInput([2, 1]), SampleInput([2, 2])], [.int(-1)]),
                  OpSample([SampleInput([2, 3], .integers(0, 9)), SampleInput([1, 3], .integers(0, 9))], [.int(0)]),
                  OpSample([SampleInput([2, 0]), SampleInput([2, 3])], [.int(1)]), OpSample([SampleInput([0, 3]), SampleInput([0, 3])], [.int(0)])],
        placement: [.function])

    /// Output shape of a constant pad: `pad` lists (before, after) pairs from the last dim backward.
    static func paddedShape(_ shape: [Int], _ pad: [Int]) throws -> [Int] {
        guard pad.count % 2 == 0, pad.count / 2 <= shape.count else {
            throw TensorError.value("pad: padding length \(pad.count) must be even and at most twice the rank (\(shape.count))")
        }
        guard pad.allSatisfy({ $0 >= 0 }) else { throw TensorError.value("pad: negative padding \(shapeString(pad)) is not supported") }
        var out = shape
        for k in 0..<(pad.count / 2) {
            let d = shape.count - 1 - k
            out[d] = try Shape.checkedSum([shape[d], pad[2 * k], pad[2 * k + 1]], op: "pad")
        }
        return out
    }

    public static let pad: OpDef = OpDef(
        name: "pad", doc: "Constant padding; pad = (left, right, top, bottom, …) from the last dim backward.",
        inputs: [InputParam("input")], attrs: [AttrParam("pad", .ints), AttrParam("value", .double, default: .double(0))],
        fusion: .opaque,
        infer: { metas, attrs in [TensorMeta(shape: try paddedShape(metas[0].shape, attrs.ints("pad")), dtype: metas[0].dtype)] },
        kernel: .compute { args in
            let x = args.inputs[0], out = args.outputs[0], pad = try args.attrs.ints("pad")
            Kernels.fill(out, try args.attrs.double("value"))
            var interior = out
            for k in 0..<(pad.count / 2) {
                let d = x.rank - 1 - k
                interior = Kernels.narrow(interior, dim: d, start: pad[2 * k], count: x.shape[d])
            }
            try Kernels.copy(from: x, into: interior)
        },
        reference: { ins, attrs in
            let a = ins[0], pad = try attrs.ints("pad"), value = try attrs.double("value")
            let shape = try paddedShape(a.shape, pad)
            let data = (0..<Ref.count(shape)).map { flat -> Double in
                var idx = Ref.unravel(flat, shape)
                for k in 0..<(pad.count / 2) {
                    let d = a.shape.count - 1 - k
                    idx[d] -= pad[2 * k]
                    if idx[d] < 0 || idx[d] >= a.shape[d] { return value }
                }
                return a.data[Ref.ravel(idx, a.shape)]
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: []) { ctx in
            let pad = try ctx.attrs.ints("pad"), shape = ctx.inputMetas[0].shape
            var g = ctx.grad
            for k in 0..<(pad.count / 2) {
                let d = shape.count - 1 - k
                g = try g.slice(dim: d, start: pad[2 * k], end: pad[2 * k] + shape[d])
            }
            return [g]
        },
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([2, 3])], [.ints([1, 2]), .double(0.5)]),
                  OpSample([SampleInput([2, 3, 4])], [.ints([1, 0, 2, 1]), .double(0)]),
                  OpSample([SampleInput([2, 2], .integers(0, 5))], [.ints([0, 1, 1, 0]), .double(-1)]),
                  OpSample([SampleInput([0, 3])], [.ints([1, 1]), .double(2)]), OpSample([SampleInput([2, 0])], [.ints([1, 2, 0, 0]), .double(-3)]),
                  OpSample([SampleInput([2, 3])], [.ints([0, 0]), .double(0)])],
        placement: [.function, .functional])
}
