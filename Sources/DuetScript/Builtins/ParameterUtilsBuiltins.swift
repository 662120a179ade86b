import DuetTensor
import DuetNN

/// torch.nn.utils: gradient clipping and parameters ↔ one flat vector, composites of registry ops.
enum ParameterUtilsBuiltins {
    static let names = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]

    static func register(_ r: Builtins.Registrar) {
        r.function("clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None)",
                   "Scales gradients so their joint norm_type-norm is at most max_norm; returns the norm before.", .flat) { b, interp in
            let params = try OptimBuiltins.parameters(try b.value("parameters"), interp)
            return .tensor(try clipGradNorm(params, maxNorm: try b.double("max_norm"), normType: try b.double("norm_type"),
                                            errorIfNonfinite: try b.bool("error_if_nonfinite")))
        }
        r.function("clip_grad_value_(parameters, clip_value, foreach=None)", "Clamps every gradient into [-clip_value, clip_value] in place.", .flat) { b, interp in
            try clipGradValue(try OptimBuiltins.parameters(try b.value("parameters"), interp), clipValue: try b.double("clip_value"))
            return .none
        }
        r.function("parameters_to_vector(parameters)", "The parameters flattened into one vector (differentiable).", .flat) { b, interp in
            .tensor(try parametersToVector(try OptimBuiltins.parameters(try b.value("parameters"), interp)))
        }
        r.function("vector_to_parameters(vec, parameters)", "Copies consecutive pieces of vec into the parameters.", .flat) { b, interp in
            guard case .tensor(let vec) = try b.value("vec") else {
                throw ScriptError(.type, "expected torch.Tensor, but got: \(try b.value("vec").typeName)")
            }
            try vectorToParameters(vec, try OptimBuiltins.parameters(try b.value("parameters"), interp))
            return .none
        }
    }
}
