/// Runs a class body in a frame of its own and makes the class from the names it bound, in the
/// order they were first bound; then applies the class decorators.
final class ClassNode: ExprNode {
    let code: CodeObject
    let names: [String]
    let bases: [ExprNode]
    let captures: [Int]
    let decorators: [ExprNode]
    let docString: String?
    init(code: CodeObject, names: [String], bases: [ExprNode], captures: [Int], decorators: [ExprNode], docString: String?, _ span: Span) {
        self.code = code
        self.names = names
        self.bases = bases
        self.captures = captures
        self.decorators = decorators
        self.docString = docString
        super.init(span)
    }

    override func eval(_ f: Frame) throws -> Value {
        let decoratorValues = try decorators.map { try $0.eval(f) }
        var baseClasses: [ClassObject] = []
        for node in bases {
            let v = try node.eval(f)
            do { baseClasses.append(try Instantiation.baseClass(v, f.interp)) } catch { throw f.locate(error, node.span) }
        }
        if baseClasses.isEmpty { baseClasses = [f.interp.classes.object] }
        var cells = (0..<code.cellCount).map { _ in Cell() }
        cells += captures.map { f.cells[$0] }
        let body = Frame(code: code, interp: f.interp, cells: cells)
        _ = try f.interp.inCall { try Block.run(code.body, body) }
        let cls: ClassObject
        do { cls = try ClassObject(name: code.name, bases: baseClasses, doc: docString) } catch { throw f.locate(error, span) }
        cls.interp = f.interp
        for (slot, name) in names.enumerated() {
            if let v = body.locals[slot] { cls.members[name] = v }
        }
        if let doc = docString, cls.members["__doc__"] == nil { cls.members["__doc__"] = .str(doc) }
        cls.adoptMethods()
        return try FunctionNode.decorate(.object(cls), decoratorValues, decorators, f)
    }
}

/// A name a class body binds: its value there once bound, otherwise the global of that name.
final class ClassLocalLoad: ExprNode {
    let slot: Int
    let name: String
    let fallback: ExprNode
    init(_ slot: Int, _ name: String, fallback: ExprNode, _ span: Span) {
        self.slot = slot
        self.name = name
        self.fallback = fallback
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        if let v = f.locals[slot] { return v }
        return try fallback.eval(f)
    }
}

/// `super()` with no arguments: the class the running method was defined in and the method's
/// first argument, as Python's `__class__` cell gives them. A global named `super` wins.
final class SuperCallNode: ExprNode {
    let fallback: ExprNode
    init(fallback: ExprNode, _ span: Span) {
        self.fallback = fallback
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        if let g = fallback as? GlobalLoad, f.globals.values[g.slot] != nil {
            return try f.interp.callValue(try fallback.eval(f), Arguments([]))
        }
        guard let cls = f.function?.definingClass else {
            throw f.locate(ScriptError(.runtime, "super(): no arguments given outside a method defined in a class body"), span)
        }
        guard f.code.positionalCount > 0 || f.code.varargsSlot != nil, let receiver = f.locals[0] else {
            throw f.locate(ScriptError(.runtime, "super(): no arguments"), span)
        }
        do { return try Instantiation.superObject(cls, receiver) } catch { throw f.locate(error, span) }
    }
}

/// `{a, b, *c}`.
final class SetNode: ExprNode {
    let items: ExprNode
    init(_ items: ExprNode, _ span: Span) {
        self.items = items
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        guard case .list(let l) = try items.eval(f) else { return .object(try SetObject([])) }
        do { return .object(try SetObject(l.items)) } catch { throw f.locate(error, span) }
    }
}
