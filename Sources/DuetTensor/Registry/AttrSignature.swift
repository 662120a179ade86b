/// An op's declared attributes, made once with the op and shared by reference with every `Attrs`
/// bound to it: binding stores one pointer, and a read by name walks this short list (no
/// dictionary per call).
public final class AttrSignature: Sendable {
    public let op: String
    public let params: [AttrParam]

    init(op: String, params: [AttrParam]) {
        self.op = op
        self.params = params
    }

    @inline(__always)
    func index(of name: String) -> Int? {
        for i in params.indices where params[i].name == name { return i }
        return nil
    }

    /// Every value present and already of its declared type (or None where optional): the common
    /// dispatch case, which then keeps the caller's array without copying it.
    @inline(__always)
    func conforms(_ values: [AttrValue]) -> Bool {
        guard values.count == params.count else { return false }
        for i in params.indices {
            let p = params[i], v = values[i]
            guard v == .none ? p.optional : p.type.holds(v) else { return false }
        }
        return true
    }

    /// Binds values by position: a missing one (nil, or past the end) takes its default, the rest
    /// are coerced as PyTorch coerces them. `typeName` names a given value in the error for one that
    /// does not fit, so a caller can use its own language's names for it.
    func bind(_ given: [AttrValue?], typeName: (Int, AttrValue) -> String) throws -> Attrs {
        guard given.count <= params.count else {
            let names = params.isEmpty ? "no non-tensor arguments" : "\(params.count) non-tensor argument\(params.count == 1 ? "" : "s") (\(params.map(\.name).joined(separator: ", ")))"
            throw TensorError.value("\(op)() takes \(names) but \(given.count) \(given.count == 1 ? "was" : "were") given")
        }
        var values: [AttrValue] = []
        values.reserveCapacity(params.count)
        for (i, p) in params.enumerated() {
            guard i < given.count, let v = given[i] else {
                guard let d = p.defaultValue else { throw TensorError.value("\(op)() missing required argument '\(p.name)'") }
                values.append(d)
                continue
            }
            if v == .none {
                guard p.optional else { throw TensorError.value("\(op)(): argument '\(p.name)' must not be None") }
                values.append(.none)
            } else if let c = p.type.coerce(v) {
                values.append(c)
            } else {
                throw TensorError.value("\(op)(): argument '\(p.name)' must be \(p.type.rawValue), not \(typeName(i, v))")
            }
        }
        return Attrs(values: values, signature: self)
    }
}
