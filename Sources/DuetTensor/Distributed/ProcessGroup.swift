import Foundation
import Synchronization

/// How a collective combines the ranks' tensors (`torch.distributed.ReduceOp`). An `Int` raw
/// value, because registry attributes are numbers.
public enum ReduceOp: Int, Sendable, CaseIterable {
    case sum, product, min, max, avg

    /// PyTorch's name, `ReduceOp.SUM` and so on.
    public var name: String {
        switch self {
        case .sum: "SUM"
        case .product: "PRODUCT"
        case .min: "MIN"
        case .max: "MAX"
        case .avg: "AVG"
        }
    }
}

/// The processes a script trains across (`torch.distributed.init_process_group`). Started by
/// `mpirun` (Open MPI sets `OMPI_COMM_WORLD_SIZE`), it joins MPI's world; started alone, it is a
/// world of one that needs no MPI at all, so every script runs either way (docs/language.md,
/// "Distributed").
public final class ProcessGroup: Sendable {
    public let rank: Int
    public let worldSize: Int
    let mpi: MPILibrary?
    /// How long a rank waits for the others at a collective before the watchdog names the
    /// ranks that did not arrive (PyTorch's `timeout`; 60 s unless set).
    public let timeout: Double
    /// Collectives called so far: the sequence number each call's fingerprint carries.
    let sequence = Atomic<Int>(0)
    /// Nonblocking all-reduces started and not yet finished, by buffer address.
    let pending = Mutex<[Int: PendingReduction]>([:])
    /// Set when a watchdog fired: messages of the abandoned call may still arrive, so no later
    /// collective on this rank could be trusted.
    let stopped = Atomic<Bool>(false)
    /// What the benchmarks and `dist.communication_stats()` report: collective calls, bytes this
    /// rank handed to or took from MPI (collectives and point-to-point), and the time it spent
    /// waiting for other ranks.
    public let calls = Atomic<Int>(0)
    public let bytesMoved = Atomic<Int>(0)
    public let waitNanoseconds = Atomic<Int>(0)

    private init(rank: Int, worldSize: Int, mpi: MPILibrary?, timeout: Double) {
        self.rank = rank
        self.worldSize = worldSize
        self.mpi = mpi
        self.timeout = timeout
    }

    public static let defaultTimeout = 60.0

    private static let state = Mutex<ProcessGroup?>(nil)
    /// Set once MPI_Init ran: only then does the process owe MPI a finalize.
    private static let mpiStarted = Atomic<Bool>(false)

    /// The group collectives use; nil before `initialize`.
    public static var current: ProcessGroup? { state.withLock { $0 } }

    /// Whether this process was started by `mpirun`.
    public static var launchedByMPI: Bool { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil }

    /// This process's rank as `mpirun` announced it (0 when started alone), known before any
    /// group exists: output is labelled with it from the first line.
    public static var launchRank: Int { Int(ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_RANK"] ?? "") ?? 0 }

    /// Joins the world (once per process; MPI cannot start twice, so a second call is an error).
    @discardableResult
    public static func initialize(backend: String = "mpi", timeout: Double = defaultTimeout) throws -> ProcessGroup {
        guard timeout > 0, timeout.isFinite else { throw TensorError.value("init_process_group: timeout must be a positive number of seconds, got \(timeout)") }
        guard backend == "mpi" || backend == "gloo" else {
            throw TensorError.value("init_process_group: backend '\(backend)' is not available; Duet runs collectives on MPI ('mpi'; 'gloo' is accepted as its stand-in)")
        }
        return try state.withLock { group in
            if group != nil { throw TensorError.value("init_process_group: trying to initialize the default process group twice") }
            let made: ProcessGroup
            if launchedByMPI {
                let mpi = try MPILibrary.shared.get()
                mpiStarted.store(true, ordering: .relaxed)
                made = ProcessGroup(rank: mpi.rank, worldSize: mpi.size, mpi: mpi, timeout: timeout)
            } else {
                made = ProcessGroup(rank: 0, worldSize: 1, mpi: nil, timeout: timeout)
            }
            group = made
            return made
        }
    }

    /// Leaves the group; MPI itself stays up until the process ends (it cannot be restarted).
    public static func destroy() throws {
        try state.withLock { group in
            guard group != nil else { throw TensorError.value("destroy_process_group: the default process group has not been initialized") }
            group = nil
        }
    }

    /// The group, or the error PyTorch gives when a collective runs before `init_process_group`.
    public static func required(_ what: String) throws -> ProcessGroup {
        guard let g = current else {
            throw TensorError.value("\(what): Default process group has not been initialized, please make sure to call init_process_group.")
        }
        return g
    }

    private static let stopAsked = Atomic<Bool>(false)
    private static let interrupted = Atomic<Bool>(false)

    /// Ctrl-C in the workbench over ranks (docs/language.md, "Distributed"): every rank stops at
    /// the next collective any of them calls, all at the same one, so that none is left waiting
    /// for a rank that stopped elsewhere.
    public static func requestStop() { stopAsked.store(true, ordering: .relaxed) }
    static var stopRequested: Bool { stopAsked.load(ordering: .relaxed) }
    /// A second Ctrl-C: a rank waiting at a collective stops waiting now, instead of at its
    /// watchdog, and its group stops (the call's messages are still pending).
    public static func interruptWaiting() { interrupted.store(true, ordering: .relaxed) }
    /// Called before each command.
    public static func clearInterrupts() {
        stopAsked.store(false, ordering: .relaxed)
        interrupted.store(false, ordering: .relaxed)
    }
    static var waitingInterrupted: Bool { interrupted.load(ordering: .relaxed) }

    /// The error of a wait that ended without its ranks: interrupted, or the watchdog's `timedOut`.
    func abandonedWait(_ timedOut: String, at what: String) -> TensorError {
        guard Self.waitingInterrupted else { return .backend(timedOut) }
        return .interrupted("rank \(rank) stopped waiting at \(what)" + (stopped.load(ordering: .relaxed)
            ? "; messages of that call are still pending, so this rank's process group stopped (start the ranks again: :restart)" : ""))
    }

    /// At process exit: MPI's finalize after a clean run, so `mpirun` sees a clean end; after a
    /// failed one, MPI's abort, which ends the other ranks too instead of leaving them waiting
    /// in a collective for this one.
    public static func endOfProcess(failed: Bool) {
        guard mpiStarted.load(ordering: .relaxed), case .success(let mpi) = MPILibrary.shared else { return }
        if failed { mpi.abort(1) } else { mpi.finalize() }
    }
}
