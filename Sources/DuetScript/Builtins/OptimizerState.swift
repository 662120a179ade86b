import DuetTensor
import DuetNN

/// An optimizer's `state_dict()` in PyTorch's structure — `{'state': {index: {name: tensor}},
/// 'param_groups': [{options…, 'params': [indices]}]}`, parameters numbered across groups in
/// order — and its `load_state_dict`.
enum OptimizerState {
    /// One parameter's state, its keys in the order PyTorch creates them.
    static func slots(_ o: Optimizer, _ i: Int) throws -> DictObject {
        let order = o.stateOrder
        let names = o.state[i].keys.sorted { a, b in
            let (x, y) = (order.firstIndex(of: a) ?? order.count, order.firstIndex(of: b) ?? order.count)
            return x != y ? x < y : a < b
        }
        return try DictObject(pairs: names.compactMap { n in o.state[i][n].map { (.str(n), .tensor($0)) } })
    }

    static func dict(_ object: OptimizerObject) throws -> DictObject {
        let o = object.optimizer
        let state = try DictObject(pairs: try o.state.indices.filter { !o.state[$0].isEmpty }.map { (.int($0), .dict(try slots(o, $0))) })
        var next = 0
        let groups = try object.groups.items.map { g -> Value in
            guard case .dict(let d) = g else { throw ScriptError(.type, "state_dict(): a param group must be a dict, not \(g.typeName)") }
            var pairs = zip(d.keys, d.values).filter { Repr.str($0.0) != "params" }.map { ($0.0, $0.1) }
            let count = try groupParams(d).count
            pairs.append((.str("params"), .list(ListObject((next..<next + count).map(Value.int)))))
            next += count
            return .dict(try DictObject(pairs: pairs))
        }
        return try DictObject(pairs: [(.str("state"), .dict(state)), (.str("param_groups"), .list(ListObject(groups)))])
    }

    static func load(_ value: Value, into object: OptimizerObject) throws {
        guard case .dict(let saved) = value else { throw ScriptError(.type, "load_state_dict() needs a dict, not \(value.typeName)") }
        let o = object.optimizer
        if try saved.get(.str("param_groups")) == nil, try saved.get(.str("lr")) != nil {
            // The flat form Duet's optimizers used to save.
            var flat: [String: Tensor] = [:]
            for (k, v) in zip(saved.keys, saved.values) { flat[try Convert.string(k, "key")] = try Convert.tensor(v, "value") }
            return try o.loadStateDict(flat)
        }
        guard case .list(let savedGroups)? = try saved.get(.str("param_groups")), case .dict(let savedState)? = try saved.get(.str("state")) else {
            throw ScriptError(.value, "load_state_dict(): expected a dict with 'state' (a dict) and 'param_groups' (a list)")
        }
        guard savedGroups.items.count == object.groups.items.count else {
            throw ScriptError(.value, "loaded state dict has a different number of parameter groups")
        }
        // Saved parameter ids, group by group, name the current parameters in order.
        var index: [Int: Int] = [:]
        var next = 0
        var groupDicts: [(DictObject, DictObject)] = []
        for (s, current) in zip(savedGroups.items, object.groups.items) {
            guard case .dict(let sd) = s, case .dict(let cd) = current, case .list(let ids)? = try sd.get(.str("params")) else {
                throw ScriptError(.value, "load_state_dict(): each param group must be a dict with 'params'")
            }
            guard ids.items.count == (try groupParams(cd)).count else {
                throw ScriptError(.value, "loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
            }
            for id in ids.items {
                index[try Convert.int(id, "param id")] = next
                next += 1
            }
            groupDicts.append((sd, cd))
        }
        var state: [Int: [String: Tensor]] = [:]
        for (k, v) in zip(savedState.keys, savedState.values) {
            guard let i = index[try Convert.int(k, "state key")] else { continue }
            guard case .dict(let slots) = v else { throw ScriptError(.type, "load_state_dict(): the state of parameter \(i) must be a dict") }
            for (name, t) in zip(slots.keys, slots.values) {
                guard case .tensor(let tensor) = t else { continue }
                let key = try Convert.string(name, "state name")
                state[i, default: [:]][key] = Optimizer.scalarState.contains(key) ? tensor : try tensor.to(o.params[i].dtype)
            }
        }
        try o.loadState(state, copying: false)
        for (sd, cd) in groupDicts {
            let params = try cd.get(.str("params")) ?? .list(ListObject([]))
            let pairs = zip(sd.keys, sd.values).map { k, v in (k, Repr.str(k) == "params" ? params : v) }
            cd.removeAll()
            for (k, v) in pairs { try cd.set(k, v) }
        }
    }

    /// The tensors of a group dict's 'params'.
    static func groupParams(_ group: DictObject) throws -> [Tensor] {
        guard case .list(let l)? = try group.get(.str("params")) else { throw ScriptError(.key, "'params'") }
        return try l.items.map { try Convert.tensor($0, "param group params") }
    }
}
