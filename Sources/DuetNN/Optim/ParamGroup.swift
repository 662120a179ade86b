import DuetTensor

/// A hyperparameter of a parameter group, typed as PyTorch keeps it: an int stays an int, so
/// `g["weight_decay"]` reads back `0`, not `0.0`.
public enum OptimOption: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case pair(Double, Double)
}

/// Where a group's options live. The optimizer reads them at every step, so a store the user
/// edits (the script's `param_groups` dicts) changes the next update.
public protocol OptionStore: AnyObject {
    func option(_ key: String) throws -> OptimOption?
    func setOption(_ key: String, _ value: OptimOption) throws
}

/// The options of a group built from Swift: an ordered table.
public final class OptionTable: OptionStore {
    public private(set) var entries: [(key: String, value: OptimOption)]
    public init(_ entries: [(key: String, value: OptimOption)] = []) { self.entries = entries }
    public func option(_ key: String) -> OptimOption? { entries.first { $0.key == key }?.value }
    public func setOption(_ key: String, _ value: OptimOption) {
        if let i = entries.firstIndex(where: { $0.key == key }) { entries[i].value = value } else { entries.append((key, value)) }
    }
}

/// Parameters that share options (torch.optim's param_groups). The learning rate is also a
/// 0-dim tensor the updates read, so a traced step sees it change; it follows the "lr" option.
public final class ParamGroup {
    public let params: [Tensor]
    public let store: OptionStore
    public let lr: Tensor
    private var lrInTensor: Double

    init(_ params: [Tensor], _ store: OptionStore) throws {
        self.params = params
        self.store = store
        lrInTensor = 0
        lr = try Tensor.zeros([], dtype: .float64)
        try syncLearningRate()
    }

    public func option(_ key: String) throws -> OptimOption {
        guard let v = try store.option(key) else { throw TensorError.value("param group has no option '\(key)'") }
        return v
    }

    public func double(_ key: String) throws -> Double {
        switch try option(key) {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        default: throw TensorError.value("param group option '\(key)' must be a number")
        }
    }

    public func bool(_ key: String) throws -> Bool {
        switch try option(key) {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .none: return false
        default: throw TensorError.value("param group option '\(key)' must be a bool")
        }
    }

    public func pair(_ key: String) throws -> (Double, Double) {
        guard case .pair(let a, let b) = try option(key) else { throw TensorError.value("param group option '\(key)' must be a pair of floats") }
        return (a, b)
    }

    public var learningRate: Double { get throws { try double("lr") } }

    public func setLearningRate(_ value: Double) throws {
        try store.setOption("lr", .double(value))
        try syncLearningRate()
    }

    /// Writes the "lr" option into the tensor when it changed (only then, so a traced step
    /// records no fill).
    func syncLearningRate() throws {
        let value = try learningRate
        guard value != lrInTensor else { return }
        _ = try withNoGrad { try lr.fill_(value) }
        lrInTensor = value
    }
}
