import Foundation
import Testing
@testable import DuetTensor

/// The memory timeline: samples in time order, per-op allocations, and the peak's owner.
@Suite struct ProfilerMemoryTests {
    @Test func samplesAreInTimeOrder() {
        let timeline = MemoryTimeline(ProfilerFixture.small)
        #expect(timeline.samples.count == 5)
        #expect(zip(timeline.samples, timeline.samples.dropFirst()).allSatisfy { $0.timeNs <= $1.timeNs })
        // The nested cast ends before the add that called it.
        #expect(timeline.samples.map(\.timeNs) == [400, 500, 600, 900, 950])
        #expect(timeline.samples.map(\.liveBytes) == [128, 192, 192, 448, 64])
    }

    @Test func peakOwnerIsTheCallThatRaisedTheHighWaterMark() {
        let timeline = MemoryTimeline(ProfilerFixture.small)
        #expect(timeline.peakBytes == 448)
        #expect(timeline.peakOwner == MemoryTimeline.PeakOwner(event: 3, op: "matmul", scopes: ["bwd", "inner"]))
        #expect(timeline.summary == "peak 448 B during inner (matmul)")
        #expect(timeline.allocatedByOp["matmul"] == 384)
    }

    /// When the peak is reached in a nested call, the innermost call owns it.
    @Test func innermostCallOwnsANestedPeak() {
        let recording = ProfilerFixture.recording([
            ProfilerFixture.event("add", 0, 100, scopes: ["backward of matmul#17"], childNs: 50, peakBefore: 10, peakAfter: 900),
            ProfilerFixture.event("to", 20, 70, parent: 0, depth: 1, scopes: ["backward of matmul#17"], peakBefore: 10, peakAfter: 900),
            ProfilerFixture.event("mul", 100, 120, peakBefore: 900, peakAfter: 900),
        ], peak: 900)
        let timeline = MemoryTimeline(recording)
        #expect(timeline.peakOwner?.event == 1)
        #expect(timeline.summary == "peak 900 B during backward of matmul#17 (to)")
    }

    @Test func peakOutsideAnyCallHasNoOwner() {
        let recording = ProfilerFixture.recording([ProfilerFixture.event("mul", 0, 10, peakBefore: 500, peakAfter: 500)], peak: 500)
        #expect(MemoryTimeline(recording).peakOwner == nil)
        #expect(MemoryTimeline(recording).summary.contains("outside any recorded op call"))
    }

    /// A real run: a 16 MB result inside `record("big")` is the peak. Other suites allocate on other
    /// threads meanwhile, so the check is retried, with pauses that let them finish, until one
    /// attempt sees only its own allocations.
    @Test func realPeakIsOwnedByTheLargeAllocation() throws {
        let big = try Tensor.randn([1 << 22]), small = try Tensor.randn([16])
        var owned = false
        for attempt in 0..<400 where !owned {
            if attempt >= 50 { usleep(50_000) }
            let (_, profiler) = try profile {
                _ = try small.exp()
                _ = try record("big") { try big.exp() }
                _ = try small.exp()
            }
            let recording = profiler.recording
            let timeline = MemoryTimeline(recording)
            #expect(zip(timeline.samples, timeline.samples.dropFirst()).allSatisfy { $0.timeNs <= $1.timeNs })
            #expect(recording.events.count == 3)
            owned = timeline.peakOwner?.op == "exp" && timeline.peakOwner?.scopes == ["big"]
                && recording.events[1].allocatedBytes == 1 << 24
        }
        #expect(owned)
    }
}
