import Testing
@testable import DuetTensor

/// The step schedule: only active steps are recorded, warm-up is discarded, cycles repeat.
@Suite struct ProfilerScheduleTests {
    /// Runs `steps` steps, each one op call labelled with its step number.
    private func run(_ schedule: ProfilerSchedule, steps: Int) throws {
        let x = try Tensor.randn([4])
        schedule.start()
        for k in 0..<steps {
            _ = try record("step \(k)") { try x.exp() }
            schedule.step()
        }
        schedule.stop()
    }

    private func steps(_ recording: ProfileRecording) -> [String] {
        recording.events.compactMap(\.scopes.first)
    }

    @Test func phasesFollowWaitWarmupActive() {
        let schedule = ProfilerSchedule(wait: 1, warmup: 1, active: 2, repeat: 2)
        let phases = (0..<9).map { schedule.phase(at: $0) }
        #expect(phases == [.wait, .warmup, .active, .active, .wait, .warmup, .active, .active, .done])
        #expect(ProfilerSchedule(active: 0).phase(at: 0) == .done)
        #expect(ProfilerSchedule(wait: 1, active: 1, repeat: 0).phase(at: 1001) == .active)
    }

    @Test func recordsOnlyActiveSteps() throws {
        let schedule = ProfilerSchedule(wait: 2, warmup: 1, active: 2)
        try run(schedule, steps: 10)
        #expect(schedule.recordings.count == 1)
        #expect(schedule.recordings.map(steps) == [["step 3", "step 4"]])
        #expect(EngineContext.current.observer == nil)
    }

    @Test func repeatsCycles() throws {
        let schedule = ProfilerSchedule(wait: 1, warmup: 1, active: 1, repeat: 2)
        try run(schedule, steps: 10)
        #expect(schedule.recordings.map(steps) == [["step 2"], ["step 5"]])
    }

    @Test func backToBackActiveCyclesAreSeparate() throws {
        let schedule = ProfilerSchedule(active: 2, repeat: 2)
        try run(schedule, steps: 5)
        #expect(schedule.recordings.map(steps) == [["step 0", "step 1"], ["step 2", "step 3"]])
    }

    @Test func stopKeepsAnUnfinishedActiveWindow() throws {
        let schedule = ProfilerSchedule(warmup: 1, active: 5)
        try run(schedule, steps: 3)
        #expect(schedule.recordings.map(steps) == [["step 1", "step 2"]])
        #expect(EngineContext.current.observer == nil)
    }

    @Test func stopDuringWarmupRecordsNothing() throws {
        let schedule = ProfilerSchedule(wait: 1, warmup: 3, active: 1)
        try run(schedule, steps: 3)
        #expect(schedule.recordings.isEmpty)
        #expect(EngineContext.current.observer == nil)
    }
}
