import DuetGraph
import DuetTensor

/// An op Duet's graph holds that this ONNX export cannot write, and why: the exporter collects
/// every one and reports them together.
struct Unexportable: Error {
    let reason: String
}

/// Writes one ONNX graph from a traced Duet graph: gives every value an ONNX name, lifts
/// captured tensors (parameters, buffers) and wrapped numbers to initializers, and casts inputs
/// where Duet's kernels promote dtypes (ONNX ops want their inputs of one type).
struct OnnxGraphBuilder {
    let source: Graph
    let opset: Int
    /// Attribute values that replace the traced ones so the batch dim stays symbolic
    /// (OnnxBatchDimension), by node index and attribute name.
    let overrides: [Int: [String: [Int]]]
    private(set) var graph = OnnxGraph()
    private var names: [Int: String] = [:]
    private var taken: Set<String> = []
    private var converted: [String: String] = [:]
    private let parameterNames: [ObjectIdentifier: String]

    init(source: Graph, opset: Int, overrides: [Int: [String: [Int]]], parameterNames: [ObjectIdentifier: String]) {
        self.source = source
        self.opset = opset
        self.overrides = overrides
        self.parameterNames = parameterNames
    }

    /// A name no other value has, from `base` (ONNX names must be unique in a graph).
    mutating func fresh(_ base: String) -> String {
        var name = base, k = 1
        while taken.contains(name) {
            name = "\(base)_\(k)"
            k += 1
        }
        taken.insert(name)
        return name
    }

    /// Names a value before the nodes are written (the graph's inputs and outputs).
    mutating func reserve(_ id: Int, as name: String) -> String {
        let n = fresh(name)
        names[id] = n
        return n
    }

    func meta(_ id: Int) -> TensorMeta { source.values[id].meta }

    func isNamed(_ id: Int) -> Bool { names[id] != nil }

    /// The ONNX name of a value, lifting captured tensors and constants to initializers.
    mutating func name(_ id: Int) throws -> String {
        if let n = names[id] { return n }
        switch source.values[id].source {
        case .captured(let t):
            names[id] = try initializer(t, parameterNames[ObjectIdentifier(t)] ?? "captured")
        case .constant(let t):
            names[id] = try initializer(t, "const")
        case .argument(let i):
            throw Unexportable(reason: "argument \(i) has no ONNX input (internal)")
        case .node(let n, _):
            throw Unexportable(reason: "value %\(id) is read before node #\(n) writes it (internal)")
        }
        return names[id] ?? ""
    }

    /// The name a node's output `k` is written to.
    mutating func output(_ node: GraphNode, _ k: Int = 0) -> String {
        let id = node.outputs[k]
        if let n = names[id] { return n }
        let n = fresh("\(node.op.name)_\(node.index)")
        names[id] = n
        return n
    }

    mutating func initializer(_ t: Tensor, _ base: String) throws -> String {
        let name = fresh(base)
        graph.initializers.append(try OnnxTensor(name: name, t))
        return name
    }

    /// A 1-D int64 initializer (shapes, axes, pads: inputs, not attributes, since opset 13).
    mutating func ints(_ values: [Int], _ base: String) throws -> String {
        try initializer(try Tensor(values.map(Double.init), shape: [values.count], dtype: .int64), base)
    }

    /// A 0-dim initializer of `dtype` (clip bounds, fill values).
    mutating func scalar(_ value: Double, _ dtype: DType, _ base: String) throws -> String {
        try initializer(try Tensor([value], shape: [], dtype: dtype), base)
    }

    /// Appends a node; returns its first output's name (a fresh one unless `to` names it).
    @discardableResult
    mutating func emit(_ opType: String, _ inputs: [String], _ attributes: [OnnxAttribute] = [], to: String? = nil, outputs: Int = 1) -> String {
        let first = to ?? fresh(opType.lowercased())
        let outs = [first] + (1..<max(outputs, 1)).map { _ in fresh(opType.lowercased()) }
        graph.nodes.append(OnnxNode(opType: opType, inputs: inputs, outputs: outs, name: fresh("\(opType)_\(graph.nodes.count)"),
                                    attributes: attributes))
        return first
    }

