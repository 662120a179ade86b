@testable import DuetTensor

/// Hand-built events for the aggregation, memory and export tests: exact times and byte counts
/// that a real run (with other suites allocating concurrently) could not promise.
enum ProfilerFixture {
    static func event(_ op: String, _ start: UInt64, _ end: UInt64, parent: Int? = nil, depth: Int = 0,
                      scopes: [String] = [], childNs: UInt64 = 0, flops: Int = 0, bytes: Int = 0,
                      allocated: Int = 0, live: Int = 0, peakBefore: Int = 0, peakAfter: Int = 0,
                      inputs: [TensorMeta] = []) -> ProfileEvent {
        ProfileEvent(op: op, inputs: inputs, outputs: [], startNs: start, endNs: end, flops: flops,
                     bytesRead: bytes, bytesWritten: 0, allocatedBytes: allocated, liveBytesAfter: live,
                     peakBytesBefore: peakBefore, peakBytesAfter: peakAfter, mode: "eager", inPlace: false,
                     scopes: scopes, depth: depth, parent: parent, childNs: childNs, childAllocatedBytes: 0, completed: true)
    }

    static func recording(_ events: [ProfileEvent], wallNs: UInt64 = 1_000, peak: Int = 0, dropped: Int = 0) -> ProfileRecording {
        ProfileRecording(events: events, droppedEvents: dropped, startNs: 0, wallNs: wallNs, peakBytes: peak)
    }

    /// A forward/backward-like run: `add` calls a `to` cast; the matmuls do the real work.
    ///   0 matmul  [0, 400)   scopes fwd            2·4·5·3 FLOPs
    ///   1 add     [400, 600) scopes fwd            child: 2 to [450, 500)
    ///   2 to      [450, 500) depth 1
    ///   3 matmul  [600, 900) scopes bwd/inner
    ///   4 relu    [900, 950) no scope
    static var small: ProfileRecording {
        recording([
            event("matmul", 0, 400, scopes: ["fwd"], flops: 120, bytes: 400, allocated: 128, live: 128, peakAfter: 128),
            event("add", 400, 600, scopes: ["fwd"], childNs: 50, bytes: 100, allocated: 64, live: 192, peakBefore: 128, peakAfter: 192),
            event("to", 450, 500, parent: 1, depth: 1, scopes: ["fwd"], bytes: 50, live: 192, peakBefore: 128, peakAfter: 192),
            event("matmul", 600, 900, scopes: ["bwd", "inner"], flops: 120, bytes: 400, allocated: 256, live: 448, peakBefore: 192, peakAfter: 448),
            event("relu", 900, 950, allocated: 0, live: 64, peakBefore: 448, peakAfter: 448),
        ], wallNs: 1_000, peak: 448)
    }
}
