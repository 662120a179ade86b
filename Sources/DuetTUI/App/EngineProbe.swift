import DuetScript
import DuetTensor
import Foundation

/// Takes the engine's value snapshots for the panes while commands run: the log series, the
/// last step's tape, and a profile of the last window (the profiler runs during every command
/// and is emptied at each sample, so a long run never piles up events). A rank of `duet -n N`
/// sends its samples to the workbench, hence Codable.
final class EngineProbe {
    struct Sample: Codable {
        var curves: [CurveSeries]?
        var tape: TapeView?
        var profile: ProfileView?
        var msPerStep: Double?
        var peakBytes: Int?
        /// Where the window's time went, for the ranks pane.
        var activity = RankActivity()
        /// Over ranks, rank 0's curves as the points logged since its last sample.
        var newCurvePoints: CurveTail?
    }

    private let profiler = Profiler()
    private var logVersion = -1
    private var tapeStep = -1
    private var windowStart: UInt64 = 0
    private var windowSteps = 0
    /// Whether a tick has shown a profile for the running command.
    private var sampled = false
    /// The process group's counters at the last sample (zero before a group exists).
    private var groupSeen: ObjectIdentifier?
    private var waitSeen = 0, bytesSeen = 0, callsSeen = 0

    /// Called before a command runs.
    func begin() {
        EngineContext.current.tape.reset()
        profiler.reset()
        profiler.start()
        windowStart = DispatchTime.now().uptimeNanoseconds
        windowSteps = EngineContext.current.tape.steps
        sampled = false
    }

    /// Called after a command: a final sample, whose profile is shown only when no tick showed
    /// one for this command (the short last window should not replace a fuller one).
    func end(_ logs: LogStore) -> Sample {
        let sample = take(logs, label: sampled ? "last 100 ms" : "last command", profile: !sampled)
        profiler.stop()
        profiler.reset()
        return sample
    }

    /// Called on each tick (about every 100 ms) while a command runs.
    func tick(_ logs: LogStore) -> Sample {
        let sample = take(logs, label: "last 100 ms", profile: true)
        if sample.profile != nil { sampled = true }
        return sample
    }

    private func take(_ logs: LogStore, label: String, profile: Bool) -> Sample {
        var sample = Sample()
        if logs.version != logVersion {
            logVersion = logs.version
            sample.curves = logs.names.map { name in
                let points = logs.points(name)
                return CurveSeries(name: name, steps: points.map(\.step), values: points.map(\.value))
            }
        }
        let tape = EngineContext.current.tape
        if tape.steps != tapeStep && !tape.lastStep.isEmpty {
            tapeStep = tape.steps
            sample.tape = TapeView(lines: tape.lastStep.map {
                TapeLine(index: $0.index, op: $0.op, inputShapes: $0.inputShapes, inputNeedsGrad: $0.inputNeedsGrad,
                         outputShapes: $0.outputShapes, savedBytes: $0.savedBytes)
            }, step: tape.steps)
        }
        // Keep the tape log small: the pane needs only the last step.
        if tape.records.count > TapeLog.capacity / 4 { tape.reset() }
        let now = DispatchTime.now().uptimeNanoseconds
        if tape.steps > windowSteps {
            sample.msPerStep = Double(now - windowStart) / 1e6 / Double(tape.steps - windowSteps)
        }
        sample.activity.wallNs = now - windowStart
        sample.activity.steps = tape.steps - windowSteps
        windowStart = now
        windowSteps = tape.steps
        if !profiler.events.isEmpty {
            let recording = profiler.recording
            let table = ProfileTable(recording, limit: 12)
            sample.activity.kernelNs = table.kernelNs
            sample.activity.collectiveNs = table.communicationNs
            if profile {
                let view = ProfileView(table, MemoryTimeline(recording), label: label)
                sample.profile = view
                sample.peakBytes = view.peakBytes
            }
        }
        countCommunication(into: &sample.activity)
        profiler.reset()
        return sample
    }

    /// The process group's waiting, bytes and calls since the last sample.
    private func countCommunication(into activity: inout RankActivity) {
        guard let group = ProcessGroup.current else { return }
        if groupSeen != ObjectIdentifier(group) {
            groupSeen = ObjectIdentifier(group)
            (waitSeen, bytesSeen, callsSeen) = (0, 0, 0)
        }
        let wait = group.waitNanoseconds.load(ordering: .relaxed)
        let bytes = group.bytesMoved.load(ordering: .relaxed), calls = group.calls.load(ordering: .relaxed)
        activity.waitNs = UInt64(max(0, wait - waitSeen))
        activity.bytes = bytes - bytesSeen
        activity.calls = calls - callsSeen
        (waitSeen, bytesSeen, callsSeen) = (wait, bytes, calls)
    }
}
