import DuetTensor

/// `torch.distributed` (issue #18): the process group and its collectives. Collectives are the
/// registry's `all_reduce`, `broadcast` (run in place on the tensor, as PyTorch's are) and
/// `all_gather`, whose result is copied into the caller's tensors; without
/// `mpirun` the world has one rank and they leave the tensor as it is (docs/language.md,
/// "Distributed").
enum DistributedBuiltins {
    static func namespace() -> Namespace {
        let ns = Namespace("torch.distributed")
        let reduceOps = Namespace("torch.distributed.ReduceOp")
        for op in ReduceOp.allCases { reduceOps.add(op.name, .object(ReduceOpObject(op))) }
        ns.add("ReduceOp", .object(reduceOps))
        ns.function("is_available()", "Whether collectives can run: always (one rank alone, or MPI's ranks under mpirun).") { _, _ in .bool(true) }
        ns.function("is_initialized()", "Whether init_process_group has run.") { _, _ in .bool(ProcessGroup.current != nil) }
        ns.function("init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None, group_name='')",
                    "Joins the ranks mpirun started (one rank when run alone); the backend is MPI.") { b, _ in
            let requested = try b.int("world_size")
            if requested > 1 && !ProcessGroup.launchedByMPI {
                throw ScriptError(.value, "init_process_group: world_size=\(requested) needs that many processes: start them with `duet run -n \(requested) script`")
            }
            try ProcessGroup.initialize(backend: try b.optionalString("backend") ?? "mpi")
            return .none
        }
        ns.function("destroy_process_group(group=None)", "Leaves the process group.") { _, _ in
            try ProcessGroup.destroy()
            return .none
        }
        ns.function("get_rank(group=None)", "This process's rank, 0 to world size - 1.") { _, _ in .int(try ProcessGroup.required("get_rank()").rank) }
        ns.function("get_world_size(group=None)", "How many ranks the group has.") { _, _ in .int(try ProcessGroup.required("get_world_size()").worldSize) }
        ns.function("barrier(group=None, async_op=False, device_ids=None)", "Waits until every rank arrives.") { b, _ in
            try synchronous(b)
            try ProcessGroup.required("barrier()").barrier()
            return .none
        }
        ns.function("all_reduce(tensor, op=None, group=None, async_op=False)",
                    "Replaces tensor, on every rank, by all ranks' tensors combined by op (ReduceOp.SUM when None).") { b, _ in
            try synchronous(b)
            _ = try ProcessGroup.required("all_reduce()")
            var op = ReduceOp.sum
            if let v = b["op"], !v.isNone {
                guard case .object(let o as ReduceOpObject) = v else {
                    throw ScriptError(.type, "all_reduce(): op must be a torch.distributed.ReduceOp, got \(v.typeName)")
                }
                op = o.op
            }
            _ = try Dispatch.inPlace(Ops.allReduce, [try b.tensor("tensor")], Attrs([.int(op.rawValue)]))
            return .none
        }
        ns.function("broadcast(tensor, src, group=None, async_op=False)", "Replaces tensor, on every rank, by rank src's.") { b, _ in
            try synchronous(b)
            _ = try ProcessGroup.required("broadcast()")
            _ = try Dispatch.inPlace(Ops.broadcast, [try b.tensor("tensor")], Attrs([.int(try b.int("src"))]))
            return .none
        }
        ns.function("all_gather(tensor_list, tensor, group=None, async_op=False)",
                    "Fills tensor_list (one tensor per rank, each shaped like tensor) with every rank's tensor, in rank order.") { b, interp in
            try synchronous(b)
            let world = try ProcessGroup.required("all_gather()").worldSize
            let targets = try Iteration.collect(try b.value("tensor_list"), interp).map { try Convert.tensor($0, b.label("tensor_list")) }
            guard targets.count == world else {
                throw ScriptError(.value, "all_gather(): tensor_list has \(targets.count) tensors; it needs one per rank (\(world))")
            }
            let gathered = try Dispatch.call1(Ops.allGather, [try b.tensor("tensor")])
            for (r, t) in targets.enumerated() { try t.copy_(try gathered.select(dim: 0, index: r)) }
            return .none
        }
        ns.function("all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False)",
                    "Writes every rank's input_tensor into output_tensor in rank order, stacked or concatenated along dim 0 (as output_tensor is shaped).") { b, _ in
            try synchronous(b)
            _ = try ProcessGroup.required("all_gather_into_tensor()")
            let input = try b.tensor("input_tensor"), output = try b.tensor("output_tensor")
            let gathered = try Dispatch.call1(Ops.allGather, [input])
            // PyTorch takes either form: the ranks' tensors stacked, or concatenated along dim 0.
            let joined = input.rank == 0 || output.shape == gathered.shape ? gathered : try gathered.reshape([-1] + Array(input.shape.dropFirst()))
            guard joined.shape == output.shape else {
                throw ScriptError(.value, "all_gather_into_tensor(): output_tensor of shape \(shapeString(output.shape)) does not hold the \(shapeString(joined.shape)) the ranks send")
            }
            try output.copy_(joined)
            return .none
        }
        return ns
    }

    /// Collectives complete before they return; `async_op=True` (a work handle) is not offered yet.
    private static func synchronous(_ b: BoundArguments) throws {
        if let v = b["async_op"], try Convert.bool(v, b.label("async_op")) {
            throw ScriptError(.runtime, "\(b.function)(): async_op=True is not supported in Duet yet; collectives complete before they return")
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
