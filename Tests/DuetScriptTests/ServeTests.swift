import Foundation
import Testing
import DuetTestSupport
@testable import DuetScript

/// `duet serve` through the real binary (issue #19): predictions match onnxruntime, every bad
/// request gets its 4xx and the server keeps serving, 64 concurrent clients all succeed with
/// batches of more than one row on average, and SIGTERM exits 0.
@Suite struct ServeTests {
    static let server = DuetBinary.url.deletingLastPathComponent().appendingPathComponent("duet-serve")

    @Test func servesTFServingsRestAPI() throws {
        try PythonEnv.require()
        guard FileManager.default.isExecutableFile(atPath: Self.server.path) else {
            if PythonEnv.isCI { Issue.record("duet-serve is missing beside the test runner: \(Self.server.path)") }
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duet-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try output("""
        import torch
        import torch.nn as nn
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
        torch.onnx.export(model, torch.randn(2, 6), "\(dir)/tiny.onnx", input_names=["x"], output_names=["scores"])
        """)

        let process = Process()
        process.executableURL = Self.server
        process.arguments = ["\(dir)/tiny.onnx", "--port", "0", "--max-body-bytes", "100000", "--batch-window-ms", "5"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The first line names the port the system chose.
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            first += chunk
        }
        let line = String(decoding: first, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "no port in: \(line)")

        let report = try PythonEnv.run("""
            import json, sys, threading, urllib.request, urllib.error
            import numpy as np
            import onnxruntime as ort
            port, model = int(sys.argv[1]), sys.argv[2]
            base = f'http://127.0.0.1:{port}'
            def call(path, body=None, method=None):
                data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
                req = urllib.request.Request(base + path, data=data, method=method or ('POST' if data is not None else 'GET'))
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        return r.status, r.read().decode()
                except urllib.error.HTTPError as e:
                    return e.code, e.read().decode()
            x = np.random.default_rng(1).standard_normal((4, 6)).astype(np.float32)
            want = ort.InferenceSession(model).run(None, {'x': x})[0]
            code, text = call('/v1/models/tiny:predict', {'instances': x.tolist()})
            rows = np.array(json.loads(text)['predictions'])
            print('rows', code, float(np.abs(rows - want).max()))
            code, text = call('/v1/models/tiny/versions/1:predict', {'inputs': {'x': x.tolist()}})
            cols = np.array(json.loads(text)['outputs'])
            print('columns', code, float(np.abs(cols - want).max()))
            print('status', *call('/v1/models/tiny'))
            print('metadata', call('/v1/models/tiny/metadata')[0])
            bad = {
                'malformed': b'{"instances": [1, 2',
                'deep': b'[' * 5000,
                'shape': {'instances': [[1.0, 2.0]]},
                'dtype': {'instances': [['a'] * 6]},
                'missing': {'rows': [[0.0] * 6]},
                'ragged': {'instances': [[0.0] * 6, [0.0] * 5]},
                'huge': b'{"instances": [' + b'1.0, ' * 30000 + b'1.0]}',
            }
            for name, body in bad.items():
                code, text = call('/v1/models/tiny:predict', body)
                print('bad', name, code, 'error' in json.loads(text))
            print('bad unknown', call('/v1/models/other:predict', {'instances': x.tolist()})[0])
            print('bad version', call('/v1/models/tiny/versions/7:predict', {'instances': x.tolist()})[0])
            codes = []
            def client():
                for _ in range(4):
                    codes.append(call('/v1/models/tiny:predict', {'instances': x[:1].tolist()})[0])
            threads = [threading.Thread(target=client) for _ in range(64)]
            for t in threads: t.start()
            for t in threads: t.join()
            print('concurrent', len(codes), sorted(set(codes)))
            metrics = call('/metrics')[1]
            total = float([l for l in metrics.splitlines() if l.startswith('duet_batch_size_sum')][0].split()[-1])
            count = float([l for l in metrics.splitlines() if l.startswith('duet_batch_size_count')][0].split()[-1])
            print('batch', total / count > 1, total, count)
            print('after', call('/v1/models/tiny:predict', {'instances': x.tolist()})[0])
            """, [String(port), "\(dir)/tiny.onnx"])
        let lines = report.split(separator: "\n").map(String.init)
        func fields(_ prefix: String) -> [Substring] { lines.first { $0.hasPrefix(prefix + " ") }?.split(separator: " ") ?? [] }
        for form in ["rows", "columns"] {
            let f = fields(form)
            #expect(f.count == 3 && f[1] == "200" && (Double(f[2]) ?? 1) <= 1e-4, "\(report)")
        }
        #expect(fields("status").dropFirst().first == "200" && report.contains("\"state\": \"AVAILABLE\""), "\(report)")
        #expect(fields("metadata") == ["metadata", "200"], "\(report)")
        for (name, code) in [("malformed", "400"), ("deep", "400"), ("shape", "400"), ("dtype", "400"), ("missing", "400"), ("ragged", "400"), ("huge", "413")] {
            #expect(fields("bad \(name)") == ["bad", Substring(name), Substring(code), "True"], "\(name): \(report)")
        }
        #expect(fields("bad unknown") == ["bad", "unknown", "404"] && fields("bad version") == ["bad", "version", "404"], "\(report)")
        #expect(fields("concurrent") == ["concurrent", "256", "[200]"], "\(report)")
        #expect(fields("batch").dropFirst().first == "True", "\(report)")
        #expect(fields("after") == ["after", "200"], "\(report)")

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}
