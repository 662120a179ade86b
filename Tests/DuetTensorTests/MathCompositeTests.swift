import Foundation
import Testing
@testable import DuetTensor

/// The composites of MathAPI, MatrixAPI, LinalgAPI and Einsum against hand-computed values and PyTorch's
/// conventions (half-to-even rounding, lower median of ties excluded, zero gradients at the origin),
/// and their gradients against central differences.
@Suite struct MathCompositeTests {
    private func t(_ v: [Double], _ shape: [Int], _ dtype: DType = .float64) throws -> Tensor { try Tensor(v, shape: shape, dtype: dtype) }

    /// max |analytic - numeric| of d/dx sum(f(x) * w) for a fixed weight w.
    private func gradientError(_ x: Tensor, _ f: (Tensor) throws -> Tensor) throws -> Double {
        let probe = try f(x)
        let w = try Tensor((0..<probe.count).map { Double($0 % 5) - 1.7 }, shape: probe.shape, dtype: .float64)
        let leaf = try x.detach().requiresGrad()
        try (f(leaf) * w).sum().backward()
        let analytic = try leaf.grad?.toDoubles() ?? []
        let base = try x.toDoubles()
        var worst = 0.0
        for j in base.indices {
            func at(_ d: Double) throws -> Double {
                var v = base
                v[j] += d
                return try (f(try Tensor(v, shape: x.shape, dtype: .float64)) * w).sum().item()
            }
            let numeric = (try at(1e-6) - at(-1e-6)) / 2e-6
            worst = Swift.max(worst, Swift.abs(numeric - analytic[j]))
        }
        return worst
    }

    @Test func roundIsHalfToEvenAndKeepsIntegers() throws {
        #expect(try t([0.5, 1.5, 2.5, -0.5, -1.5, 2.675], [6]).round().toDoubles() == [0, 2, 2, -0.0, -2, 3])
        #expect(try t([1.25, 1.35, 1234], [3]).round(decimals: 1).toDoubles() == [1.2, 1.4, 1234])
        #expect(try t([1250, 1351], [2]).round(decimals: -2).toDoubles() == [1200, 1400])
        let ints = try t([3, -4], [2], .int64)
        for r in [try ints.round(), try ints.floor(), try ints.ceil(), try ints.trunc()] {
            #expect(r.dtype == .int64)
            #expect(try r.toDoubles() == [3, -4])
        }
        #expect(try ints.sin().dtype == .float32)
        #expect(try ints.reciprocal().toDoubles() == [1.0 / 3, -0.25].map { Double(Float($0)) })
        #expect(throws: TensorError.self) { try ints.frac() }
    }

    @Test func scansAndProducts() throws {
        let x = try t([1, 2, 3, 4, 5, 6], [2, 3])
        #expect(try x.cumsum(dim: 1).toDoubles() == [1, 3, 6, 4, 9, 15])
        #expect(try x.cumprod(dim: 0).toDoubles() == [1, 2, 3, 4, 10, 18])
        #expect(try x.prod().item() == 720)
        #expect(try x.prod(dim: 1, keepdim: true).shape == [2, 1])
        #expect(try Tensor.zeros([2, 0]).prod(dim: 1).toDoubles() == [1, 1])
        #expect(try t([1, 0, 1], [3], .bool).cumsum(dim: 0).dtype == .int64)
        #expect(try gradientError(x) { try $0.cumsum(dim: 1) } < 1e-6)
        #expect(try gradientError(x) { try $0.prod(dim: 0) } < 1e-6)
        #expect(try t([1, 4, 9, 16], [4], .int64).diff().toDoubles() == [3, 5, 7])
        #expect(try t([1, 4, 9, 16], [4]).diff(n: 2, prepend: try t([0], [1])).toDoubles() == [2, 2, 2])
        #expect(try t([1, 4], [2]).diff(n: 5).shape == [0])
    }

