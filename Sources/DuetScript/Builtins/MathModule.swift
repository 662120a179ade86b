import Foundation

/// `math` and `time`, the two Python modules scripts reach for most.
enum MathModule {
    private static func unary(_ ns: Namespace, _ name: String, _ doc: String, _ f: @escaping (Double) -> Double) {
        ns.function("\(name)(x, /)", doc) { b, _ in .float(f(try b.double("x"))) }
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
            ns.function("\(name)(x, /)", "\(name) of x (x must be in its domain).") { b, _ in
                let x = try b.double("x")
                guard x > 0 || (name == "sqrt" && x == 0) else { throw ScriptError(.value, "math domain error") }
                return .float(f(x))
            }
        }
        for (name, rule) in [("floor", FloatingPointRoundingRule.down), ("ceil", .up), ("trunc", .towardZero)] {
            ns.function("\(name)(x, /)", "x rounded \(rule == .down ? "down" : rule == .up ? "up" : "toward zero") to an int.") { b, _ in
                let x = try b.value("x")
                if case .int = x { return x }
                return .int(try Convert.integral(try b.double("x").rounded(rule)))
            }
        }
        ns.function("pow(x, y, /)", "x ** y as a float.") { b, _ in .float(Foundation.pow(try b.double("x"), try b.double("y"))) }
        for (name, test) in [("isnan", { (d: Double) in d.isNaN }), ("isinf", { $0.isInfinite }), ("isfinite", { $0.isFinite })] {
            ns.function("\(name)(x, /)", "Whether x is \(name.dropFirst(2)).") { b, _ in .bool(test(try b.double("x"))) }
        }
        return ns
    }

    static func makeTime() -> Namespace {
        let ns = Namespace("time")
        ns.function("time()", "Seconds since the epoch.") { _, _ in .float(Date().timeIntervalSince1970) }
        ns.function("perf_counter()", "A monotonic clock in seconds, for timing.") { _, _ in
            .float(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
        }
        return ns
    }
}
