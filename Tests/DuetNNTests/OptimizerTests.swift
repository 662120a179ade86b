import Foundation
import Testing
@testable import DuetNN
import DuetTensor

/// Optimizers against their update formulas worked out in Double, schedulers against their closed
/// forms, gradient clipping, optimizer state dicts, and hyper-parameter validation.
@Suite struct OptimizerTests {
    static let start: [Double] = [1.0, -2.0, 0.5]
    /// The gradient fed before each of the three steps.
    static let grads: [[Double]] = [[0.1, -0.2, 0.3], [0.4, 0.0, -0.1], [-0.3, 0.5, 0.2]]

    private func parameter(_ values: [Double] = OptimizerTests.start) throws -> Tensor {
        try Tensor(values, shape: [values.count], dtype: .float64).requiresGrad()
    }

    private func setGrad(_ p: Tensor, _ g: [Double]) throws {
        p.grad = try Tensor(g, shape: [g.count], dtype: .float64)
    }

    /// Runs three steps with the fixed gradients and returns the parameter after each.
    private func run(_ p: Tensor, _ opt: Optimizer) throws -> [[Double]] {
        try Self.grads.map { g in
            try setGrad(p, g)
            try opt.step()
            return try p.toDoubles()
        }
    }

    private func expectClose(_ actual: [[Double]], _ expected: [[Double]], tol: Double = 1e-12,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (s, (a, e)) in zip(actual, expected).enumerated() {
            #expect(a.count == e.count, sourceLocation: sourceLocation)
            for (i, (x, y)) in zip(a, e).enumerated() where !(Swift.abs(x - y) <= tol * Swift.max(1, Swift.abs(y))) {
                Issue.record("step \(s + 1), element \(i): got \(x), expected \(y)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: Reference updates, per element in Double

    /// torch.optim.SGD: d = g + wd·p; buf = d (first step) or μ·buf + (1−τ)·d; d = d + μ·buf (Nesterov) or buf; p −= lr·d.
    private func sgdReference(lr: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                              nesterov: Bool = false) -> [[Double]] {
        var p = Self.start
        var buf: [Double]? = nil
        var out: [[Double]] = []
        for g in Self.grads {
            var d = zip(g, p).map { $0 + weightDecay * $1 }
            if momentum != 0 {
                if let b = buf { buf = zip(b, d).map { momentum * $0 + (1 - dampening) * $1 } } else { buf = d }
                d = nesterov ? zip(d, buf!).map { $0 + momentum * $1 } : buf!
            }
            p = zip(p, d).map { $0 - lr * $1 }
            out.append(p)
        }
        return out
    }

    /// torch.optim.Adam / AdamW with bias corrections 1−βᵗ.
    private func adamReference(lr: Double, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                               weightDecay: Double = 0, decoupled: Bool = false) -> [[Double]] {
        var p = Self.start
        var m = [Double](repeating: 0, count: 3), v = m
        var out: [[Double]] = []
        for (k, g0) in Self.grads.enumerated() {
            let t = Double(k + 1)
            var g = g0
            if weightDecay != 0 {
                if decoupled { p = p.map { $0 - lr * weightDecay * $0 } } else { g = zip(g, p).map { $0 + weightDecay * $1 } }
            }
            for i in 0..<3 {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let mHat = m[i] / (1 - Foundation.pow(beta1, t))
                let vHat = v[i] / (1 - Foundation.pow(beta2, t))
                p[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            out.append(p)
        }
        return out
    }

    /// torch.optim.RMSprop (centered=False).
    private func rmspropReference(lr: Double, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                                  momentum: Double = 0) -> [[Double]] {
        var p = Self.start
        var sq = [Double](repeating: 0, count: 3), buf = sq
        var out: [[Double]] = []
        for g0 in Self.grads {
            let g = zip(g0, p).map { $0 + weightDecay * $1 }
            for i in 0..<3 {
                sq[i] = alpha * sq[i] + (1 - alpha) * g[i] * g[i]
                let step = g[i] / (sq[i].squareRoot() + eps)
                if momentum > 0 {
                    buf[i] = momentum * buf[i] + step
                    p[i] -= lr * buf[i]
                } else {
                    p[i] -= lr * step
                }
            }
            out.append(p)
        }
        return out
    }

    // MARK: SGD

    @Test func sgdPlain() throws {
        let p = try parameter()
        let opt = try SGD([p], lr: 0.1)
        let got = try run(p, opt)
        expectClose(got, sgdReference(lr: 0.1))
        // Spelled out for step 1: p − 0.1·g.
        expectClose([got[0]], [[0.99, -1.98, 0.47]])
        #expect(opt.state[0].isEmpty)
        #expect(try opt.stepCount.item() == 3)
    }

    @Test func sgdMomentumCopiesTheFirstGradientIntoTheBuffer() throws {
        let p = try parameter()
        let opt = try SGD([p], lr: 0.1, momentum: 0.9)
        try setGrad(p, Self.grads[0])
        try opt.step()
        #expect(try opt.state[0]["momentum_buffer"]!.toDoubles() == Self.grads[0])
        try setGrad(p, Self.grads[1])
        try opt.step()
        try setGrad(p, Self.grads[2])
        try opt.step()
        let p2 = try parameter()
        let expected = sgdReference(lr: 0.1, momentum: 0.9)
        expectClose([try p.toDoubles()], [expected[2]])
        expectClose(try run(p2, try SGD([p2], lr: 0.1, momentum: 0.9)), expected)
        // The buffer after three steps: ((g1·0.9 + g2)·0.9 + g3).
        let buffer = (0..<3).map { (Self.grads[0][$0] * 0.9 + Self.grads[1][$0]) * 0.9 + Self.grads[2][$0] }
        expectClose([try opt.state[0]["momentum_buffer"]!.toDoubles()], [buffer])
    }

    @Test func sgdDampening() throws {
        let p = try parameter()
        let opt = try SGD([p], lr: 0.05, momentum: 0.8, dampening: 0.5)
        let expected = sgdReference(lr: 0.05, momentum: 0.8, dampening: 0.5)
        expectClose(try run(p, opt), expected)
        // Dampening does not apply on the first step: the buffer starts as the raw gradient.
        #expect(expected[0] == zip(Self.start, Self.grads[0]).map { $0 - 0.05 * $1 })
        #expect(expected[2] != sgdReference(lr: 0.05, momentum: 0.8)[2])
    }

    @Test func sgdNesterov() throws {
        let p = try parameter()
        let opt = try SGD([p], lr: 0.1, momentum: 0.9, nesterov: true)
        let expected = sgdReference(lr: 0.1, momentum: 0.9, nesterov: true)
        expectClose(try run(p, opt), expected)
        // Step 1 moves by lr·(1 + μ)·g.
        expectClose([expected[0]], [zip(Self.start, Self.grads[0]).map { $0 - 0.1 * 1.9 * $1 }])
    }

    @Test func sgdWeightDecay() throws {
        let p = try parameter()
        expectClose(try run(p, try SGD([p], lr: 0.1, weightDecay: 0.01)), sgdReference(lr: 0.1, weightDecay: 0.01))
        let q = try parameter()
        expectClose(try run(q, try SGD([q], lr: 0.1, momentum: 0.9, weightDecay: 0.1, nesterov: true)),
                    sgdReference(lr: 0.1, momentum: 0.9, weightDecay: 0.1, nesterov: true))
        // Step 1 by hand: p − lr·(g + wd·p).
        let r = try parameter()
        try setGrad(r, Self.grads[0])
        try SGD([r], lr: 0.1, weightDecay: 0.01).step()
        expectClose([try r.toDoubles()], [[1 - 0.1 * (0.1 + 0.01), -2 - 0.1 * (-0.2 - 0.02), 0.5 - 0.1 * (0.3 + 0.005)]])
    }

    @Test func parametersWithoutGradientsAreSkippedAndZeroGradClears() throws {
        let p = try parameter(), q = try parameter([3, 4])
        let opt = try SGD([p, q], lr: 0.1, momentum: 0.9)
        try setGrad(p, Self.grads[0])
        try opt.step()
        #expect(try q.toDoubles() == [3, 4])
        #expect(opt.state[1]["momentum_buffer"] == nil)
        try opt.zeroGrad()
        #expect(p.grad == nil)
        try setGrad(p, [1, 1, 1])
        try opt.zeroGrad(setToNone: false)
        #expect(try p.grad!.toDoubles() == [0, 0, 0])
    }

    @Test func sgdTrainsAFloat32ModelWithAutograd() throws {
        // End to end: fit y = 2·x₁ − x₂ + 0.5 exactly with a Linear layer; the loss must fall to ≈ 0.
        let layer = try Linear(2, 1)
        let x = try Tensor([1, 2, 3, -1, 0, 1, 2, 2], shape: [4, 2]), y = try Tensor([0.5, 7.5, -0.5, 2.5], shape: [4, 1])
        let opt = try SGD(layer.parameters(), lr: 0.05, momentum: 0.5)
        var losses: [Double] = []
        for _ in 0..<100 {
            try opt.zeroGrad()
            let loss = try Loss.mse(try layer(x), y)
            try loss.backward()
            try opt.step()
            losses.append(try loss.item())
        }
        #expect(losses.last! < 1e-3 * losses.first!)
        #expect(losses.last! < 1e-2)
        let w = try layer.weight.toDoubles(), b = try layer.bias!.item()
        #expect(Swift.abs(w[0] - 2) < 0.05 && Swift.abs(w[1] + 1) < 0.05 && Swift.abs(b - 0.5) < 0.1, "w \(w), b \(b)")
    }

    // MARK: Adam, AdamW, RMSprop

    @Test func adamWithBiasCorrections() throws {
        let p = try parameter()
        let opt = try Adam([p], lr: 0.01)
        let expected = adamReference(lr: 0.01)
        expectClose(try run(p, opt), expected)
        // With bias correction the first step moves each element by ≈ lr·sign(g).
        expectClose([expected[0]], [[1 - 0.01, -2 + 0.01, 0.5 - 0.01]], tol: 1e-6)
        #expect(try opt.stepCount.item() == 3)
        #expect(Set(opt.state[0].keys) == ["step", "exp_avg", "exp_avg_sq"])
        let q = try parameter()
        expectClose(try run(q, try Adam([q], lr: 0.05, betas: (0.8, 0.9), eps: 1e-3)),
                    adamReference(lr: 0.05, beta1: 0.8, beta2: 0.9, eps: 1e-3))
    }

    @Test func adamL2WeightDecayIsAddedToTheGradient() throws {
        let p = try parameter()
        expectClose(try run(p, try Adam([p], lr: 0.01, weightDecay: 0.1)), adamReference(lr: 0.01, weightDecay: 0.1))
        #expect(adamReference(lr: 0.01, weightDecay: 0.1)[2] != adamReference(lr: 0.01, weightDecay: 0.1, decoupled: true)[2])
    }

    @Test func adamWDecaysTheParameterBeforeTheAdamStep() throws {
        let p = try parameter()
        let opt = try AdamW([p], lr: 0.01, weightDecay: 0.1)
        expectClose(try run(p, opt), adamReference(lr: 0.01, weightDecay: 0.1, decoupled: true))
        #expect(try AdamW([try parameter()]).groups[0].double("weight_decay") == 0.01)
        // Default hyper-parameters are torch.optim.AdamW's.
        let q = try parameter()
        expectClose(try run(q, try AdamW([q])), adamReference(lr: 1e-3, weightDecay: 0.01, decoupled: true))
        // With a zero gradient only the decay acts on step 1: p·(1 − lr·wd).
        let r = try parameter()
        try setGrad(r, [0, 0, 0])
        try AdamW([r], lr: 0.1, weightDecay: 0.5).step()
        expectClose([try r.toDoubles()], [Self.start.map { $0 * 0.95 }])
    }

    @Test func rmspropWithAndWithoutMomentum() throws {
        let p = try parameter()
        expectClose(try run(p, try RMSprop([p], lr: 0.01)), rmspropReference(lr: 0.01))
        let q = try parameter()
        expectClose(try run(q, try RMSprop([q], lr: 0.01, alpha: 0.9, momentum: 0.8)),
                    rmspropReference(lr: 0.01, alpha: 0.9, momentum: 0.8))
        let r = try parameter()
        expectClose(try run(r, try RMSprop([r], lr: 0.02, eps: 1e-4, weightDecay: 0.1, momentum: 0.5)),
                    rmspropReference(lr: 0.02, eps: 1e-4, weightDecay: 0.1, momentum: 0.5))
        // Step 1 by hand without momentum: g / (√((1−α)·g²) + eps) = sign(g)/√0.01 (eps aside) → 10·lr·sign(g).
        expectClose([rmspropReference(lr: 0.01)[0]], [[1 - 0.1, -2 + 0.1, 0.5 - 0.1]], tol: 1e-6)
    }

    // MARK: Schedulers

    @Test func stepLRFollowsTheClosedForm() throws {
        let opt = try SGD([try parameter()], lr: 0.1)
        let sched = try StepLR(opt, stepSize: 3, gamma: 0.5)
        #expect(opt.learningRate == 0.1)
        var rates: [Double] = []
        for _ in 1...10 {
            try sched.step()
            rates.append(opt.learningRate)
        }
        let expected = (1...10).map { 0.1 * Foundation.pow(0.5, Double($0 / 3)) }
        expectClose([rates], [expected], tol: 1e-15)
        #expect(rates[1] == 0.1 && rates[2] == 0.05 && rates[8] == 0.0125)
        #expect(sched.lastEpoch == 10)
    }

    @Test func cosineAnnealingFollowsTheClosedForm() throws {
        let opt = try SGD([try parameter()], lr: 0.1)
        let sched = try CosineAnnealingLR(opt, tMax: 5, etaMin: 0.01)
        var rates = [opt.learningRate]
        for _ in 1...10 {
            try sched.step()
            rates.append(opt.learningRate)
        }
        // As PyTorch: the cosine continues past T_max, back to lr at 2·T_max.
        let expected = (0...10).map { 0.01 + (0.1 - 0.01) * (1 + Foundation.cos(Double.pi * Double($0) / 5)) / 2 }
        expectClose([rates], [expected], tol: 1e-14)
        #expect(Swift.abs(rates[5] - 0.01) < 1e-15)
        #expect(Swift.abs(rates[10] - 0.1) < 1e-15)
        // Halfway is the midpoint.
        let half = try SGD([try parameter()], lr: 1)
        let h = try CosineAnnealingLR(half, tMax: 4)
        try h.step()
        try h.step()
        #expect(Swift.abs(half.learningRate - 0.5) < 1e-15)
    }

    @Test func linearWarmupFollowsTheClosedForm() throws {
        let opt = try SGD([try parameter()], lr: 0.1)
        let sched = try LinearWarmup(opt, warmupSteps: 4, startFactor: 0.25)
        var rates = [opt.learningRate]
        for _ in 1...6 {
            try sched.step()
            rates.append(opt.learningRate)
        }
        let expected = (0...6).map { 0.1 * (0.25 + 0.75 * Double(Swift.min($0, 4)) / 4) }
        expectClose([rates], [expected], tol: 1e-15)
        #expect(Swift.abs(rates[0] - 0.025) < 1e-17 && rates[4] == 0.1 && rates[6] == 0.1)
    }

    @Test func schedulerRateIsWhatTheOptimizerUses() throws {
        let p = try parameter([1])
        let opt = try SGD([p], lr: 1)
        let sched = try StepLR(opt, stepSize: 1, gamma: 0.5)
        try sched.step()
        try setGrad(p, [1])
        try opt.step()
        #expect(try p.toDoubles() == [0.5])
        try sched.step()
        try setGrad(p, [1])
        try opt.step()
        #expect(try p.toDoubles() == [0.25])
    }

    // MARK: clipGradNorm

    @Test func clipGradNormScalesLargeGradientsAndReturnsThePreClipNorm() throws {
        let a = try parameter([0, 0]), b = try parameter([0]), c = try parameter([0])
        try setGrad(a, [3, 4])
        try setGrad(b, [12])
        // c has no gradient and is ignored.
        let norm = try clipGradNorm([a, b, c], maxNorm: 6.5)
        #expect(Swift.abs(try norm.item() - 13) < 1e-12)
        let scale = 6.5 / (13 + 1e-6)
        expectClose([try a.grad!.toDoubles() + b.grad!.toDoubles()], [[3 * scale, 4 * scale, 12 * scale]], tol: 1e-14)
        let after = (try a.grad!.toDoubles() + b.grad!.toDoubles()).map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(Swift.abs(after - 6.5) < 1e-6)
        #expect(c.grad == nil)
    }

    @Test func clipGradNormLeavesSmallGradientsAlone() throws {
        let a = try parameter([0, 0])
        try setGrad(a, [0.3, -0.4])
        let norm = try clipGradNorm([a], maxNorm: 1)
        #expect(Swift.abs(try norm.item() - 0.5) < 1e-15)
        #expect(try a.grad!.toDoubles() == [0.3, -0.4])
        // Float32 gradients too.
        let w = try Tensor.zeros([4]).requiresGrad()
        w.grad = try Tensor([1, 1, 1, 1], shape: [4])
        #expect(Swift.abs(try clipGradNorm([w], maxNorm: 1).item() - 2) < 1e-6)
        expectClose([try w.grad!.toDoubles()], [[0.5, 0.5, 0.5, 0.5]], tol: 1e-6)
        // No gradients at all: a zero norm.
        #expect(try clipGradNorm([try parameter()], maxNorm: 1).item() == 0)
    }

    // MARK: Optimizer state dicts

    @Test func stateDictRestoresLrStepAndStateBitForBit() throws {
        for make in [{ (p: Tensor) throws -> Optimizer in try Adam([p], lr: 0.02) },
                     { (p: Tensor) throws -> Optimizer in try SGD([p], lr: 0.1, momentum: 0.9, nesterov: true) },
                     { (p: Tensor) throws -> Optimizer in try RMSprop([p], lr: 0.01, momentum: 0.5) }] {
            let p = try parameter()
            let original = try make(p)
            let sched = try StepLR(original, stepSize: 1, gamma: 0.5)
            for g in Self.grads.prefix(2) {
                try setGrad(p, g)
                try original.step()
                try sched.step()
            }
            let saved = original.stateDict()
            #expect(saved["lr"] != nil && saved["step"] != nil)
            #expect(saved.keys.allSatisfy { $0 == "lr" || $0 == "step" || $0.hasPrefix("state.0.") })

            let q = try parameter(try p.toDoubles())
            let restored = try make(q)
            let fresh = try make(try parameter(try p.toDoubles()))
            try restored.loadStateDict(saved)
            #expect(restored.learningRate == original.learningRate)
            #expect(try restored.stepCount.item() == 2)
            #expect(Set(restored.state[0].keys) == Set(original.state[0].keys))

            // The next step is the same, bit for bit; a fresh optimizer's would differ.
            try setGrad(p, Self.grads[2])
            try setGrad(q, Self.grads[2])
            try setGrad(fresh.params[0], Self.grads[2])
            try original.step()
            try restored.step()
            try fresh.step()
            #expect(try q.toDoubles() == p.toDoubles(), "\(type(of: original))")
            #expect(try fresh.params[0].toDoubles() != p.toDoubles(), "\(type(of: original))")
            for (name, t) in original.state[0] {
                #expect(try restored.state[0][name]!.toDoubles() == t.toDoubles(), "\(name)")
                #expect(restored.state[0][name]! !== t)
            }
        }
    }

    @Test func optimizerLoadStateDictRejectsBadDicts() throws {
        let p = try parameter()
        let opt = try Adam([p])
        try setGrad(p, Self.grads[0])
        try opt.step()
        var dict = opt.stateDict()
        dict["lr"] = nil
        #expect(throws: TensorError.self) { try Adam([try parameter()]).loadStateDict(dict) }
        dict = opt.stateDict()
        dict["state.0.exp_avg"] = try Tensor.zeros([4], dtype: .float64)
        #expect(throws: TensorError.self) { try Adam([try parameter()]).loadStateDict(dict) }
        dict = opt.stateDict()
        dict["state.3.exp_avg"] = try Tensor.zeros([3], dtype: .float64)
        #expect(throws: TensorError.self) { try Adam([try parameter()]).loadStateDict(dict) }
    }

    // MARK: Validation

    @Test func invalidHyperParametersThrow() throws {
        let p = try parameter()
        #expect(throws: TensorError.self) { try SGD([p], lr: -0.1) }
        #expect(throws: TensorError.self) { try SGD([p], lr: 0.1, momentum: -0.5) }
        #expect(throws: TensorError.self) { try SGD([p], lr: 0.1, weightDecay: -1) }
        #expect(throws: TensorError.self) { try SGD([p], lr: 0.1, nesterov: true) }
        #expect(throws: TensorError.self) { try SGD([p], lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true) }
        #expect(throws: TensorError.self) { try SGD([], lr: 0.1) }
        #expect(throws: TensorError.self) { try SGD([try Tensor.zeros([2])], lr: 0.1) }
        #expect(throws: TensorError.self) { try Adam([p], lr: -1) }
        #expect(throws: TensorError.self) { try Adam([p], betas: (1.0, 0.999)) }
        #expect(throws: TensorError.self) { try Adam([p], betas: (0.9, -0.1)) }
        #expect(throws: TensorError.self) { try Adam([p], eps: -1e-8) }
        #expect(throws: TensorError.self) { try AdamW([p], betas: (0.9, 1.0)) }
        #expect(throws: TensorError.self) { try RMSprop([p], lr: -0.01) }
        let opt = try SGD([p], lr: 0.1)
        #expect(throws: TensorError.self) { try StepLR(opt, stepSize: 0) }
        #expect(throws: TensorError.self) { try CosineAnnealingLR(opt, tMax: 0) }
        #expect(throws: TensorError.self) { try LinearWarmup(opt, warmupSteps: 0) }
        #expect(throws: TensorError.self) { try LinearWarmup(opt, warmupSteps: 5, startFactor: 0) }
        #expect(throws: TensorError.self) { try LinearWarmup(opt, warmupSteps: 5, startFactor: 1.5) }
        #expect(opt.learningRate == 0.1)
    }
}
