/// Element types of the engine. float64 exists for gradient checks; bool is stored one byte per
/// element. float16 and bfloat16 are storage formats: ops on them compute in float32 and round
/// the result back (`HalfPrecision`), so kernels never see them.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case bool, int64, float16, bfloat16, float32, float64

    public var description: String { rawValue }

    public var itemSize: Int {
        switch self {
        case .bool: 1
        case .float16, .bfloat16: 2
        case .int64, .float64: 8
        case .float32: 4
        }
    }

    public var isFloatingPoint: Bool { category == 2 }

    /// The 16-bit storage formats, which compute in float32.
    public var isHalfPrecision: Bool { self == .float16 || self == .bfloat16 }

    /// PyTorch's promotion categories: bool < integral < floating.
    var category: Int {
        switch self {
        case .bool: 0
        case .int64: 1
        case .float16, .bfloat16, .float32, .float64: 2
        }
    }

    /// Rank inside the lattice bool < int64 < {float16, bfloat16} < float32 < float64.
    var rank: Int {
        switch self {
        case .bool: 0
        case .int64: 1
        case .float16, .bfloat16: 2
        case .float32: 3
        case .float64: 4
        }
    }

    /// The dtype a Python-style number of this category becomes (PyTorch's default dtypes).
    static func defaultFor(category: Int) -> DType {
        switch category {
        case 0: .bool
        case 1: .int64
        default: .float32
        }
    }

    /// float16 and bfloat16 hold different ranges, so neither holds the other: they meet at float32.
    static func higher(_ a: DType, _ b: DType) -> DType {
        if a.rank == b.rank && a != b { return .float32 }
        return a.rank >= b.rank ? a : b
    }

    /// Whether an in-place result of dtype `self` may be written into a tensor of dtype `target`
    /// (PyTorch refuses to cast down a category, e.g. float results into an int64 tensor).
    func canCast(to target: DType) -> Bool { category <= target.category }
}

/// Result dtype of an operation over `tensors`, following PyTorch's rules: dimensioned tensors
/// decide, unless a zero-dim tensor or a wrapped Python number has a higher category.
func promoteTypes(_ tensors: [Tensor]) -> DType {
    var dimensioned: DType?
    var zeroDim: DType?
    var wrapped: DType?
    for t in tensors {
        if t.isWrappedNumber {
            wrapped = wrapped.map { DType.higher($0, t.dtype) } ?? t.dtype
        } else if t.shape.isEmpty {
            zeroDim = zeroDim.map { DType.higher($0, t.dtype) } ?? t.dtype
        } else {
            dimensioned = dimensioned.map { DType.higher($0, t.dtype) } ?? t.dtype
        }
    }
    var result = dimensioned ?? zeroDim ?? wrapped ?? .float32
    if dimensioned != nil, let z = zeroDim, z.category > result.category { result = z }
    if let w = wrapped, w.category > result.category {
        result = (dimensioned == nil && zeroDim == nil) ? w : DType.defaultFor(category: w.category)
    }
    return result
}

/// Swift types that back a dtype, with lossless-enough conversion through Double for
/// references and casts.
protocol DuetScalar {
    static var dtype: DType { get }
    init(duetDouble: Double)
    var duetDouble: Double { get }
}

extension Float: DuetScalar {
    static var dtype: DType { .float32 }
    init(duetDouble: Double) { self = Float(duetDouble) }
    var duetDouble: Double { Double(self) }
}

extension Double: DuetScalar {
    static var dtype: DType { .float64 }
    init(duetDouble: Double) { self = duetDouble }
    var duetDouble: Double { self }
}

extension Float16: DuetScalar {
    static var dtype: DType { .float16 }
    init(duetDouble: Double) { self = Float16(Float(duetDouble)) }
    var duetDouble: Double { Double(Float(self)) }
}

extension BFloat16: DuetScalar {
    static var dtype: DType { .bfloat16 }
    init(duetDouble: Double) { self.init(Float(duetDouble)) }
    var duetDouble: Double { Double(float) }
}

extension Int64: DuetScalar {
    static var dtype: DType { .int64 }
    /// Truncates toward zero like C and PyTorch; NaN and out-of-range values saturate instead of trapping.
    init(duetDouble: Double) {
        if duetDouble.isNaN { self = 0 }
        else if duetDouble >= 9.2233720368547758e18 { self = .max }
        else if duetDouble <= -9.2233720368547758e18 { self = .min }
        else { self = Int64(duetDouble) }
    }
    var duetDouble: Double { Double(self) }
}

extension Bool: DuetScalar {
    static var dtype: DType { .bool }
    init(duetDouble: Double) { self = duetDouble != 0 }
    var duetDouble: Double { self ? 1 : 0 }
}
