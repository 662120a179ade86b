import COpenBLAS

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BLAS {
    /// OpenBLAS loaded with dlopen, after choosing `OPENBLAS_CORETYPE`.
    ///
    /// Not linked at build time because OpenBLAS reads `OPENBLAS_CORETYPE` only while
    /// it loads, and Debian's 0.3.21 picks Prescott kernels on AVX-512 Xeons (~5×
    /// slower); setting the variable just before dlopen fixes that in every process
    /// (the `duet` binary, test runners) without re-exec.
    ///
    /// A class so that each GEMM call fetches one reference, not a copy of `info`.
    final class Library: Sendable {
        let sgemm: duet_sgemm_fn
        let dgemm: duet_dgemm_fn
        let info: BLASInfo
        /// Whether the user chose the core type (so a weak one is theirs to unset).
        let userSetCoreType: Bool
        let setThreads: duet_set_int_fn
        /// Whether the user set the thread count (then Duet never changes it).
        let userSetThreads: Bool

        init(sgemm: duet_sgemm_fn, dgemm: duet_dgemm_fn, info: BLASInfo, userSetCoreType: Bool,
             setThreads: @escaping duet_set_int_fn, userSetThreads: Bool) {
            self.sgemm = sgemm
            self.dgemm = dgemm
            self.info = info
            self.userSetCoreType = userSetCoreType
            self.setThreads = setThreads
            self.userSetThreads = userSetThreads
        }

        /// Loaded once per process on first use; a failure is kept and rethrown.
        /// Swift runs a static's initializer exactly once, thread-safely.
        static let shared = Result(catching: load)

        /// Debian's alternatives link first, then the pthread build directly, then macOS.
        static let candidates = [
            "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        ]

        private static func load() throws(BLASError) -> Library {
            let cpu = HostCPU.current
            let alreadyLoaded = candidates.contains { dlopen($0, RTLD_NOW | RTLD_NOLOAD) != nil }
            let choice = CoreType.choose(for: cpu, alreadyLoaded: alreadyLoaded)

            let handle = try open()
            func symbol<F>(_ name: String, as type: F.Type) throws(BLASError) -> F {
                guard let address = dlsym(handle, name) else {
                    throw BLASError(description: "the loaded BLAS has no \(name): it is not OpenBLAS")
                }
                return unsafeBitCast(address, to: type)
            }
            let corename = try symbol("openblas_get_corename", as: duet_string_fn.self)
            let config = try symbol("openblas_get_config", as: duet_string_fn.self)
            let getThreads = try symbol("openblas_get_num_threads", as: duet_int_fn.self)
            let setThreads = try symbol("openblas_set_num_threads", as: duet_set_int_fn.self)
            let sgemm = try symbol("cblas_sgemm", as: duet_sgemm_fn.self)
            let dgemm = try symbol("cblas_dgemm", as: duet_dgemm_fn.self)

            let userSetThreads = BLAS.threadVariables.contains(where: { getenv($0) != nil })
            if !userSetThreads { setThreads(Int32(cpu.cores)) }
            let coreType = corename().map { String(cString: $0) } ?? "unknown"
            let info = BLASInfo(
                libraryPath: libraryPath(of: unsafeBitCast(sgemm, to: UnsafeRawPointer.self)),
                config: config().map { String(cString: $0) } ?? "unknown",
                coreType: coreType,
                threads: Int(getThreads()),
                coreTypeSource: choice.describe(inUse: coreType),
                cpuFeatures: cpu.features)
            return Library(sgemm: sgemm, dgemm: dgemm, info: info, userSetCoreType: choice == .user,
                           setThreads: setThreads, userSetThreads: userSetThreads)
        }

        /// The first candidate that loads; the error says why the first, usual one did not.
        private static func open() throws(BLASError) -> UnsafeMutableRawPointer {
            var firstError: String?
            for name in candidates {
                if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return handle }
                firstError = firstError ?? dlerror().map { String(cString: $0) }
            }
            throw BLASError(
                description: "OpenBLAS not found: install libopenblas-dev (`make deps` does it); "
                    + "dlopen said: \(firstError ?? "no such library")")
        }

        /// The real file behind `symbol` (symlinks resolved), for the doctor's report.
        private static func libraryPath(of symbol: UnsafeRawPointer) -> String {
            guard let path = duet_symbol_library_path(symbol) else { return "unknown" }
            guard let resolved = realpath(path, nil) else { return String(cString: path) }
            defer { free(resolved) }
            return String(cString: resolved)
        }
    }
}
