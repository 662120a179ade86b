import DuetScript
import Foundation

/// `duet repl`: the interpreter on a plain line. On a terminal (not `TERM=dumb`) it reads with
/// libedit (history shared with the workbench, Tab completion) and prints the curves as a
/// sparkline after each input that logged; from a pipe or a dumb terminal it reads plain lines
/// and prints only what the code prints. Colon commands work as in the workbench, except the
/// pane ones.
public final class PlainRepl {
    let interp: Interpreter
    let commands: CommandRunner
    let write: (String) -> Void
    let writeError: (String) -> Void

    public init(interpreter: Interpreter, write: @escaping (String) -> Void, writeError: @escaping (String) -> Void) {
        interp = interpreter
        commands = CommandRunner(interpreter: interpreter)
        self.write = write
        self.writeError = writeError
    }

    public func run(interactive: Bool, historyPath: String = HistoryFile.defaultPath()) {
        let dumb = ProcessInfo.processInfo.environment["TERM"].map { $0 == "dumb" || $0.isEmpty } ?? true
        let line: ReadlineInput? = interactive && !dumb
            ? ReadlineInput(history: HistoryFile(path: historyPath)) { [unowned interp] in interp.completions(for: $0) } : nil
        let unicode = ProcessInfo.processInfo.environment.contains { ["LANG", "LC_ALL", "LC_CTYPE"].contains($0.key) && $0.value.uppercased().contains("UTF") }
        if interactive { write("Duet: Python syntax, PyTorch names. help() for help, :help for commands, :quit to leave.\n") }
        var buffer: [String] = []
        while true {
            let prompt = buffer.isEmpty ? ">>> " : "... "
            let next: String?
            if let line {
                next = line.read(prompt: prompt)
            } else {
                if interactive { write(prompt) }
                next = readLine(strippingNewline: true)
            }
            guard let text = next else { break }
            if buffer.isEmpty {
                switch WorkbenchCommand.parse(text) {
                case .success(.quit)?:
                    line?.remember(text)
                    return
                case .success(let command)?:
                    line?.remember(text)
                    perform(command)
                    continue
                case .failure(let e)?:
                    writeError("\(e)\n")
                    continue
                case nil:
                    if ["exit()", "quit()"].contains(text.trimmingBlanks()) { return }
                    if text.trimmingBlanks().isEmpty { continue }
                }
            }
            buffer.append(text)
            let code = buffer.joined(separator: "\n")
            guard InputStatus.of(code) == .complete else { continue }
            buffer = []
            line?.remember(code)
            execute(code, sparkline: line != nil, unicode: unicode)
        }
        if !buffer.isEmpty { execute(buffer.joined(separator: "\n"), sparkline: false, unicode: unicode) }
    }

    private func execute(_ code: String, sparkline: Bool, unicode: Bool) {
        let version = interp.logs.version
        do { try interp.run(code, file: "<repl>", echo: true) } catch { writeError("\(error)\n") }
        if sparkline && interp.logs.version != version {
            let series = interp.logs.names.map { name in
                let points = interp.logs.points(name)
                return CurveSeries(name: name, steps: points.map(\.step), values: points.map(\.value))
            }
            write(Sparkline.line(series, unicode: unicode) + "\n")
        }
    }

    private func perform(_ command: WorkbenchCommand) {
        do {
            switch command {
            case .help: write(WorkbenchCommand.helpText + "\n")
            case .pane, .zoom, .theme: write("panes and themes exist only in the workbench (run duet with no arguments)\n")
            case .load(let path): write(try commands.load(path) + "\n")
            case .next: _ = commands.run(try commands.nextCell())
            case .graph(let name): _ = try commands.graph(name)
            case .time(let expr): write(try commands.time(expr) + "\n")
            case .clear: interp.logs.clear()
            case .restart: write(":restart starts new ranks, in the workbench over ranks (duet -n N)\n")
            case .quit: break
            }
        } catch {
            writeError("\(error)\n")
        }
    }
}
