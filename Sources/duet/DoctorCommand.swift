import ArgumentParser

/// `duet doctor`: what Duet runs on and whether anything makes it slow.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Report the CPU, BLAS, terminal libraries and anything that makes Duet slow.")

    @Flag(help: "Skip the quick timed GEMM check.")
    var skipGemmCheck = false

    func run() {
        print(doctorReport(gemmCheck: !skipGemmCheck), terminator: "")
    }
}
