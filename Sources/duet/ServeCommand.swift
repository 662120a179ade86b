import ArgumentParser
import Foundation

/// `duet serve MODEL.onnx …`: runs the model server, `duet-serve`, in this process's place.
/// The server is its own executable so that `duet` never links SwiftNIO (and the first
/// `make run` never builds it); when it is missing beside `duet`, it is built here on first use.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an ONNX model over TF Serving's REST API (POST /v1/models/NAME:predict).",
        discussion: "Options: --port 8501, --host 127.0.0.1, --name NAME, --max-body-bytes N, --batch-window-ms MS, --max-batch B (duet serve --help after the first build lists them).")

    @Argument(parsing: .captureForPassthrough, help: "The model and the server's options.")
    var arguments: [String] = []

    func run() throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let server = here.appendingPathComponent("duet-serve").path
        if !FileManager.default.isExecutableFile(atPath: server) { try build(into: here) }
        let argv = [server] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        execv(server, &cArgs)
        Console.error("duet serve: cannot run \(server): \(String(cString: strerror(errno)))\n")
        throw ExitCode(1)
    }

    /// `swift build --product duet-serve` in the package this `duet` was built from, with the
    /// Makefile's flags, so it lands beside `duet`.
    private func build(into folder: URL) throws {
        var root = folder
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        guard root.path != "/" else {
            Console.error("duet serve: duet-serve is not installed beside \(folder.path), and no Package.swift was found to build it from\n")
            throw ExitCode(1)
        }
        Console.error("duet serve: building the server (first use; SwiftNIO takes a minute or two)…\n")
        let swift = Process()
        swift.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        swift.arguments = ["swift", "build", "--package-path", root.path, "-c", "release", "-Xswiftc", "-enable-testing", "--product", "duet-serve"]
        swift.standardOutput = FileHandle.standardError
        try swift.run()
        swift.waitUntilExit()
        guard swift.terminationStatus == 0 else {
            Console.error("duet serve: building duet-serve failed (status \(swift.terminationStatus))\n")
            throw ExitCode(1)
        }
    }
}
