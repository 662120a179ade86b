/// The engine's one GEMM entry point and what is known about the BLAS behind it.
///
/// OpenBLAS is loaded on first use (see `BLAS.Library`), so a process that never
/// multiplies matrices never loads it, and one without it gets a `BLASError`.
public enum BLAS {
    /// The loaded library, its configuration and how its core type was chosen.
    public static func info() throws -> BLASInfo {
        try Library.shared.get().info
    }

    /// Variables through which users choose OpenBLAS's thread count. When none is
    /// set, Duet sets it to the core count; when one is, Duet leaves it alone.
    public static let threadVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// A warning with the fix when OpenBLAS runs kernels weaker than this CPU
    /// supports (Prescott on an AVX-512 Xeon is ~5× slower); nil when all is well
    /// or OpenBLAS is missing (that is `info()`'s error to report).
    public static func weakCoreWarning() -> String? {
        guard case .success(let library) = Library.shared else { return nil }
        return CoreType.weakCoreWarning(
            coreType: library.info.coreType, cpu: .current, userSetCoreType: library.userSetCoreType)
    }
}

public struct BLASError: Error, CustomStringConvertible {
    public let description: String
}

public struct BLASInfo: Sendable {
    /// The shared object actually loaded, symlinks resolved.
    public let libraryPath: String
    /// `openblas_get_config()`: version and build options.
    public let config: String
    /// `openblas_get_corename()`: the kernels in use.
    public let coreType: String
    /// `openblas_get_num_threads()`.
    public let threads: Int
    /// Who chose `coreType`, e.g. "set by Duet from cpuid (AVX2+FMA, AMD)".
    public let coreTypeSource: String
    /// The SIMD features cpuid reports, e.g. ["sse4.2", "avx", "avx2", "fma"].
    public let cpuFeatures: [String]
}
