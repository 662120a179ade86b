import Testing
import DuetGraph
import DuetTensor

/// Every registry entry, compiled against eager on its own samples: outputs, and for
/// differentiable entries the gradients a `backward()` inside the compiled function leaves.
@Suite struct CompiledOpTests {
    static let names = Ops.all.map(\.name)

    /// Sample inputs as the registry declares them, in float64 so differences mean something.
    static func inputs(_ sample: OpSample) throws -> [Tensor] {
        try sample.inputs.map { input in
            switch input.values {
            case .uniform(let lo, let hi): try Tensor.rand(input.shape, low: lo, high: hi, dtype: .float64)
            case .integers(let lo, let hi): try Tensor.randint(lo, hi, input.shape)
            case .bools: try Tensor.randint(0, 2, input.shape).to(.bool)
            case .exactly(let values): try Tensor(values, shape: input.shape, dtype: .int64)
            }
        }
    }

    @Test(arguments: names)
    func outputsMatchEager(name: String) throws {
        let op = try #require(Ops.byName[name])
        for (k, sample) in op.samples.enumerated() {
            let inputs = try withGenerator(Generator(seed: UInt64(k))) { try Self.inputs(sample) }
            let eager = try withGenerator(Generator(seed: 99)) { try Dispatch.call(op, inputs, sample.attrs) }
            let f = compile(name) { xs in try Dispatch.call(op, xs, sample.attrs) }
            let compiled = try withGenerator(Generator(seed: 99)) { try f(inputs) }
            #expect(compiled.count == eager.count)
            for (e, c) in zip(eager, compiled) {
                #expect(e.dtype == c.dtype && e.shape == c.shape, "\(name) sample \(k): \(c.meta) vs eager \(e.meta)")
                #expect(try maxAbsDifference(e.to(.float64), c.to(.float64)) <= 1e-12, "\(name) sample \(k)")
            }
        }
    }

    @Test(arguments: names)
    func gradientsMatchEager(name: String) throws {
        let op = try #require(Ops.byName[name])
        guard op.isDifferentiable else { return }
        for (k, sample) in op.samples.enumerated() {
            let base = try withGenerator(Generator(seed: UInt64(k))) { try Self.inputs(sample) }
            let floats = base.indices.filter { base[$0].dtype == .float64 }
            guard !floats.isEmpty else { continue }
            let probes = try Dispatch.call(op, base, sample.attrs).map { try Tensor.randn($0.shape, dtype: .float64) }
            /// Σ out·probe, differentiated; returns the loss, the leaves' gradients stay on them.
            func lossOf(_ xs: [Tensor]) throws -> Tensor {
                let outs = try Dispatch.call(op, xs, sample.attrs)
                var loss = try (outs[0].to(.float64) * probes[0]).sum()
                for (o, p) in zip(outs.dropFirst(), probes.dropFirst()) where o.dtype.isFloatingPoint { loss = try loss + (o * p).sum() }
                if loss.requiresGrad { try loss.backward() }
                return loss
            }
            let eagerLeaves = try base.enumerated().map { i, t in floats.contains(i) ? try t.clone().requiresGrad() : t }
            let eagerLoss = try lossOf(eagerLeaves)
            let compiledLeaves = try base.enumerated().map { i, t in floats.contains(i) ? try t.clone().requiresGrad() : t }
            let f = compile(name) { xs in [try lossOf(xs)] }
            let compiledLoss = try f(compiledLeaves)[0]
            #expect(try maxAbsDifference(eagerLoss, compiledLoss) <= 1e-10, "\(name) sample \(k) loss")
            for i in floats {
                guard let e = eagerLeaves[i].grad else {
                    #expect(compiledLeaves[i].grad == nil, "\(name) sample \(k): a gradient for input \(i) eager does not give")
                    continue
                }
                let c = try #require(compiledLeaves[i].grad, "\(name) sample \(k): no gradient for input \(i)")
                #expect(try maxAbsDifference(e, c) <= 1e-10, "\(name) sample \(k) input \(i) gradient")
            }
        }
    }
}
