/// How an op may be fused in graph mode, and how the profiler counts its bytes.
public enum FusionClass: String, Sendable {
    case elementwise, reduction, movement, opaque
}

/// Work an op does for given shapes: the profiler's FLOP and byte columns come from here.
public struct Cost: Sendable, Equatable {
    public var flops: Int
    public var bytesRead: Int
    public var bytesWritten: Int
    public init(flops: Int, bytesRead: Int, bytesWritten: Int) {
        self.flops = flops
        self.bytesRead = bytesRead
        self.bytesWritten = bytesWritten
    }
}

/// A tensor argument: its PyTorch name, whether it takes a list of tensors (`cat`), and whether
/// it may be left out (`bias`; only the last inputs can be).
public struct InputParam: Sendable {
    public let name: String
    public let variadic: Bool
    public let optional: Bool
    public init(_ name: String, variadic: Bool = false, optional: Bool = false) {
        self.name = name
        self.variadic = variadic
        self.optional = optional
    }
}

/// Which tensor inputs are cast to a common dtype before the kernel runs, and what that
/// dtype becomes: kernels then only see inputs of one dtype.
public enum Promotion: Sendable {
    /// The op handles dtypes in its shape rule.
    case none
    /// Cast the listed inputs to their PyTorch result type.
    case common([Int])
    /// As `common`, but integers and bools become float32 (true division, exp, …).
    case commonFloat([Int])
    /// Every tensor input, however many (cat).
    case commonAll
}

/// Arguments a compute kernel receives: inputs already promoted, outputs already allocated.
public struct KernelArgs {
    public let inputs: [Tensor]
    public let outputs: [Tensor]
    public let attrs: Attrs
    /// The graph executor builds these once per plan and reuses them on every run.
    public init(inputs: [Tensor], outputs: [Tensor], attrs: Attrs) {
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
    }
}

public enum Kernel: Sendable {
    /// Writes into preallocated outputs (what the graph executor's planned buffers need).
    case compute(@Sendable (KernelArgs) throws -> Void)
    /// Returns a view of input 0 without copying (shape, strides, offset only).
    case view(@Sendable (Tensor, Attrs) throws -> Tensor)
}

/// What backward needs kept from the forward pass (the tape pane shows these bytes).
public struct Saves: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let inputs = Saves(rawValue: 1)
    public static let outputs = Saves(rawValue: 2)
}

/// What a backward rule sees: saved tensors, the incoming gradients, attrs and input metadata.
public struct VJPContext {
    let savedInputs: [Tensor]
    let savedOutputs: [Tensor]
    public let gradOutputs: [Tensor]
    public let attrs: Attrs
    public let inputMetas: [TensorMeta]
    /// Rules may skip work for inputs whose gradient nobody wants.
    public let needsGrad: [Bool]
    let opName: String

    public func input(_ i: Int) throws -> Tensor {
        guard i < savedInputs.count else { throw TensorError.autograd("\(opName): backward rule reads input \(i), which was not saved") }
        return savedInputs[i]
    }
    public func output(_ i: Int) throws -> Tensor {
        guard i < savedOutputs.count else { throw TensorError.autograd("\(opName): backward rule reads output \(i), which was not saved") }
        return savedOutputs[i]
    }
    public var grad: Tensor { gradOutputs[0] }
}

public enum Backward: Sendable {
    /// The op's outputs carry no gradient (comparisons, argmax, integer ops).
    case notDifferentiable
    /// A vector-Jacobian product written in registry ops, one gradient (or nil) per tensor input.
    case rule(saves: Saves, vjp: @Sendable (VJPContext) throws -> [Tensor?])
}

/// Values a naive reference works on: logical row-major elements in Double.
public struct RefArray: Equatable, Sendable {
    public var shape: [Int]
    public var data: [Double]
    public init(shape: [Int], data: [Double]) {
        self.shape = shape
        self.data = data
    }
}

