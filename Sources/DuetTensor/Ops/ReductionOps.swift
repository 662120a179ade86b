/// Reductions over dims (all dims when `dim` is None or empty), with `keepdim`.
extension Ops {
    private static func reductionInfer(_ name: String, supported: [DType], outDType: @escaping @Sendable (DType) -> DType)
        -> @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta] {
        { metas, attrs in
            let m = metas[0]
            guard supported.contains(m.dtype) else { throw TensorError.dtype("\(name): not implemented for \(m.dtype)") }
            let dims = try Shape.reductionDims(attrs.optionalInts("dim"), rank: m.shape.count, op: name)
            return [TensorMeta(shape: Shape.reducedShape(m.shape, dims: dims, keepdim: try attrs.bool("keepdim")), dtype: outDType(m.dtype))]
        }
    }

    private static let reductionAttrs = [AttrParam("dim", .ints, optional: true, default: AttrValue.none),
                                         AttrParam("keepdim", .bool, default: .bool(false))]

    /// All dims, one dim kept, several dims, a transposed-order dim list, and an empty kept dim
    /// (valid for every reduction; empty reduced dims are valid only for sum, below).
    private static let reductionSamples: [OpSample] = [
        OpSample([SampleInput([3, 4])], [.none, .bool(false)]),
        OpSample([SampleInput([3, 4])], [.ints([1]), .bool(true)]),
        OpSample([SampleInput([2, 3, 4])], [.ints([0, 2]), .bool(false)]),
        OpSample([SampleInput([2, 3, 4])], [.ints([-1, 0]), .bool(true)]),
        OpSample([SampleInput([70, 3])], [.ints([0]), .bool(false)]),
        OpSample([SampleInput([])], [.none, .bool(false)]),
        OpSample([SampleInput([0, 3])], [.ints([1]), .bool(false)]),
        OpSample([SampleInput([2, 0, 3])], [.ints([0, 2]), .bool(true)]),
    ]

    private static let reductionCost: @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost = { ins, outs, _ in
        let n = Shape.count(ins[0].shape)
        return Cost(flops: n, bytesRead: n * ins[0].dtype.itemSize,
                    bytesWritten: Shape.count(outs[0].shape) * outs[0].dtype.itemSize)
    }

    /// max/min-style reductions have no identity: each reduced dim must be non-empty, as in PyTorch
    /// (an empty kept dim is fine and gives an empty result).
    private static func checkNonEmpty(_ shape: [Int], dims: [Int], _ name: String) throws {
        for d in dims where shape[d] == 0 {
            throw TensorError.dim("\(name): expected reduction dim \(d) to have non-zero size (input shape \(shapeString(shape)))")
        }
    }

    /// Gradient of a reduction to keep-dim shape, then broadcast back over the input's shape.
    static func expandReduced(_ g: Tensor, _ ctx: VJPContext) throws -> Tensor {
        let inShape = ctx.inputMetas[0].shape
        let dims = try Shape.reductionDims(ctx.attrs.optionalInts("dim"), rank: inShape.count, op: "backward")
        return try g.reshape(Shape.reducedShape(inShape, dims: dims, keepdim: true)).expand(inShape)
    }

    public static let sum: OpDef = OpDef(
        name: "sum", doc: "Sum over dim (all when None); bool and int64 sum to int64.",
        inputs: [InputParam("input")], attrs: reductionAttrs, fusion: .reduction,
        infer: reductionInfer("sum", supported: Rules.all) { $0 == .bool ? .int64 : $0 },
        kernel: .compute { args in
            let x = args.inputs[0], out = args.outputs[0]
            let plan = ReducePlan(x, dims: try Shape.reductionDims(args.attrs.optionalInts("dim"), rank: x.rank, op: "sum"))
            switch x.dtype {
            case .float32:
                let p = x.pointer(Float.self), o = out.pointer(Float.self)
                if plan.keptStrides == [1], plan.rowsPerOutput == 1, plan.innerStride == plan.outCount, plan.outCount > 1 {
                    columnSums(p, o, rows: plan.innerCount, columns: plan.outCount)
                    return
                }
                plan.forEachOutput { i, row in
                    var acc: Float = 0
                    for r in 0..<plan.rowsPerOutput { acc += rowSum(p + row(r), plan.innerCount, plan.innerStride) }
                    o[i] = acc
                }
            case .float64: reduceRows(x, out, plan, 0.0) { (acc: Double, v: Double) in acc + v }
            case .int64: reduceRows(x, out, plan, Int64(0)) { (acc: Int64, v: Int64) in acc &+ v }
            case .bool: reduceRows(x, out, plan, Int64(0)) { (acc: Int64, v: Bool) in acc &+ (v ? 1 : 0) }
            case .float16, .bfloat16: throw TensorError.halfPrecisionKernel("sum")
            }
        },
        reference: { ins, attrs in [Ref.reduce(ins[0], dims: try attrs.optionalInts("dim"), keepdim: try attrs.bool("keepdim")) { $0.reduce(0, +) }] },
        backward: .rule(saves: []) { ctx in [try expandReduced(ctx.grad, ctx)] },
        cost: reductionCost,
        samples: reductionSamples + [OpSample([SampleInput([3, 4], .integers(-5, 5))], [.ints([1]), .bool(false)]),
                                     OpSample([SampleInput([3, 4], .bools)], [.none, .bool(false)]),
                                     OpSample([SampleInput([3, 0])], [.ints([1]), .bool(false)]),
                                     OpSample([SampleInput([0, 3])], [.none, .bool(false)]),
                                     OpSample([SampleInput([0, 3], .integers(-5, 5))], [.ints([0]), .bool(true)])])

    private static func extremum(_ name: String, _ doc: String, max: Bool) -> OpDef {
        OpDef(
            name: name, doc: doc, inputs: [InputParam("input")], attrs: reductionAttrs, fusion: .reduction,
            infer: { metas, attrs in
                let shape = metas[0].shape
                try checkNonEmpty(shape, dims: Shape.reductionDims(attrs.optionalInts("dim"), rank: shape.count, op: name), name)
                return try reductionInfer(name, supported: Rules.numbers) { $0 }(metas, attrs)
            },
            kernel: .compute { args in
                let x = args.inputs[0], out = args.outputs[0]
                let plan = ReducePlan(x, dims: try Shape.reductionDims(args.attrs.optionalInts("dim"), rank: x.rank, op: name))
                switch x.dtype {
                case .float32: reduceRows(x, out, plan, max ? -Float.infinity : Float.infinity) { (a: Float, v: Float) in
                    a.isNaN || v.isNaN ? .nan : (max ? Swift.max(a, v) : Swift.min(a, v)) }
                case .float64: reduceRows(x, out, plan, max ? -Double.infinity : Double.infinity) { (a: Double, v: Double) in
                    a.isNaN || v.isNaN ? .nan : (max ? Swift.max(a, v) : Swift.min(a, v)) }
                default: reduceRows(x, out, plan, max ? Int64.min : Int64.max) { (a: Int64, v: Int64) in
                    max ? Swift.max(a, v) : Swift.min(a, v) }
                }
            },
            reference: { ins, attrs in
                [Ref.reduce(ins[0], dims: try attrs.optionalInts("dim"), keepdim: try attrs.bool("keepdim")) { vals in
                    vals.contains(where: \.isNaN) ? .nan : (max ? vals.max() ?? 0 : vals.min() ?? 0) }]
            },
            backward: .rule(saves: [.inputs, .outputs]) { ctx in
                // Gradient goes to the extreme elements, shared evenly among ties (as torch.amax).
                let x = try ctx.input(0)
                let y = try expandReduced(ctx.output(0), ctx)
                let mask = try (x == y).to(ctx.grad.dtype)
                let dims = try Shape.reductionDims(ctx.attrs.optionalInts("dim"), rank: x.rank, op: name)
                let share = try mask / mask.sum(dims: dims, keepdim: true)
                return [try expandReduced(ctx.grad, ctx) * share]
            },
            cost: reductionCost,
            samples: reductionSamples + [OpSample([SampleInput([3, 4], .integers(-5, 5))], [.ints([0]), .bool(true)])])
    }

    public static let amax: OpDef = extremum("amax", "Maximum over dim (all when None); NaN propagates.", max: true)
    public static let amin: OpDef = extremum("amin", "Minimum over dim (all when None); NaN propagates.", max: false)

    private static func argExtremum(_ name: String, _ doc: String, max: Bool) -> OpDef {
        OpDef(
            name: name, doc: doc, inputs: [InputParam("input")],
            attrs: [AttrParam("dim", .int, optional: true, default: AttrValue.none), AttrParam("keepdim", .bool, default: .bool(false))],
            fusion: .reduction,
            infer: { metas, attrs in
                let m = metas[0]
                guard Rules.numbers.contains(m.dtype) else { throw TensorError.dtype("\(name): not implemented for \(m.dtype)") }
                guard let d = try attrs.optionalInt("dim") else {
                    try checkNonEmpty(m.shape, dims: Array(m.shape.indices), name)
                    return [TensorMeta(shape: try attrs.bool("keepdim") ? m.shape.map { _ in 1 } : [], dtype: .int64)]
                }
                let dim = try Shape.normalize(dim: d, rank: m.shape.count, op: name)
                if !m.shape.isEmpty { try checkNonEmpty(m.shape, dims: [dim], name) }
                return [TensorMeta(shape: Shape.reducedShape(m.shape, dims: [dim], keepdim: try attrs.bool("keepdim")), dtype: .int64)]
            },
            kernel: .compute { args in
                let x = args.inputs[0]
                let dims = try args.attrs.optionalInt("dim").map { [try Shape.normalize(dim: $0, rank: x.rank, op: name)] } ?? Array(0..<x.rank)
                let plan = ReducePlan(x, dims: dims)
                switch x.dtype {
                case .float32: argReduce(x, args.outputs[0], plan, Float.self, max: max)
                case .float64: argReduce(x, args.outputs[0], plan, Double.self, max: max)
                default: argReduce(x, args.outputs[0], plan, Int64.self, max: max)
                }
            },
            reference: { ins, attrs in
                let a = ins[0]
                let pick: ([Double]) -> Double = { vals in
                    var best = 0
                    for (i, v) in vals.enumerated() where !vals[best].isNaN && (v.isNaN || (max ? v > vals[best] : v < vals[best])) { best = i }
                    return Double(best)
                }
                let keepdim = try attrs.bool("keepdim")
                return [Ref.reduce(a, dims: try attrs.optionalInt("dim").map { [$0] }, keepdim: keepdim, pick)]
            },
            backward: .notDifferentiable,
            cost: reductionCost,
            samples: [OpSample([SampleInput([3, 4])], [.none, .bool(false)]), OpSample([SampleInput([3, 4])], [.int(1), .bool(false)]),
                      OpSample([SampleInput([2, 3, 4])], [.int(0), .bool(true)]), OpSample([SampleInput([2, 5], .integers(0, 3))], [.int(-1), .bool(false)]),
                      OpSample([SampleInput([4], .exactly([1, 3, 3, 0]))], [.int(0), .bool(false)]),
                      OpSample([SampleInput([0, 3])], [.int(1), .bool(false)]), OpSample([SampleInput([3, 0])], [.int(0), .bool(true)])])
    }

    public static let argmax: OpDef = argExtremum("argmax", "Index of the maximum along dim (of the flattened tensor when None); first wins ties.", max: true)
    public static let argmin: OpDef = argExtremum("argmin", "Index of the minimum along dim (of the flattened tensor when None); first wins ties.", max: false)
}

