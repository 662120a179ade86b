import Foundation
import Synchronization
import Testing

/// The project's Python virtual environment, `.build-venv/` at the package root, made by
/// `make venv` with numpy, safetensors, scikit-learn, onnx and onnxruntime. Tests that need it call `require()`:
/// where the venv is missing the test is skipped with the reason — except under CI (the `CI`
/// environment variable set), where a missing venv is a failure.
public enum PythonEnv {
    /// The package root, found from this file's place in it (Tests/Support/).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    public static let python = packageRoot + "/.build-venv/bin/python"
    public static let isCI = ProcessInfo.processInfo.environment["CI"] != nil

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Nil when the venv works, else why not (checked once per test run).
    static let unavailableReason: String? = {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return "no Python venv at \(python) (run `make venv`)"
        }
        do {
            // find_spec looks the packages up without paying for importing scikit-learn.
            let missing = try run("""
                import importlib.util
                print(' '.join(m for m in ['numpy', 'safetensors', 'sklearn', 'onnx', 'onnxruntime'] if importlib.util.find_spec(m) is None))
                """).trimmingCharacters(in: .whitespacesAndNewlines)
            return missing.isEmpty ? nil : "the venv at \(python) lacks \(missing) (run `make venv`)"
        } catch {
            return "the venv at \(python) does not run (run `make venv`): \(error)"
        }
    }()

    /// Returns when Python can be used; otherwise skips the test, or fails it under CI.
    public static func require(sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let reason = unavailableReason else { return }
        if isCI { throw Failure(description: "CI is set, so the Python interop tests must run, but: \(reason)") }
        try Test.cancel("skipped: \(reason)", sourceLocation: sourceLocation)
    }

    /// Runs a Python script with arguments (as `sys.argv[1:]`) and returns its standard output;
    /// a non-zero exit throws with its standard error. Output goes through files, not pipes, so
    /// a chatty script cannot block, and a script still running after two minutes is stopped.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duet-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Failure(description: "python did not finish within 120 s")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let out = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            throw Failure(description: "python exited with status \(process.terminationStatus): \(err)")
        }
        return out
    }

    private static let digitsPath = Mutex<String?>(nil)

    /// Path to a CSV of scikit-learn's bundled 8×8 digits (1797 images): a header row
    /// `p0,…,p63,label`, then per image its 64 pixel values (0–16) and its label (0–9).
    /// Written once per test run; skips (or under CI fails) the calling test without Python.
    public static func digitsCSV(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try require(sourceLocation: sourceLocation)
        return try digitsPath.withLock { cached in
            if let cached { return cached }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("duet-digits-\(getpid()).csv").path
            try run("""
                import os, sys
                from sklearn.datasets import load_digits
                digits = load_digits()
                tmp = sys.argv[1] + '.tmp'
                with open(tmp, 'w') as f:
                    f.write(','.join([f'p{i}' for i in range(64)] + ['label']) + '\\n')
                    for pixels, label in zip(digits.data.astype(int), digits.target):
                        f.write(','.join(map(str, pixels)) + f',{label}\\n')
                os.replace(tmp, sys.argv[1])
                """, [path])
            cached = path
            return path
        }
    }
}
