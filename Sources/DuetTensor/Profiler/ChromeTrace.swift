import Foundation

/// How to keep a big trace openable: chrome://tracing struggles past a few hundred thousand
/// events, so exports can be cut to a number of op events.
public struct ChromeTraceOptions: Sendable {
    public enum Reduction: String, Sendable, CaseIterable {
        /// Keep the longest calls: what dominates the run stays visible.
        case longest
        /// Keep every k-th call: the timeline's shape stays visible.
        case sample
    }

    /// At most this many op events ("X"); nil exports all.
    public var maxEvents: Int?
    public var reduction: Reduction

    public init(maxEvents: Int? = nil, reduction: Reduction = .longest) {
        self.maxEvents = maxEvents
        self.reduction = reduction
    }
}

/// The process row a trace's events go in: one per rank when ranks merge their traces, all on
/// one clock (`originNs`, the earliest rank's start; ranks on one machine share its monotonic
/// clock).
public struct ChromeProcess: Sendable {
    public var pid: Int
    public var name: String
    public var originNs: UInt64?

    public init(pid: Int = 1, name: String = "duet", originNs: UInt64? = nil) {
        self.pid = pid
        self.name = name
        self.originNs = originNs
    }
}

/// What an export wrote, for the caller to report.
public struct ChromeTraceSummary: Sendable, Equatable {
    public var opEvents: Int
    public var counterEvents: Int
    /// Events in the recording (not counting calls the profiler itself dropped).
    public var recordedEvents: Int
    public var bytes: Int
    /// Set when events were left out (by the export cap or the profiler's cap); also in the
    /// trace's `otherData.note`.
    public var note: String?
}

/// Chrome trace event format (the JSON object form), which Perfetto and chrome://tracing open:
/// one complete ("X") event per op call with shapes, dtypes, FLOPs, bytes and scopes in its args,
/// and a "C" counter of live allocator bytes after each call.
public enum ChromeTrace {
    public static func encode(_ recording: ProfileRecording, options: ChromeTraceOptions = ChromeTraceOptions(),
                              process: ChromeProcess = ChromeProcess()) -> (json: String, summary: ChromeTraceSummary) {
        let events = recording.events
        let (kept, capNote) = select(events, options)
        var notes: [String] = []
        if let capNote { notes.append(capNote) }
        if recording.droppedEvents > 0 {
            notes.append("\(recording.droppedEvents) later op calls were not recorded: the profiler's event cap was reached")
        }
        let note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        let origin = process.originNs ?? recording.startNs
        let pid = "\"pid\":\(process.pid)"
        func since(_ t: UInt64) -> UInt64 { t >= origin ? t - origin : 0 }

        var out = JSONText(reserving: 64 + kept.count * 420)
        out.raw("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"duet\",\"recorded_events\":")
        out.int(events.count)
        out.raw(",\"exported_events\":")
        out.int(kept.count)
        if let note {
            out.raw(",\"note\":")
            out.string(note)
        }
        out.raw("},\"traceEvents\":[\n")
        out.raw("{\"name\":\"process_name\",\"ph\":\"M\",\(pid),\"tid\":1,\"args\":{\"name\":")
        out.string(process.name)
        out.raw("}},\n")
        out.raw("{\"name\":\"thread_name\",\"ph\":\"M\",\(pid),\"tid\":1,\"args\":{\"name\":\"ops\"}}")
        for i in kept {
            let e = events[i]
            out.raw(",\n{\"name\":")
            out.string(e.op)
            out.raw(",\"cat\":")
            out.string(e.mode)
            out.raw(",\"ph\":\"X\",\"ts\":")
            out.micros(since(e.startNs))
            out.raw(",\"dur\":")
            out.micros(e.durationNs)
            out.raw(",\(pid),\"tid\":1,\"args\":{\"inputs\":")
            out.string(shapesString(e.inputs))
            out.raw(",\"shapes\":[")
            out.raw(e.inputs.map { "[" + $0.shape.map(String.init).joined(separator: ",") + "]" }.joined(separator: ","))
            out.raw("],\"dtypes\":")
            out.stringArray(e.inputs.map(\.dtype.rawValue))
            out.raw(",\"flops\":")
            out.int(e.flops)
            out.raw(",\"bytes_read\":")
            out.int(e.bytesRead)
            out.raw(",\"bytes_written\":")
            out.int(e.bytesWritten)
            out.raw(",\"bytes_allocated\":")
            out.int(e.allocatedBytes)
            out.raw(",\"self_us\":")
            out.micros(e.selfNs)
            out.raw(",\"scopes\":")
            out.stringArray(e.scopes)
            out.raw(",\"in_place\":")
            out.raw(e.inPlace ? "true" : "false")
            out.raw("}}")
        }
        let counters = kept.sorted { events[$0].endNs < events[$1].endNs }
        for i in counters {
            out.raw(",\n{\"name\":\"memory\",\"ph\":\"C\",\"ts\":")
            out.micros(since(events[i].endNs))
            out.raw(",\(pid),\"tid\":1,\"args\":{\"live bytes\":")
            out.int(events[i].liveBytesAfter)
            out.raw("}}")
        }
        out.raw("\n]}\n")
        let json = out.text
        return (json, ChromeTraceSummary(opEvents: kept.count, counterEvents: counters.count, recordedEvents: events.count,
                                         bytes: json.utf8.count, note: note))
    }