    @Test func medianIsTheLowerOneAndNaNWins() throws {
        let x = try t([3, 1, 4, 1, 5, 9, 2, 6], [2, 4])
        let r = try x.median(dim: 1)
        #expect(try r.values.toDoubles() == [1, 5])
        // Ties resolve as PyTorch's do: the middle of a stable sort (torch gives [3, 0] here).
        #expect(try r.indices.toDoubles() == [3, 0])
        #expect(try t([2, 1, 2, 1, 2, 1], [6]).median(dim: 0).indices.item() == 5)
        #expect(try x.median().item() == 3)
        #expect(try t([2, .nan, 1], [3]).median(dim: 0).indices.item() == 1)
        #expect(try x.median(dim: 0, keepdim: true).values.shape == [1, 4])
        #expect(try gradientError(try t([0.3, -1, 2, 0.7, 5, -3], [3, 2])) { try $0.median(dim: 0).values } < 1e-6)
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 0]).median(dim: 1) }
        #expect(try Tensor.zeros([0]).median().item().isNaN)
    }

    @Test func logsumexpIsStableAndItsGradientIsSoftmax() throws {
        let x = try t([1, 2, 3, 1000, 1000, 1000, -.infinity, -.infinity, -.infinity], [3, 3])
        let y = try x.logsumexp(dims: [1]).toDoubles()
        #expect(Swift.abs(y[0] - 3.40760596444438) < 1e-12 && Swift.abs(y[1] - (1000 + Foundation.log(3))) < 1e-9 && y[2] == -.infinity)
        #expect(try gradientError(try t([0.1, -2, 3, 0.5], [2, 2])) { try $0.logsumexp(dims: [0]) } < 1e-6)
        #expect(try Tensor.zeros([0]).logsumexp(dims: [0]).item() == -.infinity)
        #expect(try t([1, .nan, 2], [3]).nansum().item() == 3)
        #expect(try t([0, 1, 0, 2], [2, 2]).countNonzero(dims: [0]).toDoubles() == [0, 2])
    }

    @Test func trianglesDiagonalsAndTrace() throws {
        let m = try Tensor.arange(9, dtype: .float64).reshape([3, 3])
        #expect(try m.tril().toDoubles() == [0, 0, 0, 3, 4, 0, 6, 7, 8])
        #expect(try m.triu(diagonal: 1).toDoubles() == [0, 1, 2, 0, 0, 5, 0, 0, 0])
        #expect(try m.diag(diagonal: 1).toDoubles() == [1, 5])
        #expect(try m.diag(diagonal: -2).toDoubles() == [6])
        #expect(try m.diag(diagonal: 5).shape == [0])
        #expect(try t([1, 2], [2]).diag(diagonal: -1).toDoubles() == [0, 0, 0, 1, 0, 0, 0, 2, 0])
        #expect(try m.trace().item() == 12)
        #expect(try Tensor.arange(6, dtype: .int64).reshape([2, 3]).trace().dtype == .int64)
        #expect(try gradientError(m) { try $0.triu(diagonal: -1).diag(diagonal: -1) } < 1e-6)
        #expect(try gradientError(try t([1, 2], [2])) { try $0.diag(diagonal: 1) } < 1e-6)
        #expect(throws: TensorError.self) { try Tensor.zeros([2]).trace() }
    }

    @Test func flipsRollsAndProducts() throws {
        let m = try Tensor.arange(6, dtype: .float64).reshape([2, 3])
        #expect(try m.flip(dims: [0, 1]).toDoubles() == [5, 4, 3, 2, 1, 0])
        #expect(try m.roll(shifts: [-1], dims: [1]).toDoubles() == [1, 2, 0, 4, 5, 3])
        #expect(try m.roll(shifts: [2]).toDoubles() == [4, 5, 0, 1, 2, 3])
        #expect(try gradientError(m) { try $0.flip(dims: [1]).roll(shifts: [1], dims: [0]) } < 1e-6)
        #expect(throws: TensorError.self) { try m.flip(dims: [1, -1]) }
        let u = try t([1, 2, 3], [3]), v = try t([4, -5, 6], [3])
        #expect(try u.dot(v).item() == 12)
        #expect(try u.outer(v).shape == [3, 3])
        #expect(throws: TensorError.self) { try u.dot(try t([1, 2, 3], [3], .float32)) }
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]).bmm(try Tensor.zeros([2, 3])) }
    }

    @Test func normsAndDistancesHaveZeroGradientAtTheOrigin() throws {
        let x = try t([0, 0, 3, 4], [2, 2])
        #expect(try x.vectorNorm(dims: [1]).toDoubles() == [0, 5])
        #expect(try x.vectorNorm(.infinity).item() == 4 && (try x.vectorNorm(0).item()) == 2 && (try x.vectorNorm(1).item()) == 7)
        let leaf = try x.requiresGrad()
        try leaf.vectorNorm(dims: [1]).sum().backward()
        #expect(zip(try leaf.grad?.toDoubles() ?? [], [0, 0, 0.6, 0.8]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        let pts = try t([0, 0, 1, 1, 3, 4], [3, 2])
        let d = try pts.cdist(pts)
        #expect(try d.toDoubles()[2] == 5 && (try d.toDoubles()[0]) == 0)
        let g = try pts.requiresGrad()
        try g.cdist(g).sum().backward()
        #expect(try g.grad?.toDoubles().allSatisfy(\.isFinite) == true)
        #expect(try gradientError(try t([0.3, 1, -2, 0.5], [2, 2])) { try $0.cdist(try t([1, 1, 0, 2, 3, -1], [3, 2]), p: 3) } < 1e-5)
    }

    @Test func einsumForms() throws {
        let a = try Tensor.arange(6, dtype: .float64).reshape([2, 3]), b = try Tensor.arange(12, dtype: .float64).reshape([3, 4])
        #expect(try Tensor.einsum("ij,jk->ik", [a, b]).toDoubles() == (try a.matmul(b).toDoubles()))
        #expect(try Tensor.einsum("ij,jk", [a, b]).shape == [2, 4])
        #expect(try Tensor.einsum("ij->ji", [a]).toDoubles() == (try a.T.contiguous().toDoubles()))
        #expect(try Tensor.einsum("ji", [a]).shape == [3, 2])
        let sq = try Tensor.arange(9, dtype: .float64).reshape([3, 3])
        #expect(try Tensor.einsum("ii", [sq]).item() == 12)
        #expect(try Tensor.einsum("ii->i", [sq]).toDoubles() == [0, 4, 8])
        #expect(try Tensor.einsum("i,j->ij", [try t([1, 2], [2]), try t([3, 4], [2])]).toDoubles() == [3, 4, 6, 8])
        #expect(try Tensor.einsum("bij->b", [try Tensor.ones([2, 3, 4], dtype: .float64)]).toDoubles() == [12, 12])
        let x = try Tensor.ones([2, 3, 4], dtype: .float64), y = try Tensor.ones([2, 4, 5], dtype: .float64)
        #expect(try Tensor.einsum("bij,bjk->bik", [x, y]).shape == [2, 3, 5])
        #expect(try Tensor.einsum("ij,ij->", [a, a]).item() == 55)
        #expect(try Tensor.einsum("ij,jk,kl->il", [a, b, try Tensor.ones([4, 2], dtype: .float64)]).shape == [2, 2])
        #expect(try gradientError(a) { try Tensor.einsum("ij,jk->ki", [$0, b]) } < 1e-6)
        #expect(try gradientError(sq) { try Tensor.einsum("ii,ij->j", [$0, $0]) } < 1e-5)
        #expect(throws: TensorError.self) { try Tensor.einsum("...ij->ij", [a]) }
        #expect(throws: TensorError.self) { try Tensor.einsum("ij,jk->ik", [a, a]) }
        #expect(throws: TensorError.self) { try Tensor.einsum("ij->iij", [a]) }
        #expect(throws: TensorError.self) { try Tensor.einsum("ijk->i", [a]) }
        #expect(throws: TensorError.self) { try Tensor.einsum("ij->k", [a]) }
        #expect(try Tensor.einsum("ij,jk->ik", [try Tensor.zeros([2, 0], dtype: .float64), try Tensor.zeros([0, 3], dtype: .float64)]).toDoubles() == [0, 0, 0, 0, 0, 0])
    }

    /// Gauss–Jordan with pivoting: a zero leading entry needs a row swap (det flips sign), batched
    /// inverses multiply back to the identity, and gradients match central differences.
    @Test func inverseDeterminantAndSolve() throws {
        let swap = try t([0, 2, 3, 1], [2, 2])
        #expect(try swap.det().item() == -6)
        #expect(try swap.inverse().toDoubles() == [-1.0 / 6, 1.0 / 3, 0.5, 0])
        // det of a 3×3 by its cofactor expansion.
        let m = try t([2, -1, 0.5, 1, 3, -2, 0.25, 4, 1], [3, 3])
        let v = try m.toDoubles()
        let cofactor = v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6])
        #expect(Swift.abs(try m.det().item() - cofactor) < 1e-12)
        let batch = try Tensor.stack([m, try m.mT, try m * 2], dim: 0)
        let identity = try batch.matmul(batch.inverse())
        let eye = try Tensor.eye(3, dtype: .float64).expand([3, 3, 3])
        #expect(try (identity - eye).abs().amax().item() < 1e-12)
        #expect(try batch.det().toDoubles().enumerated().allSatisfy { i, d in Swift.abs(d - cofactor * [1, 1, 8][i]) < 1e-10 })
        let rhs = try t([1, 2, 3], [3])
        #expect(try (m.matmul(m.linalgSolve(rhs).unsqueeze(-1)).squeeze(dim: -1) - rhs).abs().amax().item() < 1e-12)
        #expect(try t([1, 2, 2, 4], [2, 2]).det().item() == 0)
        #expect(throws: TensorError.linalg("linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.")) {
            try t([1, 2, 2, 4], [2, 2]).inverse()
        }
        #expect(throws: TensorError.self) { try t([1, 2, 3], [1, 3]).det() }
        #expect(throws: TensorError.self) { try Tensor.ones([2, 2], dtype: .int64).inverse() }
        #expect(try gradientError(m) { try $0.inverse() } < 1e-6)
        #expect(try gradientError(m) { try $0.det() } < 1e-6)
        #expect(try gradientError(m) { try $0.linalgSolve(rhs) } < 1e-6)
    }
}
