/// Live bytes over a recording and who owned the peak: the profile pane's memory strip and the
/// "peak 41.2 MB during backward of matmul#17 (matmul)" line.
public struct MemoryTimeline: Sendable {
    /// One sample per op call, taken when it returned.
    public struct Sample: Sendable, Equatable {
        /// Nanoseconds since the recording started.
        public var timeNs: UInt64
        public var liveBytes: Int
        /// The running high-water mark (since the recording started).
        public var peakBytes: Int
    }

    /// The op call running when the allocator's high-water mark was reached.
    public struct PeakOwner: Sendable, Equatable {
        /// Index into the recording's events.
        public var event: Int
        public var op: String
        public var scopes: [String]
    }

    /// Samples in time order.
    public var samples: [Sample]
    public var peakBytes: Int
    public var peakOwner: PeakOwner?
    /// Bytes allocated by each op's own calls (children excluded), by op name.
    public var allocatedByOp: [String: Int]

    public init(_ recording: ProfileRecording) {
        let events = recording.events
        let order = events.indices.sorted { events[$0].endNs < events[$1].endNs || (events[$0].endNs == events[$1].endNs && $0 < $1) }
        samples = order.map { i in
            let e = events[i]
            return Sample(timeNs: e.endNs >= recording.startNs ? e.endNs - recording.startNs : 0,
                          liveBytes: e.liveBytesAfter, peakBytes: e.peakBytesAfter)
        }
        let peak = max(recording.peakBytes, events.map(\.peakBytesAfter).max() ?? 0)
        peakBytes = peak
        // The calls whose range saw the high-water mark rise to `peak` form one chain of nested
        // calls; the deepest one is where the allocation happened.
        var owner: Int?
        for (i, e) in events.enumerated() where e.peakBytesBefore < peak && e.peakBytesAfter >= peak {
            if owner.map({ events[$0].depth < e.depth }) ?? true { owner = i }
        }
        peakOwner = owner.map { PeakOwner(event: $0, op: events[$0].op, scopes: events[$0].scopes) }
        allocatedByOp = events.reduce(into: [:]) { $0[$1.op, default: 0] += $1.selfAllocatedBytes }
    }

    /// "peak 41.2 MB during backward of matmul#17 (matmul)": the innermost scope names the
    /// region, the op names the call that allocated.
    public var summary: String {
        let size = ProfileUnits.bytes(peakBytes)
        guard let owner = peakOwner else { return "peak \(size) (reached outside any recorded op call)" }
        guard let scope = owner.scopes.last else { return "peak \(size) during \(owner.op)" }
        return "peak \(size) during \(scope) (\(owner.op))"
    }
}
