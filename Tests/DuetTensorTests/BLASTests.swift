import Testing

@testable import DuetTensor

/// GEMM against a naive triple loop, and the choice of OpenBLAS's kernels.
///
/// Tolerance: the textbook bound for a k-term dot product,
/// |C − C_ref| ≤ (k + 2)·ε·(Σ|alpha·a·b| + |beta·c|) + ε, with ε the type's epsilon
/// (twice the unit roundoff, so already 2× slack) and C_ref computed in Double.
@Suite struct BLASTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let m: Int, n: Int, k: Int, transA: Bool, transB: Bool, alpha: Double, beta: Double, pad: Int
        var testDescription: String {
            "\(m)×\(n)×\(k) \(transA ? "Aᵀ" : "A")\(transB ? "Bᵀ" : "B") α=\(alpha) β=\(beta) pad=\(pad)"
        }
    }

    static let shapes = [(1, 1, 1), (7, 13, 5), (33, 65, 17), (129, 3, 257), (4, 6, 0)]
    static let cases: [Case] = shapes.flatMap { shape in
        [(false, false), (true, false), (false, true), (true, true)].enumerated().map { index, trans in
            let scalars = [(1.0, 0.0), (-0.75, 1.0), (1.5, -0.5), (0.25, 2.0)][index]
            return Case(
                m: shape.0, n: shape.1, k: shape.2, transA: trans.0, transB: trans.1,
                alpha: scalars.0, beta: scalars.1, pad: index % 2 == 0 ? 0 : 3)
        }
    }

    @Test(arguments: cases) func sgemmMatchesNaive(_ c: Case) throws {
        try checkGEMM(c, as: Float.self) { a, b, out in
            try BLAS.sgemm(
                transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: Float(c.alpha), a: a.base,
                lda: a.ld, b: b.base, ldb: b.ld, beta: Float(c.beta), c: out.base, ldc: out.ld)
        }
    }

    @Test(arguments: cases) func dgemmMatchesNaive(_ c: Case) throws {
        try checkGEMM(c, as: Double.self) { a, b, out in
            try BLAS.dgemm(
                transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: c.alpha, a: a.base,
                lda: a.ld, b: b.base, ldb: b.ld, beta: c.beta, c: out.base, ldc: out.ld)
        }
    }

    @Test func kZeroWithBetaZeroClearsC() throws {
        var c = [Float](repeating: .nan, count: 6)
        let empty = [Float](repeating: 0, count: 1)
        try BLAS.sgemm(
            transA: false, transB: false, m: 2, n: 3, k: 0, alpha: 1, a: empty, lda: 0, b: empty, ldb: 3,
            beta: 0, c: &c, ldc: 3)
        #expect(c == [Float](repeating: 0, count: 6))
    }

    @Test func emptyOutputIsANoOp() throws {
        var c: [Double] = [7]
        let a: [Double] = [1, 2, 3]
        try BLAS.dgemm(
            transA: false, transB: false, m: 0, n: 1, k: 3, alpha: 1, a: a, lda: 3, b: a, ldb: 1, beta: 0, c: &c,
            ldc: 1)
        #expect(c == [7])
    }

    @Test func badArgumentsThrowInsteadOfCallingBLAS() {
        var c = [Float](repeating: 0, count: 4)
        let a = [Float](repeating: 1, count: 4)
        #expect(throws: BLASError.self) {
            try BLAS.sgemm(
                transA: false, transB: false, m: -1, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: a, ldb: 2, beta: 0,
                c: &c, ldc: 2)
        }
        #expect(throws: BLASError.self) {
            try BLAS.sgemm(
                transA: false, transB: false, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 1, b: a, ldb: 2, beta: 0,
                c: &c, ldc: 2)
        }
    }

    @Test func concurrentCallersGetCorrectResults() async throws {
        let n = 96
        let a = GEMMOperand<Float>(rows: n, columns: n, pad: 0, seed: 11)
        let b = GEMMOperand<Float>(rows: n, columns: n, pad: 0, seed: 12)
        let expected = try squareSGEMM(a.values, b.values, n: n)
        try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<4 { group.addTask { try squareSGEMM(a.values, b.values, n: n) } }
            for try await result in group { #expect(result == expected) }
        }
    }

    @Test func coreTypeIsNotPrescottWhenTheCPUHasAVX2() throws {
        let info = try BLAS.info()
        #expect(!info.config.isEmpty)
        #expect(!info.libraryPath.isEmpty)
        #expect(info.threads >= 1)
        if BLAS.HostCPU.current.hasAVX2FMA {
            #expect(info.coreType.lowercased() != "prescott")
            let level = try #require(BLAS.CoreType.level(ofCoreType: info.coreType))
            #expect(level >= .avx2, "core type \(info.coreType), chosen: \(info.coreTypeSource)")
            #expect(BLAS.weakCoreWarning() == nil)
        }
    }

    @Test func bestCoreTypeFollowsCPUID() {
        let avx2 = ["sse4.2", "avx", "avx2", "fma"]
        let avx512 = avx2 + ["avx512f", "avx512bw", "avx512vl", "avx512dq"]
        #expect(BLAS.CoreType.best(for: cpu(.intel, avx512 + ["avx512bf16"]))?.name == "Cooperlake")
        #expect(BLAS.CoreType.best(for: cpu(.intel, avx512))?.name == "SkylakeX")
        #expect(BLAS.CoreType.best(for: cpu(.amd, avx512))?.name == "SkylakeX")
        #expect(BLAS.CoreType.best(for: cpu(.intel, avx2))?.name == "Haswell")
        #expect(BLAS.CoreType.best(for: cpu(.amd, avx2))?.name == "Zen")
        #expect(BLAS.CoreType.best(for: cpu(.intel, ["sse4.2", "avx"])) == nil)
        #expect(BLAS.CoreType.best(for: cpu(.intel, ["avx512f", "avx2", "fma"]))?.name == "Haswell")
    }

    @Test func weakCoreWarningNamesTheFix() throws {
        let xeon = cpu(.intel, ["sse4.2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"])
        let warning = try #require(BLAS.CoreType.weakCoreWarning(coreType: "Prescott", cpu: xeon, userSetCoreType: false))
        #expect(warning.contains("Prescott") && warning.contains("OPENBLAS_CORETYPE=SkylakeX"))
        #expect(BLAS.CoreType.weakCoreWarning(coreType: "Haswell", cpu: xeon, userSetCoreType: true) != nil)
        #expect(BLAS.CoreType.weakCoreWarning(coreType: "SkylakeX", cpu: xeon, userSetCoreType: false) == nil)
        #expect(BLAS.CoreType.weakCoreWarning(coreType: "COOPERLAKE", cpu: xeon, userSetCoreType: false) == nil)
        let zen = cpu(.amd, ["sse4.2", "avx", "avx2", "fma"])
        #expect(BLAS.CoreType.weakCoreWarning(coreType: "Zen", cpu: zen, userSetCoreType: false) == nil)
        #expect(BLAS.CoreType.weakCoreWarning(coreType: "Sandybridge", cpu: zen, userSetCoreType: false) != nil)
        #expect(BLAS.CoreType.weakCoreWarning(coreType: "SomethingNew", cpu: zen, userSetCoreType: false) == nil)
    }

    private func cpu(_ vendor: BLAS.HostCPU.Vendor, _ features: [String]) -> BLAS.HostCPU {
        BLAS.HostCPU(cores: 2, vendor: vendor, features: features, kernelFeatures: features)
    }
}

