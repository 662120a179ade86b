import ArgumentParser
import Foundation

/// `duet run -n N script`: starts N ranks of this binary through Open MPI's `mpirun` and waits
/// for them (issue #18). Each rank runs the script; `torch.distributed.init_process_group`
/// joins them. `mpirun -np N duet run script` works as well; this only adds the flags a user
/// would otherwise look up.
enum MPILaunch {
    static func run(ranks: Int, forwarding arguments: [String]) throws -> Int32 {
        guard ranks >= 1 else { throw ValidationError("-n must be at least 1, got \(ranks)") }
        guard let mpirun = executable(named: "mpirun") else {
            throw ValidationError("duet run -n: mpirun is not installed (Open MPI's openmpi-bin; `make deps` installs it)")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var flags: [String] = []
        if geteuid() == 0 { flags.append("--allow-run-as-root") }
        if ranks > cores { flags.append("--oversubscribe") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = flags + ["-np", String(ranks), try selfPath()] + arguments
        var environment = ProcessInfo.processInfo.environment
        // Open MPI busy-polls while a rank waits; with more ranks than cores that starves the
        // rank doing the work. Each rank gets its share of the cores for kernels and BLAS.
        environment["OMPI_MCA_mpi_yield_when_idle"] = environment["OMPI_MCA_mpi_yield_when_idle"] ?? "1"
        let share = String(Swift.max(1, cores / ranks))
        environment["DUET_NUM_THREADS"] = environment["DUET_NUM_THREADS"] ?? share
        environment["OPENBLAS_NUM_THREADS"] = environment["OPENBLAS_NUM_THREADS"] ?? share
        process.environment = environment
        // A parent may have blocked SIGINT (test runners do); mpirun inherits the mask and
        // would never see it.
        var interrupts = sigset_t()
        sigemptyset(&interrupts)
        sigaddset(&interrupts, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupts, nil)
        try process.run()
        // mpirun runs in its own process group, so Ctrl-C reaches only this process: pass it
        // on, and mpirun ends every rank.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { process.interrupt() }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private static func executable(named name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func selfPath() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}

/// Output of a rank other than 0, each line prefixed with its rank (`[rank 1] …`) so that
/// interleaved lines can be told apart; rank 0 prints as a single process does.
final class RankLabeller {
    private let prefix: String
    private var atLineStart = true
    private let write: (String) -> Void

    init(rank: Int, _ write: @escaping (String) -> Void) {
        prefix = "[rank \(rank)] "
        self.write = write
    }

    func callAsFunction(_ text: String) {
        var out = ""
        for c in text {
            if atLineStart { out += prefix }
            out.append(c)
            atLineStart = c == "\n"
        }
        write(out)
    }
}
