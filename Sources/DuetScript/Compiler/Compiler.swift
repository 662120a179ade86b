import DuetTensor

/// Second compiler pass: turns the syntax tree into executable nodes, every name resolved to a
/// local slot, a cell or a global slot (with the builtin of that name as fallback).
struct Compiler {
    let interp: Interpreter
    let source: SourceText
    let scopes: [ObjectIdentifier: Scope]
    let echo: Bool
    private var scope: Scope
    private var loopDepth = 0

    /// Compiles a module-level chunk (a file, a notebook cell or a REPL line).
    static func compile(_ body: [Stmt], source: SourceText, interp: Interpreter, echo: Bool) throws -> CodeObject {
        let module = Scope(kind: .module, name: "<module>", parent: nil)
        var builder = ScopeBuilder(source: source)
        try builder.build(body, module: module)
        var compiler = Compiler(interp: interp, source: source, scopes: builder.scopes, echo: echo, scope: module)
        let code = CodeObject(name: "<module>", source: source, localCount: 0, parameterNames: [], positionalCount: 0,
                              varargsSlot: nil, keywordOnlyCount: 0, kwargsSlot: nil, cellCount: 0, freeCount: 0, parameterCells: [])
        code.body = try compiler.block(body)
        return code
    }

    private init(interp: Interpreter, source: SourceText, scopes: [ObjectIdentifier: Scope], echo: Bool, scope: Scope) {
        self.interp = interp
        self.source = source
        self.scopes = scopes
        self.echo = echo
        self.scope = scope
    }

    private func error(_ message: String, _ span: Span) -> ScriptError {
        ScriptError(.syntax, message, at: span, in: source)
    }

    // MARK: Statements

    private mutating func block(_ body: [Stmt]) throws -> [StmtNode] {
        try body.compactMap { try statement($0) }
    }

    private mutating func statement(_ s: Stmt) throws -> StmtNode? {
        let span = s.span
        switch s.kind {
        case .expression(let e):
            if case .yield(let v) = e.kind { return YieldStmt(try v.map { try expression($0) }, target: nil, span) }
            if case .yieldFrom(let source) = e.kind { return YieldFromStmt(try expression(source), span) }
            return ExprStmt(try expression(e), echo: echo && scope.kind == .module, span)
        case .assign(let targets, let value):
            if case .yield(let y) = value.kind, targets.count == 1 {
                return YieldStmt(try y.map { try expression($0) }, target: try target(targets[0]), span)
            }
            let v = try expression(value)
            let ts = try targets.map { try target($0) }
            if ts.count == 1 { return SimpleAssignStmt(ts[0], v, span) }
            return AssignStmt(ts, v, span)
        case .augmentedAssign(let t, let op, let value):
            return AugmentedAssignStmt(try target(t), op, try expression(value), span)
        case .ifElse(let branches, let otherwise):
            var conditions: [ExprNode] = []
            var bodies: [[StmtNode]] = []
            for b in branches {
                conditions.append(try expression(b.condition))
                bodies.append(try block(b.body))
            }
            return IfStmt(conditions, bodies, try otherwise.map { try block($0) }, span)
        case .whileLoop(let c, let body, let orElse):
            let condition = try expression(c)
            let otherwise = try orElse.map { try block($0) }
            loopDepth += 1
            defer { loopDepth -= 1 }
            return WhileStmt(condition, try block(body), orElse: otherwise, span)
        case .forLoop(let t, let iterable, let body, let orElse):
            let it = try expression(iterable)
            let tn = try target(t)
            let otherwise = try orElse.map { try block($0) }
            loopDepth += 1
            defer { loopDepth -= 1 }
            return ForStmt(tn, it, try block(body), orElse: otherwise, span)
        case .classDef(let def):
            return SimpleAssignStmt(nameTarget(def.name, span), try classBody(def), span)
        case .tryStatement(let body, let handlers, let orElse, let final):
            let compiledHandlers = try handlers.map { h in
                TryStmt.Handler(type: try h.type.map { try expression($0) }, target: h.name.map { nameTarget($0, h.span) },
                                body: try block(h.body), span: h.span)
            }
            return TryStmt(try block(body), compiledHandlers, orElse: try orElse.map { try block($0) },
                           finally: try final.map { try block($0) }, span)
        case .raise(let e, let cause):
            return RaiseStmt(try e.map { try expression($0) }, cause: try cause.map { try expression($0) }, span)
        case .annotated(let t, let value):
            guard let value else { return nil }
            return SimpleAssignStmt(try target(t), try expression(value), span)
        case .breakLoop, .continueLoop:
            let isBreak = if case .breakLoop = s.kind { true } else { false }
            guard loopDepth > 0 else { throw error("'\(isBreak ? "break" : "continue")' outside loop", span) }
            return FlowStmt(isBreak ? .breakLoop : .continueLoop, span)
        case .pass, .global, .nonlocal:
            return nil
        case .returnValue(let v):
            guard scope.kind == .function else { throw error("'return' outside function", span) }
            return ReturnStmt(try v.map { try expression($0) }, span)
        case .def(let def):
            let fn = try function(def)
            return SimpleAssignStmt(nameTarget(def.name, span), fn, span)
        case .with(let items, let body):
            let contexts = try items.map { try expression($0.context) }
            let targets = try items.map { try $0.target.map { try target($0) } }
            return WithStmt(contexts, targets, try block(body), span)
        case .importModule(let path, let alias):
            let name = path.joined(separator: ".")
            guard let module = interp.module(name) else { return ImportStmt([], failure: importError(name, span), span) }
            if let alias { return ImportStmt([(nameTarget(alias, span), module)], failure: nil, span) }
            guard let root = interp.module(path[0]) else { return ImportStmt([], failure: importError(path[0], span), span) }
            return ImportStmt([(nameTarget(path[0], span), root)], failure: nil, span)
        case .importFrom(let path, let names):
            let moduleName = path.joined(separator: ".")
            guard let module = interp.module(moduleName), case .object(let ns as Namespace) = module else {
                return ImportStmt([], failure: importError(moduleName, span), span)
            }
            var bindings: [(TargetNode, Value)] = []
            for n in names {
                guard let v = ns.members[n.name] ?? interp.module(moduleName + "." + n.name) else {
                    let failure = ScriptError(.importError, "cannot import name '\(n.name)' from '\(moduleName)'", at: span, in: source)
                    return ImportStmt([], failure: failure, span)
                }
                bindings.append((nameTarget(n.alias ?? n.name, span), v))
            }
            return ImportStmt(bindings, failure: nil, span)
        case .assert(let c, let m):
            return AssertStmt(try expression(c), try m.map { try expression($0) }, span)
        case .delete(let targets):
            return DeleteStmt(try targets.map { try target($0) }, span)
        case .help(let e):
            return HelpStmt(try expression(e), span)
        }
    }

