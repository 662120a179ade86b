import DuetTensor
import DuetNN

/// A loss module (`nn.CrossEntropyLoss()`): called with predictions and targets.
final class LossObject: ScriptObject {
    let name: String
    let compute: (Tensor, Tensor) throws -> Tensor
    init(_ name: String, _ compute: @escaping (Tensor, Tensor) throws -> Tensor) {
        self.name = name
        self.compute = compute
    }
    override var typeName: String { name }
    override var repr: String { "\(name)()" }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        let b = try BoundArguments(args, name, ["input", "target"], required: 2)
        return .tensor(try compute(try b.tensor(0), try b.tensor(1)))
    }
}

/// Losses as functions (`F.cross_entropy`) and as modules (`nn.CrossEntropyLoss`), both from
/// the engine's `Loss` composites.
enum LossBuiltins {
    private static func reduction(_ b: BoundArguments, _ i: Int) throws -> Reduction {
        let text = try b.string(i, "mean")
        guard let r = Reduction(rawValue: text) else { throw ScriptError(.value, "\(text) is not a valid value for reduction (mean, sum or none)") }
        return r
    }

    /// One loss: its parameters after (input, target), and how to compute it from them.
    private struct Definition {
        let function: String
        let module: String
        let options: [String]
        let doc: String
        let compute: @Sendable (Tensor, Tensor, BoundArguments, Int) throws -> Tensor
    }

    private static let definitions: [Definition] = [
        Definition(function: "cross_entropy", module: "CrossEntropyLoss", options: ["ignore_index", "reduction", "label_smoothing"],
                   doc: "Cross-entropy of logits [N, C] against int64 class targets [N].") { x, y, b, k in
            try Loss.crossEntropy(x, y, ignoreIndex: try b.int(k, -100), reduction: try reduction(b, k + 1), labelSmoothing: try b.double(k + 2, 0))
        },
        Definition(function: "nll_loss", module: "NLLLoss", options: ["ignore_index", "reduction"],
                   doc: "Negative log-likelihood of int64 targets under log-probabilities.") { x, y, b, k in
            try Loss.nll(x, y, ignoreIndex: try b.int(k, -100), reduction: try reduction(b, k + 1))
        },
        Definition(function: "mse_loss", module: "MSELoss", options: ["reduction"], doc: "Mean squared error.") { x, y, b, k in
            try Loss.mse(x, y, reduction: try reduction(b, k))
        },
        Definition(function: "l1_loss", module: "L1Loss", options: ["reduction"], doc: "Mean absolute error.") { x, y, b, k in
            try Loss.l1(x, y, reduction: try reduction(b, k))
        },
        Definition(function: "binary_cross_entropy_with_logits", module: "BCEWithLogitsLoss", options: ["reduction"],
                   doc: "Binary cross-entropy on logits, computed stably.") { x, y, b, k in
            try Loss.binaryCrossEntropyWithLogits(x, y, reduction: try reduction(b, k))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        for d in definitions {
            let parameters = ["input", "target"] + d.options
            r.function(d.function, "\(d.function)(" + parameters.joined(separator: ", ") + ")", d.doc, [.flat, .functional]) { a, _ in
                let b = try BoundArguments(a, d.function, parameters, required: 2)
                return .tensor(try d.compute(try b.tensor(0), try b.tensor(1), b, 2))
            }
            let type = TypeObject(d.module, doc: "\(d.module)(" + d.options.joined(separator: ", ") + ")\n    " + d.doc) { a, _ in
                let b = try BoundArguments(a, d.module, d.options)
                if let i = d.options.firstIndex(of: "reduction") { _ = try reduction(b, i) }
                return .object(LossObject(d.module) { x, y in try d.compute(x, y, b, 0) })
            }
            r.add(d.module, .object(type), [.flat, .nn])
        }
        r.function("accuracy", "accuracy(logits, target)", "Fraction of rows whose arg-max equals the int64 target.", .flat) { a, _ in
            let b = try BoundArguments(a, "accuracy", ["logits", "target"], required: 2)
            return .float(try Loss.accuracy(try b.tensor(0), try b.tensor(1)))
        }
    }
}
