import DuetTensor

/// `nn.parallel.DistributedDataParallel`: the same model on every rank, each rank's gradients
/// averaged across ranks during backward, PyTorch's way (issue #18; docs/language.md,
/// "Distributed"). At wrap time rank 0's parameters and buffers are broadcast to every rank.
/// Gradients are grouped in buckets in reverse parameter order (the order backward produces
/// them), the first capped at 1 MiB and the others at `bucket_cap_mb`; as soon as all of a
/// bucket's gradients exist it is flattened and its nonblocking all-reduce starts, so the
/// reduction overlaps the rest of backward. Buckets start in the same order on every rank.
/// When backward ends, every bucket is finished and each `.grad` becomes the averaged slice.
/// All of it is registry ops (`cat`, `all_reduce_start`, `all_reduce_wait`, views), so the
/// profiler counts it, and a compiled training step traces it into the graph where the
/// gradients come into existence.
public final class DistributedDataParallel: Module, BackwardListener {
    /// The wrapped model (`ddp.module`, so its state_dict keys start with "module.").
    public let module: Module
    public let bucketCapBytes: Int
    /// Whether buckets start during backward as nonblocking all-reduces (`false`: each is
    /// reduced by a blocking all-reduce after backward ends, to measure what overlap saves).
    public let overlap: Bool
    public let broadcastBuffers: Bool
    /// False inside `no_sync()`: gradients accumulate locally, and the next synchronized
    /// backward reduces the sum.
    public var synchronizeGradients = true
    /// Parameter indices per bucket, in the order the buckets start.
    public let buckets: [[Int]]
    private let params: [Tensor]
    private let group: ProcessGroup
    /// Each parameter's bucket and index.
    private var place: [ObjectIdentifier: (bucket: Int, index: Int)] = [:]
    /// Per pass: parameters of each bucket still without their gradient, the buffers in flight.
    private var missing: [Set<Int>] = []
    private var flats: [Tensor?] = []
    private var nextBucket = 0

    static let firstBucketBytes = 1 << 20

    public init(_ module: Module, bucketCapMB: Double = 25, broadcastBuffers: Bool = true, overlap: Bool = true) throws {
        guard bucketCapMB > 0, bucketCapMB.isFinite else { throw TensorError.value("DistributedDataParallel: bucket_cap_mb must be positive, got \(bucketCapMB)") }
        group = try ProcessGroup.required("DistributedDataParallel")
        self.module = module
        bucketCapBytes = Int(min(bucketCapMB * 1_048_576, Double(Int.max / 2)))
        self.overlap = overlap
        self.broadcastBuffers = broadcastBuffers
        params = module.parameters().filter(\.requiresGrad)
        buckets = Self.assign(params, capBytes: bucketCapBytes)
        super.init()
        registerModule("module", module)
        for (b, members) in buckets.enumerated() {
            for i in members { place[ObjectIdentifier(params[i])] = (b, i) }
        }
        try withNoGrad {
            for t in module.parameters() + module.namedBuffers().map(\.tensor) {
                _ = try Dispatch.inPlace(Ops.broadcast, [t], Attrs([.int(0)]))
            }
        }
        for p in params {
            // Wrappers made before and gone since leave empty entries: drop them.
            p.backwardListeners.removeAll { $0.listener == nil }
            p.backwardListeners.append(WeakBackwardListener(self))
        }
        reset()
    }

    override public var typeName: String { "DistributedDataParallel" }

    /// PyTorch's rule: walk parameters last to first, one dtype per bucket, and close a bucket
    /// once it reaches its cap (1 MiB for the first, so the earliest gradients go out soon).
    static func assign(_ params: [Tensor], capBytes: Int) -> [[Int]] {
        var buckets: [[Int]] = []
        var open: [DType: (members: [Int], bytes: Int)] = [:]
        for i in params.indices.reversed() {
            let p = params[i]
            var bucket = open[p.dtype] ?? ([], 0)
            bucket.members.append(i)
            bucket.bytes += p.count * p.dtype.itemSize
            let cap = buckets.isEmpty ? min(capBytes, firstBucketBytes) : capBytes
            if bucket.bytes >= cap {
                buckets.append(bucket.members)
                open[p.dtype] = nil
            } else {
                open[p.dtype] = bucket
            }
        }
        for dtype in DType.allCases { if let b = open[dtype], !b.members.isEmpty { buckets.append(b.members) } }
        return buckets
    }

    private func reset() {
        missing = buckets.map(Set.init)
        flats = buckets.map { _ in nil }
        nextBucket = 0
    }

    /// Before each forward: buffers (running statistics) follow rank 0's, as in PyTorch.
    public func prepareForward() throws {
        reset()
        guard broadcastBuffers else { return }
        try withNoGrad {
            for t in module.namedBuffers().map(\.tensor) { _ = try Dispatch.inPlace(Ops.broadcast, [t], Attrs([.int(0)])) }
        }
    }

    override public func forward(_ input: Tensor) throws -> Tensor {
        try prepareForward()
        return try module(input)
    }

    public func gradientReady(_ leaf: Tensor) throws {
        guard synchronizeGradients, let (b, i) = place[ObjectIdentifier(leaf)] else { return }
        missing[b].remove(i)
        guard overlap else { return }
        while nextBucket < buckets.count, missing[nextBucket].isEmpty {
            try start(nextBucket)
            nextBucket += 1
        }
    }

    public func betweenOps() throws {
        try ProcessGroup.advance()
    }

    /// Starts what has not started (buckets with unused parameters, which reduce zeros for
    /// them, or all of them without overlap), waits for each in order, and hands out the slices.
    public func backwardFinished() throws {
        defer { reset() }
        guard synchronizeGradients else { return }
        while nextBucket < buckets.count {
            try start(nextBucket)
            nextBucket += 1
        }
        for (b, members) in buckets.enumerated() {
            guard let flat = flats[b] else { continue }
            if overlap { _ = try Dispatch.inPlace(Ops.allReduceWait, [flat], Attrs([])) }
            var offset = 0
            for i in members {
                let p = params[i]
                p.grad = try flat.slice(dim: 0, start: offset, end: offset + p.count).view(p.shape)
                offset += p.count
            }
        }
    }

    /// The bucket's gradients flattened into one buffer, its all-reduce (AVG) started.
    private func start(_ b: Int) throws {
        let pieces = try buckets[b].map { i in
            let p = params[i]
            return try (p.grad ?? Tensor.zeros(p.shape, dtype: p.dtype)).reshape([-1])
        }
        let flat = try Tensor.cat(pieces, dim: 0)
        _ = try Dispatch.inPlace(overlap ? Ops.allReduceStart : Ops.allReduce, [flat], Attrs([.int(ReduceOp.avg.rawValue)]))
        flats[b] = flat
    }
}