    private func importError(_ name: String, _ span: Span) -> ScriptError {
        ScriptError(.importError, "No module named '\(name)' (Duet provides \(interp.moduleNames.joined(separator: ", ")))", at: span, in: source)
    }

    // MARK: Names and targets

    /// Compiles a class body in its own scope; the returned node runs it and makes the class.
    private mutating func classBody(_ def: ClassDef) throws -> ExprNode {
        guard let inner = scopes[ObjectIdentifier(def)] else { throw error("internal: no scope for class \(def.name)", def.span) }
        let bases = try def.bases.map { try expression($0) }
        let decorators = try def.decorators.map { try expression($0) }
        let captures = try inner.freeVars.map { name -> Int in
            guard let i = scope.cellIndex(name) else { throw error("internal: free variable '\(name)' has no cell", def.span) }
            return i
        }
        let code = CodeObject(name: def.name, source: source, localCount: inner.localCount, parameterNames: [], positionalCount: 0,
                              varargsSlot: nil, keywordOnlyCount: 0, kwargsSlot: nil, cellCount: inner.cellVars.count,
                              freeCount: inner.freeVars.count, parameterCells: [])
        var docString: String?
        if case .expression(let first)? = def.body.first?.kind, case .string(let s) = first.kind { docString = s }
        let saved = (scope, loopDepth)
        scope = inner
        loopDepth = 0
        defer { (scope, loopDepth) = saved }
        code.body = try block(def.body)
        return ClassNode(code: code, names: inner.locals, bases: bases, captures: captures, decorators: decorators,
                         docString: docString, def.span)
    }

    private func nameTarget(_ name: String, _ span: Span) -> TargetNode {
        switch scope.reference(name) {
        case .local(let slot): LocalTarget(slot, name, span)
        case .cell(let i): CellTarget(i, name, span)
        case .global: GlobalTarget(interp.globals.slot(name), name, builtin: interp.builtins[name], span)
        }
    }

    private func load(_ name: String, _ span: Span) -> ExprNode {
        if let slot = scope.classSlot(name) {
            let global = GlobalLoad(interp.globals.slot(name), name, builtin: interp.builtins[name], span)
            return ClassLocalLoad(slot, name, fallback: global, span)
        }
        return switch scope.reference(name) {
        case .local(let slot): LocalLoad(slot, name, span)
        case .cell(let i): CellLoad(i, name, span)
        case .global: GlobalLoad(interp.globals.slot(name), name, builtin: interp.builtins[name], span)
        }
    }

