import DuetTensor
import DuetNN

/// `torch.nn.init`: in-place initializers (no gradient recorded) that return their tensor, and
/// the gain and fan helpers they use (Sources/DuetNN/Modules/InitFunctions.swift).
enum InitBuiltins {
    /// Duet has no torch.Generator objects: the initializers draw from the seeded global generator
    /// (a filler without the parameter reads nil here).
    private static func noGenerator(_ b: BoundArguments) throws {
        guard b["generator"] == nil else { throw ScriptError(.notImplemented, "\(b.function)(): generator= is not supported (use torch.manual_seed)") }
    }

    private static func filler(_ ns: Namespace, _ signature: Signature, _ doc: String,
                               _ fill: @escaping (Tensor, BoundArguments) throws -> Tensor) {
        ns.function(signature, doc) { b, _ in
            try noGenerator(b)
            return .tensor(try fill(try b.tensor("tensor"), b))
        }
    }

    /// A leaky_relu slope or other gain parameter: a number, or None for the default.
    private static func param(_ b: BoundArguments) throws -> Double? {
        guard let v = b["param"] else { return nil }
        switch v {
        case .int, .float: return try Convert.double(v, b.label("param"))
        default: throw ScriptError(.value, "negative_slope \(Repr.repr(v)) not a valid number")
        }
    }

    static func namespace() -> Namespace {
        let ns = Namespace("torch.nn.init")
        ns.function("calculate_gain(nonlinearity, param=None)", "The recommended gain for a nonlinearity (param: leaky_relu's slope).") { b, _ in
            let name = try b.string("nonlinearity")
            let gain = try Init.calculateGain(name, param: try param(b))
            // PyTorch returns the int 1 for the linear family and sigmoid.
            return name != "leaky_relu" && gain == 1 ? .int(1) : .float(gain)
        }
        ns.function("_calculate_fan_in_and_fan_out(tensor)", "(fan_in, fan_out): size(1) and size(0) times the receptive field.") { b, _ in
            let f = try Init.fans(try b.tensor("tensor").shape)
            return .tuple([.int(f.fanIn), .int(f.fanOut)])
        }
        filler(ns, "constant_(tensor, val)", "Fills with val.") { t, b in try Init.constant_(t, try b.double("val")) }
        filler(ns, "zeros_(tensor)", "Fills with 0.") { t, _ in try Init.constant_(t, 0) }
        filler(ns, "ones_(tensor)", "Fills with 1.") { t, _ in try Init.constant_(t, 1) }
        filler(ns, "eye_(tensor)", "The identity matrix (2-D tensors).") { t, _ in try Init.eye_(t) }
        filler(ns, "uniform_(tensor, a=0.0, b=1.0, generator=None)", "Draws from U(a, b).") { t, b in
            try Init.uniform_(t, low: try b.double("a"), high: try b.double("b"))
        }
        filler(ns, "normal_(tensor, mean=0.0, std=1.0, generator=None)", "Draws from N(mean, std²).") { t, b in
            try Init.normal_(t, mean: try b.double("mean"), std: try b.double("std"))
        }
        filler(ns, "trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None)", "Draws from N(mean, std²) truncated to [a, b].") { t, b in
            try Init.truncNormal_(t, mean: try b.double("mean"), std: try b.double("std"), a: try b.double("a"), b: try b.double("b"))
        }
        filler(ns, "xavier_uniform_(tensor, gain=1.0, generator=None)", "U(-a, a) with a = gain·√(6 / (fan_in + fan_out)).") { t, b in
            try Init.xavierUniform_(t, gain: try b.double("gain"))
        }
        filler(ns, "xavier_normal_(tensor, gain=1.0, generator=None)", "N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).") { t, b in
            try Init.xavierNormal_(t, gain: try b.double("gain"))
        }
        filler(ns, "kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None)",
               "U(-bound, bound) with bound = gain·√(3 / fan).") { t, b in
            try Init.kaimingUniform_(t, a: try b.double("a"), mode: try b.string("mode"), nonlinearity: try b.string("nonlinearity"))
        }
        filler(ns, "kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None)", "N(0, std²) with std = gain / √fan.") { t, b in
            try Init.kaimingNormal_(t, a: try b.double("a"), mode: try b.string("mode"), nonlinearity: try b.string("nonlinearity"))
        }
        filler(ns, "orthogonal_(tensor, gain=1, generator=None)", "A (semi-)orthogonal matrix over [size(0), rest], times gain.") { t, b in
            try Init.orthogonal_(t, gain: try b.double("gain"))
        }
        return ns
    }
}
