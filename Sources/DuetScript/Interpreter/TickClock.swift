import Foundation

/// When the interpreter's tick is due. The poll window adapts so that polls come every few
/// milliseconds whatever a checkpoint costs (a statement, or a whole training batch), and the
/// tick fires at most every 100 ms; without a tick handler the fixed window is used instead.
struct TickClock {
    static let tickNs: UInt64 = 100_000_000
    private static let minPollNs: UInt64 = 2_000_000
    private static let maxPollNs: UInt64 = 10_000_000

    /// Checkpoints between polls.
    private(set) var window = 16
    private var lastPoll = DispatchTime.now().uptimeNanoseconds
    private var lastTick = DispatchTime.now().uptimeNanoseconds

    /// Records a poll; true when 100 ms have passed since the last tick.
    mutating func isDue() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let sincePoll = now &- lastPoll
        lastPoll = now
        if sincePoll < Self.minPollNs { window = min(window * 2, 1 << 16) } else if sincePoll > Self.maxPollNs { window = max(window / 2, 1) }
        guard now &- lastTick >= Self.tickNs else { return false }
        lastTick = now
        return true
    }
}
