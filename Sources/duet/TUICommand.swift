import ArgumentParser
import DuetScript
import DuetTUI
import Foundation

/// `duet` / `duet tui`: the workbench. When standard input or output is not a terminal it
/// falls back to the plain REPL (with a note), so `duet < script` still works.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The workbench: REPL, curves, tape/graph and profile panes (the default).")

    @Option(help: "Colour theme: a name from themes/ (dark, light, high-contrast) or a .toml path.")
    var theme = "dark"

    @Option(help: "A notebook to load; F5 runs its next cell.")
    var load: String?

    @Option(name: .customLong("run"), help: "Run the loaded notebook's first N cells right away (a tour).")
    var runCells = 0

    func run() throws {
        let chosen: Theme
        do { chosen = try ThemeLoader.load(theme) } catch {
            // A missing default theme (binary copied away from themes/) is not worth failing for.
            guard theme == "dark", ThemeLoader.available().isEmpty else {
                Console.error("duet: \(error)\n")
                throw ExitCode(2)
            }
            chosen = Theme.fallback
        }
        guard isatty(STDIN_FILENO) != 0, Console.isTerminal else {
            Console.error("duet: not a terminal; running the plain REPL (duet repl)\n")
            Interrupt.installSignalHandler()
            PlainRepl(interpreter: Interpreter(output: Console.write), write: Console.write, writeError: Console.error)
                .run(interactive: false)
            Console.flush()
            return
        }
        Interrupt.installSignalHandler()
        let terminal = try CursesTerminal()
        defer { terminal.close() }
        let app = WorkbenchApp(terminal: terminal, interpreter: Interpreter(), theme: chosen, depth: terminal.colorDepth,
                               unicode: terminal.unicode, history: HistoryFile())
        if let load {
            app.submit(":load \(load)")
            for _ in 0..<max(0, runCells) { app.submit(":next") }
        }
        app.run()
    }
}
