import DuetScript
import Foundation

/// The workbench's loop, all on one thread (ncurses is not thread-safe): draw, read a key,
/// act. While a command runs, the interpreter's tick (about every 100 ms) takes fresh
/// snapshots, redraws and reads keys: Ctrl-C interrupts at the next safe point, F-keys and pane
/// keys work, anything else is kept and typed into the prompt when the command ends. Over
/// ranks (`duet -n N`), code runs on the ranks instead (`WorkbenchApp+Ranks.swift`).
public final class WorkbenchApp {
    public let bench: Workbench
    let terminal: Terminal
    let interp: Interpreter
    let commands: CommandRunner
    /// The ranks that run the code, over ranks.
    let cluster: RankCluster?
    /// Whether the REPL said that the ranks ended (once per ending).
    var ranksEndReported = false
    private let probe = EngineProbe()
    private let depth: ColorDepth
    private var running = true
    var typeahead: [Key] = []

    public init(terminal: Terminal, interpreter: Interpreter, theme: Theme, depth: ColorDepth, unicode: Bool, history: EditHistory,
                cluster: RankCluster? = nil) {
        self.terminal = terminal
        interp = interpreter
        self.depth = depth
        self.cluster = cluster
        commands = CommandRunner(interpreter: interpreter)
        let complete: (String) -> Completion
        if let cluster {
            complete = { [unowned cluster] line in cluster.ask(.complete(line: line))?.completion ?? Completion(prefix: "", candidates: []) }
        } else {
            complete = { [unowned interpreter] in interpreter.completions(for: $0) }
        }
        let editor = LineEditor(history: history, complete: complete)
        bench = Workbench(context: RenderContext(theme: theme.adapted(to: depth), unicode: unicode), editor: editor)
        interpreter.output = { [unowned bench] in bench.scrollback.write($0) }
        interpreter.isInteractiveTerminal = true
        bench.scrollback.append("Duet workbench: Python syntax, PyTorch names. :help or F1 for help, Ctrl-D quits.", role: .dim)
        if let cluster {
            bench.ranks = RanksPane(ranks: cluster.size)
            bench.scrollback.append("Running on \(cluster.size) ranks: each input runs on every rank; other ranks' output is shown where it differs from rank 0's. F6 shows the ranks.", role: .dim)
        }
    }

    /// Runs until :quit or Ctrl-D.
    public func run() {
        while running {
            if cluster != nil { watchRanksWhileIdle() }
            redraw()
            if !typeahead.isEmpty {
                handle(typeahead.removeFirst())
                continue
            }
            guard let key = terminal.readKey(timeoutMs: 1000) else { continue }
            handle(key)
        }
    }

    func redraw() {
        let (w, h) = terminal.size
        let frame = bench.render(width: w, height: h)
        terminal.present(frame.grid, cursor: frame.cursor)
    }

    func handle(_ key: Key) {
        switch key {
        case .resize: return
        case .function(1): showHelp(); return
        case .function(5): submit(":next"); return
        default: break
        }
        if bench.handleNavigation(key) { return }
        bench.replScroll = 0
        switch bench.editor.handle(key) {
        case .submit(let text): submit(text)
        case .quit: running = false
        case .cancelled: bench.scrollback.append("KeyboardInterrupt", role: .dim)
        case .candidates(let list): bench.scrollback.append(list.joined(separator: "  "), role: .dim)
        case .none: break
        }
    }

    /// Runs an input: a colon command or Duet code.
    public func submit(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() where !(i == lines.count - 1 && line.isEmpty && i > 0) {
            bench.scrollback.append((i == 0 ? ">>> " : "... ") + line, role: .input)
        }
        bench.status.note = nil
        switch WorkbenchCommand.parse(text) {
        case .none:
            guard !text.trimmingBlanks().isEmpty else { return }
            if cluster != nil { _ = onRanks(.run(code: text)); return }
            busy { try interp.run(text, file: "<input>", echo: true) }
        case .failure(let e)?:
            bench.scrollback.append(e.description, role: .error)
        case .success(let command)?:
            perform(command)
        }
    }

