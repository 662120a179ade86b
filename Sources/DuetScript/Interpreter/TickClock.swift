/// When the interpreter polls (Ctrl-C, the step budget) and when its tick is due. Reading the
/// clock at every checkpoint would cost more than most statements, so polls come every `window`
/// checkpoints, and the window adapts so that polls come every few milliseconds whatever a
/// checkpoint costs (a statement, or a whole training batch). The tick fires at most every
/// 100 ms. Time is passed in, so tests drive it with an injected clock.
struct TickClock {
    static let tickNs: UInt64 = 100_000_000
    /// Polls closer together than this widen the window; further apart, they narrow it.
    private static let minPollNs: UInt64 = 2_000_000
    private static let maxPollNs: UInt64 = 10_000_000
    static let initialWindow = 16
    /// 4096 cheap statements take well under a millisecond; a larger window only risks a long lag
    /// when the statements turn costly.
    static let maxWindow = 1 << 12

    /// Checkpoints between polls.
    private(set) var window = initialWindow
    private var lastPoll: UInt64
    private var lastTick: UInt64

    init(now: UInt64) {
        lastPoll = now
        lastTick = now
    }

    /// Starts a new command: the window learnt from the last one (a `:time` of a cheap expression
    /// widens it to the maximum) says nothing about this one. The tick keeps its phase, so the
    /// panes stay live across the runs of a `:time`.
    mutating func restart(now: UInt64) {
        window = Self.initialWindow
        lastPoll = now
    }

    /// Records a poll that came after `window` checkpoints; true when 100 ms have passed since
    /// the last tick. A slow poll narrows the window in proportion at once (halving alone took
    /// many slow polls to recover from a wide window); a fast one at most doubles it.
    mutating func isDue(now: UInt64) -> Bool {
        let sincePoll = now &- lastPoll
        lastPoll = now
        if sincePoll < Self.minPollNs {
            window = min(window * 2, Self.maxWindow)
        } else if sincePoll > Self.maxPollNs {
            let scaled = UInt64(window) * Self.minPollNs / sincePoll
            window = max(Int(scaled), 1)
        }
        return tickIsDue(now: now)
    }

    /// True (and the tick restarts) when 100 ms have passed since the last tick, without touching
    /// the window: for polls a builtin makes itself, outside the checkpoint count.
    mutating func tickIsDue(now: UInt64) -> Bool {
        guard now &- lastTick >= Self.tickNs else { return false }
        lastTick = now
        return true
    }
}
