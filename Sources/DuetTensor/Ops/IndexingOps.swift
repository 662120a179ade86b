/// Ops that index one tensor with another: gather/scatter/scatter_add, index_select/index_add, one_hot.
/// The writing ones also have PyTorch's in-place forms (`scatter_`, `scatter_add_`, `index_add_`).
extension Ops {
    private static func requireIndex(_ m: TensorMeta, _ op: String, _ name: String = "index") throws {
        guard m.dtype == .int64 else { throw TensorError.dtype("\(op): expected \(name) to be an int64 tensor, got \(m.dtype)") }
    }

    /// gather/scatter_add shape agreement: same rank, and index no larger than `other` off `dim`.
    private static func checkGatherShapes(_ op: String, input: [Int], index: [Int], dim: Int) throws {
        guard input.count == index.count else {
            throw TensorError.shape("\(op): index has rank \(index.count) but input has rank \(input.count)")
        }
        for d in input.indices where d != dim && index[d] > input[d] {
            throw TensorError.shape("\(op): index shape \(shapeString(index)) exceeds input shape \(shapeString(input)) at dim \(d)")
        }
    }

    private static let writesInPlace: OpPlacement = [.function, .method, .inPlace]

    private static let gatherCost: @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost = { ins, outs, _ in
        let n = Shape.count(outs[0].shape)
        return Cost(flops: 0, bytesRead: n * (ins[0].dtype.itemSize + 8), bytesWritten: n * outs[0].dtype.itemSize)
    }

