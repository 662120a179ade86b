/// Which graph passes run (all by default), so a user can switch each off and see what it buys:
/// `compile(f, passes={"fuse": False})` in the language.
public struct PassOptions: Sendable, Equatable {
    public var fold = true
    public var simplify = true
    public var cse = true
    public var dce = true
    public var fuse = true
    /// GEMM epilogues: bias adds, activations and SGD updates folded into their matmuls.
    public var gemm = true
    /// Memory planning: buffers share one arena by lifetime; off, every value gets its own bytes.
    public var plan = true

    public init() {}

    /// No pass at all: the graph exactly as traced.
    public static let none: PassOptions = {
        var o = PassOptions()
        o.fold = false; o.simplify = false; o.cse = false; o.dce = false; o.fuse = false; o.gemm = false; o.plan = false
        return o
    }()

    public static let names = ["fold", "simplify", "cse", "dce", "fuse", "gemm", "plan"]

    /// Sets a pass by name; false when there is no pass of that name.
    public mutating func set(_ name: String, _ on: Bool) -> Bool {
        switch name {
        case "fold": fold = on
        case "simplify": simplify = on
        case "cse": cse = on
        case "dce": dce = on
        case "fuse": fuse = on
        case "gemm": gemm = on
        case "plan": plan = on
        default: return false
        }
        return true
    }

    public var enabled: [String] {
        zip(Self.names, [fold, simplify, cse, dce, fuse, gemm, plan]).filter(\.1).map(\.0)
    }
}

/// What a pass did, in a line the graph pane shows ("fuse: 9 ops → 1 kernel").
public struct PassReport: Sendable, Equatable {
    public let pass: String
    public let summary: String
    public var line: String { "\(pass): \(summary)" }
}

/// Runs the enabled passes in order, each reporting what it changed.
enum PassPipeline {
    static func run(_ graph: Graph, _ options: PassOptions) throws -> [PassReport] {
        var reports: [PassReport] = []
        if options.fold { reports.append(ConstantFolding.run(graph)) }
        if options.simplify { reports.append(try Simplification.run(graph)) }
        if options.cse { reports.append(CommonSubexpressions.run(graph)) }
        if options.dce { reports.append(DeadCode.run(graph)) }
        if options.fuse { reports.append(ElementwiseFusion.run(graph)) }
        if options.gemm { reports.append(GemmEpilogueFusion.run(graph)) }
        return reports
    }
}
