import Foundation
import Testing
@testable import DuetTensor

/// The eager tape: backward, gradient accumulation, detach and no-grad, higher-order gradients,
/// broadcasting reductions, and the version-counter checks that refuse stale saved tensors.
/// Tests are synchronous so the thread-local tape stays on one thread.
@Suite struct AutogradTests {
    private func leaf(_ v: [Double], shape: [Int]? = nil, dtype: DType = .float32) throws -> Tensor {
        try Tensor(v, shape: shape ?? [v.count], dtype: dtype).requiresGrad()
    }

    private func close(_ a: [Double], _ b: [Double], tol: Double = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tol * Swift.max(1, Swift.abs($1)) }
    }

    private func gradValues(_ t: Tensor) throws -> [Double] { try #require(t.grad).toDoubles() }

    // MARK: - backward

    @Test func backwardOnAScalar() throws {
        let x = try leaf([1, -2, 3])
        let y = try (x * x).sum() // dy/dx = 2x
        try y.backward()
        #expect(try gradValues(x) == [2, -4, 6])
        #expect(x.grad?.shape == [3])
        #expect(x.grad?.dtype == .float32)
        #expect(x.grad?.requiresGrad == false)
    }

    @Test func backwardWithAnExplicitGradient() throws {
        let x = try leaf([1, 2, 3])
        let y = try x * x
        try y.backward(Tensor([1, 0.5, -2]))
        #expect(try gradValues(x) == [2, 2, -12])
    }

    @Test func gradAccumulatesAndZeroGradClears() throws {
        let x = try leaf([1, 2])
        let y = try (x * x * 3).sum() // dy/dx = 6x
        try y.backward(retainGraph: true)
        #expect(try gradValues(x) == [6, 12])
        try y.backward()
        #expect(try gradValues(x) == [12, 24])
        x.zeroGrad()
        #expect(x.grad == nil)
        try (x * 5).sum().backward()
        #expect(try gradValues(x) == [5, 5])
    }

    @Test func secondBackwardWithoutRetainGraphThrows() throws {
        let x = try leaf([1, 2])
        let y = try (x * x).sum()
        try y.backward()
        #expect(throws: TensorError.autograd("mul: trying to backward through the graph a second time; pass retain_graph=True to the first backward")) {
            try y.backward()
        }
    }

    // MARK: - detach and no_grad

    @Test func detachStopsGradient() throws {
        let x = try leaf([1, 2, 3])
        let y = try x * 2
        let d = y.detach()
        #expect(!d.requiresGrad)
        #expect(d.gradFn == nil)
        #expect(d.storage === y.storage)
        try (d * x).sum().backward() // d is a constant 2x: the gradient is d, not 4x
        #expect(try gradValues(x) == [2, 4, 6])
    }

    @Test func noGradRecordsNothing() throws {
        let tape = EngineContext.current.tape
        tape.reset()
        let x = try leaf([1, 2])
        let y = try withNoGrad { try (x * 2 + 1).exp().sum() }
        #expect(!y.requiresGrad)
        #expect(y.gradFn == nil)
        #expect(tape.records.isEmpty)
        #expect(EngineContext.current.gradEnabled)
        let z = try x * 2
        #expect(z.requiresGrad)
        #expect(tape.records.map(\.op) == ["mul"])
    }

    // MARK: - Higher-order gradients

    @Test func secondDerivativeOfCube() throws {
        let x = try leaf([0.5, -1, 2], dtype: .float64)
        let y = try (x * x * x).sum()
        let g = try #require(try grad([y], [x], createGraph: true)[0])
        #expect(g.requiresGrad)
        #expect(close(try g.toDoubles(), [0.75, 3, 12]))   // 3x²
        let g2 = try #require(try grad([g.sum()], [x])[0])
        #expect(close(try g2.toDoubles(), [3, -6, 12]))    // 6x
        #expect(x.grad == nil)                             // grad() does not touch .grad
    }

    @Test func secondDerivativeOfPow() throws {
        let x = try leaf([0.5, -1, 3], dtype: .float64)
        let g = try #require(try grad([x.pow(3).sum()], [x], createGraph: true)[0])
        let g2 = try #require(try grad([g.sum()], [x])[0])
        #expect(close(try g2.toDoubles(), [3, -6, 18]))
    }

    @Test func secondDerivativeOfTanh() throws {
        let xs: [Double] = [-1.5, 0, 0.3, 2]
        let x = try leaf(xs, dtype: .float64)
        let g = try #require(try grad([x.tanh().sum()], [x], createGraph: true)[0])
        let g2 = try #require(try grad([g.sum()], [x])[0])
        let t = xs.map { Foundation.tanh($0) }
        #expect(close(try g.toDoubles(), t.map { 1 - $0 * $0 }, tol: 1e-12))
        #expect(close(try g2.toDoubles(), t.map { -2 * $0 * (1 - $0 * $0) }, tol: 1e-12))
    }

    @Test func secondDerivativeOfExp() throws {
        let xs: [Double] = [-1, 0, 1.5]
        let x = try leaf(xs, dtype: .float64)
        let g = try #require(try grad([x.exp().sum()], [x], createGraph: true)[0])
        let g2 = try #require(try grad([g.sum()], [x])[0])
        #expect(close(try g2.toDoubles(), xs.map { Foundation.exp($0) }, tol: 1e-12))
    }

    // MARK: - Broadcasting

    @Test func broadcastAddReducesGradientToEachShape() throws {
        let a = try leaf([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try leaf([10, 20, 30])
        try (a + b).sum().backward()
        #expect(a.grad?.shape == [2, 3])
        #expect(try gradValues(a) == [1, 1, 1, 1, 1, 1])
        #expect(b.grad?.shape == [3])
        #expect(try gradValues(b) == [2, 2, 2])
    }

    @Test func broadcastOfTwoSizeOneDims() throws {
        let a = try leaf([1, 2], shape: [2, 1])
        let b = try leaf([1, 2, 3], shape: [1, 3])
        let w = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        try ((a + b) * w).sum().backward()
        #expect(a.grad?.shape == [2, 1])
        #expect(try gradValues(a) == [6, 15])     // row sums of w
        #expect(b.grad?.shape == [1, 3])
        #expect(try gradValues(b) == [5, 7, 9])   // column sums of w
    }

    // MARK: - In-place operations

    @Test func backwardThroughAModifiedSavedOutputThrows() throws {
        let x = try leaf([0, 1, 2])
        let y = try x.exp() // exp saves its output
        try y.add_(1)
        do {
            try y.sum().backward()
            Issue.record("backward should refuse a saved tensor modified in place")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("exp"))
            #expect(message.contains("modified by an in-place operation"))
            #expect(message == "exp: a tensor needed for gradient computation (output 0, shape [3]) was modified by an in-place operation: it is at version 1, expected version 0")
        }
    }

    @Test func backwardThroughAModifiedSavedInputThrows() throws {
        let x = try leaf([1, 2])
        let a = try x * 1
        let b = try a * a // mul saves its inputs
        try a.add_(1)
        #expect(throws: TensorError.self) { try b.sum().backward() }
    }

    @Test func inPlaceOnALeafThatRequiresGradThrows() throws {
        let x = try leaf([1, 2])
        #expect(throws: TensorError.autograd("add_: a leaf tensor that requires grad is used in an in-place operation; wrap it in no_grad() or use the out-of-place add")) {
            try x.add_(1)
        }
        #expect(try x.toDoubles() == [1, 2])
        _ = try withNoGrad { try x.add_(1) } // what an optimizer step does
        #expect(try x.toDoubles() == [2, 3])
        #expect(x.version == 1)
        #expect(x.isLeaf)
    }

    @Test func inPlaceSquareOfANonLeafMatchesOutOfPlace() throws {
        let x = try leaf([1, -2, 3])
        let y = try x * 2
        try y.mul_(y) // (2x)², d/dx = 8x
        #expect(try y.toDoubles() == [4, 16, 36])
        try y.sum().backward()

        let x2 = try leaf([1, -2, 3])
        let y2 = try x2 * 2
        try (y2 * y2).sum().backward()
        #expect(try gradValues(x) == gradValues(x2))
        #expect(try gradValues(x) == [8, -16, 24])
    }

    @Test func inPlaceMulByAnotherTensorMatchesOutOfPlace() throws {
        let x = try leaf([1, -2, 3])
        let y = try x * x
        try y.mul_(x) // x³, d/dx = 3x²
        try y.sum().backward()
        #expect(try gradValues(x) == [3, 12, 27])
    }

    @Test func inPlaceAddOfANonLeafRoutesBothGradients() throws {
        let x = try leaf([1, 2])
        let z = try leaf([5, 6])
        let y = try x * 2
        try y.add_(z * z)
        #expect(y.gradFn?.name == "add")
        try (y * 3).sum().backward()
        #expect(try gradValues(x) == [6, 6])
        #expect(try gradValues(z) == [30, 36]) // 3 · 2z
    }

    // MARK: - requires_grad and the tape log

    @Test func requiresGradRejectsIntegersAndNonLeaves() throws {
        let i = try Tensor([1, 2], shape: [2], dtype: .int64)
        #expect(throws: TensorError.dtype("only floating-point tensors can require gradients (got int64)")) {
            try i.requiresGrad()
        }
        #expect(!i.requiresGrad)
        let y = try leaf([1]) * 2
        #expect(throws: TensorError.self) { try y.requiresGrad(false) }
    }

    @Test func tapeLogRecordsOpsAndWhichInputsNeedGrad() throws {
        let tape = EngineContext.current.tape
        tape.reset()
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let w = try leaf([Double](repeating: 0.1, count: 12), shape: [3, 4])
        let b = try leaf([0, 0, 0, 0])
        let loss = try (x.matmul(w) + b).relu().view([8]).sum()
        #expect(tape.records.map(\.op) == ["matmul", "add", "relu", "view", "sum"])
        #expect(tape.records.map(\.inputNeedsGrad) == [[false, true], [true, true], [true], [true], [true]])
        #expect(tape.records.map(\.index) == [1, 2, 3, 4, 5])
        #expect(tape.records[0].inputShapes == [[2, 3], [3, 4]])
        #expect(tape.records[0].outputShapes == [[2, 4]])
        #expect(tape.records[1].inputShapes == [[2, 4], [4]])
        #expect(tape.records[0].savedBytes == (6 + 12) * 4) // matmul saves both inputs
        #expect(tape.records[2].savedBytes == 8 * 4)        // relu saves its output
        #expect(tape.records[3].savedBytes == 0)            // a view saves nothing

        try loss.backward()
        #expect(tape.records.count == 5) // backward without create_graph records nothing
        #expect(try gradValues(b) == [2, 2, 2, 2])
        #expect(close(try gradValues(w), [5, 5, 5, 5, 7, 7, 7, 7, 9, 9, 9, 9])) // column sums of x, per output
    }

    /// Writes through views into tensors that need gradients are refused with a clear message
    /// rather than silently producing wrong gradients (PyTorch rewrites history; we do not yet).
    @Test func inPlaceThroughAViewOfATensorThatRequiresGradIsRefused() throws {
        let x = try leaf([1, 2, 3])
        #expect(throws: TensorError.autograd("add_: a view of a leaf tensor that requires grad is used in an in-place operation; wrap it in no_grad() or use out-of-place ops")) {
            try x.slice(dim: 0, start: 0, end: 1).add_(10)
        }
        #expect(try x.toDoubles() == [1, 2, 3])
        let y = try x * 1
        #expect(throws: TensorError.self) { try y.slice(dim: 0, start: 0, end: 1).mul_(2) }
        _ = try withNoGrad { try x.slice(dim: 0, start: 0, end: 1).add_(10) }
        #expect(try x.toDoubles() == [11, 2, 3])
    }

    @Test func inPlaceIntoAnExpandedViewIsRefused() throws {
        let b = try Tensor([1, 2, 3], shape: [3, 1])
        #expect(throws: TensorError.self) { try b.expand([3, 4]).add_(1) }
        #expect(try b.toDoubles() == [1, 2, 3])
    }
}