    private mutating func target(_ e: Expr) throws -> TargetNode {
        switch e.kind {
        case .name(let n): return nameTarget(n, e.span)
        case .attribute(let o, let name): return AttributeTarget(try expression(o), name, e.span)
        case .subscripted(let o, let i): return SubscriptTarget(try expression(o), try expression(i), e.span)
        case .tuple(let items), .list(let items):
            let stars = items.indices.filter { if case .starred = items[$0].kind { true } else { false } }
            guard stars.count <= 1 else { throw error("multiple starred expressions in assignment", e.span) }
            let targets = try items.map { item -> TargetNode in
                if case .starred(let inner) = item.kind { return try target(inner) }
                return try target(item)
            }
            return UnpackTarget(targets, starred: stars.first, e.span)
        case .starred: throw error("starred assignment target must be in a list or tuple", e.span)
        default: throw error("cannot assign to expression", e.span)
        }
    }

    // MARK: Functions and comprehensions

    /// Compiles a `def` or `lambda` body in its own scope; the returned node creates the function.
    private mutating func function(_ def: FunctionDef) throws -> ExprNode {
        guard let inner = scopes[ObjectIdentifier(def)] else { throw error("internal: no scope for \(def.name)", def.span) }
        let ps = def.parameters
        let defaults = try ps.positional.compactMap { try $0.defaultValue.map { try expression($0) } }
        let keywordDefaults = try ps.keywordOnly.map { try $0.defaultValue.map { try expression($0) } }
        let decorators = try def.decorators.map { try expression($0) }
        let captures = try inner.freeVars.map { name -> Int in
            guard let i = scope.cellIndex(name) else { throw error("internal: free variable '\(name)' has no cell", def.span) }
            return i
        }
        let np = ps.positional.count
        var parameterCells: [(slot: Int, cell: Int)] = []
        for (slot, name) in ps.allNames.enumerated() {
            if let c = inner.cellVars.firstIndex(of: name) { parameterCells.append((slot, c)) }
        }
        let code = CodeObject(
            name: def.name, source: source, localCount: inner.localCount,
            parameterNames: ps.positional.map(\.name) + ps.keywordOnly.map(\.name), positionalCount: np,
            varargsSlot: ps.varargs.map { _ in np }, keywordOnlyCount: ps.keywordOnly.count,
            kwargsSlot: ps.kwargs.map { _ in np + (ps.varargs == nil ? 0 : 1) + ps.keywordOnly.count },
            cellCount: inner.cellVars.count, freeCount: inner.freeVars.count, parameterCells: parameterCells)
        code.isGenerator = inner.isGenerator
        var docString: String?
        if !def.isLambda, case .expression(let first)? = def.body.first?.kind, case .string(let s) = first.kind { docString = s }
        let saved = (scope, loopDepth)
        scope = inner
        loopDepth = 0
        defer { (scope, loopDepth) = saved }
        code.body = try block(def.body)
        return FunctionNode(code: code, defaults: defaults, keywordDefaults: keywordDefaults, captures: captures,
                            decorators: decorators, docString: docString, def.span)
    }

    private mutating func comprehension(_ comp: ComprehensionDef, _ span: Span) throws -> ExprNode {
        guard let inner = scopes[ObjectIdentifier(comp)], let first = comp.clauses.first else {
            throw error("internal: malformed comprehension", span)
        }
        let firstIterable = try expression(first.iterable)
        let captures = try inner.freeVars.map { name -> Int in
            guard let i = scope.cellIndex(name) else { throw error("internal: free variable '\(name)' has no cell", span) }
            return i
        }
        let code = CodeObject(name: inner.name, source: source, localCount: inner.localCount, parameterNames: [], positionalCount: 0,
                              varargsSlot: nil, keywordOnlyCount: 0, kwargsSlot: nil, cellCount: inner.cellVars.count,
                              freeCount: inner.freeVars.count, parameterCells: [])
        let saved = scope
        scope = inner
        defer { scope = saved }
        var clauses: [ComprehensionNode.Clause] = []
        for (k, c) in comp.clauses.enumerated() {
            let iterable = k == 0 ? firstIterable : try expression(c.iterable)
            clauses.append(ComprehensionNode.Clause(target: try target(c.target), iterable: iterable,
                                                    conditions: try c.conditions.map { try expression($0) }))
        }
        let element = try expression(comp.element)
        let value = try comp.value.map { try expression($0) }
        return ComprehensionNode(code: code, captures: captures, firstIterable: firstIterable, clauses: clauses,
                                 element: element, value: value, kind: comp.kind, span)
    }

    // MARK: Expressions

