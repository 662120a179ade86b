import DuetGraph
import DuetTensor

/// Where the tensors sit in a call's arguments or a function's result: tensors become numbered
/// slots, everything else stays a value. The non-tensor parts are part of the signature.
indirect enum TensorTemplate {
    case tensor(Int)
    case value(Value)
    case tuple([TensorTemplate])
    case list([TensorTemplate])

    /// Splits `v` into its tensors (appended to `tensors`) and the template that puts them back.
    static func split(_ v: Value, _ tensors: inout [Tensor]) -> TensorTemplate {
        switch v {
        case .tensor(let t):
            tensors.append(t)
            return .tensor(tensors.count - 1)
        case .tuple(let items): return .tuple(items.map { split($0, &tensors) })
        case .list(let l): return .list(l.items.map { split($0, &tensors) })
        default: return .value(v)
        }
    }

    func build(_ tensors: [Tensor]) -> Value {
        switch self {
        case .tensor(let i): .tensor(tensors[i])
        case .value(let v): v
        case .tuple(let items): .tuple(items.map { $0.build(tensors) })
        case .list(let items): .list(ListObject(items.map { $0.build(tensors) }))
        }
    }

    /// The non-tensor content, for the signature: values by repr, objects by identity.
    var key: String {
        switch self {
        case .tensor: "T"
        case .value(.object(let o)): "<\(o.typeName) \(ObjectIdentifier(o).hashValue)>"
        case .value(let v): Repr.repr(v)
        case .tuple(let items): "(" + items.map(\.key).joined(separator: ", ") + ")"
        case .list(let items): "[" + items.map(\.key).joined(separator: ", ") + "]"
        }
    }
}

/// A call's arguments taken apart: the tensors, and the templates that rebuild the call.
struct CallTemplate {
    let positional: [TensorTemplate]
    let names: [String]
    let keywords: [TensorTemplate]
    let tensors: [Tensor]

    init(_ args: Arguments) {
        var tensors: [Tensor] = []
        positional = args.positional.map { TensorTemplate.split($0, &tensors) }
        names = args.names
        keywords = args.keywords.map { TensorTemplate.split($0, &tensors) }
        self.tensors = tensors
    }

    var statics: [String] { positional.map(\.key) + zip(names, keywords).map { "\($0)=\($1.key)" } }

    func arguments(_ tensors: [Tensor]) -> Arguments {
        Arguments(positional.map { $0.build(tensors) }, names: names, keywords: keywords.map { $0.build(tensors) })
    }
}

/// `compile(f)`: calls trace `f` once per signature and then run its plan.
final class CompiledObject: ScriptObject {
    let source: Value
    let function: CompiledFunction<Value>
    /// The arguments of the call being traced; the traced body rebuilds them around symbolic tensors.
    private let pending = PendingCall()

    private final class PendingCall { var template: CallTemplate? }

    init(_ source: Value, name: String, _ interp: Interpreter) {
        self.source = source
        let pending = self.pending
        function = CompiledFunction(name: name) { standIns in
            guard let template = pending.template else { throw ScriptError(.runtime, "\(name): traced outside a call") }
            let result = try interp.callValue(source, template.arguments(standIns))
            var outputs: [Tensor] = []
            let shape = TensorTemplate.split(result, &outputs)
            return Traced(tensors: outputs, rebuild: { shape.build($0) })
        }
        function.onRetrace = { interp.write($0 + "\n") }
    }

    override var typeName: String { "compiled_function" }
    override var repr: String { "<compiled function \(function.name)>" }
    override var help: String? { "compiled \(function.name): traced \(function.traceCount) time(s)" + (function.retraceReasons.isEmpty ? "" : "\n" + function.retraceReasons.joined(separator: "\n")) }
    override var attributeNames: [String] { ["graph", "retraces", "trace_count"] }

    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        let template = CallTemplate(args)
        pending.template = template
        defer { pending.template = nil }
        let result = try function(template.tensors, statics: template.statics)
        interp.lastGraph = function.lastGraph
        return result
    }

    /// The graph for these arguments, traced without running it.
    func graph(_ args: Arguments) throws -> Graph {
        let template = CallTemplate(args)
        pending.template = template
        defer { pending.template = nil }
        return try function.graph(template.tensors, statics: template.statics)
    }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "graph": function.lastGraph.map { .object(GraphObject($0)) } ?? Value.none
        case "retraces": .list(ListObject(function.retraceReasons.map { .str($0) }))
        case "trace_count": .int(function.traceCount)
        default: nil
        }
    }
}

/// A traced graph: prints as its text form; `.dot` is Graphviz source, `.nodes` the node count.
final class GraphObject: ScriptObject {
    let graph: Graph
    init(_ graph: Graph) { self.graph = graph }
    override var typeName: String { "graph" }
    override var repr: String { graph.text }
    override var attributeNames: [String] { ["dot", "nodes", "text"] }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "dot": .str(graph.dot)
        case "nodes": .int(graph.nodes.count)
        case "text": .str(graph.text)
        default: nil
        }
    }
}

/// What `compare` returns: prints as its table; the numbers are attributes.
final class ComparisonObject: ScriptObject {
    let comparison: Comparison
    init(_ comparison: Comparison) { self.comparison = comparison }
    override var typeName: String { "comparison" }
    override var repr: String { comparison.text }
    override var attributeNames: [String] { ["eager_ms", "graph_ms", "eager_peak", "graph_peak", "eager_kernels", "graph_kernels", "max_diff"] }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        let c = comparison
        switch name {
        case "eager_ms": return .float(c.eager.medianNs / 1e6)
        case "graph_ms": return .float(c.graph.medianNs / 1e6)
        case "eager_peak": return .int(c.eager.peakBytes)
        case "graph_peak": return .int(c.graph.peakBytes)
        case "eager_kernels": return .int(c.eager.kernels)
        case "graph_kernels": return .int(c.graph.kernels)
        case "max_diff": return .float(c.maxAbsDifference)
        default: return nil
        }
    }
}
