#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a rank is about to call: compared across ranks before every collective, so that ranks
/// calling different collectives (or the same one on different shapes) get an error naming
/// each rank's call instead of a hang or a silently wrong result (issue #18, "Diagnostics").
struct CollectiveCall: Equatable {
    /// The collective's registry name; blocking and nonblocking all-reduce differ (MPI cannot
    /// match one with the other).
    let op: String
    let shape: [Int]
    let dtype: DType
    /// The op's own argument: the ReduceOp, the root rank, or 0.
    let detail: Int

    static let names = ["barrier", "all_reduce", "all_reduce_start", "broadcast", "all_gather", "reduce_scatter"]
    static let maxDims = 8

    /// [sequence, op, dtype, detail, rank count, dims…, stop] as 64-bit integers, one message.
    /// The last word is not part of the call: 1 asks every rank to stop here (Ctrl-C).
    func encoded(sequence: Int, stop: Bool) -> [Int64] {
        var words = [Int64(sequence), Int64(Self.names.firstIndex(of: op) ?? -1), Int64(DType.allCases.firstIndex(of: dtype) ?? -1),
                     Int64(detail), Int64(shape.count)]
        words += (0..<Self.maxDims).map { $0 < shape.count ? Int64(shape[$0]) : 0 }
        if shape.count > Self.maxDims { words[words.count - 1] = Int64(Shape.count(shape)) }
        return words + [stop ? 1 : 0]
    }

    static let wordCount = 6 + maxDims

    /// Another rank's call as this rank reads it, for the error message.
    static func describe(_ w: [Int64]) -> String {
        let op = Int(w[1]), dt = Int(w[2]), rank = Int(w[4])
        let name = names.indices.contains(op) ? names[op] : "an unknown call"
        let dtype = DType.allCases.indices.contains(dt) ? "\(DType.allCases[dt])" : "?"
        let dims = (0..<min(rank, maxDims)).map { String(w[5 + $0]) }.joined(separator: ",")
        var detail = ""
        if name == "all_reduce" || name == "all_reduce_start" || name == "reduce_scatter" {
            detail = ", op \(ReduceOp(rawValue: Int(w[3]))?.name ?? "?")"
        } else if name == "broadcast" {
            detail = ", src \(w[3])"
        }
        return name == "barrier" ? "barrier (call #\(w[0]))" : "\(name) of \(dtype) [\(dims)]\(detail) (call #\(w[0]))"
    }
}

/// Waiting on MPI requests with a deadline: Open MPI advances messages only inside its calls,
/// so this polls without pause (a sleep between polls stretches every round of a nonblocking
/// collective), yielding the core after the first spins so that a rank that still computes gets
/// it when there are more ranks than cores.
enum RequestPoll {
    /// Polls `requests` until all are done; false when `seconds` pass first (the ones still
    /// pending are left non-nil).
    static func waitAll(_ mpi: MPILibrary, _ requests: inout [MPILibrary.Request?], seconds: Double) throws -> Bool {
        var poll = Backoff(seconds: seconds)
        while true {
            var open = false
            for i in requests.indices where requests[i] != nil {
                if try mpi.test(&requests[i]) { requests[i] = nil } else { open = true }
            }
            if !open { return true }
            if !poll.next() { return false }
        }
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// One wait's pacing: spin, then yield on each poll; false once the deadline has passed.
    struct Backoff {
        private let deadline: Double
        private var spins = 0

        init(seconds: Double) { deadline = RequestPoll.monotonicSeconds() + seconds }

        /// False also once `ProcessGroup.interruptWaiting()` was called.
        mutating func next() -> Bool {
            spins += 1
            if spins < 1000 { return true }
            sched_yield()
            guard !ProcessGroup.waitingInterrupted else { return false }
            return spins & 63 != 0 || RequestPoll.monotonicSeconds() < deadline
        }
    }
}
