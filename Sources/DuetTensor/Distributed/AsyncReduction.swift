import Synchronization

/// A nonblocking all-reduce in flight: started by the `all_reduce_start` op, finished by
/// `all_reduce_wait` on the same buffer. Data-parallel training starts one per gradient bucket
/// while backward still runs and finishes them all at its end, so communication overlaps the
/// remaining computation (PyTorch DDP's buckets; docs/language.md, "Distributed").
struct PendingReduction: @unchecked Sendable {
    /// Open MPI's request; MPI calls on it happen on the thread that runs the ops.
    var request: MPILibrary.Request?
    /// Held so that MPI never writes into freed memory, even if nobody waits.
    let tensor: Tensor
    let op: ReduceOp
    let call: String
}

extension ProcessGroup {
    /// Nonblocking reductions in flight, in this process.
    static let inFlight = Atomic<Int>(0)

    /// Lets reductions in flight advance; the graph executor calls it between kernels, and it
    /// costs one atomic load when none is.
    public static func advance() throws {
        guard inFlight.load(ordering: .relaxed) > 0, let group = current else { return }
        try group.progress()
    }

    /// Starts reducing `t` in place; `t`'s storage must not be touched until `finishAllReduce`.
    func startAllReduce(_ t: Tensor, op: ReduceOp) throws {
        guard let mpi else { return }
        let call = CollectiveCall(op: "all_reduce_start", shape: t.shape, dtype: t.dtype, detail: op.rawValue)
        guard let base = try Self.buffer(t, "all_reduce") else { return try agree(call) }
        let key = Int(bitPattern: base)
        if pending.withLock({ $0[key] != nil }) {
            throw TensorError.value("all_reduce: a reduction of this tensor is already in flight; wait() for it first")
        }
        try agree(call)
        let request = try mpi.startAllReduce(base, count: t.count, dtype: t.dtype, op: op == .avg ? .sum : op)
        let described = CollectiveCall.describe(call.encoded(sequence: sequence.load(ordering: .relaxed), stop: false))
        pending.withLock { $0[key] = PendingReduction(request: request, tensor: t, op: op, call: described) }
        Self.inFlight.add(1, ordering: .relaxed)
        bytesMoved.add(t.count * t.dtype.itemSize, ordering: .relaxed)
    }

    /// Waits (at most `timeout`) for the reduction started on `t`, then applies AVG's division.
    func finishAllReduce(_ t: Tensor) throws {
        guard let mpi, let base = try Self.buffer(t, "all_reduce") else { return }
        let key = Int(bitPattern: base)
        guard let entry = pending.withLock({ $0.removeValue(forKey: key) }) else {
            throw TensorError.value("all_reduce wait: no reduction of this tensor was started (async_op=True starts one)")
        }
        Self.inFlight.subtract(1, ordering: .relaxed)
        var requests = [entry.request]
        let started = RequestPoll.monotonicSeconds()
        let done = try RequestPoll.waitAll(mpi, &requests, seconds: timeout)
        waitNanoseconds.add(Int((RequestPoll.monotonicSeconds() - started) * 1e9), ordering: .relaxed)
        guard done else {
            // MPI still owns the buffer: keep the entry (and its tensor) alive, and stop the group.
            pending.withLock { $0[key] = entry }
            stopped.store(true, ordering: .relaxed)
            throw abandonedWait("distributed watchdog: rank \(rank) waited \(timeout) s for \(entry.call) to complete", at: "\(entry.call)")
        }
        if entry.op == .avg { try divide(t) }
    }

    /// Waits for every reduction in flight (each rank started them all) and forgets them: after a
    /// stop at a collective, the next step starts with none pending.
    func drainReductions() throws {
        guard let mpi else { return }
        let entries = pending.withLock { table in
            defer { table = [:] }
            return table
        }
        Self.inFlight.subtract(entries.count, ordering: .relaxed)
        var requests = entries.values.map(\.request)
        guard try RequestPoll.waitAll(mpi, &requests, seconds: timeout) else {
            pending.withLock { table in for (key, entry) in entries { table[key] = entry } }
            Self.inFlight.add(entries.count, ordering: .relaxed)
            stopped.store(true, ordering: .relaxed)
            throw abandonedWait("distributed watchdog: rank \(rank) waited \(Self.seconds(timeout)) for its reductions in flight to complete", at: "its reductions in flight")
        }
    }

    /// Lets every reduction in flight advance (Open MPI moves messages only inside its calls).
    public func progress() throws {
        guard let mpi, Self.inFlight.load(ordering: .relaxed) > 0 else { return }
        try pending.withLock { table in
            for key in table.keys {
                guard var entry = table[key], entry.request != nil else { continue }
                if try mpi.test(&entry.request) { entry.request = nil }
                table[key] = entry
            }
        }
    }
}
