import Foundation
import Testing
@testable import DuetScript

/// `fit` returns a History: dict-like, with Keras's attributes; Ctrl-C during a fit stops it at
/// the next batch, binds the finished epochs to the assignment's target and stops the command.
@Suite struct FitHistoryTests {
    static let setup = """
        import torch
        import torch.nn as nn
        torch.manual_seed(0)
        X, y = torch.randn(16, 2), torch.randint(0, 2, (16,))
        model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))
        """

    @Test func aFinishedFitsHistoryIsDictLike() throws {
        let out = try output(Self.setup + """

            h = fit(model, (X, y), epochs=3, batch_size=8, verbose=False)
            print(len(h["loss"]), h.interrupted, "accuracy" in h, "nope" in h, len(h), list(h.keys()), h.epoch, len(h.history["loss"]))
            print(sorted(k for k in h))
            """)
        #expect(out == "3 False True False 2 ['loss', 'accuracy'] [0, 1, 2] 3\n['accuracy', 'loss']\n")
    }

    /// The injected clock advances 100 ms per batch, so every batch ticks; the tick presses Ctrl-C
    /// once 25 batches ran: the fit stops there, inside its fourth epoch (8 batches each), keeping three.
    @Test func anInterruptedFitBindsItsPartialHistoryAndStopsTheCommand() throws {
        let interp = Interpreter(output: { _ in })
        try interp.run(Self.setup)
        interp.clock = { [unowned interp] in UInt64(interp.logs.points("loss").count) * 100_000_000 }
        interp.onTick = { [unowned interp] in
            if interp.logs.points("loss").count >= 25 { interp.interruption.request() }
        }
        #expect(throws: ScriptError.self) {
            try interp.run("h = fit(model, (X, y), epochs=1000, batch_size=2, verbose=False)\nafter = True")
        }
        let batches = interp.logs.points("loss").count
        #expect((25...26).contains(batches))
        #expect(interp.global("after") == nil)
        var out = ""
        interp.output = { out += $0 }
        try interp.run("print(h.interrupted, len(h['loss']), h.epoch)\nprint(h)")
        #expect(out.hasPrefix("True 3 [0, 1, 2]\n"))
        #expect(out.contains("(interrupted after "))
    }
}
