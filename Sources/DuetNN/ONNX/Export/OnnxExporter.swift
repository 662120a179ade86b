import DuetGraph
import DuetTensor

/// What `torch.onnx.export` takes besides the model and its example inputs.
public struct OnnxExportOptions: Sendable {
    public var inputNames: [String] = []
    public var outputNames: [String] = []
    /// The name of each input's and output's symbolic dim 0, by input or output name. Nil (the
    /// default) makes dim 0 of every one symbolic as `batch`; an empty dict exports fixed shapes.
    public var dynamicAxes: [String: String]?
    public var opsetVersion = 17
    public init() {}

    public static let opsets = 13...17
}

/// What an export wrote, for the caller to report.
public struct OnnxExportSummary: Sendable {
    public let nodes: Int
    public let initializers: Int
    public let bytes: Int
    /// Why the batch dim was left fixed, when it was asked to be symbolic and could not be.
    public let staticBatchReason: String?
}

/// Duet → ONNX: traces the function through graph mode (folding, simplification, CSE and dead
/// code on; fusion off, since fused kernels are not ONNX ops), writes each registry op by
/// `OnnxExportTable`, and the captured tensors as initializers.
public enum OnnxExporter {
    public static func export(_ f: @escaping ([Tensor]) throws -> [Tensor], arguments: [Tensor], parameterNames: [ObjectIdentifier: String],
                              options: OnnxExportOptions, to path: String) throws -> OnnxExportSummary {
        guard OnnxExportOptions.opsets.contains(options.opsetVersion) else {
            throw TensorError.value("opset_version=\(options.opsetVersion): Duet exports opsets \(OnnxExportOptions.opsets.lowerBound) to \(OnnxExportOptions.opsets.upperBound)")
        }
        var passes = PassOptions()
        passes.fuse = false
        passes.gemm = false
        passes.plan = false
        let compiled = compile("onnx_export", passes: passes, f)
        let graph = try withNoGrad { try compiled.graph(arguments) }
        try checkExportable(graph)

        var overrides: [Int: [String: [Int]]] = [:]
        var symbolic = false
        var staticReason: String?
        if options.dynamicAxes.map({ !$0.isEmpty }) ?? true {
            switch try batchDimension(compiled, graph, arguments) {
            case .success(let batch): overrides = batch.overrides; symbolic = true
            case .failure(let why): staticReason = why.reason
            }
        }
        let model = try write(graph, options: options, overrides: overrides, symbolic: symbolic, parameterNames: parameterNames)
        let bytes = model.encoded()
        try FileIO.writeAtomically(path) { try $0.write(bytes) }
        return OnnxExportSummary(nodes: model.graph.nodes.count, initializers: model.graph.initializers.count, bytes: bytes.count,
                                 staticBatchReason: staticReason)
    }

    /// Every node the table cannot write, in one error: each op once per place, with its line.
    private static func checkExportable(_ graph: Graph) throws {
        var problems: [String] = []
        for node in graph.nodes {
            let place = node.location ?? node.scopes.last.map { "in \($0)" } ?? "node #\(node.index)"
            let line: String
            if let reason = OnnxExportTable.refused[node.op.name] {
                line = "\(node.op.name) at \(place): \(reason)"
            } else if OnnxExportTable.rule(node.op.name) == nil {
                line = "\(node.op.name) at \(place): no ONNX mapping"
            } else if node.inPlace, isOutside(graph, graph.bufferOwner(node.inputs[0])) {
                line = "\(node.op.name)_ at \(place): writes a parameter, buffer or input in place (is a module still in training mode?)"
            } else {
                continue
            }
            if !problems.contains(line) { problems.append(line) }
        }
        guard !problems.isEmpty else { return }
        throw TensorError.value("torch.onnx.export: \(problems.count) op\(problems.count == 1 ? "" : "s") cannot be exported to ONNX:\n  "
                                + problems.joined(separator: "\n  "))
    }

