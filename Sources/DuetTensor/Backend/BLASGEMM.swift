import COpenBLAS
import Synchronization

extension BLAS {
    /// Row-major C = alpha * op(A) @ op(B) + beta * C; transposes are flags, never copies.
    ///
    /// op(A) is m×k, op(B) is k×n, C is m×n; `lda`, `ldb`, `ldc` are row strides in
    /// elements. As in BLAS, beta == 0 overwrites C without reading it.
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) throws {
        let library = try Library.shared.get()
        guard let shape = try GEMMShape(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
        else { return scale(c, rows: m, columns: n, ldc: ldc, by: beta) }
        withThreads(for: m * n * k, library) {
            library.sgemm(
                CblasRowMajor, shape.transA, shape.transB, shape.m, shape.n, shape.k, alpha, a, shape.lda, b, shape.ldb,
                beta, c, shape.ldc)
        }
    }

    /// Below this many multiply-adds a GEMM runs on one core: splitting it costs OpenBLAS more
    /// than it gains (measured: [128,512]×[512,10] ran at 3–7 GFLOP/s on two threads, 31–34 on one).
    static let smallGEMM = 1 << 21

    /// Which thread count OpenBLAS was last set to (1 or all cores). GEMMs are serialized here:
    /// OpenBLAS's thread count is global, and each GEMM uses every core anyway.
    private static let threadMode = Mutex<Bool>(false)

    private static func withThreads(for work: Int, _ library: Library, _ body: () -> Void) {
        guard !library.userSetThreads, library.info.threads > 1 else { return body() }
        let single = work < smallGEMM
        threadMode.withLock { current in
            if current != single {
                library.setThreads(Int32(single ? 1 : library.info.threads))
                current = single
            }
            body()
        }
    }

    /// `sgemm` in double precision (gradient checks use it).
    public static func dgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) throws {
        let library = try Library.shared.get()
        guard let shape = try GEMMShape(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
        else { return scale(c, rows: m, columns: n, ldc: ldc, by: beta) }
        withThreads(for: m * n * k, library) {
            library.dgemm(
                CblasRowMajor, shape.transA, shape.transB, shape.m, shape.n, shape.k, alpha, a, shape.lda, b, shape.ldb,
                beta, c, shape.ldc)
        }
    }

    /// C = beta * C: the whole product when k == 0, done here because cblas
    /// rejects the zero leading dimensions empty operands may come with.
    private static func scale<T: FloatingPoint>(
        _ c: UnsafeMutablePointer<T>, rows: Int, columns: Int, ldc: Int, by beta: T
    ) {
        guard beta != 1 else { return }
        for row in 0..<rows {
            let line = c + row * ldc
            for column in 0..<columns { line[column] = beta == 0 ? 0 : beta * line[column] }
        }
    }

    /// GEMM arguments checked and converted to cblas's types; cblas itself would only
    /// print a message and return on bad ones.
    struct GEMMShape {
        let transA: CBLAS_TRANSPOSE, transB: CBLAS_TRANSPOSE
        let m: blasint, n: blasint, k: blasint, lda: blasint, ldb: blasint, ldc: blasint

        /// Nil when there is nothing to multiply (m, n or k is 0): the caller only scales C.
        init?(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int) throws {
            guard m >= 0, n >= 0, k >= 0 else {
                throw BLASError(description: "gemm: negative size m=\(m) n=\(n) k=\(k)")
            }
            let rowA = transA ? m : k, rowB = transB ? k : n
            guard lda >= rowA, ldb >= rowB, ldc >= n else {
                throw BLASError(
                    description: "gemm: leading dimensions too small: lda=\(lda) (needs ≥ \(rowA)), "
                        + "ldb=\(ldb) (needs ≥ \(rowB)), ldc=\(ldc) (needs ≥ \(n))")
            }
            guard m > 0, n > 0, k > 0 else { return nil }
            guard let m = blasint(exactly: m), let n = blasint(exactly: n), let k = blasint(exactly: k),
                let lda = blasint(exactly: lda), let ldb = blasint(exactly: ldb), let ldc = blasint(exactly: ldc)
            else {
                throw BLASError(description: "gemm: a size or leading dimension exceeds OpenBLAS's 32-bit range")
            }
            self.transA = transA ? CblasTrans : CblasNoTrans
            self.transB = transB ? CblasTrans : CblasNoTrans
            (self.m, self.n, self.k, self.lda, self.ldb, self.ldc) = (m, n, k, lda, ldb, ldc)
        }
    }
}
