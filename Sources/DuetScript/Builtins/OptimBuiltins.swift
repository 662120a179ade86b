import DuetTensor
import DuetNN

enum OptimBuiltins {
    /// Parameters from a module, or a list or tuple of tensors (what `model.parameters()` returns).
    static func parameters(_ v: Value, _ interp: Interpreter) throws -> [Tensor] {
        if case .object(let m as ModuleObject) = v { return m.module.parameters() }
        if case .tensor(let t) = v { return [t] }
        return try Iteration.collect(v, interp).map { p in
            guard case .tensor(let t) = p else { throw ScriptError(.type, "optimizer params must be tensors, got \(p.typeName)") }
            return t
        }
    }

    /// A group's dict as PyTorch keeps it: the caller's keys in order, 'params' a list of tensors.
    static func groupDict(_ v: Value, _ interp: Interpreter) throws -> DictObject {
        guard case .dict(let given) = v else { throw ScriptError(.type, "param_group must be a dict, not \(v.typeName)") }
        guard try given.get(.str("params")) != nil else { throw ScriptError(.key, "'params'") }
        let out = DictObject()
        for (k, value) in zip(given.keys, given.values) {
            try out.set(k, Repr.str(k) == "params" ? .list(ListObject(try parameters(value, interp).map(Value.tensor))) : value)
        }
        return out
    }

    /// The groups of an optimizer's `params`: dicts as given, or all tensors in one group.
    static func groups(_ v: Value, _ interp: Interpreter) throws -> [DictObject] {
        let items: [Value]
        if case .object(let m as ModuleObject) = v { items = m.module.parameters().map(Value.tensor) } else { items = try Iteration.collect(v, interp) }
        guard let first = items.first else { throw ScriptError(.value, "optimizer got an empty parameter list") }
        if case .dict = first { return try items.map { try groupDict($0, interp) } }
        return [try groupDict(.dict(try DictObject(pairs: [(.str("params"), .list(ListObject(items)))])), interp)]
    }

    /// An optimizer class: its PyTorch signature after `params`, its options in PyTorch's order
    /// (those not in the signature keep these values), and its class.
    private static func optimizer(_ r: Builtins.Registrar, _ name: String, _ options: String, doc: String,
                                  _ defaults: [(key: String, value: OptimOption)], fixed: Set<String> = [],
                                  _ make: @escaping ([(params: [Tensor], store: OptionStore)], [(key: String, value: OptimOption)]) throws -> Optimizer) {
        r.type("\(name)(params, \(options))", doc, [.flat, .optim]) { b, interp in
            let dicts = try groups(try b.value("params"), interp)
            let given = try defaults.map { d in (d.key, fixed.contains(d.key) ? d.value : try OptionValue.option(try b.value(d.key), d.key)) }
            let o = try make(try dicts.map { (try OptimizerState.groupParams($0), DictOptionStore($0)) }, given)
            return .object(OptimizerObject(o, name, groups: dicts))
        }
    }

    static func register(_ r: Builtins.Registrar) {
        optimizer(r, "SGD", "lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False, fused=None",
                  doc: "Stochastic gradient descent with optional (Nesterov) momentum.", SGD.defaultOptions) { try SGD(groups: $0, defaults: $1) }
        optimizer(r, "Adam", "lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=False",
                  doc: "Adam (AMSGrad with amsgrad=True).", Adam.defaultOptions) { try Adam(groups: $0, defaults: $1) }
        optimizer(r, "AdamW", "lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False, *, maximize=False, foreach=None, capturable=False, differentiable=False, fused=None",
                  doc: "Adam with decoupled weight decay.", AdamW.adamWOptions, fixed: ["decoupled_weight_decay"]) { try AdamW(groups: $0, defaults: $1) }
        optimizer(r, "RMSprop", "lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False, capturable=False, foreach=None, maximize=False, differentiable=False",
                  doc: "RMSprop (divides by the running variance with centered=True).", RMSprop.defaultOptions) { try RMSprop(groups: $0, defaults: $1) }
        optimizer(r, "Adagrad", "lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None",
                  doc: "Adagrad: steps scaled by the root of the summed squared gradients.", Adagrad.defaultOptions) { try Adagrad(groups: $0, defaults: $1) }
        optimizer(r, "Adamax", "lr=0.002, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, foreach=None, *, maximize=False, differentiable=False, capturable=False",
                  doc: "Adamax: Adam with the infinity norm of past gradients.", Adamax.defaultOptions) { try Adamax(groups: $0, defaults: $1) }
        optimizer(r, "NAdam", "lr=0.002, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, momentum_decay=0.004, decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False",
                  doc: "NAdam: Adam with Nesterov momentum.", NAdam.defaultOptions) { try NAdam(groups: $0, defaults: $1) }
        SchedulerBuiltins.register(r)
        ParameterUtilsBuiltins.register(r)
    }
}
