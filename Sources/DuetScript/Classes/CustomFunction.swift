import DuetTensor

/// `class F(torch.autograd.Function)` with static `forward(ctx, *args)` and `backward(ctx, *grads)`:
/// `F.apply(*args)` runs forward without recording, then ties its outputs to one tape node whose
/// gradient is the script's backward (eager and, because the tape is traced, graph mode alike).
enum CustomFunction {
    static func apply(_ cls: ClassObject, _ args: Arguments, _ interp: Interpreter) throws -> Value {
        guard let forward = cls.lookup("forward").map({ Descriptors.classGet($0, cls) }),
              let backward = cls.lookup("backward").map({ Descriptors.classGet($0, cls) }) else {
            throw ScriptError(.notImplemented, "\(cls.name) must define static methods forward(ctx, ...) and backward(ctx, ...)")
        }
        let inputs = args.positional.compactMap { v -> Tensor? in if case .tensor(let t) = v { t } else { nil } }
        let ctx = FunctionContext(needsInputGrad: args.positional.map { v in if case .tensor(let t) = v { t.requiresGrad } else { false } })
        var forwardArgs = args
        forwardArgs.positional.insert(.object(ctx), at: 0)
        let result = try withNoGrad { try interp.callValue(forward, forwardArgs) }
        var outputs: [Tensor] = []
        let shape = TensorTemplate.split(result, &outputs)
        guard !outputs.isEmpty else { throw ScriptError(.type, "\(cls.name).forward must return a tensor or a tuple of tensors, not \(result.typeName)") }
        let positions = args.positional.indices.filter { if case .tensor = args.positional[$0] { true } else { false } }
        let name = cls.name
        let tied = CustomFunctions.attach(name: name, inputs: inputs, outputs: outputs, saved: ctx.saved) { grads, saved in
            ctx.saved = saved
            let r = try interp.callValue(backward, Arguments([.object(ctx)] + grads.map(Value.tensor)))
            let items: [Value]
            if case .tuple(let t) = r { items = t } else { items = [r] }
            guard items.count == args.positional.count else {
                throw ScriptError(.runtime, "function \(name)Backward returned an incorrect number of gradients (expected \(args.positional.count), got \(items.count))")
            }
            return try positions.map { i in
                if items[i].isNone { return nil }
                return try Convert.tensor(items[i], "\(name).backward gradient \(i)")
            }
        }
        return shape.build(tied)
    }
}

/// The `ctx` of an autograd.Function: `save_for_backward`, `saved_tensors`, `needs_input_grad`,
/// and any other attribute forward wants backward to see.
final class FunctionContext: ScriptObject {
    var saved: [Tensor] = []
    let needsInputGrad: [Bool]
    private var table = AttributeTable()

    init(needsInputGrad: [Bool]) { self.needsInputGrad = needsInputGrad }

    override var typeName: String { "FunctionCtx" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "save_for_backward":
            return .object(BuiltinFunction("save_for_backward(*tensors)", "Keeps tensors for backward (read them as ctx.saved_tensors).") { [self] b, _ in
                saved = try b.rest.map { try Convert.tensor($0, "save_for_backward()") }
                return .none
            })
        case "saved_tensors": return .tuple(saved.map(Value.tensor))
        case "needs_input_grad": return .tuple(needsInputGrad.map(Value.bool))
        case "mark_non_differentiable", "set_materialize_grads", "mark_dirty":
            return .object(BuiltinFunction("\(name)(*args)", "Accepted for PyTorch code; Duet needs no such hint.") { _, _ in .none })
        default: return table[name]
        }
    }
    override func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws { table[name] = value }
}
