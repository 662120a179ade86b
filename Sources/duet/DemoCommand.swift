import ArgumentParser
import DuetTensor
import Foundation

/// `duet demo`: a short tour of the eager engine until the workbench lands — a two-layer network
/// learns XOR-like quadrants with autograd and plain SGD, then shows the tape of one step.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Train a tiny network eagerly and show its tape.")

    @Option(help: "Training steps.")
    var steps = 300

    func run() throws {
        manualSeed(0)
        let n = 256
        let x = try Tensor.rand([n, 2], low: -1, high: 1)
        // Label 1 where the two coordinates have the same sign: not linearly separable.
        let y = try ((x.select(dim: 1, index: 0) * x.select(dim: 1, index: 1)) > 0).long()
        let w1 = try (Tensor.randn([16, 2]) * 0.7).requiresGrad()
        let b1 = try Tensor.zeros([16]).requiresGrad()
        let w2 = try (Tensor.randn([2, 16]) * 0.25).requiresGrad()
        let b2 = try Tensor.zeros([2]).requiresGrad()
        let params = [w1, b1, w2, b2]
        let lr = 0.5
        print("Duet demo: a 2-16-2 network learns the XOR quadrants (\(n) points), eager mode, SGD lr \(lr)")
        for step in 0...steps {
            EngineContext.current.tape.reset()
            let logits = try x.linear(w1, b1).tanh().linear(w2, b2)
            let loss = try Loss.crossEntropy(logits, y)
            for p in params { p.zeroGrad() }
            try loss.backward()
            try withNoGrad {
                for p in params { if let g = p.grad { try p.sub_(g * lr) } }
            }
            if step % 50 == 0 {
                let accuracy = try (logits.argmax(dim: 1) == y).float().mean().item()
                print(String(format: "step %4d  loss %.4f  accuracy %5.1f%%", step, try loss.item(), accuracy * 100))
            }
        }
        print("\nThe tape of the last step (what backward walked):")
        for r in EngineContext.current.tape.records {
            let shapes = r.inputShapes.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: " ")
            print("  \(String(r.index).padding(toLength: 3, withPad: " ", startingAt: 0)) \(r.op.padding(toLength: 12, withPad: " ", startingAt: 0)) \(shapes.padding(toLength: 22, withPad: " ", startingAt: 0)) saved \(r.savedBytes) B")
        }
        let stats = Allocator.shared.stats
        print(String(format: "\nmemory: live %.1f KB, peak %.1f KB, %d allocations (cached blocks reused)",
                     Double(stats.liveBytes) / 1024, Double(stats.peakBytes) / 1024, stats.allocations))
    }
}
