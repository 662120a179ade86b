import Synchronization
import DuetTensor

/// `torch.distributed` (issue #18): the process group and its collectives. Collectives are the
/// registry's `all_reduce` (or `all_reduce_start` with `async_op=True`), `broadcast` (run in
/// place on the tensor, as PyTorch's are), `all_gather` and `reduce_scatter`, whose results are
/// copied into the caller's tensors; without `mpirun` the world has one rank and they leave the
/// tensor as it is (docs/language.md, "Distributed").
enum DistributedBuiltins {
    static func namespace() -> Namespace {
        let ns = Namespace("torch.distributed")
        let reduceOps = Namespace("torch.distributed.ReduceOp")
        for op in ReduceOp.allCases { reduceOps.add(op.name, .object(ReduceOpObject(op))) }
        ns.add("ReduceOp", .object(reduceOps))
        ns.function("is_available()", "Whether collectives can run: always (one rank alone, or MPI's ranks under mpirun).") { _, _ in .bool(true) }
        ns.function("is_initialized()", "Whether init_process_group has run.") { _, _ in .bool(ProcessGroup.current != nil) }
        ns.function("init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None, group_name='')",
                    "Joins the ranks mpirun started (one rank when run alone); the backend is MPI. timeout (seconds or a timedelta, 60 s by default) is how long a collective waits for the other ranks.") { b, _ in
            let requested = try b.int("world_size")
            if requested > 1 && !ProcessGroup.launchedByMPI {
                throw ScriptError(.value, "init_process_group: world_size=\(requested) needs that many processes: start them with `duet run -n \(requested) script`")
            }
            try ProcessGroup.initialize(backend: try b.optionalString("backend") ?? "mpi", timeout: try timeoutSeconds(b))
            return .none
        }
        ns.function("destroy_process_group(group=None)", "Leaves the process group.") { _, _ in
            try ProcessGroup.destroy()
            return .none
        }
        ns.function("get_rank(group=None)", "This process's rank, 0 to world size - 1.") { _, _ in .int(try ProcessGroup.required("get_rank()").rank) }
        ns.function("get_world_size(group=None)", "How many ranks the group has.") { _, _ in .int(try ProcessGroup.required("get_world_size()").worldSize) }
        ns.function("barrier(group=None, async_op=False, device_ids=None)", "Waits until every rank arrives.") { b, _ in
            try ProcessGroup.required("barrier()").barrier()
            return try completed(b)
        }
        ns.function("all_reduce(tensor, op=None, group=None, async_op=False)",
                    "Replaces tensor, on every rank, by all ranks' tensors combined by op (ReduceOp.SUM when None); with async_op=True it returns a Work whose wait() finishes it.") { b, _ in
            _ = try ProcessGroup.required("all_reduce()")
            let tensor = try b.tensor("tensor"), attrs = Attrs([.int(try reduceOp(b).rawValue)])
            guard try asynchronous(b) else {
                _ = try Dispatch.inPlace(Ops.allReduce, [tensor], attrs)
                return .none
            }
            _ = try Dispatch.inPlace(Ops.allReduceStart, [tensor], attrs)
            return .object(WorkObject(tensor))
        }
        ns.function("broadcast(tensor, src, group=None, async_op=False)", "Replaces tensor, on every rank, by rank src's.") { b, _ in
            _ = try ProcessGroup.required("broadcast()")
            _ = try Dispatch.inPlace(Ops.broadcast, [try b.tensor("tensor")], Attrs([.int(try b.int("src"))]))
            return try completed(b)
        }
        ns.function("all_gather(tensor_list, tensor, group=None, async_op=False)",
                    "Fills tensor_list (one tensor per rank, each shaped like tensor) with every rank's tensor, in rank order.") { b, interp in
            let targets = try perRank(b, "tensor_list", interp)
            let gathered = try Dispatch.call1(Ops.allGather, [try b.tensor("tensor")])
            for (r, t) in targets.enumerated() { try t.copy_(try gathered.select(dim: 0, index: r)) }
            return try completed(b)
        }
        ns.function("all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False)",
                    "Writes every rank's input_tensor into output_tensor in rank order, stacked or concatenated along dim 0 (as output_tensor is shaped).") { b, _ in
            _ = try ProcessGroup.required("all_gather_into_tensor()")
            let input = try b.tensor("input_tensor"), output = try b.tensor("output_tensor")
            let gathered = try Dispatch.call1(Ops.allGather, [input])
            // PyTorch takes either form: the ranks' tensors stacked, or concatenated along dim 0.
            let joined = input.rank == 0 || output.shape == gathered.shape ? gathered : try gathered.reshape([-1] + Array(input.shape.dropFirst()))
            guard joined.shape == output.shape else {
                throw ScriptError(.value, "all_gather_into_tensor(): output_tensor of shape \(shapeString(output.shape)) does not hold the \(shapeString(joined.shape)) the ranks send")
            }
            try output.copy_(joined)
            return try completed(b)
        }
        ns.function("reduce_scatter_tensor(output, input, op=None, group=None, async_op=False)",
                    "Combines every rank's input by op and gives rank r the r-th block of dim 0 in output (input is world size times output along dim 0).") { b, _ in
            _ = try ProcessGroup.required("reduce_scatter_tensor()")
            let output = try b.tensor("output"), input = try b.tensor("input")
            // The ranks' blocks concatenated along dim 0, or stacked ([world, *output.shape]).
            let rows = try Dispatch.call1(Ops.reduceScatter, [input.rank == output.rank + 1 ? try input.reshape([-1] + Array(input.shape.dropFirst(2))) : input],
                                          Attrs([.int(try reduceOp(b).rawValue)]))
            guard rows.shape == output.shape else {
                throw ScriptError(.value, "reduce_scatter_tensor(): output of shape \(shapeString(output.shape)) does not hold this rank's block, \(shapeString(rows.shape))")
            }
            try output.copy_(rows)
            return try completed(b)
        }
        ns.function("reduce_scatter(output, input_list, op=None, group=None, async_op=False)",
                    "Combines, over ranks, input_list[r] of every rank by op into output on rank r (one input per rank).") { b, interp in
            let inputs = try perRank(b, "input_list", interp)
            let output = try b.tensor("output")
            let rows = try Dispatch.call1(Ops.reduceScatter, [try Tensor.stack(inputs, dim: 0)], Attrs([.int(try reduceOp(b).rawValue)]))
            try output.copy_(try rows.select(dim: 0, index: 0))
            return try completed(b)
        }
        ns.function("send(tensor, dst, group=None, tag=0)", "Sends tensor to rank dst; returns once tensor may change again.") { b, _ in
            try ProcessGroup.required("send()").send(try b.tensor("tensor"), to: try b.int("dst"), tag: try userTag(b))
            return .none
        }
        ns.function("recv(tensor, src=None, group=None, tag=0)", "Receives into tensor from rank src (any rank when None); returns the sender's rank.") { b, _ in
            .int(try ProcessGroup.required("recv()").receive(into: try b.tensor("tensor"), from: try b.optionalInt("src"), tag: try userTag(b)))
        }
        ns.function("communication_stats()", "Duet's counters for this rank: collective calls, bytes it sent, and seconds it waited for other ranks.") { _, _ in
            let g = try ProcessGroup.required("communication_stats()")
            return .dict(try DictObject(pairs: [(.str("calls"), .int(g.calls.load(ordering: .relaxed))),
                                                (.str("bytes"), .int(g.bytesMoved.load(ordering: .relaxed))),
                                                (.str("wait_seconds"), .float(Double(g.waitNanoseconds.load(ordering: .relaxed)) * 1e-9))]))
        }
        ParameterServerObject.register(ns)
        StrategyObject.register(ns)
        return ns
    }

