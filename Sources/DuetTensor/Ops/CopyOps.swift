/// Ops that copy data: dtype casts and clones.
extension Ops {
    public static let to: OpDef = OpDef(
        name: "to", doc: "Converts to another dtype (a copy; floats to int64 truncate toward zero).",
        inputs: [InputParam("input")], attrs: [AttrParam("dtype", .dtype)],
        fusion: .elementwise,
        infer: { metas, attrs in
            [TensorMeta(shape: metas[0].shape, dtype: try attrs.dtype("dtype"))]
        },
        kernel: .compute { args in try Kernels.copy(from: args.inputs[0], into: args.outputs[0]) },
        reference: { ins, attrs in
            let convert: (Double) -> Double
            switch try attrs.dtype("dtype") {
            case .bool: convert = { $0 != 0 ? 1 : 0 }
            case .int64: convert = { $0.isNaN ? 0 : $0.rounded(.towardZero) }
            case .float32: convert = { Double(Float($0)) }
            default: convert = { $0 }
            }
            return [RefArray(shape: ins[0].shape, data: ins[0].data.map(convert))]
        },
        backward: .rule(saves: []) { ctx in
            ctx.inputMetas[0].dtype.isFloatingPoint ? [try ctx.grad.to(ctx.inputMetas[0].dtype)] : [nil]
        },
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([3, 4])], [.dtype(.float64)]), OpSample([SampleInput([3, 4], .uniform(-5, 5))], [.dtype(.int64)]),
                  OpSample([SampleInput([5], .exactly([0, 1.5, -2, 0, 1e-3]))], [.dtype(.bool)]),
                  OpSample([SampleInput([2, 3], .integers(-4, 4))], [.dtype(.float32)]),
                  OpSample([SampleInput([2, 3], .bools)], [.dtype(.int64)]), OpSample([SampleInput([0, 3])], [.dtype(.int64)])],
        placement: [.function, .method])

    public static let clone: OpDef = OpDef(
        name: "clone", doc: "A contiguous copy with its own storage.",
        inputs: [InputParam("input")], fusion: .elementwise,
        infer: { metas, _ in [metas[0]] },
        kernel: .compute { args in try Kernels.copy(from: args.inputs[0], into: args.outputs[0]) },
        reference: { ins, _ in [ins[0]] },
        backward: .rule(saves: []) { ctx in [ctx.grad] },
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([2, 3, 2], .integers(-3, 3))]), OpSample([SampleInput([3, 0])])],
        placement: [.function, .method])

    /// `copy_(self, src)`: run through the in-place dispatcher, it writes src (broadcast, cast) into self.
    public static let copy: OpDef = OpDef(
        name: "copy", doc: "The value of src broadcast to input's shape; in place, copy_ writes src into input.",
        inputs: [InputParam("input"), InputParam("src")], fusion: .elementwise,
        infer: { metas, _ in
            let shape = try Shape.broadcast(metas[0].shape, metas[1].shape, op: "copy_")
            guard shape == metas[0].shape else {
                throw TensorError.shape("copy_: src of shape \(shapeString(metas[1].shape)) does not broadcast to \(shapeString(metas[0].shape))")
            }
            return [TensorMeta(shape: metas[0].shape, dtype: metas[0].dtype)]
        },
        kernel: .compute { args in try Kernels.copy(from: args.inputs[1], into: args.outputs[0]) },
        reference: { ins, _ in
            let shape = ins[0].shape
            var data: [Double] = []
            for flat in 0..<Ref.count(shape) { data.append(Ref.broadcastRead(ins[1], Ref.unravel(flat, shape))) }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: []) { ctx in
            [nil, ctx.inputMetas[1].dtype.isFloatingPoint ? try ctx.grad.to(ctx.inputMetas[1].dtype) : nil]
        },
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([3, 4]), SampleInput([3, 4])]), OpSample([SampleInput([3, 4]), SampleInput([4])]),
                  OpSample([SampleInput([2, 3], .integers(0, 5)), SampleInput([2, 3], .integers(-5, 0))]),
                  OpSample([SampleInput([0, 3]), SampleInput([3])])])
}