/// A row-major matrix with `pad` unused elements at the end of each row, filled
/// with reproducible values in [-1, 1).
struct GEMMOperand<T: BinaryFloatingPoint & Sendable>: Sendable {
    let rows: Int, columns: Int, ld: Int
    var values: [T]

    init(rows: Int, columns: Int, pad: Int, seed: UInt64) {
        self.rows = rows
        self.columns = columns
        ld = columns + pad
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        values = (0..<max(1, rows * ld)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return T(Double(state >> 11) / Double(1 << 53) * 2 - 1)
        }
    }

    func at(_ row: Int, _ column: Int) -> Double { Double(values[row * ld + column]) }
}

/// Runs `gemm` on random operands shaped for `c` and compares with a Double triple loop.
private func checkGEMM<T: BinaryFloatingPoint & Sendable>(
    _ c: BLASTests.Case, as _: T.Type,
    gemm: (
        _ a: (base: UnsafePointer<T>, ld: Int), _ b: (base: UnsafePointer<T>, ld: Int),
        _ c: (base: UnsafeMutablePointer<T>, ld: Int)
    ) throws -> Void
) throws {
    let a = GEMMOperand<T>(rows: c.transA ? c.k : c.m, columns: c.transA ? c.m : c.k, pad: c.pad, seed: 1)
    let b = GEMMOperand<T>(rows: c.transB ? c.n : c.k, columns: c.transB ? c.k : c.n, pad: c.pad, seed: 2)
    var out = GEMMOperand<T>(rows: c.m, columns: c.n, pad: c.pad, seed: 3)
    let before = out
    try a.values.withUnsafeBufferPointer { pa in
        try b.values.withUnsafeBufferPointer { pb in
            try out.values.withUnsafeMutableBufferPointer { pc in
                guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
                try gemm((pa, a.ld), (pb, b.ld), (pc, out.ld))
            }
        }
    }
    let epsilon = Double(T.ulpOfOne)
    var wrong = 0, firstWrong = ""
    var paddingIntact = true
    for i in 0..<c.m {
        for j in 0..<c.n {
            var sum = 0.0, magnitude = abs(c.beta * before.at(i, j))
            for l in 0..<c.k {
                let term = (c.transA ? a.at(l, i) : a.at(i, l)) * (c.transB ? b.at(j, l) : b.at(l, j))
                sum += term
                magnitude += abs(c.alpha * term)
            }
            let expected = c.alpha * sum + c.beta * before.at(i, j)
            let tolerance = Double(c.k + 2) * epsilon * magnitude + epsilon
            if !(abs(out.at(i, j) - expected) <= tolerance) {
                if wrong == 0 { firstWrong = "C[\(i),\(j)] = \(out.at(i, j)), expected \(expected) ± \(tolerance)" }
                wrong += 1
            }
        }
        paddingIntact = paddingIntact && (c.n..<out.ld).allSatisfy { out.values[i * out.ld + $0] == before.values[i * out.ld + $0] }
    }
    #expect(wrong == 0, "\(wrong) of \(c.m * c.n) elements wrong, first: \(firstWrong)")
    #expect(paddingIntact, "gemm wrote past n columns into a row's padding")
}

/// a @ b for square n×n matrices, through sgemm.
private func squareSGEMM(_ a: [Float], _ b: [Float], n: Int) throws -> [Float] {
    var c = [Float](repeating: 0, count: n * n)
    try BLAS.sgemm(
        transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n, beta: 0, c: &c,
        ldc: n)
    return c
}
