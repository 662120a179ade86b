import DuetTensor

/// `x.name` and `x.name = v` for values whose attributes are not resolved at compile time.
enum Attributes {
    static func get(_ v: Value, _ name: String, _ interp: Interpreter) throws -> Value {
        switch v {
        case .tensor(let t):
            if let a = TensorAttributes.table[name] { return try a(t) }
            if let m = TensorMethods.table[name] { return .object(BoundMethod(v, m)) }
        case .object(let o):
            if let a = try o.attribute(name, interp) { return a }
        default:
            if let m = BuiltinMethods(name).method(for: v) { return .object(BoundMethod(v, m)) }
        }
        let what = if case .object(let ns as Namespace) = v { "module '\(ns.name)'" } else { "'\(v.typeName)' object" }
        throw Suggestion.error(.attribute, "\(what) has no attribute '\(name)'", for: name, among: Help.names(of: v))
    }

    static func set(_ v: Value, _ name: String, _ newValue: Value, _ interp: Interpreter) throws {
        switch v {
        case .tensor(let t):
            switch name {
            case "requires_grad":
                try t.requiresGrad(try Convert.bool(newValue, "requires_grad"))
            case "grad":
                if newValue.isNone { t.grad = nil } else { t.grad = try Convert.tensor(newValue, "grad") }
            case "data":
                try withNoGrad { _ = try t.copy_(try Convert.tensor(newValue, "data")) }
            default:
                throw ScriptError(.attribute, "cannot set attribute '\(name)' of a Tensor")
            }
        case .object(let o):
            try o.setAttribute(name, newValue, interp)
        default:
            throw ScriptError(.attribute, "'\(v.typeName)' object attribute '\(name)' is read-only")
        }
    }
}

/// The methods a call site may call on each built-in type, looked up once by name.
struct BuiltinMethods {
    let tensor: Method?
    let list: Method?
    let dict: Method?
    let str: Method?
    let tuple: Method?

    init(_ name: String) {
        tensor = TensorMethods.table[name]
        list = ContainerMethods.list[name]
        dict = ContainerMethods.dict[name]
        str = StringMethods.table[name]
        tuple = ContainerMethods.tuple[name]
    }

    @inline(__always)
    func method(for v: Value) -> Method? {
        switch v {
        case .tensor: tensor
        case .list: list
        case .dict: dict
        case .str: str
        case .tuple: tuple
        default: nil
        }
    }
}
