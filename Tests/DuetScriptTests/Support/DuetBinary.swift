import Foundation
import Testing
import DuetTestSupport

/// The built `duet` executable next to the test runner, run as a user would: arguments, stdin,
/// and what it printed on each stream with its exit status.
enum DuetBinary {
    static let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("duet")

    /// True when the executable is there; under CI its absence is recorded as a failure.
    static func isAvailable(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("the duet executable is missing next to the test runner: \(url.path)", sourceLocation: sourceLocation)
            }
            return false
        }
        return true
    }

    static func run(_ args: [String], stdin: String = "", environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
        let r = try runReportingSignal(args, stdin: stdin, environment: environment)
        return (r.status, r.out, r.err)
    }

    /// As `run`, and whether the process died by a signal (`status` is then the signal's number).
    static func runReportingSignal(_ args: [String], stdin: String = "", environment: [String: String]? = nil,
                                   executable: URL = url) throws -> (status: Int32, out: String, err: String, signaled: Bool) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let environment { p.environment = environment }
        let input = Pipe(), output = Pipe(), error = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = error
        try p.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        // Read in turn: fine while stderr stays under a pipe's buffer, as these short messages do.
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out, err, p.terminationReason == .uncaughtSignal)
    }

    /// `duet run -n ranks script` under `timeout`, so that a hung job fails the test (status
    /// 124) instead of stalling the suite.
    static func runRanks(_ ranks: Int, _ script: String, seconds: Int = 60) throws -> (status: Int32, out: String, err: String) {
        try MPIJobLock.run { try timed(seconds, ["run", "-n", String(ranks), script]) }
    }

    /// `duet run -n ranks notebook --check`, under `timeout`.
    static func runRanksChecking(_ ranks: Int, _ notebook: String, seconds: Int = 60) throws -> (status: Int32, out: String, err: String) {
        try MPIJobLock.run { try timed(seconds, ["run", "-n", String(ranks), notebook, "--check"]) }
    }

    private static func timed(_ seconds: Int, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try runReportingSignal([String(seconds), url.path] + args, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
        return (r.status, r.out, r.err)
    }

    /// Whether Open MPI's launcher is installed; on CI its absence is a failure (`make test`
    /// installs openmpi-bin).
    static func hasMPI(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard isAvailable(sourceLocation: sourceLocation) else { return false }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mpirun") else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("mpirun is missing: `make test` installs openmpi-bin", sourceLocation: sourceLocation) }
            return false
        }
        return true
    }
}
