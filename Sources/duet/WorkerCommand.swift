import ArgumentParser
import DuetTensor
import DuetTUI

/// `duet worker --connect SOCKET`: one rank of the workbench's `duet -n N`, started by mpirun;
/// it runs what the workbench sends (RankWorker). Not for typing by hand.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "One rank of the workbench's `duet -n N` (started by it through mpirun).",
        shouldDisplay: false)

    @Option(help: "The workbench's socket.")
    var connect: String

    func run() throws {
        guard ProcessGroup.launchedByMPI else {
            throw ValidationError("duet worker is started by the workbench: run `duet -n N` instead")
        }
        let worker: RankWorker
        do { worker = try RankWorker(connectingTo: connect, rank: ProcessGroup.launchRank) } catch {
            Console.error("duet worker (rank \(ProcessGroup.launchRank)): \(error)\n")
            throw ExitCode(1)
        }
        worker.run()
        ProcessGroup.endOfProcess(failed: false)
    }
}
