/// The collectives themselves, as the registry's kernels and the data-parallel wrappers call
/// them: each first agrees with the other ranks on what is being called (`agree`), then runs
/// on MPI. In a world of one they leave the tensor as it is.
extension ProcessGroup {
    /// MPI tag of fingerprint messages; point-to-point tags chosen by scripts stay below it.
    static let fingerprintTag: Int32 = 0x7ADE

    /// Exchanges this call's fingerprint with every other rank and compares them, waiting at
    /// most `timeout` for ranks to arrive; the time spent here is time spent waiting for others.
    func agree(_ call: CollectiveCall) throws {
        guard let mpi, worldSize > 1 else { return }
        if stopped.load(ordering: .relaxed) {
            throw TensorError.backend("distributed: this rank's process group stopped at an abandoned wait (a watchdog timeout, or a second Ctrl-C); its collectives cannot continue (start the job again)")
        }
        let seq = sequence.add(1, ordering: .relaxed).newValue
        calls.add(1, ordering: .relaxed)
        let mine = call.encoded(sequence: seq, stop: Self.stopRequested), n = CollectiveCall.wordCount
        let others = (0..<worldSize).filter { $0 != rank }
        // On the heap, and left allocated if the wait times out: MPI still owns them then.
        let outbox = UnsafeMutableBufferPointer<Int64>.allocate(capacity: n)
        let inbox = UnsafeMutableBufferPointer<Int64>.allocate(capacity: n * others.count)
        _ = outbox.initialize(from: mine)
        inbox.initialize(repeating: 0)
        guard let send = outbox.baseAddress, let receive = inbox.baseAddress else { return }
        let started = RequestPoll.monotonicSeconds()
        var requests: [MPILibrary.Request?] = []
        for (k, r) in others.enumerated() {
            requests.append(try mpi.startReceive(receive + k * n, count: n, dtype: .int64, from: r, tag: Self.fingerprintTag))
        }
        for r in others { requests.append(try mpi.startSend(send, count: n, dtype: .int64, to: r, tag: Self.fingerprintTag)) }
        let arrived = try RequestPoll.waitAll(mpi, &requests, seconds: timeout)
        waitNanoseconds.add(Int((RequestPoll.monotonicSeconds() - started) * 1e9), ordering: .relaxed)
        guard arrived else {
            stopped.store(true, ordering: .relaxed)
            let open = others.indices.filter { requests[$0] != nil }.map { others[$0] }
            let who = open.map(String.init).joined(separator: ", ")
            throw abandonedWait("distributed watchdog: rank \(rank) waited \(Self.seconds(timeout)) at \(CollectiveCall.describe(mine)) for rank\(open.count == 1 ? "" : "s") \(who), which did not reach it (a rank that stopped calling collectives, or is stuck; init_process_group(timeout=...) sets the wait)",
                                at: "\(CollectiveCall.describe(mine)) for rank\(open.count == 1 ? "" : "s") \(who)")
        }
        defer {
            outbox.deallocate()
            inbox.deallocate()
        }
        let theirs = others.indices.map { Array(inbox[$0 * n..<($0 + 1) * n]) }
        guard theirs.allSatisfy({ $0.dropLast() == mine.dropLast() }) else {
            var byRank = [(rank, mine)] + zip(others, theirs).map { ($0, $1) }
            byRank.sort { $0.0 < $1.0 }
            let lines = byRank.map { "rank \($0.0): \(CollectiveCall.describe($0.1))" }.joined(separator: "; ")
            throw TensorError.backend("distributed: ranks called different collectives: \(lines)")
        }
        // Every rank saw the same stop words, so every rank stops at this same call, before any
        // data moves, and the ranks stay in step for the next command.
        let asking = zip([rank] + others, [mine] + theirs).filter { $0.1.last == 1 }.map(\.0).sorted()
        if !asking.isEmpty {
            try drainReductions()
            let who = asking.map(String.init).joined(separator: ", ")
            throw TensorError.interrupted("every rank stopped at \(CollectiveCall.describe(mine)), asked by rank\(asking.count == 1 ? "" : "s") \(who)")
        }
    }

    static func seconds(_ s: Double) -> String { s < 1e15 && s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }

    private func note(bytes: Int) { bytesMoved.add(bytes, ordering: .relaxed) }

    /// A contiguous buffer MPI can read and write, or nil when nothing needs sending.
    static func buffer(_ t: Tensor, _ op: String) throws -> UnsafeMutableRawPointer? {
        guard t.count > 0 else { return nil }
        guard t.isContiguous, let base = t.rawPointer else { throw TensorError.value("\(op): the tensor must be contiguous; call .contiguous() first") }
        return base
    }

