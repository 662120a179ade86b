import DuetTensor

/// Every registry op as a builtin, generated from its declaration in `Ops.all`: where it is
/// published (flat and `torch.`, `F.`, a tensor method, the in-place `name_` method) is the op's
/// `placement`; its arguments bind through the registry's own attribute binding.
enum OpBuiltins {
    static func register(_ r: Builtins.Registrar) {
        for op in Ops.all where op.placement.contains(.function) {
            let places: Builtins.Places = op.placement.contains(.functional) ? [.flat, .torch, .functional] : [.flat, .torch]
            r.add(op.name, .object(BuiltinFunction(registryOp: Signature(op.signature), op.doc) { args, _ in try call(op, receiver: nil, args) }), places)
        }
    }

    /// Methods generated from the registry (the hand-written ones in `TensorMethods` override them).
    static var methods: [String: Method] {
        var table: [String: Method] = [:]
        for op in Ops.all where op.placement.contains(.method) {
            let signature = Signature(op.signature)
            table[op.name] = Method(registryOp: signature.droppingFirst, op.doc) { v, args, _ in
                guard case .tensor(let t) = v else { return .none }
                return try call(op, receiver: t, args)
            }
            if op.placement.contains(.inPlace) {
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
        var given: [AttrValue?] = []
        given.reserveCapacity(attrs.count)
        for (i, p) in op.attrs.enumerated() {
            given.append(try attrs[i].map { try Convert.attr($0, "\(op.name)(): argument '\(p.name)'") })
        }
        let bound: Attrs
        do {
            bound = try op.bindAttrs(given) { i, _ in attrs[i]?.typeName ?? "None" }
        } catch let e as TensorError {
            throw ScriptError(.type, e.description)
        }
        return (tensors, bound)
    }
}
