import Foundation

/// Running sums and products along one dim. They get their own kernels: a scan is one pass,
/// where a composite (a triangular matmul, say) would be quadratic in the dim's length.
extension Ops {
    private static func scan(_ name: String, _ doc: String, product: Bool, backward: Backward, samples: [OpSample]) -> OpDef {
        OpDef(
            name: name, doc: doc, inputs: [InputParam("input")], attrs: [AttrParam("dim", .int)],
            fusion: .opaque,
            infer: { metas, attrs in
                _ = try Shape.normalize(dim: attrs.int("dim"), rank: metas[0].shape.count, op: name)
                return try Rules.broadcast(name, supported: Rules.numbers)(metas, attrs)
            },
            kernel: .compute { args in
                guard args.outputs[0].count > 0 else { return }
                let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
                let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: name)
                let plan = ReducePlan(x, dims: x.rank == 0 ? [] : [dim])
                switch x.dtype {
                case .int64: scanRows(x.pointer(Int64.self), out.pointer(Int64.self), plan, product ? { $0 &* $1 } : { $0 &+ $1 })
                case .float32: scanRows(x.pointer(Float.self), out.pointer(Float.self), plan, product ? { $0 * $1 } : { $0 + $1 })
                default: scanRows(x.pointer(Double.self), out.pointer(Double.self), plan, product ? { $0 * $1 } : { $0 + $1 })
                }
            },
            reference: { ins, attrs in
                let a = ins[0], rank = a.shape.count
                let dim = try Ref.dim(attrs.int("dim"), rank: Swift.max(rank, 1))
                var out = a
                for flat in 0..<a.data.count {
                    var idx = Ref.unravel(flat, a.shape)
                    let upTo = rank == 0 ? 0 : idx[dim]
                    var acc = product ? 1.0 : 0.0
                    for j in 0...upTo {
                        if rank > 0 { idx[dim] = j }
                        let v = a.data[Ref.ravel(idx, a.shape)]
                        acc = product ? acc * v : acc + v
                    }
                    out.data[flat] = acc
                }
                return [out]
            },
            backward: backward,
            cost: Rules.elementwiseCost(1),
            samples: samples,
            placement: [.function, .method])
    }

    /// The sum of g over positions at or after each one along dim: what a cumsum's gradient is.
    static func reverseCumsum(_ g: Tensor, dim: Int) throws -> Tensor {
        try g.sum(dims: [dim], keepdim: true) - g.cumsum(dim: dim) + g
    }

    public static let cumsum: OpDef = scan(
        "cumsum", "Running sum along dim.", product: false,
        backward: .rule(saves: []) { ctx in [try reverseCumsum(ctx.grad, dim: ctx.attrs.int("dim"))] },
        samples: [OpSample([SampleInput([3, 4])], [.int(1)]), OpSample([SampleInput([3, 4])], [.int(0)]),
                  OpSample([SampleInput([2, 3, 4])], [.int(-2)]), OpSample([SampleInput([])], [.int(0)]),
                  OpSample([SampleInput([2, 5], .integers(-5, 5))], [.int(1)]), OpSample([SampleInput([0, 3])], [.int(0)]),
                  OpSample([SampleInput([3, 0])], [.int(1)])])

    /// The gradient divides by the input, so it is exact only where no input along dim is zero
    /// (PyTorch handles zeros with a quadratic-time rule).
    public static let cumprod: OpDef = scan(
        "cumprod", "Running product along dim.", product: true,
        backward: .rule(saves: [.inputs, .outputs]) { ctx in
            let dim = try ctx.attrs.int("dim")
            return [try reverseCumsum(ctx.grad * ctx.output(0), dim: dim) / ctx.input(0)]
        },
        samples: [OpSample([SampleInput([3, 4], .uniform(0.5, 1.5))], [.int(1)]), OpSample([SampleInput([3, 4], .uniform(-1.5, -0.5))], [.int(0)]),
                  OpSample([SampleInput([2, 3, 4], .uniform(0.5, 1.5))], [.int(-1)]), OpSample([SampleInput([], .uniform(0.5, 1.5))], [.int(0)]),
                  OpSample([SampleInput([2, 5], .integers(-3, 3))], [.int(1)]), OpSample([SampleInput([0, 3])], [.int(1)])])
}

/// One scan per row along the scanned dim; input and output share strides (both contiguous).
private func scanRows<T>(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ plan: ReducePlan, _ combine: (T, T) -> T) {
    let n = plan.innerCount, s = plan.innerStride
    plan.forEachOutput { _, row in
        let base = row(0)
        guard n > 0 else { return }
        var acc = x[base]
        y[base] = acc
        for j in 1..<n {
            acc = combine(acc, x[base + j * s])
            y[base + j * s] = acc
        }
    }
}
