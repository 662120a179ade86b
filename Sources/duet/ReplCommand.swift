import ArgumentParser
import Foundation
import DuetScript
import DuetTUI

/// `duet repl`: the interpreter on a plain line, for pipes and dumb terminals (libedit with
/// history and completion on a terminal). Values of expression statements are shown; errors
/// are reported and the session keeps its state.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "A plain line-by-line Duet REPL (reads standard input).")

    func run() throws {
        Interrupt.installSignalHandler()
        let interp = Interpreter(output: Console.write)
        interp.isInteractiveTerminal = Console.isTerminal
        PlainRepl(interpreter: interp, write: Console.write, writeError: Console.error).run(interactive: isatty(STDIN_FILENO) != 0)
        Console.flush()
    }
}
