import Testing
@testable import DuetTensor

/// Walks every registry entry: each must declare samples, and on each sample its fast kernel must
/// agree with its naive reference (contiguous and strided inputs, float32 and float64), its shape
/// rule must predict the kernel's output, and its backward rule must agree with central finite
/// differences in float64.
@Suite struct RegistryTests {
    static let names = Ops.all.map(\.name)

    @Test func namesAreUniqueAndDocumented() {
        #expect(Set(Self.names).count == Self.names.count)
        for op in Ops.all {
            #expect(!op.doc.isEmpty, "\(op.name) has no doc")
            #expect(!op.samples.isEmpty, "\(op.name) declares no samples, so nothing tests it")
        }
    }

    /// Zero-size tensors reach every op (an empty slice, an empty batch), so every entry's samples
    /// include one: an input with a zero dim, or, for ops without inputs, a size with one.
    @Test func everyEntryHasAZeroSizeSample() throws {
        for op in Ops.all {
            let hasOne = try op.samples.contains { sample in
                sample.inputs.isEmpty ? try op.bind(sample.attrs).ints("size").contains(0) : sample.inputs.contains { $0.shape.contains(0) }
            }
            #expect(hasOne, "\(op.name) has no zero-size sample")
        }
    }

    @Test(arguments: names)
    func forwardMatchesReference(name: String) throws {
        let op = try #require(Ops.byName[name])
        for (k, sample) in op.samples.enumerated() {
            for floatDType in [DType.float32, .float64] {
                for contiguous in [true, false] {
                    var gen = SampleTensors(seed: UInt64(k + 1))
                    let inputs = try gen.tensors(sample, floatDType: floatDType, contiguous: contiguous)
                    let outputs: [Tensor]
                    // Random entries: kernel and reference draw the same stream from a private generator.
                    do {
                        outputs = try withGenerator(Generator(seed: UInt64(k))) { try Dispatch.call(op, inputs, sample.attrs) }
                    } catch TensorError.shape(let message) where op === Ops.view && !contiguous {
                        // Merging dims of a transposed layout is impossible without a copy: a clear error is right.
                        #expect(message.contains("use reshape()"))
                        continue
                    }
                    let expected = try withGenerator(Generator(seed: UInt64(k))) { try op.runReference(inputs.map { try $0.toRefArray() }, sample.attrs) }
                    let promoted = try Dispatch.promote(op, inputs)
                    let predicted = try op.outputMetas(promoted.map(\.meta), sample.attrs)
                    #expect(outputs.count == expected.count)
                    for (i, (out, ref)) in zip(outputs, expected).enumerated() {
                        let label = "\(name) sample \(k) \(floatDType) contiguous=\(contiguous) output \(i)"
                        #expect(out.shape == ref.shape, "\(label): shape \(out.shape) vs reference \(ref.shape)")
                        #expect(out.meta == predicted[i], "\(label): shape rule said \(predicted[i]), kernel made \(out.meta)")
                        let got = try out.toDoubles()
                        let tol = out.dtype == .float32 ? 2e-5 : 1e-11
                        #expect(allClose(got, ref.data, atol: tol, rtol: tol),
                                "\(label): max difference \(maxDifference(got, ref.data))")
                        let cost = try op.costFor(promoted.map(\.meta), predicted, sample.attrs)
                        #expect(cost.flops >= 0 && cost.bytesRead >= 0 && cost.bytesWritten >= 0)
                    }
                }
            }
        }
    }

    @Test(arguments: names)
    func backwardMatchesFiniteDifferences(name: String) throws {
        let op = try #require(Ops.byName[name])
        guard op.isDifferentiable else { return }
        for (k, sample) in op.samples.enumerated() {
            var gen = SampleTensors(seed: UInt64(k + 100))
            let inputs = try gen.tensors(sample, floatDType: .float64, contiguous: true)
            let probe = try Dispatch.call(op, inputs, sample.attrs)
            // Only float64 outputs can be checked numerically (casts down lose the precision).
            guard probe.allSatisfy({ $0.dtype == .float64 }) else { continue }
            let check = try GradCheck(op: op, attrs: sample.attrs, inputs: inputs, gen: &gen)
            for (i, (analytic, numeric)) in zip(check.analytic, check.numeric).enumerated() {
                #expect(allClose(analytic, numeric, atol: 1e-6, rtol: 1e-5),
                        "\(name) sample \(k) input \(i): max difference \(maxDifference(analytic, numeric))")
            }
        }
    }

    /// Second derivatives through backward rules recorded with createGraph.
    @Test(arguments: ["exp", "tanh", "sigmoid", "mul", "div", "log_softmax", "softmax", "matmul", "erf", "pow"])
    func secondOrderMatchesFiniteDifferences(name: String) throws {
        let op = try #require(Ops.byName[name])
        let sample = op.samples[0]
        var gen = SampleTensors(seed: 7)
        let inputs = try gen.tensors(sample, floatDType: .float64, contiguous: true)
        let check = try GradCheck(op: op, attrs: sample.attrs, inputs: inputs, gen: &gen, order: 2)
        for (i, (analytic, numeric)) in zip(check.analytic, check.numeric).enumerated() {
            #expect(allClose(analytic, numeric, atol: 1e-5, rtol: 1e-4),
                    "\(name) second order, input \(i): max difference \(maxDifference(analytic, numeric))")
        }
    }
}

