import DuetTensor
import DuetNN

/// An optimizer as a script value. Its `param_groups` are real dicts the optimizer reads its
/// options from at every step, so `g["lr"] = 0.05` takes effect as in PyTorch.
final class OptimizerObject: ScriptObject {
    let optimizer: Optimizer
    let name: String
    /// `opt.param_groups`: one dict per group, `params` first, then options in PyTorch's order.
    let groups: ListObject

    init(_ optimizer: Optimizer, _ name: String, groups: [DictObject]) {
        self.optimizer = optimizer
        self.name = name
        self.groups = ListObject(groups.map(Value.dict))
    }

    override var typeName: String { name }

    /// PyTorch's: each group's options sorted by key.
    override var repr: String {
        var text = "\(name) ("
        for (i, g) in groups.items.enumerated() {
            text += "\nParameter Group \(i)\n"
            guard case .dict(let d) = g else { continue }
            for (k, v) in zip(d.keys, d.values).sorted(by: { Repr.str($0.0) < Repr.str($1.0) }) where Repr.str(k) != "params" {
                text += "    \(Repr.str(k)): \(Repr.str(v))\n"
            }
        }
        return text + ")"
    }

    override func attribute(_ attr: String, _ interp: Interpreter) throws -> Value? {
        let o = optimizer
        switch attr {
        case "step":
            return .object(BuiltinFunction("step(closure=None)", "Applies one update from the parameters' .grad (after calling closure, whose loss it returns).") { b, interp in
                let loss = try b["closure"].map { c in try withGradMode(true) { try interp.callValue(c, Arguments([])) } }
                try o.step()
                return loss ?? .none
            })
        case "zero_grad":
            return .object(BuiltinFunction("zero_grad(set_to_none=True)", "Clears the parameters' gradients.") { b, _ in
                try o.zeroGrad(setToNone: try b.bool("set_to_none"))
                return .none
            })
        case "state_dict":
            return .object(BuiltinFunction("state_dict()", "{'state': {index: {name: tensor}}, 'param_groups': [{options…, 'params': [indices]}]}, as PyTorch's.") { [self] _, _ in
                .dict(try OptimizerState.dict(self))
            })
        case "load_state_dict":
            return .object(BuiltinFunction("load_state_dict(state_dict)", "Restores what state_dict() saved: state and group options.") { [self] b, _ in
                try OptimizerState.load(try b.value("state_dict"), into: self)
                return .none
            })
        case "add_param_group":
            return .object(BuiltinFunction("add_param_group(param_group)", "Adds a dict {'params': …, options…}; missing options are the defaults.") { [self] b, interp in
                let dict = try OptimBuiltins.groupDict(try b.value("param_group"), interp)
                try o.addParamGroup(try OptimizerState.groupParams(dict), store: DictOptionStore(dict))
                groups.items.append(.dict(dict))
                return .none
            })
        case "param_groups": return .list(groups)
        case "defaults":
            return .dict(try DictObject(pairs: o.defaults.map { (.str($0.key), OptionValue.value($0.value)) }))
        case "state":
            return .dict(try DictObject(pairs: try o.params.indices.map { i in (.tensor(o.params[i]), .dict(try OptimizerState.slots(o, i))) }))
        case "lr": return .float(o.learningRate)
        default: return nil
        }
    }

    override func setAttribute(_ attr: String, _ value: Value, _ interp: Interpreter) throws {
        guard attr == "lr" else { throw ScriptError(.attribute, "'\(name)' object attribute '\(attr)' is read-only") }
        try optimizer.setLearningRate(try Convert.double(value, "lr"))
    }

    override var attributeNames: [String] {
        ["step", "zero_grad", "state_dict", "load_state_dict", "add_param_group", "param_groups", "defaults", "state", "lr"]
    }
}

/// A group's options kept in its `param_groups` dict.
final class DictOptionStore: OptionStore {
    let dict: DictObject
    init(_ dict: DictObject) { self.dict = dict }
    func option(_ key: String) throws -> OptimOption? {
        guard let v = try dict.get(.str(key)) else { return nil }
        return try OptionValue.option(v, key)
    }
    func setOption(_ key: String, _ value: OptimOption) throws { try dict.set(.str(key), OptionValue.value(value)) }
}

/// Script values ↔ group options.
enum OptionValue {
    static func option(_ v: Value, _ key: String) throws -> OptimOption {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .tensor(let t) where t.shape.isEmpty: return .double(try t.item())
        case .tuple(let items) where items.count == 2:
            return .pair(try Convert.double(items[0], key), try Convert.double(items[1], key))
        case .list(let l) where l.items.count == 2:
            return .pair(try Convert.double(l.items[0], key), try Convert.double(l.items[1], key))
        default:
            throw ScriptError(.type, "param group option '\(key)' must be a number, a bool, None or a pair, not \(v.typeName)")
        }
    }

    static func value(_ o: OptimOption) -> Value {
        switch o {
        case .none: .none
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .float(d)
        case .pair(let a, let b): .tuple([.float(a), .float(b)])
        }
    }
}
