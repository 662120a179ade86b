import Testing
import DuetGraph
import DuetNN
import DuetTensor

/// 16-bit tensors compiled: the trace holds the widening and narrowing casts eager runs, so the
/// graph's passes (fusion included) give eager's values bit for bit, and a compiled training
/// step takes 16-bit inputs into a float32 model.
@Suite struct HalfPrecisionGraphTests {
    @Test(arguments: [DType.float16, .bfloat16])
    func compiledMatchesEager(half: DType) throws {
        let x = try Tensor.linspace(-3, 3, steps: 24).reshape([4, 6]).to(half)
        let w = try Tensor.linspace(0.5, -0.5, steps: 18).reshape([3, 6]).to(half)
        func model(_ xs: [Tensor]) throws -> [Tensor] {
            let h = try (xs[0].linear(xs[1]).relu() * 1.5 + 0.25).tanh()
            return [h, try h.sum(dims: [1]), try h.softmax(dim: -1)]
        }
        let eager = try model([x, w])
        let compiled = try compile("half") { try model($0) }([x, w])
        for (e, c) in zip(eager, compiled) {
            #expect(c.dtype == half && c.meta == e.meta)
            #expect(try c.toDoubles() == e.toDoubles())
        }
    }

    @Test func compiledTrainingStepTakesHalfInputs() throws {
        let model = Sequential([try Linear(4, 8), ReLU(), try Linear(8, 3)])
        let opt = try SGD(model.parameters(), lr: 0.1)
        let step = compiledTrainingStep(model, opt)
        let x = try Tensor.linspace(-1, 1, steps: 16).reshape([4, 4]).to(.float16)
        let y = try Tensor([0, 1, 2, 1], shape: [4], dtype: .int64)
        let first = try step([x, y])[0].item()
        var last = first
        for _ in 0..<5 { last = try step([x, y])[0].item() }
        #expect(last < first)
    }
}
