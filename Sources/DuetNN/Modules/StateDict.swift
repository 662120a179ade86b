import DuetTensor

/// Why a state dict did not load: every missing, unexpected and mis-shaped key at once, the way
/// PyTorch's strict `load_state_dict` reports them.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    public var missing: [String] = []
    public var unexpected: [String] = []
    public var mismatched: [String] = []

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing keys: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { parts.append("unexpected keys: " + unexpected.joined(separator: ", ")) }
        if !mismatched.isEmpty { parts.append("size or dtype mismatch: " + mismatched.joined(separator: "; ")) }
        return "load_state_dict: " + parts.joined(separator: "; ")
    }
}

extension Module {
    /// Parameters and persistent buffers by their dotted names, in PyTorch's order, as the live
    /// tensors (not copies).
    public func stateDict() -> [(name: String, tensor: Tensor)] { namedState() }

    /// Copies values into this module's tensors in place. With `strict`, any missing or unexpected
    /// key is an error; a shape or dtype mismatch always is. Nothing is written unless all checks pass.
    public func loadStateDict(_ state: [String: Tensor], strict: Bool = true) throws {
        let own = stateDict()
        var error = StateDictError()
        for (name, tensor) in own {
            guard let given = state[name] else {
                error.missing.append(name)
                continue
            }
            if given.shape != tensor.shape || given.dtype != tensor.dtype {
                error.mismatched.append("\(name): expected \(tensor.dtype)\(tensor.shape), got \(given.dtype)\(given.shape)")
            }
        }
        let known = Set(own.map(\.name))
        error.unexpected = state.keys.filter { !known.contains($0) }.sorted()
        if !strict {
            error.missing = []
            error.unexpected = []
        }
        if !error.mismatched.isEmpty || !error.missing.isEmpty || !error.unexpected.isEmpty { throw error }
        try withNoGrad {
            for (name, tensor) in own { if let given = state[name] { try tensor.copy_(given) } }
        }
    }
}
