/// Profiles chosen steps of a loop, like `torch.profiler.schedule(wait:warmup:active:repeat:)`:
/// each cycle skips `wait` steps, runs `warmup` steps with the profiler installed but discards
/// them (first-step effects — cache fills, lazy setup — stay out of the numbers), then records
/// `active` steps. The loop calls `start()` once, `step()` after every step and `stop()` at the end.
public final class ProfilerSchedule {
    public enum Phase: Sendable, Equatable { case wait, warmup, active, done }

    public let wait: Int
    public let warmup: Int
    public let active: Int
    /// Number of cycles; 0 repeats until `stop()`.
    public let cycles: Int
    public let profiler: Profiler
    /// The step the loop is about to run (or running), counted from 0.
    public private(set) var stepIndex = 0
    /// One recording per completed active window, oldest first.
    public private(set) var recordings: [ProfileRecording] = []
    private var started = false

    public init(wait: Int = 0, warmup: Int = 0, active: Int, repeat cycles: Int = 1, profiler: Profiler = Profiler()) {
        self.wait = max(0, wait)
        self.warmup = max(0, warmup)
        self.active = max(0, active)
        self.cycles = max(0, cycles)
        self.profiler = profiler
    }

    private var cycleLength: Int { wait + warmup + active }

    /// What the schedule does during `step` (0-based).
    public func phase(at step: Int) -> Phase {
        guard active > 0, step >= 0 else { return .done }
        if cycles > 0 && step >= cycleLength * cycles { return .done }
        let k = step % cycleLength
        return k < wait ? .wait : k < wait + warmup ? .warmup : .active
    }

    public var phase: Phase { started ? phase(at: stepIndex) : .done }

    /// Enters step 0.
    public func start() {
        guard !started else { return }
        started = true
        enter(phase(at: stepIndex), from: .done, newCycle: true)
    }

    /// Ends the current step and enters the next one.
    public func step() {
        guard started else { return }
        let old = phase(at: stepIndex)
        stepIndex += 1
        enter(phase(at: stepIndex), from: old, newCycle: cycleLength > 0 && stepIndex % cycleLength == 0)
    }

    /// Ends profiling; an active window cut short is kept as a recording, a warm-up is discarded.
    public func stop() {
        guard started else { return }
        enter(.done, from: phase(at: stepIndex), newCycle: true)
        started = false
    }

    private func enter(_ new: Phase, from old: Phase, newCycle: Bool) {
        if old == .active && (new != .active || newCycle) {
            profiler.stop()
            recordings.append(profiler.recording)
            profiler.reset()
        }
        switch new {
        case .wait, .done:
            if profiler.isRecording {
                profiler.stop()
                profiler.reset()
            }
        case .warmup, .active:
            if old != new || newCycle {
                profiler.reset()
                profiler.start()
            }
        }
    }
}
