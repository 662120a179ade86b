/// What one table row stands for.
public enum ProfileGrouping: String, Sendable, CaseIterable {
    /// One row per op name.
    case op
    /// One row per op name and input shapes/dtypes (`matmul(float32[128,784], float32[784,512])`).
    case shapes
    /// One row per scope path (`record` regions, module paths, backward nodes), every level shown.
    case scope
}

/// A sortable column; the raw values are what `duet bench --sort` accepts.
public enum ProfileColumn: String, Sendable, CaseIterable {
    case name, calls
    case selfTime = "self"
    case totalTime = "total"
    case average = "avg"
    case percent
    case gflops
    case gbps
    case allocated = "alloc"
}

/// One aggregated row: the structured form the TUI's profile pane renders.
public struct ProfileRow: Sendable, Equatable {
    /// The op name, or the scope path joined with "/" ("(no scope)" for ops outside any).
    public var name: String
    /// Input shapes and dtypes when grouped by shapes; empty otherwise.
    public var detail: String
    /// Op calls in the row (for scopes: calls made directly in the scope).
    public var calls: Int
    /// Time in the row's own kernels, excluding ops they called (scopes: excluding nested scopes).
    public var selfNs: UInt64
    /// Time including called ops (scopes: including nested scopes); a call nested inside another
    /// call of the same row is not counted twice.
    public var totalNs: UInt64
    /// Share of all self time in the recording: rows sum to 100%.
    public var percent: Double
    /// Cost-model work of the row's own calls (scopes: of everything under the scope).
    public var flops: Int
    public var bytesMoved: Int
    /// Bytes the allocator handed out in the row's own calls, children excluded.
    public var allocatedBytes: Int

    public var averageNs: Double { calls > 0 ? Double(totalNs) / Double(calls) : 0 }

    /// Work over the time it took: op rows divide by self time (the work is the kernel's own),
    /// scope rows by total time (their work includes nested scopes). Nil when there is no work.
    public var gflopsPerSecond: Double? { rate(flops) }
    public var gigabytesPerSecond: Double? { rate(bytesMoved) }
    /// Which time the rates divide by; set by the table builder.
    var rateNs: UInt64

    private func rate(_ amount: Int) -> Double? {
        guard amount > 0, rateNs > 0 else { return nil }
        return Double(amount) / Double(rateNs)
    }

    /// The column's value as a sort key (names sort separately).
    func sortValue(_ column: ProfileColumn) -> Double {
        switch column {
        case .name: 0
        case .calls: Double(calls)
        case .selfTime: Double(selfNs)
        case .totalTime: Double(totalNs)
        case .average: averageNs
        case .percent: percent
        case .gflops: gflopsPerSecond ?? -1
        case .gbps: gigabytesPerSecond ?? -1
        case .allocated: Double(allocatedBytes)
        }
    }
}

/// The aggregated view of a recording: rows sorted by one column, optionally cut to the top N.
public struct ProfileTable: Sendable {
    public var grouping: ProfileGrouping
    public var sortedBy: ProfileColumn
    public var descending: Bool
    /// The shown rows, sorted.
    public var rows: [ProfileRow]
    /// Rows cut by the top-N limit, and their share of self time.
    public var hiddenRows: Int
    public var hiddenPercent: Double
    /// Sum of self time over every event: the time spent in kernels.
    public var kernelNs: UInt64
    public var wallNs: UInt64
    public var events: Int
    public var droppedEvents: Int
    /// Self time and calls of the ops that talk to other ranks (collectives, their waits):
    /// on a rank, the time it spent communicating or waiting for the others.
    public var communicationNs: UInt64
    public var communicationCalls: Int

    /// The one-line explanation printed above the table.
    public var legend: String {
        switch grouping {
        case .op, .shapes:
            "self = time in the op's own kernel, excluding ops it called; total = including them; % = share of all self time (rows sum to 100%)"
        case .scope:
            "self = time in ops called directly in the scope; total = including nested scopes; % = share of all self time (rows sum to 100%)"
        }
    }

    /// Kernel time over the recorded wall time: how much of the run the rows explain.
    public var coverage: Double { wallNs > 0 ? Double(kernelNs) / Double(wallNs) : 0 }

