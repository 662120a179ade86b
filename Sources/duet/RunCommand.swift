import ArgumentParser
import Foundation
import DuetScript
import DuetTensor

/// `duet run FILE`: runs a script or notebook, printing each cell's title and output; exits 1
/// with a located message on any error. `--check` compares output with the `#>` expectations
/// and prints a diff; `--update` rewrites them.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Duet script or notebook ('-' reads standard input).")

    @Argument(help: "The .duet file to run, or - for standard input.")
    var file: String

    @Flag(help: "Compare each statement's output with its #> lines; fail with a diff on any difference.")
    var check = false

    @Flag(help: "Rewrite the #> lines with the actual output.")
    var update = false

    @Option(name: .customShort("n"), help: "Run N ranks through mpirun; torch.distributed joins them.")
    var ranks: Int?

    func run() throws {
        guard !(check && update) else { throw ValidationError("--check and --update cannot be combined") }
        if let ranks, !ProcessGroup.launchedByMPI {
            guard !update, file != "-" else { throw ValidationError("-n runs a file on every rank: it cannot read standard input or --update") }
            let status = try MPILaunch.run(ranks: ranks, forwarding: ["run", file] + (check ? ["--check"] : []))
            if status != 0 { throw ExitCode(status) }
            return
        }
        var failed = true
        defer { ProcessGroup.endOfProcess(failed: failed) }
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                Console.error("duet run: cannot open '\(file)': no such file or not readable\n")
                throw ExitCode(1)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        Interrupt.installSignalHandler()
        let rank = ProcessGroup.launchRank
        let write: (String) -> Void = rank == 0 ? Console.write : RankLabeller(rank: rank, Console.write).callAsFunction
        let writeError: (String) -> Void = rank == 0 ? Console.error : RankLabeller(rank: rank, Console.error).callAsFunction
        let interp = Interpreter(output: write)
        let mode: NotebookRunner.Mode = check ? .check : update ? .update : .run
        // Progress lines redraw with carriage returns: only for a person watching, never for output
        // that is compared or written into the notebook.
        interp.isInteractiveTerminal = Console.isTerminal && mode == .run
        let outcome = NotebookRunner(mode: mode, interpreter: interp, output: write, errors: writeError)
            .run(text: text, file: file == "-" ? "<stdin>" : file)
        if let updated = outcome.updatedText {
            if file == "-" {
                Console.write(updated)
            } else {
                do { try updated.write(toFile: file, atomically: true, encoding: .utf8) } catch {
                    Console.error("duet run: cannot write '\(file)': \(error.localizedDescription)\n")
                    throw ExitCode(1)
                }
            }
        }
        Console.flush()
        if !outcome.passed {
            if check { Console.error("\(file): \(outcome.differences) output\(outcome.differences == 1 ? "" : "s") differ\n") }
            throw ExitCode(1)
        }
        failed = false
    }
}

/// Standard output (Swift's buffered `print`) and standard error, flushed per write on a
/// terminal so that progress lines appear as they are drawn.
enum Console {
    static let isTerminal = isatty(STDOUT_FILENO) != 0

    static func write(_ text: String) {
        print(text, terminator: "")
        if isTerminal { fflush(nil) }
    }

    static func error(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func flush() { fflush(nil) }
}
