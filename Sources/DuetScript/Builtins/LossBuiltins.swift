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
        let b = try Self.call.bind(args)
        return .tensor(try compute(try b.tensor("input"), try b.tensor("target")))
    }
    private static let call = Signature("forward(input, target)")
}

/// Losses as functions (`F.cross_entropy`) and as modules (`nn.CrossEntropyLoss`), both from
/// the engine's `Loss` composites.
enum LossBuiltins {
    private static func reduction(_ b: BoundArguments) throws -> Reduction {
        let text = try b.string("reduction")
        guard let r = Reduction(rawValue: text) else { throw ScriptError(.value, "\(text) is not a valid value for reduction (mean, sum or none)") }
        return r
    }

    private static func klReduction(_ b: BoundArguments) throws -> Loss.KLReduction {
        let text = try b.string("reduction")
        guard let r = Loss.KLReduction(rawValue: text) else { throw ScriptError(.value, "\(text) is not a valid value for reduction (mean, batchmean, sum or none)") }
        return r
    }

    /// One loss: its keywords after (input, target), and how to compute it from them.
    private struct Definition {
        let function: String
        let module: String
        let options: String
        let doc: String
        /// Checks the constructor's options (the reduction name) before the first call.
        var validate: @Sendable (BoundArguments) throws -> Void = { _ = try reduction($0) }
        let compute: @Sendable (Tensor, Tensor, BoundArguments) throws -> Tensor
    }

    private static let definitions: [Definition] = [
        Definition(function: "cross_entropy", module: "CrossEntropyLoss", options: "weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0",
                   doc: "Cross-entropy of logits [N, C] against int64 class targets [N] or class probabilities [N, C].") { x, y, b in
            try Loss.crossEntropy(x, y, weight: try b.optionalTensor("weight"), ignoreIndex: try b.int("ignore_index"), reduction: try reduction(b),
                                  labelSmoothing: try b.double("label_smoothing"))
        },
        Definition(function: "nll_loss", module: "NLLLoss", options: "weight=None, ignore_index=-100, reduction='mean'",
                   doc: "Negative log-likelihood of int64 targets under log-probabilities.") { x, y, b in
            try Loss.nll(x, y, weight: try b.optionalTensor("weight"), ignoreIndex: try b.int("ignore_index"), reduction: try reduction(b))
        },
        Definition(function: "mse_loss", module: "MSELoss", options: "reduction='mean'", doc: "Mean squared error.") { x, y, b in
            try Loss.mse(x, y, reduction: try reduction(b))
        },
        Definition(function: "l1_loss", module: "L1Loss", options: "reduction='mean'", doc: "Mean absolute error.") { x, y, b in
            try Loss.l1(x, y, reduction: try reduction(b))
        },
        Definition(function: "smooth_l1_loss", module: "SmoothL1Loss", options: "reduction='mean', beta=1.0",
                   doc: "Squared error below beta, absolute error above (0.5·d²/beta or |d| − 0.5·beta).") { x, y, b in
            try Loss.smoothL1(x, y, beta: try b.double("beta"), reduction: try reduction(b))
        },
        Definition(function: "huber_loss", module: "HuberLoss", options: "reduction='mean', delta=1.0",
                   doc: "0.5·d² below delta, delta·(|d| − 0.5·delta) above.") { x, y, b in
            try Loss.huber(x, y, delta: try b.double("delta"), reduction: try reduction(b))
        },
        Definition(function: "binary_cross_entropy", module: "BCELoss", options: "weight=None, reduction='mean'",
                   doc: "Binary cross-entropy of probabilities in [0, 1] (each log clamped at -100).") { x, y, b in
            try Loss.binaryCrossEntropy(x, y, weight: try b.optionalTensor("weight"), reduction: try reduction(b))
        },
        Definition(function: "binary_cross_entropy_with_logits", module: "BCEWithLogitsLoss", options: "weight=None, reduction='mean', pos_weight=None",
                   doc: "Binary cross-entropy on logits, computed stably; pos_weight weighs the positive class.") { x, y, b in
            try Loss.binaryCrossEntropyWithLogits(x, y, weight: try b.optionalTensor("weight"), posWeight: try b.optionalTensor("pos_weight"),
                                                  reduction: try reduction(b))
        },
        Definition(function: "kl_div", module: "KLDivLoss", options: "reduction='mean', log_target=False",
                   doc: "KL divergence of log-probabilities input from target (reduction may be 'batchmean').", validate: { _ = try klReduction($0) }) { x, y, b in
            try Loss.klDiv(x, y, reduction: try klReduction(b), logTarget: try b.bool("log_target"))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        for d in definitions {
            r.function("\(d.function)(input, target, \(d.options))", d.doc, [.flat, .functional]) { b, _ in
                .tensor(try d.compute(try b.tensor("input"), try b.tensor("target"), b))
            }
            r.type("\(d.module)(\(d.options))", d.doc, [.flat, .nn]) { b, _ in
                try d.validate(b)
                return .object(LossObject(d.module) { x, y in try d.compute(x, y, b) })
            }
        }
        r.function("accuracy(logits, target)", "Fraction of rows whose arg-max equals the int64 target.", .flat) { b, _ in
            .float(try Loss.accuracy(try b.tensor("logits"), try b.tensor("target")))
        }
    }
}
