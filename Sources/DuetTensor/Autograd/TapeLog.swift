/// One recorded tape node as the tape pane draws it.
public struct TapeRecord: Sendable, Equatable {
    public let index: Int
    public let op: String
    public let inputShapes: [[Int]]
    public let inputNeedsGrad: [Bool]
    public let outputShapes: [[Int]]
    public let savedBytes: Int
}

/// The nodes recorded since the last `reset()` (a training step's tape), capped so a long run
/// cannot grow it without bound.
public final class TapeLog {
    public static let capacity = 10_000
    public private(set) var records: [TapeRecord] = []
    public private(set) var dropped = 0
    private var counter = 0
    /// The records of the last finished step (between two `backward()` calls), for the tape
    /// pane; kept across `reset()`, so the pane still shows it when a new session starts.
    public private(set) var lastStep: [TapeRecord] = []
    /// Steps finished so far (backward calls): the status line's ms/step.
    public private(set) var steps = 0
    private var stepStart = 0

    public func reset() {
        records.removeAll(keepingCapacity: true)
        dropped = 0
        counter = 0
        stepStart = 0
    }

    /// Marks the end of a training step (called by `backward()`).
    public func endStep() {
        lastStep = Array(records[min(stepStart, records.count)...])
        stepStart = records.count
        steps += 1
    }

    func append(op: String, inputs: [Tensor], outputs: [Tensor], savedBytes: Int) {
        counter += 1
        guard records.count < Self.capacity else {
            dropped += 1
            return
        }
        records.append(TapeRecord(
            index: counter, op: op, inputShapes: inputs.map(\.shape),
            inputNeedsGrad: inputs.map(\.requiresGrad), outputShapes: outputs.map(\.shape),
            savedBytes: savedBytes))
    }
}
