import ArgumentParser
import Foundation
import DuetScript

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

    func run() throws {
        guard !(check && update) else { throw ValidationError("--check and --update cannot be combined") }
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
        let interp = Interpreter(output: Console.write)
        let mode: NotebookRunner.Mode = check ? .check : update ? .update : .run
        // Progress lines redraw with carriage returns: only for a person watching, never for output
        // that is compared or written into the notebook.
        interp.isInteractiveTerminal = Console.isTerminal && mode == .run
        let outcome = NotebookRunner(mode: mode, interpreter: interp, output: Console.write, errors: Console.error)
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
