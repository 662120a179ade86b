import ArgumentParser
import DuetTensor
import Foundation

/// `duet run -n N script`: starts N ranks of this binary through Open MPI's `mpirun` (`MPIJob`)
/// and waits for them (issue #18). Each rank runs the script; `torch.distributed.init_process_group`
/// joins them. `mpirun -np N duet run script` works as well; this only adds the flags a user
/// would otherwise look up.
enum MPILaunch {
    static func run(ranks: Int, forwarding arguments: [String]) throws -> Int32 {
        let process: Process
        do { process = try MPIJob(ranks: ranks, arguments: arguments).process() } catch let e as TensorError {
            throw ValidationError("duet run \(e.description)")
        }
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
