import Foundation

/// `math` and `time`, the two Python modules scripts reach for most.
enum MathModule {
    private static func unary(_ ns: Namespace, _ name: String, _ doc: String, _ f: @escaping (Double) -> Double) {
        ns.add(name, .object(BuiltinFunction(name, "\(name)(x)", doc) { a, _ in
            try a.expectPositional(name, min: 1, max: 1)
            return .float(f(try Convert.double(a.positional[0], "\(name)() argument")))
        }))
    }

    static func make() -> Namespace {
        let ns = Namespace("math")
        ns.add("pi", .float(Double.pi))
        ns.add("e", .float(M_E))
        ns.add("inf", .float(.infinity))
        ns.add("nan", .float(.nan))
        unary(ns, "exp", "e ** x.", Foundation.exp)
        unary(ns, "sin", "Sine.", Foundation.sin)
        unary(ns, "cos", "Cosine.", Foundation.cos)
        unary(ns, "tan", "Tangent.", Foundation.tan)
        unary(ns, "tanh", "Hyperbolic tangent.", Foundation.tanh)
        unary(ns, "atan", "Arc tangent.", Foundation.atan)
        unary(ns, "fabs", "Absolute value.", Swift.abs)
        for (name, f) in [("sqrt", Foundation.sqrt), ("log", Foundation.log), ("log2", Foundation.log2), ("log10", Foundation.log10)] as [(String, (Double) -> Double)] {
            ns.add(name, .object(BuiltinFunction(name, "\(name)(x)", "\(name) of x (x must be in its domain).") { a, _ in
                try a.expectPositional(name, min: 1, max: 1)
                let x = try Convert.double(a.positional[0], "\(name)() argument")
                guard x > 0 || (name == "sqrt" && x == 0) else { throw ScriptError(.value, "math domain error") }
                return .float(f(x))
            }))
        }
        for (name, rule) in [("floor", FloatingPointRoundingRule.down), ("ceil", .up), ("trunc", .towardZero)] {
            ns.add(name, .object(BuiltinFunction(name, "\(name)(x)", "x rounded \(rule == .down ? "down" : rule == .up ? "up" : "toward zero") to an int.") { a, _ in
                try a.expectPositional(name, min: 1, max: 1)
                if case .int = a.positional[0] { return a.positional[0] }
                return .int(try Convert.integral(try Convert.double(a.positional[0], "\(name)() argument").rounded(rule)))
            }))
        }
        ns.add("pow", .object(BuiltinFunction("pow", "pow(x, y)", "x ** y as a float.") { a, _ in
            try a.expectPositional("pow", min: 2, max: 2)
            return .float(Foundation.pow(try Convert.double(a.positional[0], "pow() base"), try Convert.double(a.positional[1], "pow() exponent")))
        }))
        for (name, test) in [("isnan", { (d: Double) in d.isNaN }), ("isinf", { $0.isInfinite }), ("isfinite", { $0.isFinite })] {
            ns.add(name, .object(BuiltinFunction(name, "\(name)(x)", "Whether x is \(name.dropFirst(2)).") { a, _ in
                try a.expectPositional(name, min: 1, max: 1)
                return .bool(test(try Convert.double(a.positional[0], "\(name)() argument")))
            }))
        }
        return ns
    }

    static func makeTime() -> Namespace {
        let ns = Namespace("time")
        ns.add("time", .object(BuiltinFunction("time", "time()", "Seconds since the epoch.") { _, _ in
            .float(Date().timeIntervalSince1970)
        }))
        ns.add("perf_counter", .object(BuiltinFunction("perf_counter", "perf_counter()", "A monotonic clock in seconds, for timing.") { _, _ in
            .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
        }))
        return ns
    }
}
