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

    /// The output a collective rewrites in place, holding the input's values, and the group when
    /// there are other ranks to talk to.
    private static func collectiveBuffer(_ args: KernelArgs) throws -> (Tensor, ProcessGroup?) {
        let out = args.outputs[0]
        try Kernels.copy(from: args.inputs[0], into: out)
        return (out, ProcessGroup.current)
    }

    private static func reduceOp(_ attrs: Attrs, _ op: String) throws -> ReduceOp {
        guard let r = ReduceOp(rawValue: try attrs.int("op")) else { throw TensorError.value("\(op): op \(try attrs.int("op")) is not a ReduceOp") }
        return r
    }

    /// MPI here carries float32, float64 and int64; AVG divides, so it needs a float.
    static func checkSendable(_ meta: TensorMeta, _ op: String, reduce: ReduceOp? = nil) throws {
        guard [.float32, .float64, .int64].contains(meta.dtype) else {
            throw TensorError.dtype("\(op): \(meta.dtype) tensors cannot be sent (float32, float64 and int64 can); convert with .float() first")
        }
        if reduce == .avg && !meta.dtype.isFloatingPoint {
            throw TensorError.dtype("\(op): ReduceOp.AVG needs a floating-point tensor, got \(meta.dtype)")
        }
    }

    /// all_reduce's shape rule, shared by its blocking and nonblocking forms.
    private static let reductionInfer: @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta] = { metas, attrs in
        try checkSendable(metas[0], "all_reduce", reduce: try reduceOp(attrs, "all_reduce"))
        return [metas[0]]
    }

    public static let allReduce: OpDef = OpDef(
        name: "all_reduce", doc: "Every rank's tensor combined by op (SUM, PRODUCT, MIN, MAX, AVG), the same on every rank.",
        inputs: [InputParam("tensor")], attrs: [AttrParam("op", .int, default: .int(ReduceOp.sum.rawValue))],
        fusion: .opaque, infer: reductionInfer,
        kernel: .compute { args in
            let (out, group) = try collectiveBuffer(args)
            try group?.allReduce(out, op: try reduceOp(args.attrs, "all_reduce"))
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([5], .integers(-3, 3))], [.int(ReduceOp.max.rawValue)]),
                  OpSample([SampleInput([2, 3])], [.int(ReduceOp.avg.rawValue)]), OpSample([SampleInput([0, 3])])],
        communicates: true, placement: [])

    /// The start of a nonblocking all-reduce (`async_op=True`, and DDP's buckets during
    /// backward): the tensor is being reduced in place until `all_reduce_wait` on it.
    public static let allReduceStart: OpDef = OpDef(
        name: "all_reduce_start", doc: "Starts combining every rank's tensor by op, in place; all_reduce_wait finishes it.",
        inputs: [InputParam("tensor")], attrs: [AttrParam("op", .int, default: .int(ReduceOp.sum.rawValue))],
        fusion: .opaque, infer: reductionInfer,
        kernel: .compute { args in
            let (out, group) = try collectiveBuffer(args)
            try group?.startAllReduce(out, op: try reduceOp(args.attrs, "all_reduce"))
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([2, 3])], [.int(ReduceOp.avg.rawValue)]), OpSample([SampleInput([0, 3])])],
        communicates: true, placement: [])

    /// Waits for the reduction `all_reduce_start` began on this tensor; its time is the time
    /// communication did not overlap computation.
    public static let allReduceWait: OpDef = OpDef(
        name: "all_reduce_wait", doc: "Waits until the all-reduce started on this tensor is complete.",
        inputs: [InputParam("tensor")], fusion: .opaque,
        infer: { metas, _ in [metas[0]] },
        kernel: .compute { args in
            let (out, group) = try collectiveBuffer(args)
            try group?.finishAllReduce(out)
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: { ins, _, _ in Cost(flops: 0, bytesRead: 0, bytesWritten: 0) },
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([0])])],
        communicates: true, placement: [])

    public static let broadcast: OpDef = OpDef(
        name: "broadcast", doc: "Rank src's tensor, copied to every rank.",
        inputs: [InputParam("tensor")], attrs: [AttrParam("src", .int, default: .int(0))],
        fusion: .opaque,
        infer: { metas, attrs in
            guard try attrs.int("src") >= 0 else { throw TensorError.value("broadcast: src must be a rank, got \(try attrs.int("src"))") }
            try checkSendable(metas[0], "broadcast")
            return [metas[0]]
        },
        kernel: .compute { args in
            let (out, group) = try collectiveBuffer(args)
            try group?.broadcast(out, src: try args.attrs.int("src"))
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([4], .integers(0, 9))]), OpSample([SampleInput([0])])],
        communicates: true, placement: [])

    /// The ranks' tensors stacked in rank order: [world size, ...shape]. The shape depends on
    /// the group, so a trace made in one world does not fit another.
    public static let allGather: OpDef = OpDef(
        name: "all_gather", doc: "Every rank's tensor, stacked in rank order along a new first dim.",
        inputs: [InputParam("tensor")], fusion: .opaque,
        infer: { metas, _ in
            try checkSendable(metas[0], "all_gather")
            return [TensorMeta(shape: [ProcessGroup.current?.worldSize ?? 1] + metas[0].shape, dtype: metas[0].dtype)]
        },
        kernel: .compute { args in
            let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
            guard let group = ProcessGroup.current else { return try Kernels.copy(from: x, into: out) }
            try group.allGather(x, into: out)
        },
        reference: { ins, _ in [RefArray(shape: [1] + ins[0].shape, data: ins[0].data)] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([3, 4])]), OpSample([SampleInput([5], .integers(-3, 3))]), OpSample([SampleInput([0, 2])])],
        communicates: true, placement: [])

    /// The ranks' tensors ([world * k, ...]) combined by op; rank r keeps rows r*k..<(r+1)*k.
    public static let reduceScatter: OpDef = OpDef(
        name: "reduce_scatter", doc: "Every rank's tensor combined by op, split along dim 0; each rank keeps its block.",
        inputs: [InputParam("tensor")], attrs: [AttrParam("op", .int, default: .int(ReduceOp.sum.rawValue))],
        fusion: .opaque,
        infer: { metas, attrs in
            try checkSendable(metas[0], "reduce_scatter", reduce: try reduceOp(attrs, "reduce_scatter"))
            let world = ProcessGroup.current?.worldSize ?? 1, shape = metas[0].shape
            guard let first = shape.first, first % world == 0 else {
                throw TensorError.shape("reduce_scatter: the input's first dim (\(shape.first.map(String.init) ?? "none, a 0-dim tensor")) must split evenly over \(world) ranks")
            }
            return [TensorMeta(shape: [first / world] + shape.dropFirst(), dtype: metas[0].dtype)]
        },
        kernel: .compute { args in
            let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
            let op = try reduceOp(args.attrs, "reduce_scatter")
            guard let group = ProcessGroup.current else { return try Kernels.copy(from: x, into: out) }
            try group.reduceScatter(x, into: out, op: op)
        },
        reference: { ins, _ in [ins[0]] },
        backward: .notDifferentiable,
        cost: collectiveCost,
        samples: [OpSample([SampleInput([4, 3])]), OpSample([SampleInput([2, 3])], [.int(ReduceOp.avg.rawValue)]), OpSample([SampleInput([0, 3])])],
        communicates: true, placement: [])
}
