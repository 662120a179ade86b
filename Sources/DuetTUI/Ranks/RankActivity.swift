import Foundation

/// Where one rank's time went over a window (a tick's 100 ms, or a whole command): what the
/// ranks pane shows beside every other rank's (issue #18; docs/language.md, "The workbench over
/// ranks"). Kernel times come from the profiler; waiting, bytes and calls from the process
/// group's counters, which see point-to-point messages (parameter servers) as well.
public struct RankActivity: Sendable, Equatable, Codable {
    public var wallNs: UInt64 = 0
    /// Self time of every op, communicating ones included.
    public var kernelNs: UInt64 = 0
    /// Self time of the ops that talk to other ranks (collectives and their waits).
    public var collectiveNs: UInt64 = 0
    /// Time spent waiting for other ranks to arrive (fingerprint exchange, message probes,
    /// the wait on a nonblocking reduction), inside ops or not.
    public var waitNs: UInt64 = 0
    public var bytes: Int = 0
    public var calls: Int = 0
    /// Backward passes (training steps) in the window.
    public var steps: Int = 0

    public init() {}

    /// Kernel time not spent in communicating ops.
    public var computeNs: UInt64 { kernelNs - min(kernelNs, collectiveNs) }
    /// Time moving data: communicating ops' time less the waiting inside them. Parameter-server
    /// messages are sent outside ops, so their transfer shows as waiting.
    public var communicationNs: UInt64 { collectiveNs - min(collectiveNs, waitNs) }

    public mutating func add(_ other: RankActivity) {
        wallNs += other.wallNs
        kernelNs += other.kernelNs
        collectiveNs += other.collectiveNs
        waitNs += other.waitNs
        bytes += other.bytes
        calls += other.calls
        steps += other.steps
    }
}