    /// Waits until every rank arrives.
    public func barrier() throws {
        try agree(CollectiveCall(op: "barrier", shape: [], dtype: .int64, detail: 0))
        try mpi?.barrier()
    }

    /// Replaces `t` on every rank by the ranks' tensors combined with `op`.
    func allReduce(_ t: Tensor, op: ReduceOp) throws {
        guard let mpi else { return }
        try agree(CollectiveCall(op: "all_reduce", shape: t.shape, dtype: t.dtype, detail: op.rawValue))
        guard let base = try Self.buffer(t, "all_reduce") else { return }
        try mpi.allReduce(base, count: t.count, dtype: t.dtype, op: op == .avg ? .sum : op)
        note(bytes: t.count * t.dtype.itemSize)
        if op == .avg { try divide(t) }
    }

    /// Replaces `t` on every rank by rank `src`'s.
    func broadcast(_ t: Tensor, src: Int) throws {
        guard src >= 0, src < worldSize else { throw TensorError.value("broadcast: src \(src) is not a rank of a world of \(worldSize)") }
        guard let mpi else { return }
        try agree(CollectiveCall(op: "broadcast", shape: t.shape, dtype: t.dtype, detail: src))
        guard let base = try Self.buffer(t, "broadcast") else { return }
        try mpi.broadcast(base, count: t.count, dtype: t.dtype, root: src)
        note(bytes: t.count * t.dtype.itemSize)
    }

    /// Every rank's `x`, in rank order, into `out` ([world, ...x.shape]).
    func allGather(_ x: Tensor, into out: Tensor) throws {
        guard let mpi else { return try Kernels.copy(from: x, into: out) }
        try agree(CollectiveCall(op: "all_gather", shape: x.shape, dtype: x.dtype, detail: 0))
        guard let send = try Self.buffer(x, "all_gather"), let receive = try Self.buffer(out, "all_gather") else { return }
        try mpi.allGather(send, into: receive, count: x.count, dtype: x.dtype)
        note(bytes: x.count * x.dtype.itemSize)
    }

    /// The ranks' `x` ([world * k, ...]) combined with `op`; this rank keeps block `rank` in `out`.
    func reduceScatter(_ x: Tensor, into out: Tensor, op: ReduceOp) throws {
        guard let mpi else { return try Kernels.copy(from: x, into: out) }
        try agree(CollectiveCall(op: "reduce_scatter", shape: x.shape, dtype: x.dtype, detail: op.rawValue))
        guard let send = try Self.buffer(x, "reduce_scatter"), let receive = try Self.buffer(out, "reduce_scatter") else { return }
        try mpi.reduceScatter(send, into: receive, count: out.count, dtype: x.dtype, op: op == .avg ? .sum : op)
        note(bytes: x.count * x.dtype.itemSize)
        if op == .avg { try divide(out) }
    }

    /// AVG: MPI sums, then each rank divides by the world size (the same on every rank).
    func divide(_ t: Tensor) throws {
        let n = t.count
        switch t.dtype {
        case .float32: let p = t.pointer(Float.self), w = Float(worldSize); for i in 0..<n { p[i] /= w }
        case .float64: let p = t.pointer(Double.self), w = Double(worldSize); for i in 0..<n { p[i] /= w }
        default: throw TensorError.dtype("all_reduce: ReduceOp.AVG needs a floating-point tensor, got \(t.dtype)")
        }
    }
}

/// Point-to-point messages (`dist.send`/`dist.recv`, and the parameter servers' pushes and
/// pulls). Not collectives: only the two ranks involved take part, so there is no fingerprint.
extension ProcessGroup {
    private func peer(_ r: Int, _ what: String) throws {
        guard r >= 0, r < worldSize else { throw TensorError.value("\(what): rank \(r) is not a rank of a world of \(worldSize)") }
        guard r != rank else { throw TensorError.value("\(what): rank \(r) is this process; a rank cannot send to or receive from itself") }
    }

    /// Tags from here up are Duet's own (the parameter servers' messages, the fingerprints).
    public static let userTagLimit = 31440

    private static func tag(_ tag: Int, _ what: String) throws -> Int32 {
        guard tag >= 0, tag < Int(fingerprintTag) else { throw TensorError.value("\(what): tag must be in 0..<\(fingerprintTag), got \(tag)") }
        return Int32(tag)
    }

