import DuetTensor

/// The text `duet doctor` prints: sections of aligned "label  value" lines, then
/// warnings, each with its fix. Returns a String so tests can read it.
func doctorReport(gemmCheck: Bool = true) -> String {
    var report = DoctorText()
    var warnings: [String] = []
    let cpu = BLAS.HostCPU.current

    report.section("System")
    report.line("OS", SystemInfo.operatingSystem)
    report.line("CPU", "\(SystemInfo.cpuModel) (\(cpu.vendor.rawValue))")
    report.line("Cores", "\(cpu.cores) available to this process")
    report.line("SIMD", simdSummary(cpu))
    if cpu.kernelsMatchCPU {
        report.line("Kernels", "built with -target-cpu native (compiled for \(listed(cpu.kernelFeatures)))")
    } else {
        report.line("Kernels", "compiled for \(listed(cpu.kernelFeatures)) only")
        warnings.append(
            "DuetTensor was not compiled for this CPU's SIMD (\(listed(cpu.features))): its kernels run "
                + "scalar code. Fix: build on this machine with -target-cpu native (Package.swift sets it): make build.")
    }
    #if DEBUG
        warnings.append("This is a debug build: kernels run unoptimized. Fix: make run (swift build -c release).")
    #endif

    report.section("BLAS")
    report.line("GEMM backend", "OpenBLAS cblas_sgemm, loaded with dlopen on first use")
    do {
        let info = try BLAS.info()
        report.line("Library", info.libraryPath)
        report.line("Config", info.config)
        report.line("Core type", "\(info.coreType) — \(info.coreTypeSource)")
        report.line("Threads", "\(info.threads)")
        report.line(
            "Core owners",
            "OpenBLAS uses \(counted(info.threads, "thread")) during GEMM; Duet's elementwise pool uses the cores "
                + "otherwise; they never run at once")
        if gemmCheck {
            let check = GEMMQuickCheck.run()
            report.line("Quick check", check.summary)
            if let problem = check.problem { warnings.append(problem) }
        }
        if let weak = BLAS.weakCoreWarning() { warnings.append(weak) }
        if let threads = threadWarning(threads: info.threads, cores: cpu.cores) { warnings.append(threads) }
    } catch {
        report.line("Library", "not loaded")
        warnings.append("\(error)")
    }

    report.section("Terminal")
    report.line("ncurses", TerminalLibraries.ncursesVersion)
    report.line("libedit", TerminalLibraries.libeditVersion)

    report.section("Warnings")
    if warnings.isEmpty { report.line("none", "nothing here makes Duet slow") }
    for warning in warnings { report.bullet(warning) }
    return report.text
}

/// "avx2 fma (no AVX-512)" style: the features that decide which kernels run.
private func simdSummary(_ cpu: BLAS.HostCPU) -> String {
    let decisive = cpu.features.filter { $0 != "sse4.2" && $0 != "avx" }
    let avx512 = cpu.features.contains("avx512f") ? "" : " (no AVX-512)"
    return decisive.isEmpty ? "no AVX2: SSE/AVX only" : decisive.joined(separator: " ") + avx512
}

private func listed(_ features: [String]) -> String {
    features.isEmpty ? "baseline x86-64 (no SSE4.2/AVX)" : features.joined(separator: " ")
}

/// OpenBLAS with fewer threads than cores leaves cores idle; with more, its threads fight.
private func threadWarning(threads: Int, cores: Int) -> String? {
    guard threads != cores else { return nil }
    let setNames = BLAS.threadVariables.filter { SystemInfo.environment($0) != nil }
    let settings = setNames.map { "\($0)=\(SystemInfo.environment($0) ?? "")" }
    let cause = settings.isEmpty ? "" : " (\(settings.joined(separator: ", ")) set)"
    let effect =
        threads < cores ? "GEMM leaves \(counted(cores - threads, "core")) idle" : "its threads compete for the cores"
    let fix = setNames.isEmpty ? "export OPENBLAS_NUM_THREADS=\(cores)" : "unset \(setNames.joined(separator: " "))"
    return "OpenBLAS uses \(counted(threads, "thread")) on \(counted(cores, "core"))\(cause): \(effect). Fix: \(fix)."
}

/// "1 thread", "2 threads".
private func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
