import DuetScript
import Foundation
import Testing
@testable import DuetTUI

/// The panes stay live and Ctrl-C is heard during a long `fit`, whatever ran before: a `:time` of
/// a cheap expression once widened the interpreter's poll window so far that a following fit
/// (one checkpoint per batch) drew no frame and ignored Ctrl-C. Time is an injected clock that
/// advances 30 ms per training batch; nothing reads the wall clock.
@Suite struct LivePaneTests {
    @Test func afterATimeAFitRedrawsEvery200msAndStopsAtTheNextBatch() throws {
        let setup = "import torch\na = torch.ones(4, 4)\nX, y = torch.randn(16, 2), torch.randint(0, 2, (16,))\nmodel = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))\n"
        let terminal = ScriptedTerminal(keys: .typing(setup + ":time a @ a\nh = fit(model, (X, y), epochs=40, batch_size=2, verbose=False)\ndone = 1\n"))
        let interp = Interpreter(output: { _ in })
        let app = WorkbenchApp(terminal: terminal, interpreter: interp, theme: try Fixture.theme(), depth: .full256, unicode: true, history: MemoryHistory())
        let batches = { interp.logs.points("loss").count }
        interp.clock = { UInt64(batches()) * 30_000_000 }
        var frameTimes: [UInt64] = []
        var interruptedAt: Int?
        terminal.onRead = { _, _ in
            guard app.bench.status.busy, batches() > 0, interruptedAt == nil else { return nil }
            frameTimes.append(interp.clock())
            guard batches() >= 100 else { return nil }
            interruptedAt = batches()
            return .ctrl("c")
        }
        app.run()
        let stoppedAt = try #require(interruptedAt)
        #expect(batches() <= stoppedAt + 1, "the fit went on for \(batches() - stoppedAt) batches after Ctrl-C")
        let gaps = zip(frameTimes.dropFirst(), frameTimes).map { $0 - $1 }
        #expect(!frameTimes.isEmpty && (frameTimes.first ?? .max) <= 200_000_000 && gaps.allSatisfy { $0 <= 200_000_000 },
                "frames at \(frameTimes.map { $0 / 1_000_000 }) ms of the fit's clock")
        #expect(interp.global("done") != nil)
        #expect(app.bench.scrollback.lines.contains { $0.text.contains("KeyboardInterrupt") })
    }
}
