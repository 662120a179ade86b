/// Members a script class gets from the engine kind it derives from, read on the class itself
/// (`MyFunction.apply`).
enum NativeClassMembers {
    static func attribute(_ cls: ClassObject, _ name: String, _ interp: Interpreter) -> Value? {
        switch (cls.native, name) {
        case (.autogradFunction, "apply") where !cls.isBuiltin:
            .object(BuiltinFunction("apply(*args, **kwargs)", "Runs \(cls.name).forward and records its backward as the gradient rule.") { b, interp in
                try CustomFunction.apply(cls, b.args, interp)
            })
        default: nil
        }
    }
}
