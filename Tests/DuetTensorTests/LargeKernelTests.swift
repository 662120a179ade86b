import Foundation
import Testing
@testable import DuetTensor

/// The registry walk uses small shapes; these run the fast kernels on sizes that cross the SIMD
/// widths and the thread-pool threshold (contiguous, broadcast and strided paths), comparing
/// against plain Double arithmetic on the same values.
@Suite struct LargeKernelTests {
    static let sizes = [StridedLoop.parallelThreshold - 1, StridedLoop.parallelThreshold, StridedLoop.parallelThreshold + 17, 100_003]

    func values(_ n: Int, seed: Double) -> [Double] {
        (0..<n).map { Foundation.sin(Double($0) * 0.37 + seed) * 3 }
    }

    @Test(arguments: sizes)
    func binaryAndUnaryContiguous(n: Int) throws {
        let a = values(n, seed: 1), b = values(n, seed: 2)
        let x = try Tensor(a, shape: [n]), y = try Tensor(b, shape: [n])
        let sum = try (x + y).toDoubles(), product = try (x * y).toDoubles()
        let e = try x.exp().toDoubles(), t = try x.tanh().toDoubles()
        for i in 0..<n {
            let fa = Double(Float(a[i])), fb = Double(Float(b[i]))
            #expect(Swift.abs(sum[i] - (fa + fb)) <= 1e-5)
            #expect(Swift.abs(product[i] - fa * fb) <= 1e-4)
            #expect(Swift.abs(e[i] - Foundation.exp(fa)) <= 1e-6 * Foundation.exp(fa) + 1e-7)
            #expect(Swift.abs(t[i] - Foundation.tanh(fa)) <= 1e-6)
        }
    }

    @Test(arguments: sizes)
    func broadcastAndStridedPaths(n: Int) throws {
        let cols = 7
        let rows = n / cols + 1
        let base = values(rows * cols, seed: 3), bias = values(cols, seed: 4)
        let m = try Tensor(base, shape: [rows, cols])
        let v = try Tensor(bias, shape: [cols])
        let broadcast = try (m + v).toDoubles()
        let transposed = try m.T.contiguous().toDoubles()
        let scaled = try (m.T * 2.0).toDoubles()
        for r in 0..<rows {
            for c in 0..<cols {
                let value = Double(Float(base[r * cols + c]))
                #expect(Swift.abs(broadcast[r * cols + c] - (value + Double(Float(bias[c])))) <= 1e-5)
                #expect(transposed[c * rows + r] == value)
                #expect(scaled[c * rows + r] == value * 2)
            }
        }
    }

    @Test(arguments: sizes)
    func reductionsAndSoftmax(n: Int) throws {
        let a = values(n, seed: 5)
        let x = try Tensor(a, shape: [n])
        let floats = a.map { Double(Float($0)) }
        let total = floats.reduce(0, +)
        let sum = try x.sum().item(), maximum = try x.amax().item(), argmin = try Int(x.argmin().item())
        let probabilityMass = try x.softmax(dim: 0).sum().item()
        let expectedMax: Double = floats.max() ?? 0
        let expectedArgmin: Int = floats.firstIndex(of: floats.min() ?? 0) ?? -1
        #expect(Swift.abs(sum - total) <= 1e-3 * Swift.max(1, Swift.abs(total)) + 1e-2)
        #expect(maximum == expectedMax)
        #expect(argmin == expectedArgmin)
        #expect(Swift.abs(probabilityMass - 1) <= 1e-3)
    }
}