    private mutating func expression(_ e: Expr) throws -> ExprNode {
        let span = e.span
        switch e.kind {
        case .name(let n): return load(n, span)
        case .int(let v): return ConstNode(.int(v), span)
        case .float(let v): return ConstNode(.float(v), span)
        case .string(let s): return ConstNode(.str(s), span)
        case .bool(let b): return ConstNode(.bool(b), span)
        case .none: return ConstNode(.none, span)
        case .ellipsis: return ConstNode(.object(EllipsisObject()), span)
        case .fstring(let parts): return try fstring(parts, span)
        case .list(let items), .tuple(let items):
            let isList = if case .list = e.kind { true } else { false }
            var nodes: [ExprNode] = []
            var starred: [Bool] = []
            for item in items {
                if case .starred(let inner) = item.kind {
                    nodes.append(try expression(inner))
                    starred.append(true)
                } else {
                    nodes.append(try expression(item))
                    starred.append(false)
                }
            }
            if !isList && !starred.contains(true), let constants = Self.constants(nodes) {
                return ConstNode(.tuple(constants), span)
            }
            return SequenceNode(nodes, starred: starred, isList: isList, span)
        case .dict(let pairs):
            return DictNode(try pairs.map { try expression($0.key) }, try pairs.map { try expression($0.value) }, span)
        case .set(let items):
            let list = try expression(Expr(kind: .list(items), span: span))
            return SetNode(list, span)
        case .yield, .yieldFrom:
            throw error("'yield' is supported as a statement or as an assignment's value (x = yield v), not inside an expression", span)
        case .starred:
            throw error("can't use starred expression here", span)
        case .unary(let op, let operand):
            return UnaryNode(op, try expression(operand), span)
        case .binary(let op, let l, let r):
            let left = try expression(l), right = try expression(r)
            if let def = Operators.op(for: op), op != .bitAnd, op != .bitOr {
                return TensorArithmeticNode(op, def, left, right, span)
            }
            return BinaryNode(op, left, right, span)
        case .and(let l, let r): return ShortCircuitNode(try expression(l), try expression(r), isAnd: true, span)
        case .or(let l, let r): return ShortCircuitNode(try expression(l), try expression(r), isAnd: false, span)
        case .compare(let first, let rest):
            return CompareNode(try expression(first), rest.map(\.0), try rest.map { try expression($0.1) }, span)
        case .ternary(let c, let t, let o):
            return TernaryNode(try expression(c), try expression(t), try expression(o), span)
        case .lambda(let def): return try function(def)
        case .call(let callee, let args):
            let list = try arguments(args)
            if case .name("super") = callee.kind, args.isEmpty {
                return SuperCallNode(fallback: load("super", callee.span), span)
            }
            if case .attribute(let receiver, let name) = callee.kind {
                return MethodCallNode(try expression(receiver), name, list, span)
            }
            return CallNode(try expression(callee), list, span)
        case .attribute(let o, let name): return AttributeNode(try expression(o), name, span)
        case .subscripted(let o, let i): return SubscriptNode(try expression(o), try expression(i), span)
        case .slice(let a, let b, let c):
            return SliceNode(try a.map { try expression($0) }, try b.map { try expression($0) }, try c.map { try expression($0) }, span)
        case .comprehension(let comp): return try comprehension(comp, span)
        }
    }

    private static func constants(_ nodes: [ExprNode]) -> [Value]? {
        var out: [Value] = []
        for n in nodes {
            guard let c = n as? ConstNode else { return nil }
            out.append(c.value)
        }
        return out
    }

    private mutating func arguments(_ args: [Argument]) throws -> ArgumentList {
        var values: [ExprNode] = []
        var kinds: [ArgumentKind] = []
        var names: [String] = []
        for a in args {
            switch a {
            case .positional(let v):
                values.append(try expression(v))
                kinds.append(.positional)
            case .keyword(let n, let v):
                values.append(try expression(v))
                kinds.append(.keyword)
                names.append(n)
            case .star(let v):
                values.append(try expression(v))
                kinds.append(.star)
            case .doubleStar(let v):
                values.append(try expression(v))
                kinds.append(.doubleStar)
            }
        }
        return ArgumentList(values: values, kinds: kinds, names: names)
    }

    private mutating func fstring(_ parts: [FStringPart], _ span: Span) throws -> FStringNode {
        var pieces: [FStringNode.Piece] = []
        for p in parts {
            switch p {
            case .literal(let s): pieces.append(.literal(s))
            case .value(let e, let conversion, let spec):
                pieces.append(.value(try expression(e), conversion: conversion, spec: try spec.map { try fstring($0, span) }))
            }
        }
        return FStringNode(pieces, span)
    }
}