/// Folds every reduced element of each output position with `combine`, writing type `Acc`.
@inline(__always)
private func reduceRows<T, Acc>(_ x: Tensor, _ out: Tensor, _ plan: ReducePlan, _ initial: Acc, _ combine: (Acc, T) -> Acc) {
    let p = x.pointer(T.self), o = out.pointer(Acc.self)
    let n = plan.innerCount, s = plan.innerStride
    plan.forEachOutput { i, row in
        var acc = initial
        for r in 0..<plan.rowsPerOutput {
            let q = p + row(r)
            for k in 0..<n { acc = combine(acc, q[k * s]) }
        }
        o[i] = acc
    }
}

/// Position of the first extreme element (NaN counts as extreme, as in PyTorch).
private func argReduce<T: Comparable>(_ x: Tensor, _ out: Tensor, _ plan: ReducePlan, _: T.Type, max: Bool) {
    let p = x.pointer(T.self), o = out.pointer(Int64.self)
    let n = plan.innerCount, s = plan.innerStride
    plan.forEachOutput { i, row in
        var best = p[row(0)], bestIndex = 0, position = 0
        outer: for r in 0..<plan.rowsPerOutput {
            let q = p + row(r)
            for k in 0..<n {
                let v = q[k * s]
                if v != v { best = v; bestIndex = position; break outer }
                if max ? v > best : v < best { best = v; bestIndex = position }
                position += 1
            }
        }
        o[i] = Int64(bestIndex)
    }
}
