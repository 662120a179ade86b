import Foundation

/// The `mpirun` command line that starts N ranks of this binary, shared by `duet run -n N` and
/// the workbench's `duet -n N` (issue #18): the flags a user would otherwise look up, and each
/// rank's share of the cores (docs/language.md, "Distributed").
public struct MPIJob: Sendable {
    public let executable: String
    public let arguments: [String]
    public let environment: [String: String]

    public static let maxRanks = 64

    /// `ranks` copies of this binary, each given `arguments`.
    public init(ranks: Int, arguments: [String]) throws {
        guard ranks >= 1 else { throw TensorError.value("-n must be at least 1, got \(ranks)") }
        // Every rank is a process on this machine: a typo like -n 2000 would start thousands.
        guard ranks <= Self.maxRanks else {
            throw TensorError.value("-n \(ranks): at most \(Self.maxRanks) ranks run on one machine (this one has \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        }
        guard let mpirun = Self.executable(named: "mpirun") else {
            throw TensorError.value("-n \(ranks): mpirun is not installed (Open MPI's openmpi-bin; `make deps` installs it)")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var flags: [String] = []
        if geteuid() == 0 { flags.append("--allow-run-as-root") }
        if ranks > cores { flags.append("--oversubscribe") }
        executable = mpirun
        self.arguments = flags + ["-np", String(ranks), try Self.selfPath()] + arguments
        var environment = ProcessInfo.processInfo.environment
        // Open MPI busy-polls while a rank waits; with more ranks than cores that starves the
        // rank doing the work. Each rank gets its share of the cores for kernels and BLAS.
        environment["OMPI_MCA_mpi_yield_when_idle"] = environment["OMPI_MCA_mpi_yield_when_idle"] ?? "1"
        let share = String(Swift.max(1, cores / ranks))
        environment["DUET_NUM_THREADS"] = environment["DUET_NUM_THREADS"] ?? share
        environment["OPENBLAS_NUM_THREADS"] = environment["OPENBLAS_NUM_THREADS"] ?? share
        self.environment = environment
    }

    /// A process ready to run the job; the caller sets its standard streams.
    public func process() -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        return process
    }

    private static func executable(named name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func selfPath() throws -> String {
        do { return try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") } catch {
            throw TensorError.value("cannot find this program's own path to start its ranks: \(error.localizedDescription)")
        }
    }
}
