/// The colon commands, the same in the workbench and in `duet repl`.
public enum WorkbenchCommand: Equatable, Sendable {
    case help
    case pane(String)
    case zoom
    case theme(String)
    case load(String)
    /// Runs the loaded notebook's next cell (F5 in the workbench).
    case next
    case graph(String)
    case time(String)
    case clear
    /// Over ranks: new ranks replace the running ones.
    case restart
    case quit

    /// nil when `line` is not a command; a message when it is one but malformed.
    public static func parse(_ line: String) -> Result<WorkbenchCommand, CommandError>? {
        let trimmed = line.trimmingBlanks()
        guard trimmed.hasPrefix(":"), trimmed.count > 1, !trimmed.contains("\n") else { return nil }
        let body = trimmed.dropFirst()
        let name = String(body.prefix { $0 != " " })
        let argument = String(body.dropFirst(name.count)).trimmingBlanks()
        func needs(_ what: String, _ make: (String) -> WorkbenchCommand) -> Result<WorkbenchCommand, CommandError> {
            argument.isEmpty ? .failure(CommandError(":\(name) needs \(what)")) : .success(make(argument))
        }
        switch name {
        case "help", "h": return .success(.help)
        case "pane": return needs("a pane name (repl, curves, tape, graph, profile)", WorkbenchCommand.pane)
        case "zoom": return .success(.zoom)
        case "theme": return needs("a theme name (e.g. dark, light, high-contrast)", WorkbenchCommand.theme)
        case "load": return needs("a notebook file", WorkbenchCommand.load)
        case "next": return .success(.next)
        case "graph": return needs("the name of a compiled function", WorkbenchCommand.graph)
        case "time": return needs("an expression to time", WorkbenchCommand.time)
        case "clear": return .success(.clear)
        case "restart": return .success(.restart)
        case "quit", "q": return .success(.quit)
        default: return .failure(CommandError("unknown command :\(name); :help lists the commands"))
        }
    }

    public static let helpText = """
        Workbench commands:
          :help            this text (F1)
          :pane NAME       focus a pane: repl, curves, tape (graph), profile (F2/F3/F4, Esc)
          :zoom            zoom the focused pane, or unzoom (the pane's F-key again)
          :theme NAME      switch theme (dark, light, high-contrast, or a .toml path)
          :load FILE       load a notebook; F5 or :next runs its next cell
          :graph NAME      show a compiled function's graph in the tape pane
          :time EXPR       median time of repeated runs of EXPR (like %timeit)
          :clear           clear the REPL scrollback and the curves
          :restart         over ranks (duet -n N): start new ranks (F6 shows them)
          :quit            leave (also Ctrl-D on an empty line)
        Keys: Tab completes, Up/Down history, Ctrl-R searches it, Ctrl-C interrupts a run.
        Curves pane: s/S smoothing, l log-y, r robust scaling. Tape pane: arrows, PgUp/PgDn.
        A line ending in ':' continues until a blank line.
        """
}

public struct CommandError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