    /// Sends `t` to rank `destination` (an empty tensor as an empty message); returns once `t`
    /// may be changed again.
    public func send(_ t: Tensor, to destination: Int, tag: Int = 0) throws {
        try peer(destination, "send")
        let tag = try Self.tag(tag, "send")
        guard let mpi else { return }
        let x = try t.contiguousCopyIfNeeded()
        var empty: Int64 = 0
        try withUnsafeMutablePointer(to: &empty) { placeholder in
            let base = try Self.buffer(x, "send") ?? UnsafeMutableRawPointer(placeholder)
            try mpi.send(base, count: x.count, dtype: x.dtype, to: destination, tag: tag)
        }
        note(bytes: x.count * x.dtype.itemSize)
    }

    /// Waits (at most `timeout`) for a message from `source` (any rank when nil) with one of
    /// `tags`, and returns its sender, tag and size without receiving it.
    public func nextMessage(from source: Int?, tags: [Int], _ what: String) throws -> (source: Int, tag: Int, bytes: Int) {
        guard let mpi else { throw TensorError.value("\(what): a world of one has no other rank to receive from") }
        let from = source.map(Int32.init) ?? MPILibrary.anySource
        // One probe per wanted tag: a probe for any tag could keep finding a message meant for
        // a later call (another rank's fingerprint) and never see the one wanted.
        let wanted = try tags.map { try Self.tag($0, what) }
        let started = RequestPoll.monotonicSeconds()
        var poll = RequestPoll.Backoff(seconds: timeout)
        defer { waitNanoseconds.add(Int((RequestPoll.monotonicSeconds() - started) * 1e9), ordering: .relaxed) }
        while true {
            for tag in wanted { if let found = try mpi.probe(from: from, tag: tag) { return found } }
            guard poll.next() else {
                let whom = source.map { "rank \($0)" } ?? "any rank"
                throw abandonedWait("distributed watchdog: rank \(rank) waited \(Self.seconds(timeout)) in \(what) for a message from \(whom) that was not sent",
                                    at: "\(what) for a message from \(whom)")
            }
        }
    }

    /// Receives into `t` from rank `source` (any rank when nil); returns the sender's rank. A
    /// message of another size is an error here, before MPI would end the job over it.
    @discardableResult
    public func receive(into t: Tensor, from source: Int?, tag: Int = 0) throws -> Int {
        if let source { try peer(source, "recv") }
        let tag32 = try Self.tag(tag, "recv")
        let message = try nextMessage(from: source, tags: [tag], "recv")
        let expected = t.count * t.dtype.itemSize
        guard message.bytes == expected else {
            throw TensorError.shape("recv: the message from rank \(message.source) holds \(message.bytes) bytes, but the tensor (\(t.dtype) \(shapeString(t.shape))) holds \(expected)")
        }
        guard let mpi else { return message.source }
        var empty: Int64 = 0
        try withUnsafeMutablePointer(to: &empty) { placeholder in
            let base = try Self.buffer(t, "recv") ?? UnsafeMutableRawPointer(placeholder)
            try mpi.receive(base, count: t.count, dtype: t.dtype, from: Int32(message.source), tag: tag32)
        }
        note(bytes: expected)
        return message.source
    }
}

/// Files several ranks write as one (a Chrome trace with a process row per rank).
extension ProcessGroup {
    static let gatherTag: Int32 = 31443

    /// Every rank's `bytes` at `root`, in rank order (nil on the other ranks). A collective: the
    /// sizes are all-gathered (with a fingerprint check), then each rank sends its bytes, packed
    /// in 64-bit words, to the root.
    public func gatherBytes(_ bytes: [UInt8], root: Int = 0) throws -> [[UInt8]]? {
        guard let mpi, worldSize > 1 else { return [bytes] }
        let size = try Tensor([Double(bytes.count)], shape: [1], dtype: .int64)
        let sizes = try Tensor.zeros([worldSize, 1], dtype: .int64)
        try allGather(size, into: sizes)
        let counts = try sizes.toDoubles().map(Int.init)
        func words(_ n: Int) -> Int { (n + 7) / 8 }
        guard rank == root else {
            var packed = [Int64](repeating: 0, count: max(1, words(bytes.count)))
            packed.withUnsafeMutableBytes { raw in raw.copyBytes(from: bytes) }
            try packed.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                try mpi.send(base, count: packed.count, dtype: .int64, to: root, tag: Self.gatherTag)
            }
            return nil
        }
        return try (0..<worldSize).map { r in
            if r == rank { return bytes }
            let n = max(1, words(counts[r]))
            var packed = [Int64](repeating: 0, count: n)
            try packed.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                try mpi.receive(base, count: n, dtype: .int64, from: Int32(r), tag: Self.gatherTag)
            }
            return packed.withUnsafeBytes { Array($0.prefix(counts[r])) }
        }
    }
}
