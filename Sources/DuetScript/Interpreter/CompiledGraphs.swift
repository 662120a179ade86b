import DuetGraph

extension Interpreter {
    /// The graph of the latest call of the compiled function bound to global `name`: what the
    /// workbench's `:graph NAME` shows. Errors say what is missing.
    public func compiledGraph(named name: String) throws -> Graph {
        guard let value = global(name) else { throw ScriptError(.name, "name '\(name)' is not defined") }
        guard case .object(let compiled as CompiledObject) = value else {
            throw ScriptError(.type, "'\(name)' is a \(value.typeName), not a compiled function (compile(f) makes one)")
        }
        guard let graph = compiled.function.lastGraph else {
            throw ScriptError(.value, "'\(name)' has not been called yet, so it has no graph")
        }
        return graph
    }
}
