/// The built-in classes of one interpreter: `object`, the engine kinds scripts subclass, and
/// the exception tree. Per interpreter, because a class runs its dunder methods through the
/// interpreter it belongs to.
final class BuiltinClasses {
    let object = ClassObject(builtin: "object", base: nil, native: .object)
    let module: ClassObject
    let dataset: ClassObject
    let iterableDataset: ClassObject
    let autogradFunction: ClassObject
    let exceptions: [ErrorKind: ClassObject]

    init() {
        module = ClassObject(builtin: "Module", base: object, native: .module, moduleName: "torch.nn.modules.module",
                             doc: "Base class for models: subclass it, create layers in __init__ (after super().__init__()) and write forward().")
        dataset = ClassObject(builtin: "Dataset", base: object, native: .dataset, moduleName: "torch.utils.data.dataset",
                              doc: "A map-style data set: subclass it with __len__ and __getitem__; DataLoader batches it.")
        iterableDataset = ClassObject(builtin: "IterableDataset", base: dataset, native: .iterableDataset, moduleName: "torch.utils.data.dataset",
                                      doc: "A data set read as a stream: subclass it with __iter__; DataLoader batches what it yields.")
        autogradFunction = ClassObject(builtin: "Function", base: object, native: .autogradFunction, moduleName: "torch.autograd.function",
                                       doc: "A custom differentiable operation: static forward(ctx, *args) and backward(ctx, *grads); call Cls.apply(*args).")
        exceptions = Exceptions.makeClasses(object)
        // Declared with *args so that the error is Python's "X() takes no arguments".
        let noArguments = BuiltinFunction("__init__(self, /, *args, **kwargs)", "Takes no arguments.") { b, _ in
            if !b.rest.isEmpty || !b.extraKeywords.isEmpty {
                throw ScriptError(.type, "\(try b.value("self").typeName)() takes no arguments")
            }
            return .none
        }
        for c in [object, module, dataset] { c.members["__init__"] = .object(noArguments) }
    }

    var all: [ClassObject] { [object, module, dataset, iterableDataset, autogradFunction] + exceptions.values }

    func adopt(_ interp: Interpreter) { for c in all { c.interp = interp } }
}

/// Making instances, and the class checks around it.
enum Instantiation {
    /// A class a `class` statement may derive from.
    static func baseClass(_ v: Value, _ interp: Interpreter) throws -> ClassObject {
        if case .object(let c as ClassObject) = v { return c }
        if case .object(let t as TypeObject) = v {
            throw ScriptError(.type, "deriving from '\(t.name)' is not supported: a class can derive from script classes, object, nn.Module, Dataset, IterableDataset, autograd.Function and the exception classes (to extend a layer, hold it as an attribute of an nn.Module subclass)")
        }
        throw ScriptError(.type, "bases must be classes, not '\(v.typeName)'")
    }

    /// `Cls(*args)`: a new instance (an engine module for nn.Module subclasses), then `__init__`.
    static func make(_ cls: ClassObject, _ args: Arguments, _ interp: Interpreter) throws -> Value {
        if case .autogradFunction = cls.native, cls.lookup("forward") != nil, !cls.isBuiltin {
            throw ScriptError(.runtime, "\(cls.name) is an autograd.Function: call \(cls.name).apply(...) instead of creating an instance")
        }
        let instance: Value
        switch cls.native {
        case .module: instance = .object(ModuleObject(ScriptModule(cls)))
        default: instance = .object(InstanceObject(cls))
        }
        if let initializer = cls.lookup("__init__") {
            let r = try interp.callValue(try Descriptors.instanceGet(initializer, instance, cls, interp), args)
            guard r.isNone else { throw ScriptError(.type, "__init__() should return None, not '\(r.typeName)'") }
        }
        return instance
    }

    /// `super()` / `super(cls, receiver)`: lookups after `cls` in the receiver's class order.
    static func superObject(_ cls: ClassObject, _ receiver: Value) throws -> Value {
        if case .object(let c as ClassObject) = receiver {
            guard c.isSubclass(of: cls) else { throw ScriptError(.type, "super(type, obj): obj must be an instance or subtype of type") }
            return .object(SuperObject(start: cls, receiver: receiver, owner: c))
        }
        guard let owner = receiver.objectValue?.scriptClass, owner.isSubclass(of: cls) else {
            throw ScriptError(.type, "super(type, obj): obj must be an instance or subtype of type")
        }
        return .object(SuperObject(start: cls, receiver: receiver, owner: owner))
    }
}