    /// A list argument holding one tensor per rank.
    private static func perRank(_ b: BoundArguments, _ name: String, _ interp: Interpreter) throws -> [Tensor] {
        let world = try ProcessGroup.required("\(b.function)()").worldSize
        let tensors = try Iteration.collect(try b.value(name), interp).map { try Convert.tensor($0, b.label(name)) }
        guard tensors.count == world else {
            throw ScriptError(.value, "\(b.function)(): \(name) has \(tensors.count) tensors; it needs one per rank (\(world))")
        }
        return tensors
    }

    /// `op=`: a `ReduceOp`, SUM when None.
    private static func reduceOp(_ b: BoundArguments) throws -> ReduceOp {
        guard let v = b["op"], !v.isNone else { return .sum }
        guard case .object(let o as ReduceOpObject) = v else {
            throw ScriptError(.type, "\(b.function)(): op must be a torch.distributed.ReduceOp, got \(v.typeName)")
        }
        return o.op
    }

    /// Scripts' tags stay below the ones Duet's parameter servers and checks use.
    private static func userTag(_ b: BoundArguments) throws -> Int {
        let tag = try b.int("tag")
        guard tag >= 0, tag < ProcessGroup.userTagLimit else {
            throw ScriptError(.value, "\(b.function)(): tag must be in 0..<\(ProcessGroup.userTagLimit), got \(tag)")
        }
        return tag
    }

    private static func asynchronous(_ b: BoundArguments) throws -> Bool {
        guard let v = b["async_op"] else { return false }
        return try Convert.bool(v, b.label("async_op"))
    }

    /// What a collective other than all_reduce returns: None, or with `async_op=True` a Work
    /// that is already complete (these run to completion before they return).
    private static func completed(_ b: BoundArguments) throws -> Value {
        try asynchronous(b) ? .object(WorkObject(nil)) : .none
    }

    /// `timeout=`: seconds, or anything with `total_seconds()` (a `datetime.timedelta`).
    private static func timeoutSeconds(_ b: BoundArguments) throws -> Double {
        guard let v = b["timeout"], !v.isNone else { return ProcessGroup.defaultTimeout }
        if let seconds = try? Convert.double(v, b.label("timeout")) { return seconds }
        guard let seconds = try Dunder.call(v, "total_seconds", Arguments([])) else {
            throw ScriptError(.type, "init_process_group(): timeout must be a number of seconds or a timedelta, got \(v.typeName)")
        }
        return try Convert.double(seconds, b.label("timeout"))
    }
}

/// What `async_op=True` returns (PyTorch's `Work`): `wait()` finishes the reduction that
/// `all_reduce_start` began, through the `all_reduce_wait` op, so the profiler shows the wait.
final class WorkObject: ScriptObject {
    private var tensor: Tensor?
    init(_ tensor: Tensor?) { self.tensor = tensor }
    override var typeName: String { "Work" }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "wait":
            .object(BuiltinFunction("wait(timeout=None)", "Blocks until the collective is complete; returns True.") { [self] _, _ in
                if let t = tensor {
                    _ = try Dispatch.inPlace(Ops.allReduceWait, [t], Attrs([]))
                    tensor = nil
                }
                return .bool(true)
            })
        case "is_completed":
            .object(BuiltinFunction("is_completed()", "Whether wait() has finished the collective.") { [self] _, _ in .bool(tensor == nil) })
        default: nil
        }
    }
}

/// `dist.ReduceOp.SUM` and the others, printed as PyTorch prints them.
final class ReduceOpObject: ScriptObject {
    let op: ReduceOp
    init(_ op: ReduceOp) { self.op = op }
    override var typeName: String { "RedOpType" }
    override var repr: String { "RedOpType.\(op.name)" }
}