/// The one declaration of an operation. Dispatch, autograd, tracing, the profiler's labels and
/// costs, the language's builtins and docs, and the registry-wide tests are all derived from it.
public final class OpDef: Sendable, CustomStringConvertible {
    public let name: String
    public let doc: String
    public let inputs: [InputParam]
    public let attrs: [AttrParam]
    public let fusion: FusionClass
    public let promotion: Promotion
    let infer: @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta]
    public let kernel: Kernel
    /// An independent scalar-loop implementation the tests hold the kernel to.
    let reference: @Sendable ([RefArray], Attrs) throws -> [RefArray]
    public let backward: Backward
    /// Throws like the other closures: a cost model reads attrs by name, and a read that does not
    /// fit the signature is an error to report (the profiler and the graph's plan pass it on)
    /// rather than a cost of zero that looks like a free op.
    let cost: @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost
    public let samples: [OpSample]
    /// Set for plain elementwise ops: the eager handler's allocation-light path runs these loops
    /// directly when inputs already agree in shape, dtype and layout.
    let fast: FastElementwise?
    /// Draws from the shared generator: graph passes never fold, merge or drop such a node, and
    /// each run of a compiled plan draws fresh values.
    public let isRandom: Bool
    /// Talks to other ranks (the collectives): like a random draw, it must run exactly where
    /// and as often as the program says, and the profiler counts it as communication.
    public let communicates: Bool
    /// Where the language offers the op (function, method, `F.`, in-place method).
    public let placement: OpPlacement
    /// `attrs` as the one shared list every bound `Attrs` of this op points to.
    public let attrSignature: AttrSignature

    /// `placement` nil means `OpPlacement.standard(for: fusion)`.
    public init(
        name: String, doc: String, inputs: [InputParam], attrs: [AttrParam] = [],
        fusion: FusionClass, promotion: Promotion = .none,
        infer: @escaping @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta],
        kernel: Kernel,
        reference: @escaping @Sendable ([RefArray], Attrs) throws -> [RefArray],
        backward: Backward,
        cost: @escaping @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost,
        samples: [OpSample],
        fast: FastElementwise? = nil,
        isRandom: Bool = false,
        communicates: Bool = false,
        placement: OpPlacement? = nil
    ) {
        self.name = name
        self.doc = doc
        self.inputs = inputs
        self.attrs = attrs
        self.fusion = fusion
        self.promotion = promotion
        self.infer = infer
        self.kernel = kernel
        self.reference = reference
        self.backward = backward
        self.cost = cost
        self.samples = samples
        self.fast = fast
        self.isRandom = isRandom
        self.communicates = communicates
        self.placement = placement ?? .standard(for: fusion)
        attrSignature = AttrSignature(op: name, params: attrs)
    }

    /// Graph passes never fold, merge or drop such a node.
    public var hasEffects: Bool { isRandom || communicates }

    public var isDifferentiable: Bool {
        if case .notDifferentiable = backward { return false }
        return true
    }

    public var isView: Bool {
        if case .view = kernel { return true }
        return false
    }

    /// `add(input, other)`-style signature line for help and completion.
    public var signature: String {
        let ins = inputs.map { $0.variadic ? "*\($0.name)" : ($0.optional ? "\($0.name)=None" : $0.name) }
        let ats = attrs.map { p in p.defaultValue.map { "\(p.name)=\($0)" } ?? p.name }
        return "\(name)(" + (ins + ats).joined(separator: ", ") + ")"
    }

    public var description: String { signature }

    /// The outputs' shapes and dtypes for these inputs, each held to the engine's element limit:
    /// both handlers call this before any kernel or view runs, so no op can make (or hand a later
    /// op) a tensor whose size overflows or exceeds `EngineContext.maxElements`.
    public func outputMetas(_ inputs: [TensorMeta], _ attrs: Attrs) throws -> [TensorMeta] {
        let metas = try infer(inputs, bind(attrs))
        let ctx = EngineContext.current
        for m in metas { _ = try ctx.checkedElementCount(m.shape, dtype: m.dtype, op: name) }
        return metas
    }

    public func costFor(_ inputs: [TensorMeta], _ outputs: [TensorMeta], _ attrs: Attrs) throws -> Cost {
        try cost(inputs, outputs, bind(attrs))
    }

    public func runReference(_ inputs: [RefArray], _ attrs: Attrs) throws -> [RefArray] {
        try reference(inputs, bind(attrs))
    }
}
