/// Members a script class gets from the engine kind it derives from, read on the class itself
/// (`MyFunction.apply`).
enum NativeClassMembers {
    static func attribute(_ cls: ClassObject, _ name: String, _ interp: Interpreter) -> Value? {
        switch (cls.native, name) {
        case (.autogradFunction, "apply") where !cls.isBuiltin:
            .object(BuiltinFunction("apply", "\(cls.name).apply(*args)", "Runs forward and records backward as the gradient rule.") { a, interp in
                try CustomFunction.apply(cls, a, interp)
            })
        default: nil
        }
    }
}
