import DuetTensor

/// `dist.ParameterServer`: TensorFlow's parameter-server training on MPI point-to-point
/// messages (issue #18; docs/language.md, "Distributed"). Ranks `0..<numServers` each hold a
/// shard of the parameters (largest first, each to the least-loaded server) and the optimizer
/// state for it; the other ranks are workers. After `backward()`, a worker's `step()` pushes
/// each shard's gradients to its server and pulls the shard's new values back.
///
/// Synchronous: a server waits for every active worker's push, averages them, steps the
/// optimizer once and answers all, so N workers on equal slices compute what one process
/// computes on the whole batch. Asynchronous: each push is applied as it arrives; a reply is
/// held back while sending it could let some worker's gradient come back more than
/// `maxStaleness` updates old (stale-synchronous parallel), so no applied gradient exceeds it
/// (which needs `maxStaleness` ≥ workers - 1: the first gradients all start from version 0).
public final class ParameterServer {
    public let numServers: Int
    public let synchronous: Bool
    public let maxStaleness: Int
    public let rank: Int
    public var isServer: Bool { rank < numServers }
    /// Parameter indices per server.
    public let shards: [[Int]]
    /// Server side: updates applied, and the largest staleness of any applied gradient.
    public private(set) var updates = 0
    public private(set) var largestStaleness = 0
    private let params: [Tensor]
    private let optimizer: Optimizer
    private let group: ProcessGroup
    private var finished = false

    /// Message tags, from the first one scripts cannot use.
    enum Tag {
        static let push = ProcessGroup.userTagLimit, pull = push + 1, finish = push + 2
    }

    /// Numbers a worker sends with each push (fit's weighted loss, correct count and samples):
    /// synchronous servers return their sum over the workers with the new values, so every
    /// worker records the same history; asynchronous ones return the worker's own.
    public static let metricCount = 3

    public init(_ module: Module, _ optimizer: Optimizer, numServers: Int = 1, synchronous: Bool = true, maxStaleness: Int? = nil) throws {
        group = try ProcessGroup.required("ParameterServer")
        guard group.worldSize >= 2 else {
            throw TensorError.value("ParameterServer: needs at least 2 ranks, a server and a worker, and this world has 1; start them with `duet run -n N`")
        }
        guard numServers >= 1, numServers < group.worldSize else {
            throw TensorError.value("ParameterServer: num_servers must be 1 to \(group.worldSize - 1) in a world of \(group.worldSize) (the other ranks are the workers), got \(numServers)")
        }
        if let s = maxStaleness, s < 1 { throw TensorError.value("ParameterServer: max_staleness must be at least 1, got \(s)") }
        // Every worker's first gradient is computed on the initial values, so the last of them
        // to arrive is (workers - 1) updates old whatever the servers do.
        let workers = group.worldSize - numServers
        if !synchronous && workers - 1 > (maxStaleness ?? 4) {
            throw TensorError.value("ParameterServer: \(workers) asynchronous workers need max_staleness of at least \(workers - 1) (their first gradients all start from the initial values), got \(maxStaleness ?? 4)")
        }
        params = module.parameters().filter(\.requiresGrad)
        guard let dtype = params.first?.dtype, params.allSatisfy({ $0.dtype == dtype }) else {
            throw TensorError.value("ParameterServer: the model's parameters must exist and share one dtype")
        }
        self.numServers = numServers
        self.synchronous = synchronous
        self.maxStaleness = maxStaleness ?? 4
        self.optimizer = optimizer
        rank = group.rank
        shards = Self.assign(params, servers: numServers)
        try withNoGrad {
            for t in module.parameters() + module.namedBuffers().map(\.tensor) { _ = try Dispatch.inPlace(Ops.broadcast, [t], Attrs([.int(0)])) }
        }
    }

    /// Largest parameters first, each to the server holding the fewest elements so far.
    static func assign(_ params: [Tensor], servers: Int) -> [[Int]] {
        var shards = [[Int]](repeating: [], count: servers), load = [Int](repeating: 0, count: servers)
        for i in params.indices.sorted(by: { params[$0].count > params[$1].count || (params[$0].count == params[$1].count && $0 < $1) }) {
            let s = load.indices.min { load[$0] < load[$1] } ?? 0
            shards[s].append(i)
            load[s] += params[i].count
        }
        return shards.map { $0.sorted() }
    }

    private var workers: [Int] { Array(numServers..<group.worldSize) }

    /// A message: the shard's tensors flattened, then the metrics.
    private func message(_ shard: [Int], _ metrics: Tensor, _ value: (Tensor) throws -> Tensor) throws -> Tensor {
        try withNoGrad { try Tensor.cat(try shard.map { try value(params[$0]).reshape([-1]) } + [metrics], dim: 0) }
    }

    private func metrics(of message: Tensor) throws -> Tensor {
        try message.slice(dim: 0, start: message.count - Self.metricCount, end: message.count).contiguous()
    }

