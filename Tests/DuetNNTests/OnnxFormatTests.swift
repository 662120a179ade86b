import Foundation
import Testing
import DuetProto
import DuetTensor
@testable import DuetNN

/// The protobuf wire format and ONNX's messages, byte by byte, and what a broken or unsupported
/// file reports (issue #19).
@Suite struct OnnxFormatTests {
    @Test func wireFormatRoundTrips() throws {
        var w = ProtoWriter()
        w.int(1, 150)
        w.int(2, -1)
        w.float(3, 1.5)
        w.double(4, -2.25)
        w.string(5, "héllo")
        w.packedInts(6, [1, 300, -2])
        w.message(7) { $0.int(1, 7) }
        // 150 is the protobuf guide's example: 08 96 01.
        #expect(Array(w.bytes.prefix(3)) == [0x08, 0x96, 0x01])
        var r = ProtoReader(w.bytes)
        #expect(try r.next()?.int() == 150)
        #expect(try r.next()?.int() == -1)
        #expect(try r.next()?.float() == 1.5)
        #expect(try r.next()?.double() == -2.25)
        #expect(try r.next()?.string() == "héllo")
        #expect(try r.next()?.ints() == [1, 300, -2])
        var inner = try #require(try r.next()).message()
        #expect(try inner.next()?.int() == 7)
        #expect(try r.next() == nil)
    }

    @Test func truncatedAndCorruptBytesAreErrorsNotCrashes() throws {
        var w = ProtoWriter()
        w.string(1, "a long enough string")
        for cut in 1..<w.bytes.count {
            var r = ProtoReader(Array(w.bytes.prefix(cut)))
            #expect(throws: ProtoError.self) { while try r.next() != nil {} }
        }
        var groups = ProtoReader([0x0b])
        #expect(throws: ProtoError.self) { _ = try groups.next() }
        var long = ProtoReader(Array(repeating: 0xff, count: 12))
        #expect(throws: ProtoError.self) { _ = try long.next() }
    }

    private func model(_ nodes: [OnnxNode], opset: Int = 17) -> OnnxModel {
        var m = OnnxModel()
        m.opsets = ["": opset]
        m.graph.nodes = nodes
        m.graph.inputs = [OnnxValueInfo(name: "x", elemType: 1, dims: [.param("batch"), .value(3)])]
        m.graph.outputs = [OnnxValueInfo(name: "y", elemType: 1, dims: nil)]
        return m
    }

    private func write(_ m: OnnxModel) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("duet-\(UUID().uuidString).onnx").path
        try Data(m.encoded()).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func messagesRoundTrip() throws {
        var m = model([OnnxNode(opType: "Gemm", inputs: ["x", "w"], outputs: ["y"], name: "g",
                                attributes: [.float("alpha", 0.5), .int("transB", 1), .ints("perm", [1, 0]), .string("mode", "constant")])])
        m.graph.initializers = [try OnnxTensor(name: "w", try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]))]
        let back = try OnnxModel(decoding: m.encoded())
        #expect(back.opset == 17 && back.irVersion == 8)
        #expect(back.graph.nodes[0].opType == "Gemm" && back.graph.nodes[0].inputs == ["x", "w"])
        #expect(back.graph.nodes[0].attributes.map(\.name) == ["alpha", "transB", "perm", "mode"])
        #expect(back.graph.inputs[0].dims == [.param("batch"), .value(3)])
        #expect(try back.graph.initializers[0].tensor().toDoubles() == [1, 2, 3, 4, 5, 6])
    }

    @Test func everyRegistryOpIsExportedOrRefusedWithAReason() {
        for op in Ops.all {
            #expect(OnnxExportTable.rule(op.name) != nil || OnnxExportTable.refused[op.name] != nil, "\(op.name) has no ONNX export rule or reason")
        }
    }

    @Test func unsupportedOpsAreListedTogether() throws {
        let path = try write(model([
            OnnxNode(opType: "Loop", inputs: ["x"], outputs: ["a"], name: "loop_1"),
            OnnxNode(opType: "Relu", inputs: ["a"], outputs: ["b"]),
            OnnxNode(opType: "NonMaxSuppression", inputs: ["b"], outputs: ["y"], name: "nms"),
        ]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: IOError.self) { try OnnxModule(path: path) }
        #expect(error.message.contains("2 nodes use ops Duet does not run: Loop (node 'loop_1'), NonMaxSuppression (node 'nms')"), "\(error.message)")
    }

    @Test func brokenFilesNameTheFileAndTheProblem() throws {
        var good = model([OnnxNode(opType: "Relu", inputs: ["x"], outputs: ["y"])])
        let bytes = good.encoded()
        let truncated = FileManager.default.temporaryDirectory.appendingPathComponent("duet-\(UUID().uuidString).onnx").path
        try Data(bytes.prefix(bytes.count - 3)).write(to: URL(fileURLWithPath: truncated))
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        let cut = try #require(throws: IOError.self) { try OnnxModule(path: truncated) }
        #expect(cut.path == truncated && cut.message.hasPrefix("not a valid ONNX model: byte"), "\(cut)")

        good.opsets = ["": 19]
        let newer = try write(good)
        defer { try? FileManager.default.removeItem(atPath: newer) }
        let opset = try #require(throws: IOError.self) { try OnnxModule(path: newer) }
        #expect(opset.message.contains("opset 19; Duet imports opsets 6 to 17"))

        var dangling = model([OnnxNode(opType: "Relu", inputs: ["nowhere"], outputs: ["y"], name: "r")])
        dangling.opsets = ["": 13]
        let path = try write(dangling)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let m = try OnnxModule(path: path)
        #expect(throws: TensorError.self) { _ = try m([try Tensor.ones([2, 3])]) }
        #expect(throws: TensorError.self) { _ = try m([try Tensor.ones([2, 4])]) }
    }
}
