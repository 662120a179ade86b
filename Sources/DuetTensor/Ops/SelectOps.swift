/// Ops that choose between values elementwise: where, masked_fill, clamp.
extension Ops {
    /// Loops for a ternary select whose first operand is a bool condition.
    private static let selectLoops = TypedLoops(
        bool: { map3($0) { (c: Bool, a: Bool, b: Bool) in c ? a : b } },
        int64: { map3($0) { (c: Bool, a: Int64, b: Int64) in c ? a : b } },
        float32: { map3($0) { (c: Bool, a: Float, b: Float) in c ? a : b } },
        float64: { map3($0) { (c: Bool, a: Double, b: Double) in c ? a : b } })

    public static let where_: OpDef = OpDef(
        name: "where", doc: "Elementwise input where condition is true, other elsewhere.",
        inputs: [InputParam("condition"), InputParam("input"), InputParam("other")],
        fusion: .elementwise, promotion: .common([1, 2]),
        infer: { metas, _ in
            guard metas[0].dtype == .bool else {
                throw TensorError.dtype("where: expected condition to be a bool tensor, got \(metas[0].dtype)")
            }
            return [TensorMeta(shape: try Shape.broadcast(metas.map(\.shape), op: "where"), dtype: metas[1].dtype)]
        },
        kernel: Kernels.elementwise("where", dtypeInput: 1, selectLoops),
        reference: RefArray.elementwise { $0[0] != 0 ? $0[1] : $0[2] },
        backward: .rule(saves: .inputs) { ctx in
            let c = try ctx.input(0)
            let zero = Tensor.scalar(0.0)
            return [nil,
                    ctx.needsGrad[1] ? try Tensor.where_(c, ctx.grad, zero) : nil,
                    ctx.needsGrad[2] ? try Tensor.where_(c, zero, ctx.grad) : nil]
        },
        cost: Rules.elementwiseCost(1),
        samples: [OpSample([SampleInput([3, 4], .bools), SampleInput([3, 4]), SampleInput([3, 4])]),
                  OpSample([SampleInput([3, 1], .bools), SampleInput([4]), SampleInput([])]),
                  OpSample([SampleInput([2, 3], .bools), SampleInput([2, 3], .integers(0, 9)), SampleInput([2, 3], .integers(-9, 0))]),
                  OpSample([SampleInput([0, 1], .bools), SampleInput([3]), SampleInput([])])],
        placement: [.function])

    public static let maskedFill: OpDef = OpDef(
        name: "masked_fill", doc: "Copy of input with value written where mask is true.",
        inputs: [InputParam("input"), InputParam("mask")], attrs: [AttrParam("value", .double)],
        fusion: .elementwise,
        infer: { metas, _ in
            guard metas[1].dtype == .bool else {
                throw TensorError.dtype("masked_fill: expected mask to be a bool tensor, got \(metas[1].dtype)")
            }
            let shape = try Shape.broadcast(metas[0].shape, metas[1].shape, op: "masked_fill")
            guard shape == metas[0].shape else {
                throw TensorError.shape("masked_fill: mask of shape \(shapeString(metas[1].shape)) does not broadcast to input shape \(shapeString(metas[0].shape))")
            }
            return [metas[0]]
        },
        kernel: .compute { args in
            let v = try args.attrs.double("value")
            let loop: (Row) -> Void
            switch args.inputs[0].dtype {
            case .bool: loop = { map2($0) { (a: Bool, m: Bool) in m ? v != 0 : a } }
            case .int64: loop = { map2($0) { (a: Int64, m: Bool) in m ? Int64(duetDouble: v) : a } }
            case .float32: loop = { map2($0) { (a: Float, m: Bool) in m ? Float(v) : a } }
            case .float64: loop = { map2($0) { (a: Double, m: Bool) in m ? v : a } }
            case .float16, .bfloat16: throw TensorError.halfPrecisionKernel("masked_fill")
            }
            StridedLoop.run(out: args.outputs[0], inputs: args.inputs, loop)
        },
        reference: { ins, attrs in
            let value = try attrs.double("value")
            return [Ref.map(ins) { $0[1] != 0 ? value : $0[0] }]
        },
        backward: .rule(saves: .inputs) { ctx in
            [try Tensor.where_(ctx.input(1), Tensor.scalar(0.0), ctx.grad), nil]
        },
        cost: Rules.elementwiseCost(1),
        samples: [OpSample([SampleInput([3, 4]), SampleInput([3, 4], .bools)], [.double(7.5)]),
                  OpSample([SampleInput([3, 4]), SampleInput([4], .bools)], [.double(-1)]),
                  OpSample([SampleInput([2, 3], .integers(0, 9)), SampleInput([2, 3], .bools)], [.double(3)]),
                  OpSample([SampleInput([0, 4]), SampleInput([4], .bools)], [.double(2)])])

    public static let clamp: OpDef = OpDef(
        name: "clamp", doc: "Limits each element to [min, max]; either bound may be None.",
        inputs: [InputParam("input")],
        attrs: [AttrParam("min", .double, optional: true, default: AttrValue.none),
                AttrParam("max", .double, optional: true, default: AttrValue.none)],
        fusion: .elementwise,
        infer: { metas, attrs in
            guard try attrs.optionalDouble("min") != nil || attrs.optionalDouble("max") != nil else {
                throw TensorError.value("clamp: at least one of min and max must not be None")
            }
            return try Rules.broadcast("clamp", supported: Rules.numbers)(metas, attrs)
        },
        kernel: .compute { args in
            let lo = try args.attrs.optionalDouble("min") ?? -.infinity
            let hi = try args.attrs.optionalDouble("max") ?? .infinity
            let loop: (Row) -> Void
            switch args.inputs[0].dtype {
            case .int64:
                let l = Int64(duetDouble: lo), h = Int64(duetDouble: hi)
                loop = { map1($0) { (a: Int64) in Swift.min(Swift.max(a, l), h) } }
            case .float32:
                let l = Float(lo), h = Float(hi)
                loop = { map1($0) { (a: Float) in a.isNaN ? a : Swift.min(Swift.max(a, l), h) } }
            default:
                loop = { map1($0) { (a: Double) in a.isNaN ? a : Swift.min(Swift.max(a, lo), hi) } }
            }
            StridedLoop.run(out: args.outputs[0], inputs: args.inputs, loop)
        },
        reference: { ins, attrs in
            let lo = try attrs.optionalDouble("min") ?? -.infinity, hi = try attrs.optionalDouble("max") ?? .infinity
            return [Ref.map(ins) { $0[0].isNaN ? $0[0] : Swift.min(Swift.max($0[0], lo), hi) }]
        },
        backward: .rule(saves: .inputs) { ctx in
            let x = try ctx.input(0)
            var keep = try x == x
            if let lo = try ctx.attrs.optionalDouble("min") { keep = try keep.logicalAnd(x >= lo) }
            if let hi = try ctx.attrs.optionalDouble("max") { keep = try keep.logicalAnd(x <= hi) }
            return [try ctx.grad * keep.to(ctx.grad.dtype)]
        },
        cost: Rules.elementwiseCost(2),
        samples: [OpSample([SampleInput([3, 4])], [.double(-0.5), .double(0.5)]),
                  OpSample([SampleInput([3, 4])], [.double(0.3), .none]),
                  OpSample([SampleInput([3, 4])], [.none, .double(-0.2)]),
                  OpSample([SampleInput([2, 5], .integers(-5, 5))], [.double(-2), .double(3)]),
                  OpSample([SampleInput([0, 3])], [.double(-0.5), .double(0.5)])])
}
