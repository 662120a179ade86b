import DuetTensor

/// One row of `summary(model, inputShape)`: a module that ran, its output shape and its own parameters.
public struct SummaryRow: Equatable, Sendable {
    public let name: String
    public let type: String
    public let outputShape: [Int]
    public let parameters: Int
}

public struct ModelSummary: CustomStringConvertible, Sendable {
    public let rows: [SummaryRow]
    public let totalParameters: Int
    public let trainableParameters: Int

    public var description: String {
        let header = ["Layer (type)", "Output Shape", "Param #"]
        let body = rows.map { ["\($0.name.isEmpty ? "(model)" : $0.name) (\($0.type))", "[" + $0.outputShape.map(String.init).joined(separator: ", ") + "]", String($0.parameters)] }
        let widths = (0..<3).map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r[0].padding(toLength: widths[0] + 2, withPad: " ", startingAt: 0) + r[1].padding(toLength: widths[1] + 2, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: widths[2] - r[2].count) + r[2]
        }
        let rule = String(repeating: "─", count: widths.reduce(4, +))
        return ([line(header), rule] + body.map(line) + [rule, "Total params: \(totalParameters)", "Trainable params: \(trainableParameters)"])
            .joined(separator: "\n")
    }
}

/// Runs the model once on zeros of `inputShape` (no gradients, eval mode restored after) and
/// lists every module that produced an output, in the order they ran.
public func summary(_ model: Module, inputShape: [Int], dtype: DType = .float32) throws -> ModelSummary {
    var rows: [SummaryRow] = []
    let modules = model.namedModules()
    // The user's own hooks and each module's mode are put back exactly as they were.
    let saved = modules.map { ($0.module.forwardHook, $0.module.training) }
    for (name, m) in modules {
        let own = m.registeredParameters.reduce(0) { $0 + $1.tensor.count }
        let userHook = m.forwardHook
        m.forwardHook = { module, output in
            rows.append(SummaryRow(name: name, type: module.typeName, outputShape: output.shape, parameters: own))
            userHook?(module, output)
        }
    }
    defer {
        for ((_, m), (hook, training)) in zip(modules, saved) {
            m.forwardHook = hook
            m.setTraining(training)
        }
    }
    model.eval()
    _ = try withNoGrad { try model(Tensor.zeros(inputShape, dtype: dtype)) }
    let params = model.parameters()
    return ModelSummary(rows: rows, totalParameters: params.reduce(0) { $0 + $1.count },
                        trainableParameters: params.filter(\.requiresGrad).reduce(0) { $0 + $1.count })
}
