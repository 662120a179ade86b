/// Typed reads of bound attrs by their PyTorch name. They throw rather than return 0, false or []:
/// a name the op does not declare, a value of another type, None read as a value, or attrs that
/// were never bound are all bugs in the reading code that a silent default would hide.
extension Attrs {
    /// The value declared under `name`.
    @inline(__always)
    public func value(_ name: String) throws -> AttrValue {
        guard let signature else {
            throw TensorError.value("attribute '\(name)' read from attrs not bound to an op (dispatch binds them; OpDef.bind does it directly)")
        }
        guard let i = signature.index(of: name) else {
            let declared = signature.params.isEmpty ? "none" : signature.params.map(\.name).joined(separator: ", ")
            throw TensorError.value("\(signature.op)(): no argument named '\(name)' (declared: \(declared))")
        }
        return values[i]
    }

    public func int(_ name: String) throws -> Int {
        let v = try value(name)
        if case .int(let i) = v { return i }
        throw mismatch(name, v, "int")
    }

    public func double(_ name: String) throws -> Double {
        let v = try value(name)
        if case .double(let d) = v { return d }
        throw mismatch(name, v, "double")
    }

    public func bool(_ name: String) throws -> Bool {
        let v = try value(name)
        if case .bool(let b) = v { return b }
        throw mismatch(name, v, "bool")
    }

    public func ints(_ name: String) throws -> [Int] {
        let v = try value(name)
        if case .ints(let a) = v { return a }
        throw mismatch(name, v, "ints")
    }

    public func dtype(_ name: String) throws -> DType {
        let v = try value(name)
        if case .dtype(let d) = v { return d }
        throw mismatch(name, v, "dtype")
    }

    /// nil for None (an optional attribute left out).
    public func optionalInt(_ name: String) throws -> Int? {
        let v = try value(name)
        switch v {
        case .int(let i): return i
        case .none: return nil
        default: throw mismatch(name, v, "int or None")
        }
    }

    public func optionalInts(_ name: String) throws -> [Int]? {
        let v = try value(name)
        switch v {
        case .ints(let a): return a
        case .none: return nil
        default: throw mismatch(name, v, "ints or None")
        }
    }

    public func optionalDouble(_ name: String) throws -> Double? {
        let v = try value(name)
        switch v {
        case .double(let d): return d
        case .none: return nil
        default: throw mismatch(name, v, "double or None")
        }
    }

    private func mismatch(_ name: String, _ v: AttrValue, _ wanted: String) -> TensorError {
        TensorError.value("\(signature?.op ?? "op")(): argument '\(name)' holds \(v) (\(v.typeName)), read as \(wanted)")
    }
}
