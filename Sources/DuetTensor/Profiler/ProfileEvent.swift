/// One op call as the profiler saw it. A plain value so a finished recording can cross threads
/// (the TUI's profile pane renders on another thread than the interpreter that recorded it).
public struct ProfileEvent: Sendable, Equatable {
    /// The registry name (`matmul`, `add`, `to`, …).
    public var op: String
    /// Shapes and dtypes as the caller passed them (before promotion: the casts are child events).
    public var inputs: [TensorMeta]
    public var outputs: [TensorMeta]
    /// Monotonic nanoseconds (CLOCK_MONOTONIC), comparable with `ProfileRecording.startNs`.
    public var startNs: UInt64
    public var endNs: UInt64
    /// From the registry's cost model; views move no bytes.
    public var flops: Int
    public var bytesRead: Int
    public var bytesWritten: Int
    /// Bytes handed out by the allocator during the call, children included.
    public var allocatedBytes: Int
    /// Allocator live bytes when the call returned.
    public var liveBytesAfter: Int
    /// Allocator high-water mark before and after the call: the peak was (first) reached inside
    /// the deepest event whose range contains it.
    public var peakBytesBefore: Int
    public var peakBytesAfter: Int
    /// The handler's label: "eager", later "graph".
    public var mode: String
    public var inPlace: Bool
    /// Enclosing named regions, outermost first (`record` blocks, module paths, backward nodes).
    public var scopes: [String]
    /// How many op calls enclose this one (0 = called directly by user code).
    public var depth: Int
    /// Index of the enclosing op call in the recording's event list.
    public var parent: Int?
    /// Summed duration and allocations of the direct child calls: what `self` subtracts.
    public var childNs: UInt64
    public var childAllocatedBytes: Int
    /// False when the call threw; its outputs and cost are then empty.
    public var completed: Bool

    public var durationNs: UInt64 { endNs >= startNs ? endNs - startNs : 0 }
    /// Time in this op's own kernel, excluding the ops it called.
    public var selfNs: UInt64 { durationNs >= childNs ? durationNs - childNs : 0 }
    public var selfAllocatedBytes: Int { max(0, allocatedBytes - childAllocatedBytes) }
    public var bytesMoved: Int { bytesRead + bytesWritten }
}

/// Everything one profiling session produced: what the table, the memory timeline and the trace
/// exporter read. Events are in call (start) order, so a parent precedes its children.
public struct ProfileRecording: Sendable {
    public var events: [ProfileEvent]
    /// Calls not recorded because the event cap was reached.
    public var droppedEvents: Int
    /// Monotonic ns when recording first started: time zero of the trace.
    public var startNs: UInt64
    /// Wall time spent recording (summed over start/stop intervals): what the table's kernel
    /// coverage is measured against.
    public var wallNs: UInt64
    /// The allocator's high-water mark over the session (reset when the session started).
    public var peakBytes: Int

    public init(events: [ProfileEvent], droppedEvents: Int = 0, startNs: UInt64, wallNs: UInt64, peakBytes: Int) {
        self.events = events
        self.droppedEvents = droppedEvents
        self.startNs = startNs
        self.wallNs = wallNs
        self.peakBytes = peakBytes
    }
}
