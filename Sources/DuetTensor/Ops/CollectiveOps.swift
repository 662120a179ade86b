/// Collectives over the process group (issue #18): registry ops, so the profiler counts their
/// calls and bytes, the tape shows them, and a trace records them. The language calls them in
/// place (`dist.all_reduce(t)` rewrites `t`, as PyTorch's does), which also keeps graph passes
/// from dropping or merging them. In a world of one they are the identity (AVG divides by 1).
extension Ops {
    /// The bytes a ring all-reduce moves per rank, 2(n-1)/n of the tensor, are what PyTorch's
    /// profilers report; the cost model counts one read and one write of the tensor.
    private static let collectiveCost: @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost = { ins, outs, _ in
        Cost(flops: ins.reduce(0) { $0 + Shape.count($1.shape) }, bytesRead: ins.reduce(0) { $0 + $1.byteCount },
             bytesWritten: outs.reduce(0) { $0 + $1.byteCount })
    }

    /// The output buffer a collective writes in place, contiguous as MPI needs.
    private static func collectiveBuffer(_ args: KernelArgs, _ op: String) throws -> Tensor? {
        let out = args.outputs[0]
        try Kernels.copy(from: args.inputs[0], into: out)
        guard ProcessGroup.current?.mpi != nil, out.count > 0 else { return nil }
        guard out.isContiguous else { throw TensorError.value("\(op): the tensor must be contiguous; call .contiguous() first") }
        return out
    }

    public static let allReduce: OpDef = OpDef(
        name: "all_reduce", doc: "Every rank's tensor combined by op (SUM, PRODUCT, MIN, MAX, AVG), the same on every rank.",
        inputs: [InputParam("tensor")], attrs: [AttrParam("op", .int, default: .int(ReduceOp.sum.rawValue))],
        fusion: .opaque,
        infer: { metas, attrs in
            guard ReduceOp(rawValue: try attrs.int("op")) != nil else { throw TensorError.value("all_reduce: op \(try attrs.int("op")) is not a ReduceOp") }
            guard metas[0].dtype != .bool else { throw TensorError.dtype("all_reduce: bool tensors cannot be reduced") }
            return [metas[0]]
        },
        kernel: .compute { args in
            guard let out = try collectiveBuffer(args, "all_reduce"), let group = ProcessGroup.current, let mpi = group.mpi,
                  let op = ReduceOp(rawValue: try args.attrs.int("op")), let base = out.rawPointer else { return }
            try mpi.allReduce(base, count: out.count, dtype: out.dtype, op: op == .avg ? .sum : op)
            guard op == .avg else { return }
            let n = out.count, ranks = group.worldSize
            switch out.dtype {
            case .float32: let p = out.pointer(Float.self); for i in 0..<n { p[i] /= Float(ranks) }
            case .float64: let p = out.pointer(Double.self); for i in 0..<n { p[i] /= Double(ranks) }
            default: throw TensorError.dtype("all_reduce: AVG needs a floating-point tensor, got \(out.dtype)")
            }
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([5], .integers(-3, 3))], [.int(ReduceOp.max.rawValue)]),
                  OpSample([SampleInput([2, 3])], [.int(ReduceOp.avg.rawValue)]), OpSample([SampleInput([0, 3])])],
        placement: [])

    public static let broadcast: OpDef = OpDef(
        name: "broadcast", doc: "Rank src's tensor, copied to every rank.",
        inputs: [InputParam("tensor")], attrs: [AttrParam("src", .int, default: .int(0))],
        fusion: .opaque,
        infer: { metas, attrs in
            guard try attrs.int("src") >= 0 else { throw TensorError.value("broadcast: src must be a rank, got \(try attrs.int("src"))") }
            return [metas[0]]
        },
        kernel: .compute { args in
            let src = try args.attrs.int("src")
            if let group = ProcessGroup.current, src >= group.worldSize {
                throw TensorError.value("broadcast: src \(src) is not a rank of a world of \(group.worldSize)")
            }
            guard let out = try collectiveBuffer(args, "broadcast"), let mpi = ProcessGroup.current?.mpi, let base = out.rawPointer else { return }
            try mpi.broadcast(base, count: out.count, dtype: out.dtype, root: src)
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([4], .integers(0, 9))]), OpSample([SampleInput([0])])],
        placement: [])

    /// The ranks' tensors stacked in rank order: [world size, ...shape]. The shape depends on
    /// the group, so a trace made in one world does not fit another.
    public static let allGather: OpDef = OpDef(
        name: "all_gather", doc: "Every rank's tensor, stacked in rank order along a new first dim.",
        inputs: [InputParam("tensor")], fusion: .opaque,
        infer: { metas, _ in
            guard metas[0].dtype != .bool else { throw TensorError.dtype("all_gather: bool tensors cannot be sent") }
            return [TensorMeta(shape: [ProcessGroup.current?.worldSize ?? 1] + metas[0].shape, dtype: metas[0].dtype)]
        },
        kernel: .compute { args in
            let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
            guard let mpi = ProcessGroup.current?.mpi, x.count > 0, let send = x.rawPointer, let receive = out.rawPointer else {
                try Kernels.copy(from: x, into: out)
                return
            }
            try mpi.allGather(send, into: receive, count: x.count, dtype: x.dtype)
        },
        reference: { ins, _ in [RefArray(shape: [1] + ins[0].shape, data: ins[0].data)] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([5], .integers(-3, 3))]), OpSample([SampleInput([0, 2])])],
        placement: [])
}