    /// Aggregates `recording`. Names sort ascending and numbers descending unless `descending` says otherwise.
    public init(_ recording: ProfileRecording, groupBy grouping: ProfileGrouping = .op, sortBy column: ProfileColumn = .selfTime,
                descending: Bool? = nil, limit: Int? = nil) {
        self.grouping = grouping
        self.sortedBy = column
        self.descending = descending ?? (column != .name)
        let events = recording.events
        var all = grouping == .scope ? Self.scopeRows(events) : Self.opRows(events, withShapes: grouping == .shapes)
        let kernel = events.reduce(UInt64(0)) { $0 + $1.selfNs }
        for i in all.indices {
            all[i].percent = kernel > 0 ? 100 * Double(all[i].selfNs) / Double(kernel) : 0
        }
        all.sort(by: Self.order(column, descending: self.descending))
        let shown = limit.map { max(0, $0) } ?? all.count
        rows = Array(all.prefix(shown))
        hiddenRows = all.count - rows.count
        hiddenPercent = all.dropFirst(rows.count).reduce(0) { $0 + $1.percent }
        kernelNs = kernel
        wallNs = recording.wallNs
        self.events = events.count
        droppedEvents = recording.droppedEvents
        let talking = events.filter { Ops.byName[$0.op]?.communicates == true }
        communicationNs = talking.reduce(UInt64(0)) { $0 + $1.selfNs }
        communicationCalls = talking.count
    }

    private static func order(_ column: ProfileColumn, descending: Bool) -> (ProfileRow, ProfileRow) -> Bool {
        { a, b in
            if column != .name {
                let x = a.sortValue(column), y = b.sortValue(column)
                if x != y { return descending ? x > y : x < y }
            }
            if a.name != b.name { return (a.name < b.name) != (descending && column == .name) }
            return a.detail < b.detail
        }
    }

    /// Rows keyed by op (and shapes). Total counts only calls with no enclosing call of the same
    /// key, so recursion-like nesting (a `to` inside a `to`'s backward) is not counted twice.
    private static func opRows(_ events: [ProfileEvent], withShapes: Bool) -> [ProfileRow] {
        let keys = events.map { withShapes ? "\($0.op)\u{0}\(shapesString($0.inputs))" : $0.op }
        var index: [String: Int] = [:]
        var rows: [ProfileRow] = []
        for (i, e) in events.enumerated() {
            let slot: Int
            if let s = index[keys[i]] {
                slot = s
            } else {
                slot = rows.count
                index[keys[i]] = slot
                rows.append(ProfileRow(name: e.op, detail: withShapes ? shapesString(e.inputs) : "", calls: 0, selfNs: 0,
                                       totalNs: 0, percent: 0, flops: 0, bytesMoved: 0, allocatedBytes: 0, rateNs: 0))
            }
            var nestedInSame = false
            var p = e.parent
            while let q = p, q < events.count, !nestedInSame {
                nestedInSame = keys[q] == keys[i]
                p = events[q].parent
            }
            rows[slot].calls += 1
            rows[slot].selfNs += e.selfNs
            if !nestedInSame { rows[slot].totalNs += e.durationNs }
            rows[slot].flops += e.flops
            rows[slot].bytesMoved += e.bytesMoved
            rows[slot].allocatedBytes += e.selfAllocatedBytes
        }
        for i in rows.indices { rows[i].rateNs = rows[i].selfNs }
        return rows
    }

    /// Rows keyed by scope path, one per level, so that a scope's self plus its children's totals
    /// is its total. Time is attributed through each event's self time, which counts every
    /// nanosecond of kernel time exactly once.
    private static func scopeRows(_ events: [ProfileEvent]) -> [ProfileRow] {
        var index: [[String]: Int] = [:]
        var rows: [ProfileRow] = []
        func slot(_ path: [String]) -> Int {
            if let s = index[path] { return s }
            index[path] = rows.count
            rows.append(ProfileRow(name: path.isEmpty ? "(no scope)" : path.joined(separator: "/"), detail: "", calls: 0,
                                   selfNs: 0, totalNs: 0, percent: 0, flops: 0, bytesMoved: 0, allocatedBytes: 0, rateNs: 0))
            return rows.count - 1
        }
        for e in events {
            let own = slot(e.scopes)
            rows[own].calls += 1
            rows[own].selfNs += e.selfNs
            rows[own].allocatedBytes += e.selfAllocatedBytes
            for depth in stride(from: e.scopes.isEmpty ? 0 : 1, through: e.scopes.count, by: 1) {
                let s = slot(Array(e.scopes.prefix(depth)))
                rows[s].totalNs += e.selfNs
                rows[s].flops += e.flops
                rows[s].bytesMoved += e.bytesMoved
            }
        }
        for i in rows.indices { rows[i].rateNs = rows[i].totalNs }
        return rows
    }
}

/// `float32[128,784], float32[784,512]`: how the shapes grouping and the trace show inputs.
func shapesString(_ metas: [TensorMeta]) -> String {
    metas.map(\.description).joined(separator: ", ")
}
