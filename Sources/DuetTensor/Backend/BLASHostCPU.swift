import COpenBLAS

extension BLAS {
    /// What this CPU offers and what DuetTensor was compiled for; needs no OpenBLAS.
    public struct HostCPU: Sendable {
        public enum Vendor: String, Sendable {
            case intel = "Intel", amd = "AMD", other = "other vendor"
        }

        /// Cores this process may run on (respects `taskset`).
        public let cores: Int
        public let vendor: Vendor
        /// SIMD features cpuid reports and the OS enables, e.g. ["sse4.2", "avx", "avx2", "fma"].
        public let features: [String]
        /// SIMD features DuetTensor's own kernels were compiled for (its `-target-cpu`).
        public let kernelFeatures: [String]

        public static let current = HostCPU(
            cores: Int(duet_available_cores()), vendor: Vendor(code: duet_cpu_vendor()),
            features: names(duet_cpu_features()), kernelFeatures: names(duet_compiled_features()))

        init(cores: Int, vendor: Vendor, features: [String], kernelFeatures: [String]) {
            self.cores = max(1, cores)
            self.vendor = vendor
            self.features = features
            self.kernelFeatures = kernelFeatures
        }

        /// Whether the kernels may use every SIMD level this CPU has, up to AVX-512F,
        /// as they do when built with `-target-cpu native` on this machine.
        public var kernelsMatchCPU: Bool {
            ["sse4.2", "avx", "avx2", "fma", "avx512f"].allSatisfy { !features.contains($0) || kernelFeatures.contains($0) }
        }

        /// The AVX-512 subsets OpenBLAS's SkylakeX kernels need.
        var hasAVX512: Bool { has("avx512f", "avx512bw", "avx512vl", "avx512dq") }
        var hasAVX512BF16: Bool { hasAVX512 && has("avx512bf16") }
        var hasAVX2FMA: Bool { has("avx2", "fma") }
        var hasAVX: Bool { has("avx") }

        private func has(_ names: String...) -> Bool { names.allSatisfy(features.contains) }

        /// The names of the bits of the shim's `duet_cpu_features()`.
        private static func names(_ bits: UInt32) -> [String] {
            let table: [(bit: UInt32, name: String)] = [
                (DUET_CPU_SSE42, "sse4.2"), (DUET_CPU_AVX, "avx"), (DUET_CPU_AVX2, "avx2"), (DUET_CPU_FMA, "fma"),
                (DUET_CPU_AVX512F, "avx512f"), (DUET_CPU_AVX512BW, "avx512bw"), (DUET_CPU_AVX512VL, "avx512vl"),
                (DUET_CPU_AVX512DQ, "avx512dq"), (DUET_CPU_AVX512BF16, "avx512bf16"),
            ]
            return table.filter { bits & $0.bit != 0 }.map(\.name)
        }
    }
}

extension BLAS.HostCPU.Vendor {
    init(code: Int32) {
        switch code {
        case DUET_VENDOR_INTEL: self = .intel
        case DUET_VENDOR_AMD: self = .amd
        default: self = .other
        }
    }
}