    /// One trace of several processes' traces (each encoded with its own `ChromeProcess`): their
    /// events side by side, and their notes.
    public static func merge(_ traces: [String]) throws -> String {
        var events: [Any] = [], notes: [String] = [], recorded = 0, exported = 0
        for text in traces {
            guard let doc = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  let list = doc["traceEvents"] as? [Any] else { throw TensorError.value("merging traces: a rank's trace is not a Chrome trace") }
            events += list
            let other = doc["otherData"] as? [String: Any] ?? [:]
            recorded += other["recorded_events"] as? Int ?? 0
            exported += other["exported_events"] as? Int ?? 0
            if let note = other["note"] as? String { notes.append(note) }
        }
        var other: [String: Any] = ["producer": "duet", "recorded_events": recorded, "exported_events": exported, "processes": traces.count]
        if !notes.isEmpty { other["note"] = notes.joined(separator: "; ") }
        let doc: [String: Any] = ["displayTimeUnit": "ms", "otherData": other, "traceEvents": events]
        return String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self) + "\n"
    }

    /// Writes the trace to `path` atomically (a temporary file renamed into place), so a reader
    /// never sees half a trace and a failed export leaves any previous file intact.
    @discardableResult
    public static func write(_ recording: ProfileRecording, to path: String, options: ChromeTraceOptions = ChromeTraceOptions()) throws -> ChromeTraceSummary {
        try checkWritable(path)
        let (json, summary) = encode(recording, options: options)
        try write(json, to: path)
        return summary
    }

    /// The trace's path names a file in an existing directory.
    public static func checkWritable(_ path: String) throws {
        guard !path.isEmpty else { throw TensorError.value("trace path is empty") }
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw TensorError.value("cannot write the trace to '\(path)': it is a directory")
        }
        let parent = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TensorError.value("cannot write the trace to '\(path)': directory '\(parent)' does not exist")
        }
    }

    /// Writes trace text atomically (a temporary file renamed into place).
    public static func write(_ json: String, to path: String) throws {
        do {
            try Data(json.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TensorError.value("cannot write the trace to '\(path)': \(error.localizedDescription)")
        }
    }

    /// Indices of the events to export, in call order, and the note to attach when some were cut.
    static func select(_ events: [ProfileEvent], _ options: ChromeTraceOptions) -> ([Int], String?) {
        guard let cap = options.maxEvents.map({ max(0, $0) }), events.count > cap else { return (Array(events.indices), nil) }
        guard cap > 0 else { return ([], "capped: exported none of \(events.count) op events (the cap is 0)") }
        switch options.reduction {
        case .longest:
            let longest = events.indices.sorted { events[$0].durationNs > events[$1].durationNs || (events[$0].durationNs == events[$1].durationNs && $0 < $1) }
            return (Array(longest.prefix(cap)).sorted(),
                    "capped: exported the \(cap) longest of \(events.count) op events; shorter calls are omitted and their parents' time includes them")
        case .sample:
            let k = (events.count + cap - 1) / cap
            return (Array(stride(from: 0, to: events.count, by: k)),
                    "sampled: exported one in every \(k) of \(events.count) op events; gaps in the timeline are calls left out")
        }
    }
}
