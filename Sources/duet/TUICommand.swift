import ArgumentParser
import DuetScript
import DuetTUI
import Foundation

/// `duet` / `duet tui`: the workbench. When standard input or output is not a terminal it
/// falls back to the plain REPL (with a note), so `duet < script` still works. `duet -n N`
/// runs every input on N ranks started through mpirun (issue #18).
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

    @Option(name: .customShort("n"), help: "Run every input on N ranks (mpirun); a ranks pane shows each one's time.")
    var ranks: Int?

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
            if ranks != nil {
                Console.error("duet -n: the workbench over ranks needs a terminal; `duet run -n N FILE` runs a script on N ranks\n")
                throw ExitCode(2)
            }
            Console.error("duet: not a terminal; running the plain REPL (duet repl)\n")
            Interrupt.installSignalHandler()
            PlainRepl(interpreter: Interpreter(output: Console.write), write: Console.write, writeError: Console.error)
                .run(interactive: false)
            Console.flush()
            return
        }
        var cluster: RankCluster?
        if let ranks {
            Console.error("duet: starting \(ranks) rank\(ranks == 1 ? "" : "s") through mpirun…\n")
            do { cluster = try RankCluster(ranks: ranks) } catch {
                Console.error("duet: \(error)\n")
                throw ExitCode(1)
            }
        }
        defer { cluster?.stop() }
        Interrupt.installSignalHandler()
        let terminal = try CursesTerminal()
        defer { terminal.close() }
        let app = WorkbenchApp(terminal: terminal, interpreter: Interpreter(), theme: chosen, depth: terminal.colorDepth,
                               unicode: terminal.unicode, history: HistoryFile(), cluster: cluster)
        if let load {
            app.submit(":load \(load)")
            for _ in 0..<max(0, runCells) { app.submit(":next") }
        }
        app.run()
    }
}
