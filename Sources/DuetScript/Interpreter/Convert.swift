import DuetTensor
import DuetNN

/// Checked conversions from script values to what Swift APIs take, each failing with a
/// TypeError that names the argument.
enum Convert {
    static func int(_ v: Value, _ what: String) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint:
            return try integral(t.item())
        default: throw ScriptError(.type, "\(what) must be an int, not \(v.typeName)")
        }
    }

    /// A double truncated to an int, or an OverflowError where Swift's conversion would trap.
    static func integral(_ d: Double) throws -> Int {
        guard d.isFinite else { throw ScriptError(d.isNaN ? .value : .overflow, "cannot convert float \(PyFloat.repr(d)) to integer") }
        guard d > -9.2233720368547758e18 && d < 9.2233720368547758e18 else {
            throw ScriptError(.overflow, "float \(PyFloat.repr(d)) is too large for a 64-bit integer")
        }
        return Int(d)
    }

    static func double(_ v: Value, _ what: String) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1: return try t.item()
        default: throw ScriptError(.type, "\(what) must be a number, not \(v.typeName)")
        }
    }

    static func bool(_ v: Value, _ what: String) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        default: throw ScriptError(.type, "\(what) must be a bool, not \(v.typeName)")
        }
    }

    static func string(_ v: Value, _ what: String) throws -> String {
        guard case .str(let s) = v else { throw ScriptError(.type, "\(what) must be a str, not \(v.typeName)") }
        return s
    }

    /// An int or a sequence of ints (`dim=1`, `dim=(0, 1)`, `kernel_size=3`).
    static func ints(_ v: Value, _ what: String) throws -> [Int] {
        switch v {
        case .int, .bool: return [try int(v, what)]
        case .list(let l): return try l.items.map { try int($0, what) }
        case .tuple(let items): return try items.map { try int($0, what) }
        case .object(let size as SizeObject): return size.dims
        case .tensor(let t) where !t.dtype.isFloatingPoint && t.rank <= 1:
            return try t.toDoubles().map(integral)
        default: throw ScriptError(.type, "\(what) must be an int or a tuple of ints, not \(v.typeName)")
        }
    }

    /// Varargs shapes: `zeros(2, 3)` and `zeros((2, 3))` both mean [2, 3].
    static func shape(_ values: [Value], _ what: String) throws -> [Int] {
        if values.count == 1, case .int = values[0] { return [try int(values[0], what)] }
        if values.count == 1 { return try ints(values[0], what) }
        return try values.map { try int($0, what) }
    }

    static func dtype(_ v: Value, _ what: String) throws -> DType {
        switch v {
        case .object(let o as DTypeObject): return o.dtype
        case .object(let o as TypeObject) where o.name == "float": return .float32
        case .object(let o as TypeObject) where o.name == "int": return .int64
        case .object(let o as TypeObject) where o.name == "bool": return .bool
        case .str(let s):
            if let d = DType(rawValue: s) { return d }
            throw ScriptError(.value, "\(what): unknown dtype '\(s)' (expected float32, float64, int64 or bool)")
        default: throw ScriptError(.type, "\(what) must be a dtype, not \(v.typeName)")
        }
    }

    /// A tensor operand: tensors as they are, Python numbers as wrapped scalars (which promote
    /// like PyTorch's), nested lists through `tensor(...)`.
    static func module(_ v: Value, _ what: String) throws -> Module {
        guard case .object(let m as ModuleObject) = v else { throw ScriptError(.type, "\(what) must be an nn.Module, not \(v.typeName)") }
        return m.module
    }

    static func tensor(_ v: Value, _ what: String) throws -> Tensor {
        switch v {
        case .tensor(let t): return t
        case .int(let i): return Tensor.scalar(i)
        case .float(let d): return Tensor.scalar(d)
        case .bool(let b): return Tensor.scalar(b)
        case .list, .tuple, .object(is SizeObject): return try TensorLiteral.make(v, dtype: nil)
        default: throw ScriptError(.type, "\(what) must be a Tensor, not \(v.typeName)")
        }
    }

    /// An engine attribute value from a script value.
    static func attr(_ v: Value, _ what: String) throws -> AttrValue {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .list, .tuple, .object(is SizeObject): return .ints(try ints(v, what))
        case .object(let o as DTypeObject): return .dtype(o.dtype)
        case .tensor(let t) where t.count == 1:
            return t.dtype.isFloatingPoint ? .double(try t.item()) : .int(try integral(t.item()))
        default: throw ScriptError(.type, "\(what): expected a number, bool, tuple of ints or dtype, not \(v.typeName)")
        }
    }
}
