import DuetGraph
import DuetTensor

/// Graph mode in the language: `compile(f)`, `graph(f, *args)`, `compare(f, *args)`.
enum GraphBuiltins {
    static func register(_ r: Builtins.Registrar) {
        r.function("compile(f, name=None, passes=None)",
                   "Graph mode: returns f traced into a graph on its first call for each signature (tensor shapes and dtypes, other arguments' values) and run as a plan after that. passes: a list of the passes to run, or a dict switching some off ({'fuse': False}); passes are fold, simplify, cse, dce, fuse, gemm (bias adds, activations and SGD updates folded into matmuls), plan.",
                   [.flat, .torch]) { b, interp in
            let f = try b.value("f")
            let source: Value
            if case .object(let c as CompiledObject) = f { source = c.source } else { source = f }
            let compiled = CompiledObject(source, name: try b.optionalString("name") ?? functionName(source), interp)
            compiled.function.passes = try passOptions(b["passes"])
            return .object(compiled)
        }
        r.function("graph(f, /, *args, **kwargs)",
                   "The graph of a compiled function: for these arguments (tracing if needed), or of its latest call. Prints one node a line; .dot gives Graphviz.",
                   .flat) { b, interp in
            let compiled = try compiledObject(try b.value("f"), interp)
            let rest = Arguments(Array(b.rest), names: b.extraKeywords.map(\.0), keywords: b.extraKeywords.map(\.1))
            if rest.count == 0 {
                guard let g = compiled.function.lastGraph else {
                    throw ScriptError(.value, "graph(): \(compiled.function.name) has not been called yet; pass arguments to trace it: graph(f, x)")
                }
                return .object(GraphObject(g))
            }
            return .object(GraphObject(try compiled.graph(rest)))
        }
        r.function("compare(f, /, *args, calls=20, **kwargs)",
                   "Runs f eagerly and compiled on the same arguments and state and prints time per call, peak memory, kernels, bytes moved and the outputs' difference. State f updates (a training step's parameters) is restored afterwards.",
                   .flat) { b, interp in
            let calls = try b.int("calls")
            guard calls >= 1 else { throw ScriptError(.value, "compare(): calls must be at least 1") }
            let compiled = try compiledObject(try b.value("f"), interp)
            let args = Arguments(Array(b.rest), names: b.extraKeywords.map(\.0), keywords: b.extraKeywords.map(\.1))
            let graph = try compiled.graph(args)
            let comparison = try Comparison.measure(compiled.function.name, graph: graph, calls: calls,
                                                    eager: { try tensors(in: interp.callValue(compiled.source, args)) },
                                                    compiled: { try tensors(in: compiled.call(args, interp)) })
            interp.lastComparison = comparison
            return .object(ComparisonObject(comparison))
        }
    }

    /// `passes=["fold", "cse"]` (only these) or `passes={"fuse": False}` (all but these).
    static func passOptions(_ v: Value?) throws -> PassOptions {
        guard let v, !v.isNone else { return PassOptions() }
        func name(_ n: Value) throws -> String {
            let s = try Convert.string(n, "passes")
            guard PassOptions.names.contains(s) else {
                throw ScriptError(.value, "compile(): unknown pass '\(s)'; the passes are \(PassOptions.names.joined(separator: ", "))")
            }
            return s
        }
        switch v {
        case .list(let l):
            var options = PassOptions.none
            for item in l.items { _ = options.set(try name(item), true) }
            return options
        case .tuple(let items):
            var options = PassOptions.none
            for item in items { _ = options.set(try name(item), true) }
            return options
        case .dict(let d):
            var options = PassOptions()
            for (k, on) in zip(d.keys, d.values) { _ = options.set(try name(k), try Convert.bool(on, "passes")) }
            return options
        default:
            throw ScriptError(.type, "compile(): passes must be a list of pass names or a dict of pass: bool, not \(v.typeName)")
        }
    }

    /// A compiled function as given, or `f` compiled.
    static func compiledObject(_ f: Value, _ interp: Interpreter) throws -> CompiledObject {
        if case .object(let c as CompiledObject) = f { return c }
        guard case .object = f else { throw ScriptError(.type, "'\(f.typeName)' object is not callable") }
        return CompiledObject(f, name: functionName(f), interp)
    }

    static func functionName(_ f: Value) -> String {
        if case .object(let fn as Function) = f { return fn.code.name }
        return "f"
    }

    /// Every tensor in a result, in order (tuples, lists and dict values searched).
    static func tensors(in v: Value) -> [Tensor] {
        switch v {
        case .tensor(let t): [t]
        case .tuple(let items): items.flatMap(tensors(in:))
        case .list(let l): l.items.flatMap(tensors(in:))
        case .dict(let d): d.values.flatMap(tensors(in:))
        default: []
        }
    }
}
