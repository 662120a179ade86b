import DuetTensor

/// A few timed 256³ sgemm calls: shows at a glance that GEMM runs at BLAS speed.
/// A quick check, not a benchmark (that is `duet bench sgemm1024`).
enum GEMMQuickCheck {
    static let size = 256
    static let repetitions = 20

    /// The report line, e.g. "108.8 GFLOP/s for 256×256×256 sgemm (…)", and a
    /// warning when sgemm failed or computed a wrong product.
    static func run() -> (summary: String, problem: String?) {
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
                if repetition >= 3 { seconds.append(inSeconds(elapsed)) }
            }
        } catch {
            return ("failed", "The quick sgemm check failed: \(error)")
        }
        guard resultIsRight(a: a, b: b, c: c, n: n) else {
            return ("wrong result", "sgemm disagrees with plain dot products: the OpenBLAS install is broken. "
                + "Fix: apt-get install --reinstall libopenblas0-pthread.")
        }
        let median = seconds.sorted()[seconds.count / 2]
        let gflops = 2 * Double(n * n * n) / median / 1e9
        let summary =
            "\(rounded(gflops)) GFLOP/s for \(n)×\(n)×\(n) sgemm "
            + "(median of \(repetitions) after warm-up; a quick check, not a benchmark)"
        return (summary, nil)
    }

    /// Spot-checks the diagonal against plain dot products.
    private static func resultIsRight(a: [Float], b: [Float], c: [Float], n: Int) -> Bool {
        stride(from: 0, to: n, by: 17).allSatisfy { i in
            let expected = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * b[$1 * n + i] }
            return abs(c[i * n + i] - expected) <= 1e-3 * max(1, abs(expected))
        }
    }

    private static func inSeconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
