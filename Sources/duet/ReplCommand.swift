import ArgumentParser
import Foundation
import DuetScript

/// `duet repl`: the interpreter on a plain line, for pipes and dumb terminals. Values of
/// expression statements are shown; errors are reported and the session keeps its state.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "A plain line-by-line Duet REPL (reads standard input).")

    func run() throws {
        let interactive = isatty(STDIN_FILENO) != 0
        Interrupt.installSignalHandler()
        let interp = Interpreter(output: Console.write)
        interp.isInteractiveTerminal = Console.isTerminal
        if interactive { Console.write("Duet — Python syntax, PyTorch names. help() for help, :quit to leave.\n") }
        var buffer: [String] = []
        while true {
            if interactive { Console.write(buffer.isEmpty ? ">>> " : "... ") }
            guard let line = readLine(strippingNewline: true) else { break }
            if buffer.isEmpty {
                let command = line.trimmingCharacters(in: .whitespaces)
                if [":quit", ":q", "exit()", "quit()"].contains(command) { break }
                if command.isEmpty { continue }
            }
            buffer.append(line)
            let text = buffer.joined(separator: "\n")
            guard InputStatus.of(text) == .complete else { continue }
            buffer = []
            do {
                try interp.run(text, file: "<repl>", echo: true)
            } catch {
                Console.error("\(error)\n")
            }
        }
        if !buffer.isEmpty {
            do { try interp.run(buffer.joined(separator: "\n"), file: "<repl>", echo: true) } catch { Console.error("\(error)\n") }
        }
        Console.flush()
    }
}
