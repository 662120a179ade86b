import Foundation
import Synchronization
import Testing
import DuetTensor
@testable import DuetScript

/// A seeded script gives the same numbers while other threads of the process use the engine, as
/// it does alone in `duet run`: `make test` once failed notebook 05's "eager and graph losses
/// agree" check because parallel suites drew from the random generator between the notebook's
/// `torch.manual_seed(0)` and its model's initialisation.
@Suite struct ParallelDeterminismTests {
    /// Notebook 05's cells that define the model and step, and that train it eagerly and compiled.
    static let eagerVersusGraph: String = {
        let url = packageRoot.appendingPathComponent("notebooks/05-eager-vs-graph.duet")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let cells = text.components(separatedBy: "\n# %% ")
        let wanted = ["A model and one training step", "Training with it"]
        return cells.filter { cell in wanted.contains { cell.hasPrefix($0) } }.map { "# %% " + $0 }.joined(separator: "\n")
    }()

    /// Runs `body` while two threads draw from the shared generator and run GEMMs non-stop.
    private func withBusyEngine(_ body: () -> Void) {
        let stop = StopFlag()
        let finished = DispatchGroup()
        for _ in 0..<2 {
            finished.enter()
            Thread.detachNewThread {
                while !stop.raised.load(ordering: .relaxed) {
                    _ = try? Tensor.randn([64, 256]).matmul(Tensor.randn([256, 256]))
                }
                finished.leave()
            }
        }
        body()
        stop.raised.store(true, ordering: .relaxed)
        finished.wait()
    }

    @Test func notebookFiveAgreesWhileOtherThreadsUseTheEngine() {
        #expect(Self.eagerVersusGraph.contains("graph_losses"), "notebook 05's cells were not found")
        withBusyEngine {
            for run in 0..<6 {
                var errors = ""
                let outcome = NotebookRunner(mode: .check, interpreter: Interpreter(output: { _ in }), output: { _ in }, errors: { errors += $0 })
                    .run(text: Self.eagerVersusGraph, file: "05-eager-vs-graph.duet")
                #expect(outcome.passed, "run \(run):\n\(errors)")
            }
        }
    }
}

/// Tells the busy threads to finish.
private final class StopFlag: Sendable {
    let raised = Atomic<Bool>(false)
}
