import DuetGraph
import DuetProto
import DuetTensor

/// A graph input or output of a loaded model: its name, dtype, and dims (nil where symbolic).
public struct OnnxPort: Sendable, CustomStringConvertible {
    public let name: String
    public let dtype: DType
    public let dims: [Int?]?
    public let dimNames: [String?]

    public var description: String {
        guard let dims else { return "\(name): \(dtype)[?]" }
        let text = dims.enumerated().map { i, d in d.map(String.init) ?? dimNames[i] ?? "?" }.joined(separator: ", ")
        return "\(name): \(dtype)[\(text)]"
    }

    /// Whether a tensor of this shape fits the port: its rank, and every dim that is not symbolic.
    public func accepts(_ shape: [Int]) -> Bool {
        guard let dims else { return true }
        return dims.count == shape.count && zip(dims, shape).allSatisfy { $0 == nil || $0 == $1 }
    }
}

/// An ONNX model loaded for inference (`load_onnx`, `duet predict`, `duet serve`): read, checked
/// that every op is one Duet runs, and run as a compiled function. Each call traces the ONNX
/// nodes once per input signature into a Duet graph — weights as captured tensors, shape
/// arithmetic folded — which then runs fused and planned like any compiled function.
public final class OnnxModule {
    public let name: String
    public let path: String
    public let opset: Int
    public let inputs: [OnnxPort]
    public let outputs: [OnnxPort]
    public let nodeCount: Int
    public let producer: String
    /// The compiled function the nodes run as: its graph is what the graph pane shows.
    public let compiled: CompiledFunction<[Tensor]>

    public static let opsets = 6...17

    public init(path: String) throws {
        let bytes = try FileIO.read(path)
        let model: OnnxModel
        do { model = try OnnxModel(decoding: bytes) } catch let e as ProtoError {
            throw IOError(.malformed, path, "not a valid ONNX model: \(e)")
        }
        let name = String(path.split(separator: "/").last ?? "model").split(separator: ".").first.map(String.init) ?? "model"
        let opset = model.opset
        guard Self.opsets.contains(opset) else {
            throw IOError(.unsupported, path, "the model uses opset \(opset); Duet imports opsets \(Self.opsets.lowerBound) to \(Self.opsets.upperBound)")
        }
        let graph = model.graph
        try Self.checkSupported(graph, path: path)
        var weights: [String: Tensor] = [:]
        for t in graph.initializers {
            do { weights[t.name] = try t.tensor() } catch { throw IOError(.malformed, path, "\(error)") }
        }
        let inputs = try graph.inputs.filter { weights[$0.name] == nil }.map { try Self.port($0, path: path) }
        let outputs = try graph.outputs.map { try Self.port($0, path: path) }
        let inputNames = inputs.map(\.name), outputNames = outputs.map(\.name)
        let nodes = graph.nodes
        compiled = CompiledFunction(name: name) { arguments in
            Traced(tensors: try Self.run(nodes, weights: weights, inputs: Dictionary(uniqueKeysWithValues: zip(inputNames, arguments)),
                                         outputs: outputNames, opset: opset), rebuild: { $0 })
        }
        self.name = name
        self.path = path
        self.opset = opset
        self.inputs = inputs
        self.outputs = outputs
        nodeCount = nodes.count
        producer = model.producerName + (model.producerVersion.isEmpty ? "" : " \(model.producerVersion)")
    }

    /// Runs the model on one tensor per input, in the graph's input order.
    public func callAsFunction(_ arguments: [Tensor]) throws -> [Tensor] {
        guard arguments.count == inputs.count else {
            throw TensorError.value("\(name) takes \(inputs.count) input\(inputs.count == 1 ? "" : "s") (\(inputs.map(\.description).joined(separator: "; "))), got \(arguments.count)")
        }
        for (port, t) in zip(inputs, arguments) {
            guard t.dtype == port.dtype else { throw TensorError.dtype("\(name): input \(port.name) is \(port.dtype), got \(t.dtype)") }
            guard port.accepts(t.shape) else { throw TensorError.shape("\(name): input \(port) does not take shape \(t.shape)") }
        }
        return try withNoGrad { try compiled(arguments) }
    }

    /// Every node whose op Duet cannot run, in one error.
    private static func checkSupported(_ graph: OnnxGraph, path: String) throws {
        var missing: [String] = []
        for (i, node) in graph.nodes.enumerated() {
            let domain = node.domain.isEmpty || node.domain == "ai.onnx"
            guard !domain || OnnxImportTable.rule(node.opType) == nil else { continue }
            let label = "\(domain ? "" : node.domain + ".")\(node.opType) (node \(node.name.isEmpty ? "#\(i)" : "'\(node.name)'"))"
            missing.append(label)
        }
        guard !missing.isEmpty else { return }
        throw IOError(.unsupported, path, "\(missing.count) node\(missing.count == 1 ? "" : "s") use\(missing.count == 1 ? "s" : "") ops Duet does not run: "
                      + missing.prefix(20).joined(separator: ", ") + (missing.count > 20 ? ", …" : ""))
    }

    private static func port(_ v: OnnxValueInfo, path: String) throws -> OnnxPort {
        guard let dtype = OnnxDataType.dtype(v.elemType) else {
            throw IOError(.unsupported, path, "input or output \(v.name) has element type \(OnnxDataType.name(v.elemType))")
        }
        let dims = v.dims.map { $0.map { d -> Int? in if case .value(let n) = d, n >= 0 { n } else { nil } } }
        let names = (v.dims ?? []).map { d -> String? in if case .param(let p) = d { p } else { nil } }
        return OnnxPort(name: v.name, dtype: dtype, dims: dims, dimNames: names)
    }

    /// Interprets the nodes in order. A node whose inputs are all known (weights, constants,
    /// shapes) runs eagerly outside the trace: that is constant folding, and it is how shape
    /// arithmetic (Shape → Gather → Concat → Reshape) reaches the ops that need plain numbers.
    private static func run(_ nodes: [OnnxNode], weights: [String: Tensor], inputs: [String: Tensor], outputs: [String], opset: Int) throws -> [Tensor] {
        var values = weights.merging(inputs) { _, input in input }
        for (i, node) in nodes.enumerated() {
            let args = try node.inputs.map { name -> Tensor? in
                guard !name.isEmpty else { return nil }
                guard let t = values[name] else {
                    throw TensorError.value("\(node.opType) node \(node.name.isEmpty ? "#\(i)" : "'\(node.name)'") reads '\(name)', which no earlier node makes")
                }
                return t
            }
            guard let rule = OnnxImportTable.rule(node.opType) else { throw TensorError.value("no rule for \(node.opType)") }
            let call = OnnxCall(node: node, inputs: args, opset: opset)
            let known = args.allSatisfy { $0.map { !$0.isSymbolic } ?? true }
            let results = known ? try withHandler(EagerHandler.shared) { try rule(call) } : try rule(call)
            for (name, t) in zip(node.outputs, results) where !name.isEmpty { values[name] = t }
        }
        return try outputs.map { name in
            guard let t = values[name] else { throw TensorError.value("the graph's output '\(name)' is never computed") }
            return t
        }
    }
}