    private static func isOutside(_ graph: Graph, _ id: Int) -> Bool {
        switch graph.values[id].source {
        case .argument, .captured: true
        default: false
        }
    }

    private struct StaticBatch: Error { let reason: String }

    /// Traces again at batch B + 1 and compares (OnnxBatchDimension).
    private static func batchDimension(_ compiled: CompiledFunction<[Tensor]>, _ graph: Graph, _ arguments: [Tensor]) throws -> Result<OnnxBatchDimension, StaticBatch> {
        guard let batch = arguments.first?.shape.first, arguments.allSatisfy({ $0.shape.first == batch }) else {
            return .failure(StaticBatch(reason: "the inputs do not share a first dim"))
        }
        let wider = try arguments.map { try Tensor.zeros([batch + 1] + $0.shape.dropFirst(), dtype: $0.dtype) }
        let other = try withNoGrad { try compiled.graph(wider) }
        let (found, reason) = OnnxBatchDimension.analyse(graph, other)
        for (a, b) in zip(graph.outputs, other.outputs) {
            let sa = graph.values[a].meta.shape, sb = other.values[b].meta.shape
            guard sa.count == sb.count, !sa.isEmpty, sa.dropFirst() == sb.dropFirst() else {
                return .failure(StaticBatch(reason: "an output's shape \(sa) does not follow the batch in its first dim"))
            }
        }
        if let found { return .success(found) }
        return .failure(StaticBatch(reason: reason ?? "the graph depends on the batch size"))
    }

    private static func write(_ graph: Graph, options: OnnxExportOptions, overrides: [Int: [String: [Int]]], symbolic: Bool,
                              parameterNames: [ObjectIdentifier: String]) throws -> OnnxModel {
        var b = OnnxGraphBuilder(source: graph, opset: options.opsetVersion, overrides: overrides, parameterNames: parameterNames)
        func info(_ name: String, _ id: Int) -> OnnxValueInfo {
            let meta = graph.values[id].meta
            var dims = meta.shape.map { OnnxValueInfo.Dim.value($0) }
            if symbolic, !dims.isEmpty { dims[0] = .param(options.dynamicAxes?[name] ?? "batch") }
            return OnnxValueInfo(name: name, elemType: OnnxDataType.code(meta.dtype), dims: dims)
        }
        let argumentIDs = graph.values.compactMap { v -> (Int, Int)? in
            if case .argument(let i) = v.source { (i, v.id) } else { nil }
        }.sorted { $0.0 < $1.0 }
        let inputs = argumentIDs.map { i, id in
            info(b.reserve(id, as: i < options.inputNames.count ? options.inputNames[i] : (argumentIDs.count == 1 ? "input" : "input_\(i)")), id)
        }
        var outputs: [(id: Int, info: OnnxValueInfo)] = []
        for (j, id) in graph.outputs.enumerated() {
            let wanted = j < options.outputNames.count ? options.outputNames[j] : (graph.outputs.count == 1 ? "output" : "output_\(j)")
            let computed = if case .node = graph.values[id].source { true } else { false }
            let name = computed && !b.isNamed(id) ? b.reserve(id, as: wanted) : b.fresh(wanted)
            outputs.append((id, info(name, id)))
        }
        for node in graph.nodes {
            guard let rule = OnnxExportTable.rule(node.op.name) else { continue }
            do { try rule(&b, node) } catch let e as Unexportable {
                throw TensorError.value("torch.onnx.export: \(node.op.name) at \(node.location ?? "node #\(node.index)") cannot be exported: \(e.reason)")
            }
        }
        try b.finish(inputs: inputs, outputs: outputs)
        var model = OnnxModel()
        model.opsets = ["": options.opsetVersion]
        model.producerVersion = "0.1"
        model.graph = b.graph
        model.graph.name = "duet"
        return model
    }
}
