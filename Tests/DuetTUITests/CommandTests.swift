import DuetScript
import Foundation
import Testing
@testable import DuetTUI

@Suite struct CommandTests {
    @Test func parsing() {
        #expect(WorkbenchCommand.parse("x = 1") == nil)
        #expect(WorkbenchCommand.parse(":quit") == .success(.quit))
        #expect(WorkbenchCommand.parse("  :time  x @ x ") == .success(.time("x @ x")))
        #expect(WorkbenchCommand.parse(":theme") == .failure(CommandError(":theme needs a theme name (e.g. dark, light, high-contrast)")))
        #expect(WorkbenchCommand.parse(":frobnicate") == .failure(CommandError("unknown command :frobnicate; :help lists the commands")))
    }

    @Test func notebookCellsKeepTheirLineNumbers() {
        let text = "# %% [markdown]\n# # Title\n\n# %% Data\nx = 1\n\n# %% Use\n# comment\ny = x + 1\n"
        var cursor = NotebookCursor(file: "nb.duet", text: text)
        #expect(cursor.cells.map(\.title) == ["Data", "Use"])
        let data = cursor.advance()
        #expect(data?.text.split(separator: "\n", omittingEmptySubsequences: false)[4] == "x = 1")
        #expect(cursor.advance()?.title == "Use")
        #expect(cursor.advance() == nil && cursor.isFinished)
    }

    @Test func timeReportsAMedian() throws {
        let interp = Interpreter(output: { _ in })
        try interp.run("import torch\na = torch.ones(8, 8)")
        let report = try CommandRunner(interpreter: interp).time("a @ a")
        #expect(report.contains("median of") && report.contains("runs"))
    }

    @Test func graphShowsACompiledFunctionsLatestGraph() throws {
        let interp = Interpreter(output: { _ in })
        let runner = CommandRunner(interpreter: interp)
        #expect(throws: CommandError.self) { try runner.graph("f") }
        try interp.run("import torch\nw = torch.randn(3, 2)\nf = compile(lambda x: (x @ w).relu())\nn = 1", file: "t")
        #expect(throws: CommandError.self) { try runner.graph("n") }
        #expect(throws: CommandError.self) { try runner.graph("f") }
        try interp.run("f(torch.randn(4, 3))", file: "t")
        let view = try runner.graph("f")
        #expect(view.nodes.map(\.op) == ["matmul+relu"])
        #expect(view.passReports.last?.hasPrefix("plan: ") == true)
    }

    @Test func sparkline() {
        #expect(Sparkline.of([1, 2, 3, 4, 5, 6, 7, 8], unicode: true) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.of([3, 3], unicode: false) == "==")
        #expect(Sparkline.line([CurveSeries(name: "loss", steps: [0, 1], values: [2, 1])], unicode: false) == "loss #  1.0000")
    }
}

@Suite struct WorkbenchAppTests {
    private func app(_ terminal: ScriptedTerminal, output: Interpreter? = nil) throws -> (WorkbenchApp, Interpreter) {
        let interp = output ?? Interpreter(output: { _ in })
        let app = WorkbenchApp(terminal: terminal, interpreter: interp, theme: try Fixture.theme(), depth: .full256, unicode: true, history: MemoryHistory())
        return (app, interp)
    }

    @Test func runsCodeUpdatesPanesAndQuits() throws {
        let terminal = ScriptedTerminal(keys: .typing("import torch\nw = torch.ones(2, 3, requires_grad=True)\n(torch.ones(4, 2) @ w).sum().backward()\nfor i in range(3):\nlog(\"loss\", 1.0 / (i + 1))\n\n") + [.ctrl("d")])
        let (app, interp) = try app(terminal)
        app.run()
        #expect(interp.global("w") != nil)
        #expect(app.bench.curves.series.map(\.name) == ["loss"])
        guard case .tape(let tape) = app.bench.tape.content else { Issue.record("no tape"); return }
        #expect(tape.lines.contains { $0.op == "matmul" && $0.inputShapes == [[4, 2], [2, 3]] })
        guard case .single(let profile) = app.bench.profile.content else { Issue.record("no profile"); return }
        #expect(profile.lines.contains { $0.name == "matmul" })
        let screen = terminal.lastGrid.text
        #expect(screen.contains("━ loss 0.3333"))
    }

    @Test func ctrlCInterruptsAtTheNextTickAndKeepsState() throws {
        // Under load the first tick can come before the first iteration, so n may still be 0:
        // what must hold is that n survives and the next command runs.
        let terminal = ScriptedTerminal(keys: .typing("n = 0\nwhile True:\nn = n + 1\n\n") + .typing("ok = n >= 0\n"))
        let (app, interp) = try app(terminal)
        // Ctrl-C arrives (once) on a read made while the loop runs, i.e. inside a tick.
        var sent = false
        terminal.onRead = { t, _ in
            guard t.keys.isEmpty, !sent, app.bench.status.busy else { return nil }
            sent = true
            return .ctrl("c")
        }
        app.run()
        #expect(interp.global("ok").map { "\($0)" } == "bool(true)")
        #expect(terminal.lastGrid.text.contains("KeyboardInterrupt"))
    }

    @Test func commandsInTheWorkbench() throws {
        let dir = Fixture.temporaryDirectory()
        let notebook = dir.appendingPathComponent("nb.duet")
        try "# %% One\nx = 40\n# %% Two\nx + 2\n".write(to: notebook, atomically: true, encoding: .utf8)
        let terminal = ScriptedTerminal(keys: .typing(":load \(notebook.path)\n") + [.function(5), .function(5)]
            + .typing(":pane profile\n:zoom\n:theme \(Fixture.themes)/light.toml\n:graph f\n:nope\n") + [.ctrl("d")])
        let (app, _) = try app(terminal)
        app.run()
        let lines = app.bench.scrollback.lines.map(\.text)
        #expect(lines.contains { $0.hasPrefix("loaded ") && $0.hasSuffix("2 cells; F5 (or :next) runs the next one") })
        #expect(lines.contains("42"))
        #expect(lines.contains(":graph: name 'f' is not defined"))
        #expect(lines.contains("unknown command :nope; :help lists the commands"))
        #expect(app.bench.focus == .profile && app.bench.zoomed)
        #expect(app.bench.context.theme.name == "light")
    }
}