    private func perform(_ command: WorkbenchCommand) {
        do {
            switch command {
            case .help: showHelp()
            case .pane(let name):
                guard bench.focus(named: name) else { throw CommandError("no pane '\(name)': repl, curves, tape, graph, profile") }
            case .zoom: bench.zoomed.toggle()
            case .theme(let name):
                let theme = try ThemeLoader.load(name)
                bench.context.theme = theme.adapted(to: depth)
                bench.status.note = "theme \(theme.name)"
            case .load(let path): bench.scrollback.append(try commands.load(path), role: .dim)
            case .next:
                let cell = try commands.nextCell()
                if cluster != nil { _ = onRanks(.cell(cell)) } else { busy { _ = commands.run(cell) } }
            case .graph(let name):
                bench.tape.content = .graph(try cluster.map { try graphOnRankZero(name, $0) } ?? commands.graph(name))
                bench.tape.scroll = 0
                graphPinned = true
            case .time(let expr) where cluster != nil:
                onRanks(.time(expression: expr)).forEach { bench.scrollback.append($0, role: .output) }
            case .time(let expr):
                var result = ""
                busy { result = try commands.time(expr) }
                if !result.isEmpty { bench.scrollback.append(result, role: .output) }
            case .clear:
                bench.scrollback.clear()
                interp.logs.clear()
                bench.curves.series = []
                if cluster != nil { _ = onRanks(.clear) }
            case .restart:
                guard let cluster else { throw CommandError(":restart starts new ranks; this workbench runs in one process (duet -n N runs it over ranks)") }
                bench.scrollback.append("starting \(cluster.size) new ranks; the old ones' variables are gone", role: .dim)
                redraw()
                try cluster.restart()
                ranksEndReported = false
                bench.ranks = RanksPane(ranks: cluster.size)
            case .quit: running = false
            }
        } catch {
            bench.scrollback.append("\(error)", role: .error)
        }
    }

    private func showHelp() {
        bench.scrollback.append(WorkbenchCommand.helpText, role: .dim)
        bench.focus = .repl
        bench.zoomed = false
    }

    /// Runs `body` with the panes live: ticks redraw and read keys until it returns.
    private func busy(_ body: () throws -> Void) {
        bench.editorVisible = false
        bench.status.busy = true
        probe.begin()
        let graphBefore = interp.lastGraph.map(ObjectIdentifier.init)
        let comparisonBefore = interp.lastComparison?.identity
        interp.onTick = { [unowned self] in self.tick() }
        do { try body() } catch { bench.scrollback.append("\(error)", role: .error) }
        interp.onTick = nil
        apply(probe.end(interp.logs))
        let graph = interp.lastGraph.flatMap { ObjectIdentifier($0) != graphBefore ? GraphView($0) : nil }
        let comparison = interp.lastComparison.flatMap { $0.identity != comparisonBefore ? ProfileComparison($0) : nil }
        finishCommand(graph: graph, comparison: comparison)
    }

    /// After a command: one that ran a compiled function shows its graph; one that compared
    /// shows both ways. The prompt returns.
    func finishCommand(graph: GraphView?, comparison: ProfileComparison?) {
        if let graph {
            bench.tape.content = .graph(graph)
            bench.tape.scroll = 0
            graphPinned = false
            bench.status.mode = "graph"
        } else if !isShowingGraph {
            bench.status.mode = "eager"
        }
        if let comparison { bench.profile.content = .comparison(comparison) }
        bench.status.busy = false
        bench.editorVisible = true
    }

    private func tick() {
        apply(probe.tick(interp.logs))
        redraw()
        readKeysWhileBusy { interp.interruption.request() }
    }

    /// Keys pressed while a command runs: Ctrl-C calls `interrupt`, pane keys act, the rest
    /// waits for the prompt.
    func readKeysWhileBusy(timeoutMs: Int = 0, interrupt: () -> Void) {
        var wait = timeoutMs
        while let key = terminal.readKey(timeoutMs: wait) {
            wait = 0
            switch key {
            case .ctrl("c"):
                interrupt()
                bench.status.note = "interrupting"
            case .resize: break
            case .function(let n) where Workbench.paneKeys[n] != nil: _ = bench.handleNavigation(key)
            case .escape: _ = bench.handleNavigation(key)
            default:
                if bench.focus == .repl || !bench.handleNavigation(key) { typeahead.append(key) }
            }
        }
    }

    func apply(_ s: EngineProbe.Sample) {
        if let curves = s.curves { bench.curves.series = curves }
        if let tail = s.newCurvePoints { bench.curves.series = tail.appended(to: bench.curves.series) }
        if let tape = s.tape, !graphPinned { bench.tape.content = .tape(tape) }
        if let profile = s.profile { bench.profile.content = .single(profile) }
        if let ms = s.msPerStep { bench.status.msPerStep = ms }
        if let peak = s.peakBytes { bench.status.peakBytes = peak }
    }

    /// Set by `:graph NAME`: the graph stays in the pane until another graph replaces it; a graph
    /// shown because a command ran a compiled function gives way to the next eager tape.
    var graphPinned = false

    private var isShowingGraph: Bool {
        if case .graph = bench.tape.content { return true }
        return false
    }
}
