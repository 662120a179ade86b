#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records every op call on the current thread while started (PyTorch's `torch.profiler.profile`).
/// Installed as the dispatcher's observer, so when no profiler is started the engine pays only the
/// dispatcher's nil check. Confined to the thread that started it, like the `EngineContext` it
/// installs itself in; the finished `recording` is a Sendable value for other threads.
public final class Profiler: DispatchObserver {
    /// An event takes roughly 300 bytes with its metadata arrays, so the default cap bounds a session
    /// at about 300 MB: minutes of small-op training, yet a forgotten profiler cannot exhaust
    /// memory. Calls past the cap are counted, not recorded.
    public static let defaultCapacity = 1 << 20

    public let capacity: Int
    public private(set) var events: [ProfileEvent] = []
    public private(set) var droppedEvents = 0
    public private(set) var isRecording = false

    /// Indices of the calls in progress, innermost last: a new event's parent and depth.
    private var open: [Int] = []
    private var context: EngineContext?
    /// The observer that was installed before `start()`; it keeps seeing every call (nested profiles).
    private var previous: DispatchObserver?
    private var firstStartNs: UInt64 = 0
    private var intervalStartNs: UInt64 = 0
    private var recordedNs: UInt64 = 0
    private var peakBytes = 0

    /// `reserve` events are allocated up front so the first calls do not pay for array growth.
    public init(capacity: Int = Profiler.defaultCapacity, reserve: Int = 4096) {
        self.capacity = max(0, capacity)
        events.reserveCapacity(min(self.capacity, max(0, reserve)))
    }

    /// Installs the profiler on this thread. The first start of a session also starts a new
    /// allocator high-water mark, so the reported peak belongs to the profiled region.
    public func start() {
        guard !isRecording else { return }
        let ctx = EngineContext.current
        previous = ctx.observer
        ctx.observer = self
        context = ctx
        isRecording = true
        if events.isEmpty && droppedEvents == 0 && recordedNs == 0 {
            Allocator.shared.resetPeak()
            peakBytes = Allocator.shared.stats.peakBytes
            firstStartNs = Self.now()
        }
        intervalStartNs = Self.now()
    }

    /// Removes the profiler and puts back whatever observer was installed before.
    public func stop() {
        guard isRecording, let ctx = context else { return }
        recordedNs += Self.now() - intervalStartNs
        peakBytes = max(peakBytes, Allocator.shared.stats.peakBytes)
        if ctx.observer === self { ctx.observer = previous }
        previous = nil
        context = nil
        isRecording = false
    }

    /// Forgets everything recorded so far (the schedule discards warm-up steps this way).
    public func reset() {
        events.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        droppedEvents = 0
        recordedNs = 0
        peakBytes = 0
        if isRecording {
            Allocator.shared.resetPeak()
            firstStartNs = Self.now()
            intervalStartNs = firstStartNs
        }
    }

    /// A snapshot of the session for the table, memory timeline and trace exporter.
    public var recording: ProfileRecording {
        let running = isRecording ? Self.now() - intervalStartNs : 0
        let peak = isRecording ? max(peakBytes, Allocator.shared.stats.peakBytes) : peakBytes
        return ProfileRecording(events: events, droppedEvents: droppedEvents, startNs: firstStartNs,
                                wallNs: recordedNs + running, peakBytes: peak)
    }

    public func observe(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs, inPlace: Bool, _ run: () throws -> [Tensor]) throws -> [Tensor] {
        if let outer = previous {
            return try outer.observe(op, inputs, attrs, inPlace: inPlace) { try self.record(op, inputs, attrs, inPlace, run) }
        }
        return try record(op, inputs, attrs, inPlace, run)
    }

    private func record(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs, _ inPlace: Bool, _ run: () throws -> [Tensor]) throws -> [Tensor] {
        guard events.count < capacity, let ctx = context else {
            droppedEvents += 1
            return try run()
        }
        let index = events.count
        let before = Allocator.shared.stats
        events.append(ProfileEvent(
            op: op.name, inputs: inputs.map(\.meta), outputs: [], startNs: 0, endNs: 0,
            flops: 0, bytesRead: 0, bytesWritten: 0, allocatedBytes: 0, liveBytesAfter: 0,
            peakBytesBefore: before.peakBytes, peakBytesAfter: 0, mode: ctx.handler.mode, inPlace: inPlace,
            scopes: ctx.scopes, depth: open.count, parent: open.last, childNs: 0, childAllocatedBytes: 0,
            completed: false))
        open.append(index)
        // Taken last so the bookkeeping above is not billed to the op.
        let start = Self.now()
        let outputs: [Tensor]
        do {
            outputs = try run()
        } catch {
            _ = finish(index, op, attrs, start: start, outputs: nil, allocatedBefore: before.totalAllocatedBytes)
            throw error
        }
        if let costError = finish(index, op, attrs, start: start, outputs: outputs, allocatedBefore: before.totalAllocatedBytes) {
            throw costError
        }
        return outputs
    }

    /// Closes the event. Returns the op's cost-model error, if any, for the caller to throw once the
    /// bookkeeping is done: the event stays incomplete rather than showing a made-up zero cost.
    private func finish(_ index: Int, _ op: OpDef, _ attrs: Attrs, start: UInt64, outputs: [Tensor]?, allocatedBefore: Int) -> Error? {
        let end = Self.now()
        let after = Allocator.shared.stats
        _ = open.popLast()
        // A `reset()` from inside a call (a callback run by an op) has already dropped this event.
        guard index < events.count else { return nil }
        var costError: Error?
        let allocated = after.totalAllocatedBytes - allocatedBefore
        // Updated in place: copying the event out and back would retain and release its arrays.
        events.withUnsafeMutableBufferPointer { buffer in
            buffer[index].startNs = start
            buffer[index].endNs = end
            buffer[index].allocatedBytes = allocated
            buffer[index].liveBytesAfter = after.liveBytes
            buffer[index].peakBytesAfter = after.peakBytes
            if let outputs {
                let metas = outputs.map(\.meta)
                buffer[index].outputs = metas
                do {
                    let cost = try op.costFor(buffer[index].inputs, metas, attrs)
                    buffer[index].flops = cost.flops
                    buffer[index].bytesRead = cost.bytesRead
                    buffer[index].bytesWritten = cost.bytesWritten
                    buffer[index].completed = true
                } catch {
                    costError = error
                }
            }
            if let p = buffer[index].parent, p < buffer.count {
                buffer[p].childNs += end - start
                buffer[p].childAllocatedBytes += allocated
            }
        }
        return costError
    }

    /// CLOCK_MONOTONIC in nanoseconds: unaffected by wall-clock changes, and cheap (vDSO).
    @inline(__always)
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// Runs `body` under a new profiler and returns its result with the profiler, which has stopped
/// (the language's `with profile():`). The profiler is removed even when `body` throws.
public func profile<R>(capacity: Int = Profiler.defaultCapacity, _ body: () throws -> R) rethrows -> (result: R, profiler: Profiler) {
    let profiler = Profiler(capacity: capacity)
    profiler.start()
    defer { profiler.stop() }
    return (try body(), profiler)
}