    private func unpack(_ flat: Tensor, _ shard: [Int], _ assign: (Tensor, Tensor) throws -> Void) throws {
        var offset = 0
        for i in shard {
            let p = params[i]
            try assign(p, try flat.slice(dim: 0, start: offset, end: offset + p.count).view(p.shape))
            offset += p.count
        }
    }

    private func messageBuffer(_ shard: [Int]) throws -> Tensor {
        try Tensor.zeros([shard.reduce(0) { $0 + params[$1].count } + Self.metricCount], dtype: params[0].dtype)
    }

    // MARK: Workers

    /// Pushes this worker's gradients (zeros where a parameter has none) and `metrics`, pulls
    /// the new values, and returns server 0's answer to the metrics.
    @discardableResult
    public func step(metrics: [Double] = [0, 0, 0]) throws -> [Double] {
        guard !isServer else { throw TensorError.value("ParameterServer.step(): rank \(rank) is a server; servers call serve()") }
        guard !finished else { throw TensorError.value("ParameterServer.step(): this worker already called finish()") }
        guard metrics.count == Self.metricCount else { throw TensorError.value("ParameterServer.step(): \(Self.metricCount) metrics, got \(metrics.count)") }
        let sent = try Tensor(metrics, shape: [Self.metricCount], dtype: params[0].dtype)
        for (s, shard) in shards.enumerated() {
            try group.send(try message(shard, sent) { p in try p.grad ?? Tensor.zerosLike(p) }, to: s, tag: Tag.push)
        }
        var answer: [Double] = []
        for (s, shard) in shards.enumerated() {
            let values = try messageBuffer(shard)
            try group.receive(into: values, from: s, tag: Tag.pull)
            try withNoGrad { try unpack(values, shard) { p, v in _ = try p.copy_(v) } }
            if s == 0 { answer = try self.metrics(of: values).toDoubles() }
        }
        return answer
    }

    /// Tells every server this worker is done.
    public func finish() throws {
        guard !isServer, !finished else { return }
        finished = true
        for s in 0..<numServers { try group.send(try Tensor.zeros([1]), to: s, tag: Tag.finish) }
    }

    // MARK: Servers

    /// Runs the server loop until every worker has called `finish()`.
    public func serve() throws {
        guard isServer else { throw TensorError.value("ParameterServer.serve(): rank \(rank) is a worker; workers call step() and finish()") }
        let shard = shards[rank]
        var active = Set(workers)
        // Asynchronous bookkeeping: the version each computing worker pulled, and held replies.
        var version = 0
        var computing: [Int: Int] = Dictionary(uniqueKeysWithValues: workers.map { ($0, 0) })
        var held: [(worker: Int, metrics: Tensor)] = []
        var sum: Tensor?
        var pushed = Set<Int>()
        while !active.isEmpty {
            let (source, tag, _) = try group.nextMessage(from: nil, tags: [Tag.push, Tag.finish], "ParameterServer.serve()")
            if tag == Tag.finish {
                try group.receive(into: try Tensor.zeros([1]), from: source, tag: tag)
                active.remove(source)
                computing[source] = nil
            } else {
                let grads = try messageBuffer(shard)
                try group.receive(into: grads, from: source, tag: tag)
                if synchronous {
                    sum = try sum.map { try $0 + grads } ?? grads
                    pushed.insert(source)
                } else {
                    largestStaleness = max(largestStaleness, version - (computing[source] ?? version))
                    computing[source] = nil
                    try apply(grads, shard)
                    version += 1
                    held.append((source, try metrics(of: grads)))
                }
            }
            if synchronous, !pushed.isEmpty, pushed.isSuperset(of: active), let total = sum {
                try apply(try total / Double(pushed.count), shard)
                let values = try message(shard, try metrics(of: total)) { $0 }
                for w in pushed.sorted() { try group.send(values, to: w, tag: Tag.pull) }
                pushed = []
                sum = nil
            }
            if !synchronous {
                // Answer a held worker only if every gradient still to come stays within the bound:
                // each computing worker's, which all the others (this one included) may overtake
                // once, and this one's, which the computing ones may overtake.
                var still: [(worker: Int, metrics: Tensor)] = []
                for w in held {
                    let others = computing.count
                    if others <= maxStaleness && computing.values.allSatisfy({ version - $0 + others <= maxStaleness }) {
                        try group.send(try message(shard, w.metrics) { $0 }, to: w.worker, tag: Tag.pull)
                        computing[w.worker] = version
                    } else {
                        still.append(w)
                    }
                }
                held = still
            }
        }
    }

    /// One optimizer step on this server's shard with `grads` (the other parameters keep no
    /// gradient, so the optimizer leaves them alone).
    private func apply(_ grads: Tensor, _ shard: [Int]) throws {
        for p in params { p.grad = nil }
        try unpack(grads, shard) { p, g in p.grad = g }
        try optimizer.step()
        for p in params { p.grad = nil }
        updates += 1
    }
}
