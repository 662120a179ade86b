import Testing
import DuetGraph
import DuetNN
import DuetTensor

/// Whole training steps — forward, backward, Adam's or SGD's update — run compiled must leave the
/// same parameters as eager. A learning-rate schedule changes `lr` between calls and Adam's bias
/// correction reads the step count, so a graph that froze either would drift at once. With SGD the
/// weight updates run inside their gradients' GEMMs (the gemm pass), reading `lr` at each call.
@Suite struct CompiledTrainingTests {
    static func mlp() throws -> Module {
        Sequential(try Linear(20, 32), ReLU(), try Linear(32, 32), ReLU(), try Linear(32, 5))
    }

    static func lenet() throws -> Module {
        Sequential(
            try Conv2d(1, 6, kernelSize: 5, padding: 2), ReLU(), MaxPool2d(2),
            try Conv2d(6, 16, kernelSize: 5), ReLU(), MaxPool2d(2), Flatten(),
            try Linear(400, 120), ReLU(), try Linear(120, 84), ReLU(), try Linear(84, 10))
    }

    /// Trains two copies of a model from the same seed for `steps` steps, one eagerly and one
    /// through a compiled step, and returns the largest parameter difference and the losses.
    static func trainBoth(_ make: () throws -> Module, x: Tensor, y: Tensor, steps: Int, sgd: Bool = false, momentum: Double = 0) throws -> (Double, [Double], [Double], Graph?) {
        // Private generators: tests run in parallel, and the shared generator would interleave their draws.
        let eagerModel = try withGenerator(Generator(seed: 3)) { try make() }
        let graphModel = try withGenerator(Generator(seed: 3)) { try make() }
        func trainer(_ model: Module) throws -> (Optimizer, StepLR) {
            let opt: Optimizer = sgd ? try SGD(model.parameters(), lr: 0.05, momentum: momentum) : try Adam(model.parameters(), lr: 0.01)
            return (opt, try StepLR(opt, stepSize: 5, gamma: 0.5))
        }
        let (eagerOpt, eagerSched) = try trainer(eagerModel)
        let (graphOpt, graphSched) = try trainer(graphModel)
        func step(_ model: Module, _ opt: Optimizer, _ x: Tensor, _ y: Tensor) throws -> Tensor {
            try opt.zeroGrad()
            let loss = try Loss.crossEntropy(model(x), y)
            try loss.backward()
            try opt.step()
            return loss
        }
        let compiled = compile("train_step") { xs in [try step(graphModel, graphOpt, xs[0], xs[1])] }
        var eagerLosses: [Double] = [], graphLosses: [Double] = []
        for _ in 0..<steps {
            eagerLosses.append(try step(eagerModel, eagerOpt, x, y).item())
            try eagerSched.step()
            graphLosses.append(try compiled([x, y])[0].item())
            try graphSched.step()
        }
        // Momentum's first step copies the gradient into a new buffer, later ones accumulate: one retrace.
        #expect(compiled.traceCount == (momentum > 0 ? 2 : 1))
        var worst = 0.0
        for (a, b) in zip(eagerModel.parameters(), graphModel.parameters()) { worst = max(worst, try maxAbsDifference(a, b)) }
        return (worst, eagerLosses, graphLosses, compiled.lastGraph)
    }

    @Test func mlpWithAdamAndScheduleMatchesEager() throws {
        let (x, y) = try withGenerator(Generator(seed: 1)) { (try Tensor.randn([16, 20]), try Tensor.randint(0, 5, [16])) }
        let (diff, eager, graph, _) = try Self.trainBoth(Self.mlp, x: x, y: y, steps: 20)
        #expect(diff < 1e-5, "parameters differ by \(diff)")
        for (a, b) in zip(eager, graph) { #expect(abs(a - b) < 1e-5) }
        #expect(eager.last! < eager.first!, "the loss should fall over 20 steps")
    }

    @Test func mlpWithSGDMomentumMatchesEager() throws {
        let (x, y) = try withGenerator(Generator(seed: 1)) { (try Tensor.randn([16, 20]), try Tensor.randint(0, 5, [16])) }
        let (diff, _, _, _) = try Self.trainBoth(Self.mlp, x: x, y: y, steps: 6, sgd: true, momentum: 0.9)
        #expect(diff < 1e-5, "parameters differ by \(diff)")
    }

    @Test func mlpWithSGDFoldedIntoItsGEMMsMatchesEager() throws {
        let (x, y) = try withGenerator(Generator(seed: 4)) { (try Tensor.randn([16, 20]), try Tensor.randint(0, 5, [16])) }
        let (diff, eager, graph, g) = try Self.trainBoth(Self.mlp, x: x, y: y, steps: 20, sgd: true)
        #expect(diff < 1e-5, "parameters differ by \(diff)")
        for (a, b) in zip(eager, graph) { #expect(abs(a - b) < 1e-5) }
        #expect(eager.last! < eager.first!, "the loss should fall over 20 steps")
        let fused = try #require(g).nodes.map(\.op.name).filter { $0.hasPrefix("matmul+") }
        #expect(fused.filter { $0 == "matmul+to+mul+sub" }.count == 3, "\(fused)")
    }

    @Test func lenetWithAdamAndScheduleMatchesEager() throws {
        let (x, y) = try withGenerator(Generator(seed: 2)) { (try Tensor.randn([8, 1, 28, 28]), try Tensor.randint(0, 10, [8])) }
        for sgd in [false, true] {
            let (diff, eager, graph, _) = try Self.trainBoth(Self.lenet, x: x, y: y, steps: 20, sgd: sgd)
            // Adam divides each gradient by its running RMS, so a weight whose gradient stays near zero
            // turns last-bit differences between fused and eager kernels into much larger steps: with the
            // direct conv kernel one weight of Linear(400, 120) ends 2.2e-5 apart, every other one <= 4e-7.
            let tolerance = sgd ? 1e-5 : 1e-4
            #expect(diff < tolerance, "parameters differ by \(diff) (\(sgd ? "SGD" : "Adam"))")
            for (a, b) in zip(eager, graph) { #expect(abs(a - b) < 1e-5) }
        }
    }

    @Test func dropoutDrawsAFreshMaskOnEveryCall() throws {
        let drop = try Dropout(0.5)
        let f = compile("drop") { xs in [try drop(xs[0])] }
        let x = try Tensor.ones([64])
        let first = try f([x])[0].toDoubles(), second = try f([x])[0].toDoubles()
        #expect(first != second)
        #expect(Set(first).isSubset(of: [0, 2]) && Set(second).isSubset(of: [0, 2]))
        #expect(f.traceCount == 1)
    }
}
