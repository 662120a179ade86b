import DuetNN
import DuetTensor

/// `torch.distributed.ParameterServer(model, opt, num_servers=1, sync=True, max_staleness=None)`:
/// the engine's `ParameterServer` as a script object. Servers call `serve()`; workers call
/// `step()` after each `backward()` and `finish()` at the end (docs/language.md, "Distributed").
final class ParameterServerObject: ScriptObject {
    let server: ParameterServer
    init(_ server: ParameterServer) { self.server = server }

    static func register(_ ns: Namespace) {
        ns.function("ParameterServer(model, optimizer, num_servers=1, sync=True, max_staleness=None)",
                    "Parameter-server training: ranks 0..num_servers-1 hold the parameters and optimizer state; the others push gradients with step() and pull new values.") { b, _ in
            guard case .object(let m as ModuleObject) = try b.value("model") else {
                throw ScriptError(.type, "ParameterServer(): model must be an nn.Module, got \(try b.value("model").typeName)")
            }
            guard case .object(let o as OptimizerObject) = try b.value("optimizer") else {
                throw ScriptError(.type, "ParameterServer(): optimizer must be a torch.optim optimizer, got \(try b.value("optimizer").typeName)")
            }
            return .object(ParameterServerObject(try ParameterServer(
                m.module, o.optimizer, numServers: try b.int("num_servers"), synchronous: try b.bool("sync"), maxStaleness: try b.optionalInt("max_staleness"))))
        }
    }

    override var typeName: String { "ParameterServer" }
    override var repr: String {
        "ParameterServer(num_servers=\(server.numServers), sync=\(server.synchronous ? "True" : "False"), max_staleness=\(server.maxStaleness))"
    }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        func method(_ signature: String, _ doc: String, _ body: @escaping () throws -> Void) -> Value {
            .object(BuiltinFunction(Signature(signature), doc) { _, _ in
                try body()
                return .none
            })
        }
        switch name {
        case "is_server": return .bool(server.isServer)
        case "serve": return method("serve()", "Applies the workers' pushes until every worker has called finish().") { try self.server.serve() }
        case "step": return method("step()", "Pushes this worker's gradients to the servers and pulls the updated parameters.") { try self.server.step() }
        case "finish": return method("finish()", "Tells the servers this worker is done.") { try self.server.finish() }
        case "num_servers": return .int(server.numServers)
        case "sync": return .bool(server.synchronous)
        case "max_staleness": return .int(server.maxStaleness)
        case "updates": return .int(server.updates)
        case "largest_staleness": return .int(server.largestStaleness)
        case "shards": return .list(ListObject(server.shards.map { .list(ListObject($0.map(Value.int))) }))
        default: return nil
        }
    }
}
