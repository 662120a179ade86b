import DuetTensor

/// A few timed 256³ sgemm calls: shows at a glance that GEMM runs at BLAS speed.
/// A quick check, not a benchmark (that is `duet bench sgemm1024`).
enum GEMMQuickCheck {
    static let size = 256
    static let repetitions = 20

    /// "118.4 GFLOP/s for 256×256×256 sgemm (median of 20 after warm-up; a quick check, not a benchmark)".
    static func run() -> String {
        let n = size
        let a = (0..<n * n).map { Float(($0 * 7) % 13) / 13 - 0.5 }
        let b = (0..<n * n).map { Float(($0 * 5) % 11) / 11 - 0.5 }
        var c = [Float](repeating: 0, count: n * n)
        let clock = ContinuousClock()
        var seconds: [Double] = []
        do {
            for repetition in 0..<(repetitions + 3) {
                let elapsed = try clock.measure {
                    try BLAS.sgemm(
                        transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n,
                        beta: 0, c: &c, ldc: n)
                }
                if repetition >= 3 { seconds.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)) }
            }
        } catch {
            return "failed: \(error)"
        }
        guard resultIsRight(a: a, b: b, c: c, n: n) else { return "WRONG RESULT: sgemm disagrees with a dot product" }
        let median = seconds.sorted()[seconds.count / 2]
        let gflops = 2 * Double(n * n * n) / median / 1e9
        return "\(rounded(gflops)) GFLOP/s for \(n)×\(n)×\(n) sgemm "
            + "(median of \(repetitions) after warm-up; a quick check, not a benchmark)"
    }

    /// Spot-checks the diagonal against plain dot products.
    private static func resultIsRight(a: [Float], b: [Float], c: [Float], n: Int) -> Bool {
        stride(from: 0, to: n, by: 17).allSatisfy { i in
            let expected = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * b[$1 * n + i] }
            return abs(c[i * n + i] - expected) <= 1e-3 * max(1, abs(expected))
        }
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
