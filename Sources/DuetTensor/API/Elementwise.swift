/// Elementwise ops as Tensor methods, operators and free functions. Each is one registry call.
extension Tensor {
    func binary(_ op: OpDef, _ other: Tensor) throws -> Tensor { try Dispatch.call1(op, [self, other]) }
    func unary(_ op: OpDef) throws -> Tensor { try Dispatch.call1(op, [self]) }

    public func add(_ o: Tensor) throws -> Tensor { try binary(Ops.add, o) }
    public func sub(_ o: Tensor) throws -> Tensor { try binary(Ops.sub, o) }
    public func mul(_ o: Tensor) throws -> Tensor { try binary(Ops.mul, o) }
    public func div(_ o: Tensor) throws -> Tensor { try binary(Ops.div, o) }
    public func floorDivide(_ o: Tensor) throws -> Tensor { try binary(Ops.floorDivide, o) }
    public func remainder(_ o: Tensor) throws -> Tensor { try binary(Ops.remainder, o) }
    public func pow(_ o: Tensor) throws -> Tensor { try binary(Ops.pow, o) }
    public func pow(_ e: Double) throws -> Tensor { try binary(Ops.pow, .scalar(e)) }
    public func maximum(_ o: Tensor) throws -> Tensor { try binary(Ops.maximum, o) }
    public func minimum(_ o: Tensor) throws -> Tensor { try binary(Ops.minimum, o) }
    public func logicalAnd(_ o: Tensor) throws -> Tensor { try binary(Ops.logicalAnd, o) }
    public func logicalOr(_ o: Tensor) throws -> Tensor { try binary(Ops.logicalOr, o) }
    public func logicalNot() throws -> Tensor { try unary(Ops.logicalNot) }

    public func neg() throws -> Tensor { try unary(Ops.neg) }
    public func abs() throws -> Tensor { try unary(Ops.abs) }
    public func sign() throws -> Tensor { try unary(Ops.sign) }
    public func relu() throws -> Tensor { try unary(Ops.relu) }
    /// This gradient masked where `result` (a relu's output) is not positive.
    public func reluBackward(_ result: Tensor) throws -> Tensor { try binary(Ops.reluBackward, result) }
    public func exp() throws -> Tensor { try unary(Ops.exp) }
    public func log() throws -> Tensor { try unary(Ops.log) }
    public func sqrt() throws -> Tensor { try unary(Ops.sqrt) }
    public func rsqrt() throws -> Tensor { try unary(Ops.rsqrt) }
    public func erf() throws -> Tensor { try unary(Ops.erf) }
    public func tanh() throws -> Tensor { try unary(Ops.tanh) }
    public func sigmoid() throws -> Tensor { try unary(Ops.sigmoid) }

    public func clamp(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try Dispatch.call1(Ops.clamp, [self], Attrs([min.map(AttrValue.double) ?? .none, max.map(AttrValue.double) ?? .none]))
    }

    public func maskedFill(_ mask: Tensor, _ value: Double) throws -> Tensor {
        try Dispatch.call1(Ops.maskedFill, [self, mask], Attrs([.double(value)]))
    }

    /// `condition ? input : other` elementwise (torch.where; `where` is a Swift keyword).
    public static func where_(_ condition: Tensor, _ input: Tensor, _ other: Tensor) throws -> Tensor {
        try Dispatch.call1(Ops.where_, [condition, input, other])
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.add(b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.sub(b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.mul(b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.div(b) }
    public static func % (a: Tensor, b: Tensor) throws -> Tensor { try a.remainder(b) }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.neg() }

    public static func + (a: Tensor, b: Double) throws -> Tensor { try a.add(.scalar(b)) }
    public static func - (a: Tensor, b: Double) throws -> Tensor { try a.sub(.scalar(b)) }
    public static func * (a: Tensor, b: Double) throws -> Tensor { try a.mul(.scalar(b)) }
    public static func / (a: Tensor, b: Double) throws -> Tensor { try a.div(.scalar(b)) }
    public static func + (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(a).add(b) }
    public static func - (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(a).sub(b) }
    public static func * (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(a).mul(b) }
    public static func / (a: Double, b: Tensor) throws -> Tensor { try Tensor.scalar(a).div(b) }
    public static func + (a: Tensor, b: Int) throws -> Tensor { try a.add(.scalar(b)) }
    public static func - (a: Tensor, b: Int) throws -> Tensor { try a.sub(.scalar(b)) }
    public static func * (a: Tensor, b: Int) throws -> Tensor { try a.mul(.scalar(b)) }
    public static func / (a: Tensor, b: Int) throws -> Tensor { try a.div(.scalar(b)) }
    public static func + (a: Int, b: Tensor) throws -> Tensor { try Tensor.scalar(a).add(b) }
    public static func - (a: Int, b: Tensor) throws -> Tensor { try Tensor.scalar(a).sub(b) }
    public static func * (a: Int, b: Tensor) throws -> Tensor { try Tensor.scalar(a).mul(b) }

    public static func == (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(Ops.eq, b) }
    public static func != (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(Ops.ne, b) }
    public static func < (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(Ops.lt, b) }
    public static func <= (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(Ops.le, b) }
    public static func > (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(Ops.gt, b) }
    public static func >= (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(Ops.ge, b) }
    public static func == (a: Tensor, b: Double) throws -> Tensor { try a.binary(Ops.eq, .scalar(b)) }
    public static func != (a: Tensor, b: Double) throws -> Tensor { try a.binary(Ops.ne, .scalar(b)) }
    public static func < (a: Tensor, b: Double) throws -> Tensor { try a.binary(Ops.lt, .scalar(b)) }
    public static func <= (a: Tensor, b: Double) throws -> Tensor { try a.binary(Ops.le, .scalar(b)) }
    public static func > (a: Tensor, b: Double) throws -> Tensor { try a.binary(Ops.gt, .scalar(b)) }
    public static func >= (a: Tensor, b: Double) throws -> Tensor { try a.binary(Ops.ge, .scalar(b)) }
}

public func exp(_ x: Tensor) throws -> Tensor { try x.exp() }
public func log(_ x: Tensor) throws -> Tensor { try x.log() }
public func sqrt(_ x: Tensor) throws -> Tensor { try x.sqrt() }
public func tanh(_ x: Tensor) throws -> Tensor { try x.tanh() }
public func sigmoid(_ x: Tensor) throws -> Tensor { try x.sigmoid() }
public func relu(_ x: Tensor) throws -> Tensor { try x.relu() }
public func erf(_ x: Tensor) throws -> Tensor { try x.erf() }
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.maximum(b) }
public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.minimum(b) }
public func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.pow(b) }
