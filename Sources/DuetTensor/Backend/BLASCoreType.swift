#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BLAS {
    /// Choosing OpenBLAS's kernels (its "core type") from cpuid, and judging the one in use.
    enum CoreType {
        /// How the core type was chosen before loading; its wording depends on what OpenBLAS then did.
        enum Choice: Equatable {
            case user, duet(name: String, reason: String), alreadyLoaded, openBLAS

            func describe(inUse: String) -> String {
                switch self {
                case .user: "from OPENBLAS_CORETYPE in the environment"
                case .duet(let name, let reason) where name.lowercased() == inUse.lowercased():
                    "set by Duet from cpuid (\(reason))"
                case .duet(let name, _):
                    "detected by OpenBLAS (it ignored OPENBLAS_CORETYPE=\(name): not a DYNAMIC_ARCH build?)"
                case .alreadyLoaded: "detected by OpenBLAS (it was loaded before Duet could set OPENBLAS_CORETYPE)"
                case .openBLAS: "detected by OpenBLAS"
                }
            }
        }

        /// Sets `OPENBLAS_CORETYPE` from cpuid unless the user set it or OpenBLAS is
        /// already loaded. Duet's only environment write: it runs once, in `Library`'s
        /// one-time load, before OpenBLAS reads the variable.
        static func choose(for cpu: HostCPU, alreadyLoaded: Bool) -> Choice {
            if let value = getenv("OPENBLAS_CORETYPE"), value.pointee != 0 { return .user }
            if alreadyLoaded { return .alreadyLoaded }
            guard let best = best(for: cpu), setenv("OPENBLAS_CORETYPE", best.name, 1) == 0 else {
                return .openBLAS
            }
            return .duet(name: best.name, reason: best.reason)
        }

        /// The best core type for `cpu` and why, or nil to leave the choice to OpenBLAS.
        static func best(for cpu: HostCPU) -> (name: String, reason: String)? {
            if cpu.hasAVX512BF16 { return ("Cooperlake", "AVX-512 with BF16, \(cpu.vendor.rawValue)") }
            if cpu.hasAVX512 { return ("SkylakeX", "AVX-512 F+BW+VL+DQ, \(cpu.vendor.rawValue)") }
            if cpu.hasAVX2FMA { return (cpu.vendor == .amd ? "Zen" : "Haswell", "AVX2+FMA, \(cpu.vendor.rawValue)") }
            return nil
        }

        /// SIMD levels, to compare the kernels in use with what the CPU can run.
        enum Level: Int, Comparable {
            case sse, avx, avx2, avx512

            static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

            var label: String {
                switch self {
                case .sse: "SSE"
                case .avx: "AVX"
                case .avx2: "AVX2"
                case .avx512: "AVX-512"
                }
            }
        }

        /// The SIMD level of OpenBLAS's x86-64 core types (`openblas_get_corename()`,
        /// compared case-insensitively); nil for names it does not know.
        static func level(ofCoreType name: String) -> Level? {
            switch name.lowercased() {
            case "skylakex", "cooperlake", "sapphirerapids": .avx512
            case "haswell", "zen": .avx2
            case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": .avx
            case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn",
                "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat":
                .sse
            default: nil
            }
        }

        static func level(of cpu: HostCPU) -> Level {
            if cpu.hasAVX512 { return .avx512 }
            if cpu.hasAVX2FMA { return .avx2 }
            if cpu.hasAVX { return .avx }
            return .sse
        }

        /// A warning with the fix when `coreType` uses a lower SIMD level than `cpu` has.
        static func weakCoreWarning(coreType: String, cpu: HostCPU, userSetCoreType: Bool) -> String? {
            guard let inUse = level(ofCoreType: coreType), let best = best(for: cpu),
                inUse < level(of: cpu)
            else { return nil }
            let fix =
                userSetCoreType
                ? "unset OPENBLAS_CORETYPE (Duet then picks \(best.name)) or export OPENBLAS_CORETYPE=\(best.name)"
                : "export OPENBLAS_CORETYPE=\(best.name) before starting Duet"
            return "OpenBLAS runs its \(coreType) (\(inUse.label)) kernels but this CPU supports "
                + "\(level(of: cpu).label): GEMM is slower (Prescott on AVX-512 measured ~5× slower). Fix: \(fix)."
        }
    }
}
