import DuetTensor

/// One ONNX node about to run: its input tensors (nil where an optional input is left out),
/// its attributes, and the model's opset, which decides the semantics of the op's version.
struct OnnxCall {
    let node: OnnxNode
    let inputs: [Tensor?]
    let opset: Int

    /// "Reshape node 'Reshape_3'", as every message about the node names it.
    var label: String { node.name.isEmpty ? "\(node.opType) node" : "\(node.opType) node '\(node.name)'" }

    func error(_ message: String) -> TensorError { .value("\(label): \(message)") }

    func input(_ i: Int) throws -> Tensor {
        guard let t = optional(i) else { throw error("input \(i) is missing") }
        return t
    }

    func optional(_ i: Int) -> Tensor? { i < inputs.count ? inputs[i] : nil }

    /// An input whose values decide a shape (Reshape's shape, Slice's starts): they must be known
    /// when the graph is traced, as they are for weights, constants and folded Shape arithmetic.
    func values(_ i: Int) throws -> [Int]? {
        guard let t = optional(i) else { return nil }
        guard !t.isSymbolic else {
            throw error("input \(i) (\(node.inputs[i])) sets a shape but is computed from the data; Duet needs it to fold when the model loads")
        }
        return try Self.read(t).map { v in
            guard v.isFinite, abs(v) < 9.2e18 else { return v > 0 ? Int.max : Int.min }
            return Int(v)
        }
    }

    func scalar(_ i: Int) throws -> Double? {
        guard let t = optional(i) else { return nil }
        guard !t.isSymbolic else { throw error("input \(i) (\(node.inputs[i])) must be a constant") }
        guard t.count == 1 else { throw error("input \(i) should hold one value, it holds \(t.count)") }
        return try Self.read(t)[0]
    }

    /// The values of a tensor known at load time (a weight, a constant, folded shape arithmetic),
    /// read outside the trace: they are fixed by the file, so a graph may depend on them.
    static func read(_ t: Tensor) throws -> [Double] {
        try withHandler(EagerHandler.shared) { try t.toDoubles() }
    }

    private func attribute(_ name: String) -> OnnxAttribute.Value? { node.attributes.first { $0.name == name }?.value }

    func int(_ name: String, _ fallback: Int) throws -> Int {
        switch attribute(name) {
        case nil: return fallback
        case .int(let v)?: return v
        default: throw error("attribute \(name) should be an integer")
        }
    }

    func ints(_ name: String) throws -> [Int]? {
        switch attribute(name) {
        case nil: return nil
        case .ints(let v)?: return v
        case .int(let v)?: return [v]
        default: throw error("attribute \(name) should be a list of integers")
        }
    }

    func float(_ name: String, _ fallback: Double) throws -> Double {
        switch attribute(name) {
        case nil: return fallback
        case .float(let v)?: return Double(v)
        case .int(let v)?: return Double(v)
        default: throw error("attribute \(name) should be a number")
        }
    }

    func floats(_ name: String) throws -> [Float]? {
        switch attribute(name) {
        case nil: return nil
        case .floats(let v)?: return v
        default: throw error("attribute \(name) should be a list of numbers")
        }
    }

    func string(_ name: String, _ fallback: String) throws -> String {
        switch attribute(name) {
        case nil: return fallback
        case .string(let v)?: return v
        default: throw error("attribute \(name) should be a string")
        }
    }

    func tensor(_ name: String) throws -> Tensor? {
        switch attribute(name) {
        case nil: return nil
        case .tensor(let t)?: return try t.tensor()
        default: throw error("attribute \(name) should be a tensor")
        }
    }

    /// An axis attribute or value, made non-negative for a tensor of `rank` dims.
    func axis(_ a: Int, rank: Int) throws -> Int {
        let r = max(rank, 1)
        guard a >= -r, a < r else { throw error("axis \(a) is out of range for \(rank) dims") }
        return a < 0 ? a + r : a
    }

    /// A size computed from the file's numbers, in Double so that no product can trap; an
    /// absurd one is an error naming the node.
    func size(_ v: Double) throws -> Int {
        guard v.isFinite, v >= 0, v < 1e15 else { throw error("a size computed from the node's attributes (\(v)) is out of range") }
        return Int(v)
    }

    /// Whether output `k` is wanted by the graph (optional outputs are named "" or left off).
    func wants(_ k: Int) -> Bool { k < node.outputs.count && !node.outputs[k].isEmpty }
}