    /// scatter and scatter_add: input, an int64 index and src of input's dtype, shaped as gather's.
    private static func scatterInfer(_ op: String) -> @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta] {
        { metas, attrs in
            try requireIndex(metas[1], op)
            guard metas[0].dtype == metas[2].dtype else {
                throw TensorError.dtype("\(op): src dtype \(metas[2].dtype) does not match input dtype \(metas[0].dtype)")
            }
            let dim = try Shape.normalize(dim: attrs.int("dim"), rank: metas[0].shape.count, op: op)
            try checkGatherShapes(op, input: metas[0].shape, index: metas[1].shape, dim: dim)
            try checkGatherShapes(op, input: metas[2].shape, index: metas[1].shape, dim: -1)
            return [metas[0]]
        }
    }

    /// Copies input, then writes (or, with `adds`, adds) each src element at its index along dim.
    private static func scatterKernel(_ op: String, adds: Bool) -> Kernel {
        .compute { args in
            let x = args.inputs[0], index = args.inputs[1], src = args.inputs[2], out = args.outputs[0]
            let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: op)
            if out !== x { try Kernels.copy(from: x, into: out) }
            var os = out.strides
            os[dim] = 0
            let size = x.dtype.itemSize, ob = out.rawPointer.unsafelyUnwrapped
            let ib = index.rawPointer.unsafelyUnwrapped, sb = src.rawPointer.unsafelyUnwrapped
            try forEachOffsets(shape: index.shape, strides: [os, index.strides, src.strides]) { o in
                let i = try Kernels.checkedIndex((ib + o[1] * 8).load(as: Int64.self), size: x.shape[dim], op: op, dim: dim)
                let target = ob + (o[0] + i * out.strides[dim]) * size
                if adds { accumulateElement(target, sb + o[2] * size, x.dtype) } else { moveElement(target, sb + o[2] * size, size) }
            }
        }
    }

    /// The naive scatter: one src element at a time, written or added.
    private static func scatterReference(_ op: String, adds: Bool) -> @Sendable ([RefArray], Attrs) throws -> [RefArray] {
        { ins, attrs in
            var out = ins[0]
            let index = ins[1], src = ins[2]
            let dim = try Ref.dim(attrs.int("dim"), rank: out.shape.count)
            for flat in 0..<index.data.count {
                var idx = Ref.unravel(flat, index.shape)
                let s = src.data[Ref.ravel(idx, src.shape)]
                idx[dim] = Int(index.data[flat])
                guard idx[dim] >= 0 && idx[dim] < out.shape[dim] else { throw TensorError.index("\(op): index out of bounds") }
                let at = Ref.ravel(idx, out.shape)
                out.data[at] = adds ? out.data[at] + s : s
            }
            return [out]
        }
    }

    /// src's gradient under scatter or scatter_add: the output gradient at the positions it went to;
    /// elements of src beyond index's extent were never used, so theirs is zero.
    private static func scatteredSourceGradient(_ ctx: VJPContext, _ index: Tensor) throws -> Tensor {
        let picked = try ctx.grad.gather(dim: ctx.attrs.int("dim"), index: index)
        let padding = zip(ctx.inputMetas[2].shape, index.shape).reversed().flatMap { [0, $0 - $1] }
        return padding.allSatisfy { $0 == 0 } ? picked : try picked.pad(padding)
    }

    public static let gather: OpDef = OpDef(
        name: "gather", doc: "out[i][j] = input[index[i][j]][j] for dim=0 (and likewise for other dims).",
        inputs: [InputParam("input"), InputParam("index")], attrs: [AttrParam("dim", .int)], fusion: .opaque,
        infer: { metas, attrs in
            try requireIndex(metas[1], "gather")
            let dim = try Shape.normalize(dim: attrs.int("dim"), rank: metas[0].shape.count, op: "gather")
            try checkGatherShapes("gather", input: metas[0].shape, index: metas[1].shape, dim: dim)
            return [TensorMeta(shape: metas[1].shape, dtype: metas[0].dtype)]
        },
        kernel: .compute { args in
            let x = args.inputs[0], index = args.inputs[1], out = args.outputs[0]
            let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: "gather")
            var xs = x.strides
            xs[dim] = 0
            let size = x.dtype.itemSize, xb = x.rawPointer.unsafelyUnwrapped, ib = index.rawPointer.unsafelyUnwrapped
            let ob = out.rawPointer.unsafelyUnwrapped
            try forEachOffsets(shape: index.shape, strides: [out.strides, index.strides, xs]) { o in
                let i = try Kernels.checkedIndex((ib + o[1] * 8).load(as: Int64.self), size: x.shape[dim], op: "gather", dim: dim)
                moveElement(ob + o[0] * size, xb + (o[2] + i * x.strides[dim]) * size, size)
            }
        },
        reference: { ins, attrs in
            let x = ins[0], index = ins[1]
            let dim = try Ref.dim(attrs.int("dim"), rank: x.shape.count)
            let data = try (0..<index.data.count).map { flat -> Double in
                var idx = Ref.unravel(flat, index.shape)
                let i = Int(index.data[flat])
                guard i >= 0 && i < x.shape[dim] else { throw TensorError.index("gather: index \(i) out of bounds") }
                idx[dim] = i
                return x.data[Ref.ravel(idx, x.shape)]
            }
            return [RefArray(shape: index.shape, data: data)]
        },
        backward: .rule(saves: .inputs) { ctx in
            let zeros = try Tensor.zeros(ctx.inputMetas[0].shape, dtype: ctx.grad.dtype)
            return [try zeros.scatterAdd(dim: ctx.attrs.int("dim"), index: ctx.input(1), src: ctx.grad), nil]
        },
        cost: gatherCost,
        samples: [OpSample([SampleInput([3, 4]), SampleInput([3, 2], .integers(0, 3))], [.int(1)]),
                  OpSample([SampleInput([3, 4]), SampleInput([2, 4], .integers(0, 2))], [.int(0)]),
                  OpSample([SampleInput([2, 3, 4]), SampleInput([2, 2, 4], .integers(0, 2))], [.int(-2)]),
                  OpSample([SampleInput([3, 4]), SampleInput([3, 0], .integers(0, 3))], [.int(1)]),
                  OpSample([SampleInput([0, 4]), SampleInput([0, 2], .integers(0, 3))], [.int(1)])])

    public static let scatterAdd: OpDef = OpDef(
        name: "scatter_add", doc: "Copy of input with src[i][j] added at input[index[i][j]][j] for dim=0.",
        inputs: [InputParam("input"), InputParam("index"), InputParam("src")], attrs: [AttrParam("dim", .int)],
        fusion: .opaque, promotion: .none,
        infer: scatterInfer("scatter_add"),
        kernel: scatterKernel("scatter_add", adds: true),
        reference: scatterReference("scatter_add", adds: true),
        backward: .rule(saves: .inputs) { ctx in
            guard ctx.needsGrad[2] else { return [ctx.grad, nil, nil] }
            return [ctx.grad, nil, try scatteredSourceGradient(ctx, try ctx.input(1))]
        },
        cost: gatherCost,
        samples: [OpSample([SampleInput([3, 4]), SampleInput([2, 4], .integers(0, 2)), SampleInput([2, 4])], [.int(0)]),
                  OpSample([SampleInput([3, 4]), SampleInput([3, 5], .integers(0, 3)), SampleInput([3, 6])], [.int(1)]),
                  OpSample([SampleInput([3, 4]), SampleInput([0, 4], .integers(0, 2)), SampleInput([0, 4])], [.int(0)])],
        placement: writesInPlace)

    public static let scatter: OpDef = OpDef(
        name: "scatter", doc: "Copy of input with src[i][j] written at input[index[i][j]][j] for dim=0 (which duplicate wins is unspecified, as in PyTorch).",
        inputs: [InputParam("input"), InputParam("index"), InputParam("src")], attrs: [AttrParam("dim", .int)],
        fusion: .opaque, promotion: .none,
        infer: scatterInfer("scatter"),
        kernel: scatterKernel("scatter", adds: false),
        reference: scatterReference("scatter", adds: false),
        // Exact for indices without duplicates along dim (PyTorch's gradient has the same limit).
        backward: .rule(saves: .inputs) { ctx in
            let index = try ctx.input(1), dim = try ctx.attrs.int("dim")
            let gi = ctx.needsGrad[0] ? try ctx.grad.scatter(dim: dim, index: index, src: Tensor.zeros(index.shape, dtype: ctx.grad.dtype)) : nil
            guard ctx.needsGrad[2] else { return [gi, nil, nil] }
            return [gi, nil, try scatteredSourceGradient(ctx, index)]
        },
        cost: gatherCost,
        samples: [OpSample([SampleInput([3, 4]), SampleInput([2, 4], .exactly([0, 1, 2, 0, 2, 0, 1, 1])), SampleInput([2, 4])], [.int(0)]),
                  OpSample([SampleInput([2, 5]), SampleInput([2, 3], .exactly([4, 0, 2, 1, 3, 0])), SampleInput([2, 4])], [.int(-1)]),
                  OpSample([SampleInput([3, 4]), SampleInput([0, 4], .integers(0, 2)), SampleInput([0, 4])], [.int(0)])],
        placement: writesInPlace)

    public static let indexSelect: OpDef = OpDef(
        name: "index_select", doc: "The slices of input along dim at the positions in a 1-D index.",
        inputs: [InputParam("input"), InputParam("index")], attrs: [AttrParam("dim", .int)], fusion: .opaque,
        infer: { metas, attrs in
            try requireIndex(metas[1], "index_select")
            guard metas[1].shape.count <= 1 else { throw TensorError.shape("index_select: index must be 1-D, got shape \(shapeString(metas[1].shape))") }
            var shape = metas[0].shape
            let dim = try Shape.normalize(dim: attrs.int("dim"), rank: shape.count, op: "index_select")
            if shape.isEmpty { return [TensorMeta(shape: [], dtype: metas[0].dtype)] }
            shape[dim] = Shape.count(metas[1].shape)
            return [TensorMeta(shape: shape, dtype: metas[0].dtype)]
        },
        kernel: .compute { args in
            let x = args.inputs[0], index = args.inputs[1], out = args.outputs[0]
            let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: "index_select")
            let indices = try index.scalars(Int64.self)
            for (k, raw) in indices.enumerated() {
                let i = try Kernels.checkedIndex(raw, size: x.rank == 0 ? 1 : x.shape[dim], op: "index_select", dim: dim)
                if x.rank == 0 { try Kernels.copy(from: x, into: out); continue }
                try Kernels.copy(from: Kernels.narrow(x, dim: dim, start: i, count: 1), into: Kernels.narrow(out, dim: dim, start: k, count: 1))
            }
        },
        reference: { ins, attrs in
            let x = ins[0], index = ins[1]
            if x.shape.isEmpty { return [x] }
            let dim = try Ref.dim(attrs.int("dim"), rank: x.shape.count)
            var shape = x.shape
            shape[dim] = index.data.count
            let data = (0..<Ref.count(shape)).map { flat -> Double in
                var idx = Ref.unravel(flat, shape)
                idx[dim] = Int(index.data[idx[dim]])
                return x.data[Ref.ravel(idx, x.shape)]
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: .inputs) { ctx in
            let zeros = try Tensor.zeros(ctx.inputMetas[0].shape, dtype: ctx.grad.dtype)
            return [try zeros.indexAdd(dim: ctx.attrs.int("dim"), index: ctx.input(1), source: ctx.grad), nil]
        },
        cost: gatherCost,
        samples: [OpSample([SampleInput([4, 3]), SampleInput([5], .integers(0, 3))], [.int(0)]),
                  OpSample([SampleInput([4, 3]), SampleInput([2], .exactly([2, 0]))], [.int(1)]),
                  OpSample([SampleInput([4, 3]), SampleInput([0], .integers(0, 3))], [.int(0)]),
                  OpSample([SampleInput([0, 3]), SampleInput([2], .exactly([2, 0]))], [.int(1)])])

    public static let indexAdd: OpDef = OpDef(
        name: "index_add", doc: "Copy of input with source's slices along dim added at the positions in a 1-D index.",
        inputs: [InputParam("input"), InputParam("index"), InputParam("source")], attrs: [AttrParam("dim", .int)],
        fusion: .opaque,
        infer: { metas, attrs in
            try requireIndex(metas[1], "index_add")
            guard metas[0].dtype == metas[2].dtype else {
                throw TensorError.dtype("index_add: source dtype \(metas[2].dtype) does not match input dtype \(metas[0].dtype)")
            }
            guard metas[1].shape.count <= 1 else { throw TensorError.shape("index_add: index must be 1-D, got shape \(shapeString(metas[1].shape))") }
            let dim = try Shape.normalize(dim: attrs.int("dim"), rank: metas[0].shape.count, op: "index_add")
            var expected = metas[0].shape
            if !expected.isEmpty { expected[dim] = Shape.count(metas[1].shape) }
            guard metas[2].shape == expected else {
                throw TensorError.shape("index_add: source shape \(shapeString(metas[2].shape)) should be \(shapeString(expected))")
            }
            return [metas[0]]
        },
        kernel: .compute { args in
            let x = args.inputs[0], index = args.inputs[1], src = args.inputs[2], out = args.outputs[0]
            let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: "index_add")
            if out !== x { try Kernels.copy(from: x, into: out) }
            guard x.rank > 0 else {
                try StridedLoop.addInto(out, src)
                return
            }
            for (k, raw) in try index.scalars(Int64.self).enumerated() {
                let i = try Kernels.checkedIndex(raw, size: x.shape[dim], op: "index_add", dim: dim)
                try StridedLoop.addInto(Kernels.narrow(out, dim: dim, start: i, count: 1), Kernels.narrow(src, dim: dim, start: k, count: 1))
            }
        },
        reference: { ins, attrs in
            var out = ins[0]
            let index = ins[1], src = ins[2]
            if out.shape.isEmpty { return [RefArray(shape: [], data: [out.data[0] + src.data[0]])] }
            let dim = try Ref.dim(attrs.int("dim"), rank: out.shape.count)
            for flat in 0..<src.data.count {
                var idx = Ref.unravel(flat, src.shape)
                idx[dim] = Int(index.data[idx[dim]])
                out.data[Ref.ravel(idx, out.shape)] += src.data[flat]
            }
            return [out]
        },
        backward: .rule(saves: .inputs) { ctx in
            let gs = ctx.needsGrad[2] ? try ctx.grad.indexSelect(dim: ctx.attrs.int("dim"), index: ctx.input(1)) : nil
            return [ctx.grad, nil, gs]
        },
        cost: gatherCost,
        samples: [OpSample([SampleInput([4, 3]), SampleInput([5], .integers(0, 3)), SampleInput([5, 3])], [.int(0)]),
                  OpSample([SampleInput([4, 3]), SampleInput([2], .exactly([2, 2])), SampleInput([4, 2])], [.int(-1)]),
                  OpSample([SampleInput([4, 3]), SampleInput([0], .integers(0, 3)), SampleInput([0, 3])], [.int(0)])],
        placement: writesInPlace)

    public static let oneHot: OpDef = OpDef(
        name: "one_hot", doc: "int64 labels to one-hot rows of length num_classes (a new last dim).",
        inputs: [InputParam("input")], attrs: [AttrParam("num_classes", .int)], fusion: .opaque,
        infer: { metas, attrs in
            try requireIndex(metas[0], "one_hot", "input")
            let n = try attrs.int("num_classes")
            guard n > 0 else { throw TensorError.value("one_hot: num_classes must be positive, got \(n)") }
            return [TensorMeta(shape: metas[0].shape + [n], dtype: .int64)]
        },
        kernel: .compute { args in
            let n = try args.attrs.int("num_classes")
            let out = args.outputs[0].pointer(Int64.self)
            out.initialize(repeating: 0, count: args.outputs[0].count)
            for (k, label) in try args.inputs[0].scalars(Int64.self).enumerated() {
                guard label >= 0 && label < n else {
                    throw TensorError.index("one_hot: class value \(label) is out of range for num_classes \(n)")
                }
                out[k * n + Int(label)] = 1
            }
        },
        reference: { ins, attrs in
            let n = try attrs.int("num_classes")
            var data: [Double] = []
            for v in ins[0].data { data += (0..<n).map { Double($0) == v ? 1 : 0 } }
            return [RefArray(shape: ins[0].shape + [n], data: data)]
        },
        backward: .notDifferentiable,
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([5], .integers(0, 3))], [.int(4)]), OpSample([SampleInput([2, 3], .integers(0, 2))], [.int(3)]),
                  OpSample([SampleInput([0], .integers(0, 3))], [.int(4)])],
        placement: [.function, .functional])
}
