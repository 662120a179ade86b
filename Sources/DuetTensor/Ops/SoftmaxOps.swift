import Foundation

/// softmax and log_softmax get their own kernels: composed from exp/sum/div they would read the
/// input three times and lose precision for large logits.
extension Ops {
    private static func softmaxFamily(_ name: String, _ doc: String, log: Bool) -> OpDef {
        OpDef(
            name: name, doc: doc, inputs: [InputParam("input")], attrs: [AttrParam("dim", .int)],
            fusion: .reduction, promotion: .commonFloat([0]),
            infer: { metas, attrs in
                _ = try Shape.normalize(dim: attrs.int("dim"), rank: metas[0].shape.count, op: name)
                return [metas[0]]
            },
            kernel: .compute { args in
                // An empty softmax dim has no rows to normalize; an empty kept dim has no rows at all.
                guard args.outputs[0].count > 0 else { return }
                let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
                let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: name)
                let plan = ReducePlan(x, dims: x.rank == 0 ? [] : [dim])
                if x.dtype == .float32 {
                    softmaxRows(x.pointer(Float.self), out.pointer(Float.self), plan, log: log)
                } else {
                    softmaxRows(x.pointer(Double.self), out.pointer(Double.self), plan, log: log)
                }
            },
            reference: { ins, attrs in
                let a = ins[0]
                let rank = a.shape.count
                let dim = try Ref.dim(attrs.int("dim"), rank: Swift.max(rank, 1))
                var out = a
                for flat in 0..<a.data.count {
                    var idx = Ref.unravel(flat, a.shape)
                    var total = 0.0
                    let size = rank == 0 ? 1 : a.shape[dim]
                    for j in 0..<size {
                        if rank > 0 { idx[dim] = j }
                        total += Foundation.exp(a.data[Ref.ravel(idx, a.shape)])
                    }
                    out.data[flat] = log ? a.data[flat] - Foundation.log(total) : Foundation.exp(a.data[flat]) / total
                }
                return [out]
            },
            backward: .rule(saves: .outputs) { ctx in
                let y = try ctx.output(0), dim = try ctx.attrs.int("dim")
                if log {
                    return [try ctx.grad - y.exp() * ctx.grad.sum(dims: [dim], keepdim: true)]
                }
                return [try y * (ctx.grad - (ctx.grad * y).sum(dims: [dim], keepdim: true))]
            },
            cost: Rules.elementwiseCost(12),
            samples: [OpSample([SampleInput([3, 5])], [.int(1)]), OpSample([SampleInput([3, 5])], [.int(0)]),
                      OpSample([SampleInput([2, 3, 4], .uniform(-20, 20))], [.int(-1)]), OpSample([SampleInput([4])], [.int(0)]),
                      OpSample([SampleInput([3, 0])], [.int(1)]), OpSample([SampleInput([0, 3])], [.int(1)]), OpSample([SampleInput([0, 3])], [.int(0)])],
            placement: [.function, .method, .functional])
    }

    public static let softmax: OpDef = softmaxFamily("softmax", "exp(x) / sum(exp(x)) along dim, computed stably.", log: false)
    public static let logSoftmax: OpDef = softmaxFamily("log_softmax", "x - log(sum(exp(x))) along dim, computed stably.", log: true)
}

/// One softmax per row along the reduced dim; input and output share strides (both contiguous).
private func softmaxRows<T: BinaryFloatingPoint & DuetScalar>(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ plan: ReducePlan, log: Bool) {
    let n = plan.innerCount, s = plan.innerStride
    plan.forEachOutput { _, row in
        let base = row(0)
        var m = -T.infinity
        for j in 0..<n { m = Swift.max(m, x[base + j * s]) }
        if m == -T.infinity { m = 0 }
        var total = 0.0
        for j in 0..<n {
            let e = Foundation.exp((x[base + j * s] - m).duetDouble)
            total += e
            if !log { y[base + j * s] = T(duetDouble: e) }
        }
        if log {
            let shift = m.duetDouble + Foundation.log(total)
            for j in 0..<n { y[base + j * s] = T(duetDouble: x[base + j * s].duetDouble - shift) }
        } else {
            let inv = 1 / total
            for j in 0..<n { y[base + j * s] = T(duetDouble: y[base + j * s].duetDouble * inv) }
        }
    }
}
