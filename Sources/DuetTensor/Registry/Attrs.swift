/// A non-tensor argument of an op (`dim`, `keepdim`, `value`, …), typed as the language sees it.
public enum AttrValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case ints([Int])
    case dtype(DType)
    case none

    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bool(let v): v ? "True" : "False"
        case .ints(let v): "(" + v.map(String.init).joined(separator: ", ") + ")"
        case .dtype(let d): d.rawValue
        case .none: "None"
        }
    }
}

public enum AttrType: String, Sendable {
    case int, double, bool, ints, dtype

    /// Converts a value to this type where PyTorch would (an int where a float is wanted, one int
    /// where a list of dims is wanted); nil when it does not fit.
    func coerce(_ v: AttrValue) -> AttrValue? {
        switch (self, v) {
        case (.int, .int), (.double, .double), (.bool, .bool), (.ints, .ints), (.dtype, .dtype): v
        case (.double, .int(let i)): .double(Double(i))
        case (.ints, .int(let i)): .ints([i])
        case (.int, .bool(let b)): .int(b ? 1 : 0)
        default: nil
        }
    }
}

/// One declared attribute: PyTorch's name, its type, whether None is allowed, and its default
/// (nil default means the caller must pass it).
public struct AttrParam: Sendable {
    public let name: String
    public let type: AttrType
    public let optional: Bool
    public let defaultValue: AttrValue?

    public init(_ name: String, _ type: AttrType, optional: Bool = false, default defaultValue: AttrValue? = nil) {
        self.name = name
        self.type = type
        self.optional = optional
        self.defaultValue = defaultValue
    }
}

/// An op's attribute values, positional in the order its signature declares them, so the hot path
/// does no name lookups.
public struct Attrs: Sendable, Equatable, CustomStringConvertible {
    public var values: [AttrValue]
    public init(_ values: [AttrValue] = []) { self.values = values }

    public subscript(i: Int) -> AttrValue { i < values.count ? values[i] : .none }

    func int(_ i: Int) -> Int {
        if case .int(let v) = self[i] { return v }
        return 0
    }
    func double(_ i: Int) -> Double {
        switch self[i] {
        case .double(let v): v
        case .int(let v): Double(v)
        default: 0
        }
    }
    func bool(_ i: Int) -> Bool {
        if case .bool(let v) = self[i] { return v }
        return false
    }
    func ints(_ i: Int) -> [Int] {
        if case .ints(let v) = self[i] { return v }
        return []
    }
    func optionalInts(_ i: Int) -> [Int]? {
        if case .ints(let v) = self[i] { return v }
        return nil
    }
    func optionalDouble(_ i: Int) -> Double? {
        switch self[i] {
        case .double(let v): v
        case .int(let v): Double(v)
        default: nil
        }
    }
    func dtype(_ i: Int) -> DType? {
        if case .dtype(let d) = self[i] { return d }
        return nil
    }

    public var description: String { values.map(\.description).joined(separator: ", ") }
}
