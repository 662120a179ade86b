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

    /// The Python type name binding errors quote ("must be int, not float").
    public var typeName: String {
        switch self {
        case .int: "int"
        case .double: "float"
        case .bool: "bool"
        case .ints: "tuple"
        case .dtype: "torch.dtype"
        case .none: "NoneType"
        }
    }
}

public enum AttrType: String, Sendable {
    case int, double, bool, ints, dtype

    /// Converts a value to this type where PyTorch would (an int where a float is wanted, one int
    /// where a list of dims is wanted, a bool where an int is wanted); nil when it does not fit.
    public func coerce(_ v: AttrValue) -> AttrValue? {
        switch (self, v) {
        case (.int, .int), (.double, .double), (.bool, .bool), (.ints, .ints), (.dtype, .dtype): v
        case (.double, .int(let i)): .double(Double(i))
        case (.ints, .int(let i)): .ints([i])
        case (.int, .bool(let b)): .int(b ? 1 : 0)
        default: nil
        }
    }

    /// True when the value already is of this type, with nothing to coerce.
    @inline(__always)
    func holds(_ v: AttrValue) -> Bool {
        switch (self, v) {
        case (.int, .int), (.double, .double), (.bool, .bool), (.ints, .ints), (.dtype, .dtype): true
        default: false
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

/// An op's attribute values in the order its signature declares them. Values built by a caller
/// (`Attrs([.int(dim)])`) are unchecked until `OpDef.bind` validates them against the op's
/// signature, which every dispatch does; only bound values can be read, and only by name.
/// Equality and the description (graph CSE keys) compare the values alone.
public struct Attrs: Sendable, Equatable, CustomStringConvertible {
    public let values: [AttrValue]
    /// The signature these values were validated against; nil until bound.
    let signature: AttrSignature?

    public init(_ values: [AttrValue] = []) {
        self.values = values
        signature = nil
    }

    init(values: [AttrValue], signature: AttrSignature) {
        self.values = values
        self.signature = signature
    }

    public static func == (a: Attrs, b: Attrs) -> Bool { a.values == b.values }

    public var description: String { values.map(\.description).joined(separator: ", ") }
}
