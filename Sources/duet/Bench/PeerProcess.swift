import Foundation

/// A peer framework's benchmark script (bench/peers/*_bench.py) running in `--serve` mode: started
/// once so the framework's import time is paid once, then asked for one workload at a time so
/// its runs can alternate with Duet's.
final class PeerProcess {
    /// What the script prints once the framework has loaded.
    struct Ready: Decodable {
        let framework: String
        let version: String
        let workloads: [String]
    }

    /// One reply: a figure in `duet bench --json`'s shape, or an error for that workload.
    struct Reply: Decodable {
        let workload: String
        let mode: String?
        let value: Double?
        let unit: String?
        let error: String?
    }

    /// Why a peer could not be started: shown with the install hint, then Duet carries on alone.
    struct Unavailable: Error {
        let reason: String
    }

    let ready: Ready
    private let process: Process
    private let input: FileHandle
    private let output: LineReader
    private let errorLog: URL

    /// Starts `python script --serve` and waits for its ready line.
    init(python: String, script: String) throws {
        let executable = try Self.locate(python)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [script, "--serve"]
        let stdin = Pipe(), stdout = Pipe()
        // stderr goes to a file: a chatty framework cannot fill a pipe nobody reads and stall.
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("duet-peer-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: errorLog.path, contents: nil), let errorHandle = try? FileHandle(forWritingTo: errorLog) else {
            throw Unavailable(reason: "cannot create a log file in \(FileManager.default.temporaryDirectory.path)")
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw Unavailable(reason: "cannot run \(executable): \(error.localizedDescription)")
        }
        try? errorHandle.close()
        self.process = process
        self.input = stdin.fileHandleForWriting
        self.output = LineReader(stdout.fileHandleForReading)
        self.errorLog = errorLog
        guard let line = output.next() else {
            process.waitUntilExit()
            let reason = Self.lastLine(of: errorLog) ?? "it exited with status \(process.terminationStatus) before it was ready"
            try? FileManager.default.removeItem(at: errorLog)
            throw Unavailable(reason: reason)
        }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            process.terminate()
            try? FileManager.default.removeItem(at: errorLog)
            throw Unavailable(reason: "unexpected first line from \(script): \(line.prefix(200))")
        }
        self.ready = ready
    }

    /// Measures one workload in the peer. Nil when the peer has stopped.
    func measure(_ workload: String) -> Reply? {
        guard process.isRunning else { return nil }
        do {
            try input.write(contentsOf: Data((workload + "\n").utf8))
        } catch {
            return nil
        }
        guard let line = output.next() else { return nil }
        return try? JSONDecoder().decode(Reply.self, from: Data(line.utf8))
    }

    /// Closes the script's stdin (it exits at end of input) and waits for it.
    func close() {
        try? input.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: errorLog)
    }

    /// A path is used as given; a bare name (`python3`) is looked up on PATH.
    private static func locate(_ python: String) throws -> String {
        if python.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw Unavailable(reason: "\(python) does not exist or is not executable")
            }
            return python
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(python)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Unavailable(reason: "\(python) was not found on PATH")
    }

    /// The last non-empty line of the script's stderr: for a missing framework, the ImportError.
    private static func lastLine(of url: URL) -> String? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init)
    }
}

/// Lines from a pipe, read as they arrive (blocking until a whole line or end of input).
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false

    init(_ handle: FileHandle) { self.handle = handle }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                return String(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty { atEnd = true } else { buffer.append(chunk) }
        }
    }
}
