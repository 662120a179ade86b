import DuetTensor

/// `torch.Size`: what `x.shape` and `x.size()` return. PyTorch's is a tuple subclass, so this
/// object is a tuple wherever the interpreter asks for one (`Value.tupleItems`: indexing,
/// unpacking, `==`, hashing, `+`, `isinstance(s, tuple)`, shapes passed back to the API); only
/// its printed form, its slices and sums (Sizes again) and `numel()` are its own.
final class SizeObject: ScriptObject, Subscriptable {
    let dims: [Int]
    init(_ dims: [Int]) { self.dims = dims }

    var items: [Value] { dims.map(Value.int) }

    override var typeName: String { "Size" }
    override var repr: String { "torch.Size([" + dims.map(String.init).joined(separator: ", ") + "])" }
    override var length: Int? { dims.count }
    override var isTruthy: Bool { !dims.isEmpty }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { ArrayIterator(items) }

    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        let v = try Subscript.get(.tuple(items), index, interp)
        guard case .tuple(let sliced) = v else { return v }
        return .object(try SizeObject(from: sliced))
    }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        let dims = dims
        switch name {
        case "numel":
            return .object(BuiltinFunction(Signature("numel()"), "The number of elements a tensor of this shape has.") { _, _ in
                .int(try dims.reduce(1) { try checkedMultiply($0, $1, "Size.numel()") })
            })
        case "index", "count":
            let method = ContainerMethods.tuple[name]
            return method.map { .object(BoundMethod(.tuple(dims.map(Value.int)), $0)) }
        default: return nil
        }
    }
    override var attributeNames: [String] { ["count", "index", "numel"] }

    /// A Size from ints (a ValueError names what is not one).
    convenience init(from values: [Value]) throws {
        self.init(try values.map { try Convert.int($0, "torch.Size()") })
    }

    /// `tuple + Size`, `Size + tuple`, `Size * n`: a Size again, as in PyTorch; nil otherwise.
    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard l.objectValue is SizeObject || r.objectValue is SizeObject else { return nil }
        switch (op, l.tupleItems, r.tupleItems) {
        case (.add, let a?, let b?): return .object(try SizeObject(from: a + b))
        case (.multiply, let a?, nil), (.multiply, nil, let a?):
            let repeated = try Operators.binary(.multiply, .tuple(a), l.tupleItems == nil ? l : r)
            return .object(try SizeObject(from: repeated.tupleItems ?? []))
        default: return nil
        }
    }

    /// `torch.Size(sizes=())`.
    static func register(_ r: Builtins.Registrar) {
        r.add("Size", .object(TypeObject(Signature("Size(sizes=(), /)"), doc: "A tensor shape: a tuple of ints that prints as torch.Size([...]).") { b, interp in
            guard let v = b["sizes"] else { return .object(SizeObject([])) }
            return .object(try SizeObject(from: try Iteration.collect(v, interp)))
        }), .torch)
    }
}

private func checkedMultiply(_ a: Int, _ b: Int, _ what: String) throws -> Int {
    let (p, overflow) = a.multipliedReportingOverflow(by: b)
    guard !overflow else { throw ScriptError(.overflow, "\(what): the product overflows 64 bits") }
    return p
}

extension Value {
    /// The items of a tuple or of a torch.Size (PyTorch's tuple subclass); nil for anything else.
    var tupleItems: [Value]? {
        switch self {
        case .tuple(let items): items
        case .object(let s as SizeObject): s.items
        default: nil
        }
    }
}
