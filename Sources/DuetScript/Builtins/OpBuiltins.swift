import DuetTensor

/// Every registry op as a builtin, generated from its signature in `Ops.all`: functions under
/// flat names and `torch.`, the `nn.functional` ones under `F.`, tensor methods where PyTorch
/// has them, and in-place `name_` methods for elementwise ops. Nothing here lists ops by hand
/// except which are functions only and which belong to `F`.
enum OpBuiltins {
    /// Ops PyTorch offers only as functions, not as tensor methods.
    static let functionOnly: Set<String> = ["where", "unfold", "fold", "conv2d", "max_pool2d", "avg_pool2d", "one_hot", "cat", "pad", "slice"]
    /// Ops that live in `torch.nn.functional`.
    static let functional: Set<String> = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "conv2d", "max_pool2d", "avg_pool2d", "pad", "one_hot", "unfold", "fold"]
    /// Ops whose out-of-place result cannot be written back into the input.
    static let noInPlace: Set<String> = ["to", "clone"]

    static func register(_ r: Builtins.Registrar) {
        for op in Ops.all {
            let places: Builtins.Places = functional.contains(op.name) ? [.flat, .torch, .functional] : [.flat, .torch]
            r.add(op.name, .object(BuiltinFunction(registryOp: Signature(op.signature), op.doc) { args, _ in try call(op, receiver: nil, args) }), places)
        }
    }

    /// Methods generated from the registry (the hand-written ones in `TensorMethods` override them).
    static var methods: [String: Method] {
        var table: [String: Method] = [:]
        for op in Ops.all where !functionOnly.contains(op.name) {
            let signature = Signature(op.signature)
            table[op.name] = Method(registryOp: signature.droppingFirst, op.doc) { v, args, _ in
                guard case .tensor(let t) = v else { return .none }
                return try call(op, receiver: t, args)
            }
            if op.fusion == .elementwise && !noInPlace.contains(op.name) {
                let name = op.name + "_"
                let inPlace = Signature(name + String(op.signature.dropFirst(op.name.count))).droppingFirst
                table[name] = Method(registryOp: inPlace, "In place: " + op.doc) { v, args, _ in
                    guard case .tensor(let t) = v else { return .none }
                    let (inputs, attrs) = try bind(op, receiver: t, args)
                    return .tensor(try Dispatch.inPlace(op, inputs, attrs))
                }
            }
        }
        return table
    }

    static func call(_ op: OpDef, receiver: Tensor?, _ args: Arguments) throws -> Value {
        // `relu(x)`, `x.exp()`, `maximum(a, b)`: only tensors, nothing to bind.
        if op.attrs.isEmpty && args.names.isEmpty && !op.inputs.contains(where: { $0.variadic || $0.optional }),
           args.positional.count + (receiver == nil ? 0 : 1) == op.inputs.count {
            var tensors: [Tensor] = []
            tensors.reserveCapacity(op.inputs.count)
            if let receiver { tensors.append(receiver) }
            for v in args.positional {
                guard case .tensor(let t) = v else { break }
                tensors.append(t)
            }
            if tensors.count == op.inputs.count { return try single(Dispatch.call(op, tensors, Attrs())) }
        }
        let (inputs, attrs) = try bind(op, receiver: receiver, args)
        return try single(Dispatch.call(op, inputs, attrs))
    }

    private static func single(_ outputs: [Tensor]) -> Value {
        outputs.count == 1 ? .tensor(outputs[0]) : .tuple(outputs.map(Value.tensor))
    }

    /// Binds script arguments to an op's tensor inputs and attributes. Keywords bind by PyTorch
    /// name. Positionals bind by kind, which covers PyTorch's orders (`gather(x, 1, idx)`,
    /// `clamp(x, 0, 1)`, `cat([a, b], 1)`): a tensor fills the next tensor input, a list fills a
    /// variadic input, and any other value the next attribute — or, when no attribute is left,
    /// the next tensor input as a Python scalar.
    static func bind(_ op: OpDef, receiver: Tensor?, _ args: Arguments) throws -> ([Tensor], Attrs) {
        var inputs = [Value?](repeating: nil, count: op.inputs.count)
        var attrs = [Value?](repeating: nil, count: op.attrs.count)
        var nextInput = 0, nextAttr = 0
        if let receiver {
            inputs[0] = .tensor(receiver)
            nextInput = 1
        }
        func nextFreeInput() -> Int? {
            while nextInput < inputs.count && inputs[nextInput] != nil { nextInput += 1 }
            return nextInput < inputs.count ? nextInput : nil
        }
        for v in args.positional {
            let free = nextFreeInput()
            switch v {
            case .tensor where free != nil:
                inputs[free ?? 0] = v
                continue
            case .list, .tuple:
                if let i = free, op.inputs[i].variadic {
                    inputs[i] = v
                    continue
                }
            default:
                break
            }
            if nextAttr < attrs.count {
                attrs[nextAttr] = v
                nextAttr += 1
            } else if let i = free {
                inputs[i] = v
            } else {
                let total = op.inputs.count + op.attrs.count - (receiver == nil ? 0 : 1)
                throw ScriptError(.type, "\(op.name)() takes at most \(total) argument\(total == 1 ? "" : "s") (\(args.positional.count) given)")
            }
        }
        for (k, name) in args.names.enumerated() {
            if let i = op.inputs.firstIndex(where: { $0.name == name }) {
                guard inputs[i] == nil else { throw ScriptError(.type, "\(op.name)() got multiple values for argument '\(name)'") }
                inputs[i] = args.keywords[k]
            } else if let i = op.attrs.firstIndex(where: { $0.name == name }) {
                guard attrs[i] == nil else { throw ScriptError(.type, "\(op.name)() got multiple values for argument '\(name)'") }
                attrs[i] = args.keywords[k]
            } else {
                throw ScriptError(.type, "\(op.name)() got an unexpected keyword argument '\(name)'")
            }
        }
        var tensors: [Tensor] = []
        tensors.reserveCapacity(inputs.count)
        for (i, p) in op.inputs.enumerated() {
            guard let v = inputs[i], !(p.optional && v.isNone) else {
                if p.optional { continue }
                throw ScriptError(.type, "\(op.name)() missing required argument '\(p.name)'")
            }
            if p.variadic {
                let items: [Value]
                switch v {
                case .list(let l): items = l.items
                case .tuple(let t): items = t
                default: throw ScriptError(.type, "\(op.name)(): argument '\(p.name)' must be a list or tuple of tensors, not \(v.typeName)")
                }
                tensors += try items.map { try Convert.tensor($0, "\(op.name)(): argument '\(p.name)'") }
            } else {
                tensors.append(try Convert.tensor(v, "\(op.name)(): argument '\(p.name)'"))
            }
        }
        var values: [AttrValue] = []
        values.reserveCapacity(attrs.count)
        for (i, p) in op.attrs.enumerated() {
            guard let given = attrs[i] else {
                guard let d = p.defaultValue else { throw ScriptError(.type, "\(op.name)() missing required argument '\(p.name)'") }
                values.append(d)
                continue
            }
            let v = try Convert.attr(given, "\(op.name)(): argument '\(p.name)'")
            if v == .none {
                guard p.optional else { throw ScriptError(.type, "\(op.name)(): argument '\(p.name)' must not be None") }
                values.append(.none)
            } else if let c = coerce(v, to: p.type) {
                values.append(c)
            } else {
                throw ScriptError(.type, "\(op.name)(): argument '\(p.name)' must be \(p.type.rawValue), not \(given.typeName)")
            }
        }
        return (tensors, Attrs(values))
    }

    /// PyTorch's implicit conversions of attribute values (as the registry's `bindAttrs` does):
    /// an int where a float is wanted, one int where a list of dims is wanted, a bool as an int.
    static func coerce(_ v: AttrValue, to type: AttrType) -> AttrValue? {
        switch (type, v) {
        case (.int, .int), (.double, .double), (.bool, .bool), (.ints, .ints), (.dtype, .dtype): v
        case (.double, .int(let i)): .double(Double(i))
        case (.ints, .int(let i)): .ints([i])
        case (.int, .bool(let b)): .int(b ? 1 : 0)
        default: nil
        }
    }
}