/// Analytic gradients from the tape against central differences, for a scalar probe
/// L = Σ op(x)·v (order 1) or L = Σ ∂(Σ op(x)·v)/∂x · w (order 2), over every float input.
struct GradCheck {
    var analytic: [[Double]] = []
    var numeric: [[Double]] = []

    init(op: OpDef, attrs: Attrs, inputs: [Tensor], gen: inout SampleTensors, order: Int = 1) throws {
        let floatIndices = inputs.indices.filter { inputs[$0].dtype == .float64 }
        let outputs = try Dispatch.call(op, inputs, attrs)
        let v = try outputs.map { o in try Tensor((0..<o.count).map { _ in gen.nextUnit() - 0.5 }, shape: o.shape, dtype: .float64) }
        let w = try floatIndices.map { i in try Tensor((0..<inputs[i].count).map { _ in gen.nextUnit() - 0.5 }, shape: inputs[i].shape, dtype: .float64) }

        /// The probe's value and its gradient with respect to the float inputs.
        func probe(_ xs: [Tensor], needGrad: Bool) throws -> (Double, [Tensor?]) {
            let leaves = try xs.enumerated().map { i, x in floatIndices.contains(i) ? try x.detach().requiresGrad() : x }
            let wrt = floatIndices.map { leaves[$0] }
            let outs = try Dispatch.call(op, leaves, attrs)
            var loss = try zip(outs, v).map { try ($0 * $1).sum() }.reduce(Tensor.scalar(0.0)) { try $0 + $1 }
            if order == 2 {
                let g = try grad([loss], wrt, createGraph: true, allowUnused: true)
                loss = try zip(g, w).reduce(Tensor.scalar(0.0)) { acc, pair in
                    guard let gi = pair.0 else { return acc }
                    return try acc + (gi * pair.1).sum()
                }
            }
            guard needGrad, loss.requiresGrad else { return (try loss.item(), wrt.map { _ in nil }) }
            return (try loss.item(), try grad([loss], wrt, allowUnused: true))
        }

        let (_, grads) = try probe(inputs, needGrad: true)
        let eps = order == 1 ? 1e-6 : 1e-5
        for (slot, i) in floatIndices.enumerated() {
            analytic.append(try grads[slot].map { try $0.toDoubles() } ?? [Double](repeating: 0, count: inputs[i].count))
            var column: [Double] = []
            let base = try inputs[i].toDoubles()
            for j in 0..<base.count {
                func shifted(_ delta: Double) throws -> Double {
                    var vals = base
                    vals[j] += delta
                    var xs = inputs
                    xs[i] = try Tensor(vals, shape: inputs[i].shape, dtype: .float64)
                    return try probe(xs, needGrad: false).0
                }
                column.append((try shifted(eps) - shifted(-eps)) / (2 * eps))
            }
            numeric.append(column)
        }
    }
}
