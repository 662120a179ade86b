import Foundation
import Testing
@testable import DuetTensor

/// Chrome trace export: valid JSON with the keys Perfetto and chrome://tracing need, the cap and
/// its note, and atomic writing with clear errors.
@Suite struct ProfilerTraceTests {
    private func parse(_ json: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return try #require(object as? [String: Any])
    }

    /// JSON numbers come back as Int or Double depending on whether they have a fraction.
    private func number(_ value: Any?) -> Double? {
        if let d = value as? Double { return d }
        return (value as? Int).map(Double.init)
    }

    private func traceEvents(_ root: [String: Any]) throws -> [[String: Any]] {
        try #require(root["traceEvents"] as? [[String: Any]])
    }

    @Test func realTraceParsesWithRequiredKeys() throws {
        let i = try Tensor([1, 2, 3, 4], shape: [2, 2], dtype: .int64), f = try Tensor.randn([2, 2]), w = try Tensor.randn([2, 3])
        let (_, profiler) = try profile { try record("layer \"1\"\n") { try (i + f).matmul(w) } }
        let (json, summary) = ChromeTrace.encode(profiler.recording)
        let root = try parse(json)
        #expect(root["displayTimeUnit"] as? String == "ms")
        let events = try traceEvents(root)
        let complete = events.filter { $0["ph"] as? String == "X" }
        let counters = events.filter { $0["ph"] as? String == "C" }
        #expect(complete.count == profiler.events.count && summary.opEvents == complete.count)
        #expect(counters.count == complete.count && summary.counterEvents == counters.count)
        for e in complete {
            for key in ["name", "cat", "ts", "dur", "pid", "tid", "args"] { #expect(e[key] != nil, "X event lacks \(key)") }
            let args = try #require(e["args"] as? [String: Any])
            for key in ["shapes", "dtypes", "flops", "bytes_read", "bytes_written", "bytes_allocated", "scopes"] {
                #expect(args[key] != nil, "X args lack \(key)")
            }
            #expect((number(e["dur"]) ?? -1) >= 0 && (number(e["ts"]) ?? -1) >= 0)
            #expect(args["scopes"] as? [String] == ["layer \"1\"\n"])
        }
        for c in counters {
            for key in ["name", "ts", "pid", "args"] { #expect(c[key] != nil, "C event lacks \(key)") }
            #expect((c["args"] as? [String: Any])?["live bytes"] is Int)
        }
        let matmul = try #require(complete.first { $0["name"] as? String == "matmul" })
        let args = try #require(matmul["args"] as? [String: Any])
        #expect(args["flops"] as? Int == 2 * 2 * 3 * 2)
        #expect(args["shapes"] as? [[Int]] == [[2, 2], [2, 3]])
        #expect(args["dtypes"] as? [String] == ["float32", "float32"])
        #expect(summary.note == nil && summary.bytes == json.utf8.count)
        #expect((root["otherData"] as? [String: Any])?["note"] == nil)
    }

    @Test func microsecondsAreExact() throws {
        let recording = ProfilerFixture.recording([ProfilerFixture.event("mul", 1_234_567, 1_240_000)])
        let events = try traceEvents(try parse(ChromeTrace.encode(recording).json))
        let x = try #require(events.first { $0["ph"] as? String == "X" })
        #expect(number(x["ts"]) == 1234.567)
        #expect(number(x["dur"]) == 5.433)
    }

    private var manyEvents: ProfileRecording {
        ProfilerFixture.recording((0..<10).map { (k: Int) -> ProfileEvent in
            let start = UInt64(k * 100), duration = UInt64(10 + (k % 3) * 20)
            return ProfilerFixture.event("op\(k)", start, start + duration)
        })
    }

    @Test func capKeepsTheLongestAndSaysSo() throws {
        let (json, summary) = ChromeTrace.encode(manyEvents, options: ChromeTraceOptions(maxEvents: 3, reduction: .longest))
        let root = try parse(json)
        let names = try traceEvents(root).filter { $0["ph"] as? String == "X" }.compactMap { $0["name"] as? String }
        #expect(names == ["op2", "op5", "op8"])
        #expect(summary.opEvents == 3 && summary.recordedEvents == 10)
        let note = try #require(summary.note)
        #expect(note.contains("3 longest of 10"))
        #expect((root["otherData"] as? [String: Any])?["note"] as? String == note)
        #expect((root["otherData"] as? [String: Any])?["exported_events"] as? Int == 3)
    }

    @Test func samplingKeepsEveryKth() throws {
        let (json, summary) = ChromeTrace.encode(manyEvents, options: ChromeTraceOptions(maxEvents: 4, reduction: .sample))
        let names = try traceEvents(try parse(json)).filter { $0["ph"] as? String == "X" }.compactMap { $0["name"] as? String }
        #expect(names == ["op0", "op3", "op6", "op9"])
        #expect(summary.note?.contains("one in every 3 of 10") == true)
    }

    @Test func capAboveTheEventCountChangesNothing() {
        let summary = ChromeTrace.encode(manyEvents, options: ChromeTraceOptions(maxEvents: 10)).summary
        #expect(summary.opEvents == 10 && summary.note == nil)
    }

    @Test func profilerDropsAreNoted() {
        let recording = ProfilerFixture.recording([ProfilerFixture.event("mul", 0, 10)], dropped: 7)
        #expect(ChromeTrace.encode(recording).summary.note?.contains("7 later op calls were not recorded") == true)
    }

    @Test func writesAtomicallyAndRejectsBadPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duet-trace-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.json").path
        let summary = try ChromeTrace.write(ProfilerFixture.small, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == summary.bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
        _ = try parse(String(decoding: data, as: UTF8.self))

        #expect(throws: TensorError.value("cannot write the trace to '\(dir.path)': it is a directory")) {
            try ChromeTrace.write(ProfilerFixture.small, to: dir.path)
        }
        let missing = dir.appendingPathComponent("no/such/dir/t.json").path
        #expect(throws: TensorError.value("cannot write the trace to '\(missing)': directory '\(dir.path)/no/such/dir' does not exist")) {
            try ChromeTrace.write(ProfilerFixture.small, to: missing)
        }
        #expect(throws: TensorError.value("trace path is empty")) { try ChromeTrace.write(ProfilerFixture.small, to: "") }
    }
}
