import DuetGraph
import DuetNN
import DuetTensor

/// Deployment in the language (docs/language.md "Deployment"): `torch.onnx.export` writes a
/// model as ONNX through graph mode, `load_onnx` runs an ONNX file as a compiled module.
enum OnnxBuiltins {
    static func namespace() -> Namespace {
        let ns = Namespace("torch.onnx")
        ns.function("export(model, args, f, export_params=True, verbose=False, training=None, input_names=None, output_names=None, operator_export_type=None, opset_version=17, do_constant_folding=True, dynamic_axes=None, keep_initializers_as_inputs=None, custom_opsets=None, export_modules_as_functions=False, dynamo=False, external_data=False)",
                    "Writes model, traced on args (a tensor or a tuple of tensors) in eval mode, to the ONNX file f (opsets 13 to 17, 17 by default). Dim 0 of every input and output is symbolic ('batch') unless dynamic_axes names others or is {}; ops that cannot be exported are listed together with their lines.") { b, interp in
            try export(b, interp)
        }
        return ns
    }

    static func register(_ r: Builtins.Registrar) {
        r.function("load_onnx(path)",
                   "An ONNX model (opsets 6 to 17) as a callable module: m(x) runs it in graph mode (traced once per input shape, fused and planned); m.inputs and m.outputs name its ports, m.graph is the Duet graph of the latest call.",
                   .flat) { b, interp in
            .object(OnnxModuleObject(try OnnxModule(path: try b.string("path"))))
        }
    }

    private static func export(_ b: BoundArguments, _ interp: Interpreter) throws -> Value {
        let model = try b.value("model")
        let path = try b.string("f")
        let arguments: [Tensor]
        let given = try b.value("args")
        switch given {
        case .tensor(let t): arguments = [t]
        case .tuple, .list:
            arguments = try Iteration.collect(given, interp).map { item in
                guard case .tensor(let t) = item else {
                    throw ScriptError(.type, "torch.onnx.export: args must be tensors, got a \(item.typeName)")
                }
                return t
            }
        case let other: throw ScriptError(.type, "torch.onnx.export: args must be a tensor or a tuple of tensors, not \(other.typeName)")
        }
        guard !arguments.isEmpty else { throw ScriptError(.value, "torch.onnx.export: args is empty; pass an example input") }
        var options = OnnxExportOptions()
        options.inputNames = try strings(b["input_names"], "input_names", interp)
        options.outputNames = try strings(b["output_names"], "output_names", interp)
        options.opsetVersion = try b.int("opset_version")
        options.dynamicAxes = try dynamicAxes(b["dynamic_axes"], interp)
        let module: Module? = if case .object(let m as ModuleObject) = model { m.module } else { nil }
        var names: [ObjectIdentifier: String] = [:]
        for (name, t) in (module?.namedParameters() ?? []) + (module?.namedBuffers() ?? []) { names[ObjectIdentifier(t)] = name }
        // torch.onnx.export's default: the model in eval mode while tracing, its modes restored after.
        let modes = module?.namedModules().map { ($0.1, $0.1.training) } ?? []
        module?.eval()
        defer { for (m, mode) in modes { m.setTraining(mode) } }
        let summary = try interp.withSourceLines {
            try OnnxExporter.export({ inputs in
                GraphBuiltins.tensors(in: try interp.callValue(model, Arguments(inputs.map(Value.tensor))))
            }, arguments: arguments, parameterNames: names, options: options, to: path)
        }
        if let reason = summary.staticBatchReason, options.dynamicAxes.map({ !$0.isEmpty }) ?? true {
            interp.write("torch.onnx.export: the batch dim is fixed at \(arguments[0].shape.first ?? 0): \(reason)\n")
        }
        return .none
    }

    private static func strings(_ v: Value?, _ what: String, _ interp: Interpreter) throws -> [String] {
        guard let v else { return [] }
        return try Iteration.collect(v, interp).map { try Convert.string($0, what) }
    }

    /// `{"input": {0: "batch"}}` or `{"input": [0]}` to dim-0 names; only dim 0 can be symbolic.
    private static func dynamicAxes(_ v: Value?, _ interp: Interpreter) throws -> [String: String]? {
        guard let v else { return nil }
        guard case .dict(let d) = v else { throw ScriptError(.type, "torch.onnx.export: dynamic_axes must be a dict, not \(v.typeName)") }
        var out: [String: String] = [:]
        for (k, axes) in zip(d.keys, d.values) {
            let name = try Convert.string(k, "dynamic_axes")
            let pairs: [(Int, String)]
            switch axes {
            case .dict(let inner): pairs = try zip(inner.keys, inner.values).map { (try Convert.int($0, "dynamic_axes"), try Convert.string($1, "dynamic_axes")) }
            default: pairs = try Iteration.collect(axes, interp).map { (try Convert.int($0, "dynamic_axes"), "batch") }
            }
            for (axis, dimName) in pairs {
                guard axis == 0 else { throw ScriptError(.value, "torch.onnx.export: dynamic_axes['\(name)'] makes dim \(axis) symbolic; Duet's export keeps only dim 0 (the batch) symbolic") }
                out[name] = dimName
            }
        }
        return out
    }
}

/// What `load_onnx` returns: called on tensors, it runs the model; prints its ports.
final class OnnxModuleObject: ScriptObject {
    let model: OnnxModule
    init(_ model: OnnxModule) { self.model = model }

    override var typeName: String { "OnnxModule" }
    override var repr: String {
        "<onnx model \(model.name): \(model.inputs.map(\.description).joined(separator: ", ")) -> \(model.outputs.map(\.description).joined(separator: ", ")); \(model.nodeCount) nodes, opset \(model.opset)>"
    }
    override var attributeNames: [String] { ["graph", "inputs", "nodes", "opset", "outputs", "path", "producer"] }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "graph": model.compiled.lastGraph.map { .object(GraphObject($0)) } ?? Value.none
        case "inputs": .list(ListObject(model.inputs.map { .str($0.description) }))
        case "outputs": .list(ListObject(model.outputs.map { .str($0.description) }))
        case "nodes": .int(model.nodeCount)
        case "opset": .int(model.opset)
        case "path": .str(model.path)
        case "producer": .str(model.producer)
        default: nil
        }
    }

    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        guard args.names.isEmpty else {
            throw ScriptError(.type, "\(model.name)(): pass the inputs by position, in the graph's order (\(model.inputs.map(\.name).joined(separator: ", ")))")
        }
        let tensors = try args.positional.map { try Convert.tensor($0, "\(model.name)()") }
        let outputs = try model(tensors)
        interp.lastGraph = model.compiled.lastGraph
        return outputs.count == 1 ? .tensor(outputs[0]) : .tuple(outputs.map(Value.tensor))
    }
}