    /// Input `i` of `node` as `dtype`: a Cast node, or for a constant a converted initializer.
    mutating func input(_ node: GraphNode, _ i: Int, as dtype: DType? = nil) throws -> String {
        let id = node.inputs[i]
        let have = meta(id).dtype
        guard let dtype, dtype != have else { return try name(id) }
        let key = "\(id):\(dtype)"
        if let done = converted[key] { return done }
        let result: String
        switch source.values[id].source {
        case .constant(let t), .captured(let t):
            result = try initializer(try t.to(dtype), "const")
        default:
            result = emit("Cast", [try name(id)], [.init(name: "to", value: .int(OnnxDataType.code(dtype)))])
        }
        converted[key] = result
        return result
    }

    /// The dtype a promoting op's inputs are cast to: its output's, unless that is bool (a
    /// comparison), when it is the inputs' common type with wrapped numbers weaker than tensors.
    func promotedType(_ node: GraphNode) -> DType? {
        let indices: [Int]
        switch node.op.promotion {
        case .none: return nil
        case .common(let list), .commonFloat(let list): indices = list
        case .commonAll: indices = Array(node.inputs.indices)
        }
        let out = meta(node.outputs[0]).dtype
        guard out == .bool else { return out }
        func rank(_ d: DType) -> Int { d == .bool ? 0 : d == .int64 ? 1 : 2 }
        let candidates = indices.filter { $0 < node.inputs.count }.map { node.inputs[$0] }
        let tensors = candidates.filter { if case .constant = source.values[$0].source { false } else { true } }.map { meta($0).dtype }
        let numbers = candidates.filter { if case .constant = source.values[$0].source { true } else { false } }.map { meta($0).dtype }
        let best = tensors.max { rank($0) < rank($1) || (rank($0) == rank($1) && $0.itemSize < $1.itemSize) }
        if let best, numbers.allSatisfy({ rank($0) <= rank(best) }) { return best }
        return numbers.map { rank($0) == 2 ? DType.float32 : $0 }.max { rank($0) < rank($1) } ?? best
    }

    /// Every tensor input of `node`, cast as its promotion says (optional ones left out when absent).
    mutating func promotedInputs(_ node: GraphNode) throws -> [String] {
        let target = promotedType(node)
        var casted: Set<Int> = []
        switch node.op.promotion {
        case .common(let list), .commonFloat(let list): casted = Set(list)
        case .commonAll: casted = Set(node.inputs.indices)
        case .none: break
        }
        return try node.inputs.indices.map { try input(node, $0, as: casted.contains($0) ? target : nil) }
    }

    /// One ONNX node over the promoted inputs, written to the node's output.
    mutating func simple(_ opType: String, _ node: GraphNode, _ attributes: [OnnxAttribute] = []) throws {
        emit(opType, try promotedInputs(node), attributes, to: output(node))
    }

    /// An ints attribute of `node`, or the value that keeps the batch dim symbolic.
    func ints(_ node: GraphNode, _ attr: String) throws -> [Int] {
        if let o = overrides[node.index]?[attr] { return o }
        return try node.attrs.ints(attr)
    }

    /// Ends the graph: its inputs and outputs, each output under its own name even where two
    /// outputs are one value or an output is an input or a weight.
    mutating func finish(inputs: [OnnxValueInfo], outputs: [(id: Int, info: OnnxValueInfo)]) throws {
        graph.inputs = inputs
        for (id, info) in outputs {
            let have = try name(id)
            if have != info.name { emit("Identity", [have], to: info.name) }
            graph.outputs.append(info)
        }
    }
}

extension OnnxAttribute {
    static func int(_ name: String, _ v: Int) -> OnnxAttribute { .init(name: name, value: .int(v)) }
    static func ints(_ name: String, _ v: [Int]) -> OnnxAttribute { .init(name: name, value: .ints(v)) }
    static func float(_ name: String, _ v: Double) -> OnnxAttribute { .init(name: name, value: .float(Float(v))) }
    static func string(_ name: String, _ v: String) -> OnnxAttribute { .init(name: name, value: .string(v)) }
}
