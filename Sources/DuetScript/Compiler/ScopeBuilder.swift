/// First compiler pass: records which names each scope binds, declares and uses, creating a
/// child scope for every `def`, `lambda` and comprehension.
struct ScopeBuilder {
    private(set) var scopes: [ObjectIdentifier: Scope] = [:]
    /// Where `global`/`nonlocal` names were declared, for error messages.
    private(set) var declarationSpans: [String: Span] = [:]
    let source: SourceText

    init(source: SourceText) { self.source = source }

    mutating func build(_ body: [Stmt], module: Scope) throws {
        for s in body { try statement(s, module) }
        try module.resolve(source, declarationSpans)
        module.assignSlots()
    }

    private mutating func statements(_ body: [Stmt], _ scope: Scope) throws {
        for s in body { try statement(s, scope) }
    }

    private mutating func statement(_ s: Stmt, _ scope: Scope) throws {
        switch s.kind {
        case .expression(let e): try expression(e, scope)
        case .assign(let targets, let value):
            try expression(value, scope)
            for t in targets { try target(t, scope) }
        case .augmentedAssign(let t, _, let value):
            try expression(value, scope)
            if case .name(let n) = t.kind { scope.used.insert(n) }
            try target(t, scope)
        case .ifElse(let branches, let otherwise):
            for b in branches {
                try expression(b.condition, scope)
                try statements(b.body, scope)
            }
            if let otherwise { try statements(otherwise, scope) }
        case .whileLoop(let c, let body, let orElse):
            try expression(c, scope)
            try statements(body, scope)
            if let orElse { try statements(orElse, scope) }
        case .forLoop(let t, let iterable, let body, let orElse):
            try expression(iterable, scope)
            try target(t, scope)
            try statements(body, scope)
            if let orElse { try statements(orElse, scope) }
        case .classDef(let def):
            for d in def.decorators { try expression(d, scope) }
            for b in def.bases { try expression(b, scope) }
            let inner = Scope(kind: .classBody, name: def.name, parent: scope)
            scopes[ObjectIdentifier(def)] = inner
            try statements(def.body, inner)
            scope.bind(def.name)
        case .tryStatement(let body, let handlers, let orElse, let final):
            try statements(body, scope)
            for h in handlers {
                if let t = h.type { try expression(t, scope) }
                if let n = h.name { scope.bind(n) }
                try statements(h.body, scope)
            }
            if let orElse { try statements(orElse, scope) }
            if let final { try statements(final, scope) }
        case .raise(let e, let cause):
            if let e { try expression(e, scope) }
            if let cause { try expression(cause, scope) }
        case .annotated(let t, let value):
            if let value { try expression(value, scope) }
            try target(t, scope)
        case .breakLoop, .continueLoop, .pass: break
        case .returnValue(let v): if let v { try expression(v, scope) }
        case .def(let def):
            for d in def.decorators { try expression(d, scope) }
            try function(def, scope)
            scope.bind(def.name)
        case .with(let items, let body):
            for item in items {
                try expression(item.context, scope)
                if let t = item.target { try target(t, scope) }
            }
            try statements(body, scope)
        case .importModule(let path, let alias):
            scope.bind(alias ?? path[0])
        case .importFrom(_, let names):
            for n in names { scope.bind(n.alias ?? n.name) }
        case .global(let names), .nonlocal(let names):
            let isGlobal = if case .global = s.kind { true } else { false }
            for n in names {
                if scope.kind == .module && !isGlobal {
                    throw ScriptError(.syntax, "nonlocal declaration not allowed at module level", at: s.span, in: source)
                }
                if isGlobal { scope.declaredGlobal.insert(n) } else { scope.declaredNonlocal.insert(n) }
                declarationSpans[n] = s.span
            }
        case .assert(let c, let m):
            try expression(c, scope)
            if let m { try expression(m, scope) }
        case .delete(let targets):
            for t in targets { try target(t, scope) }
        case .help(let e): try expression(e, scope)
        }
    }

    private mutating func function(_ def: FunctionDef, _ scope: Scope) throws {
        let ps = def.parameters
        for p in ps.positional + ps.keywordOnly { if let d = p.defaultValue { try expression(d, scope) } }
        let inner = Scope(kind: .function, name: def.name, parent: scope)
        scopes[ObjectIdentifier(def)] = inner
        for n in ps.positional.map(\.name) { inner.bind(n) }
        if let v = ps.varargs { inner.bind(v) }
        for n in ps.keywordOnly.map(\.name) { inner.bind(n) }
        if let k = ps.kwargs { inner.bind(k) }
        for s in def.body { try statement(s, inner) }
    }

    private mutating func target(_ e: Expr, _ scope: Scope) throws {
        switch e.kind {
        case .name(let n): scope.bind(n)
        case .tuple(let items), .list(let items): for i in items { try target(i, scope) }
        case .attribute(let o, _): try expression(o, scope)
        case .subscripted(let o, let i):
            try expression(o, scope)
            try expression(i, scope)
        case .starred(let inner): try target(inner, scope)
        default: try expression(e, scope)
        }
    }

    private mutating func expression(_ e: Expr, _ scope: Scope) throws {
        switch e.kind {
        case .name(let n): scope.used.insert(n)
        case .int, .float, .string, .bool, .none, .ellipsis: break
        case .fstring(let parts): try fstring(parts, scope)
        case .list(let items), .tuple(let items), .set(let items): for i in items { try expression(i, scope) }
        case .yield(let value):
            try yieldIn(scope, e.span)
            if let value { try expression(value, scope) }
        case .yieldFrom(let source):
            try yieldIn(scope, e.span)
            try expression(source, scope)
        case .dict(let pairs):
            for p in pairs {
                try expression(p.key, scope)
                try expression(p.value, scope)
            }
        case .starred(let inner), .unary(_, let inner), .attribute(let inner, _): try expression(inner, scope)
        case .binary(_, let l, let r), .and(let l, let r), .or(let l, let r), .subscripted(let l, let r):
            try expression(l, scope)
            try expression(r, scope)
        case .compare(let first, let rest):
            try expression(first, scope)
            for (_, r) in rest { try expression(r, scope) }
        case .ternary(let c, let t, let o):
            try expression(c, scope)
            try expression(t, scope)
            try expression(o, scope)
        case .lambda(let def): try function(def, scope)
        case .call(let callee, let args):
            try expression(callee, scope)
            for a in args {
                switch a {
                case .positional(let v), .keyword(_, let v), .star(let v), .doubleStar(let v): try expression(v, scope)
                }
            }
        case .slice(let a, let b, let c):
            for x in [a, b, c] { if let x { try expression(x, scope) } }
        case .comprehension(let comp):
            guard let first = comp.clauses.first else { return }
            try expression(first.iterable, scope)
            let names: [ComprehensionDef.Kind: String] = [.dict: "<dictcomp>", .list: "<listcomp>", .set: "<setcomp>", .generator: "<genexpr>"]
            let inner = Scope(kind: .comprehension, name: names[comp.kind] ?? "<listcomp>", parent: scope)
            scopes[ObjectIdentifier(comp)] = inner
            for (k, clause) in comp.clauses.enumerated() {
                if k > 0 { try expression(clause.iterable, inner) }
                try target(clause.target, inner)
                for c in clause.conditions { try expression(c, inner) }
            }
            try expression(comp.element, inner)
            if let v = comp.value { try expression(v, inner) }
        }
    }

    /// Marks the function a `yield` makes a generator, refusing it where Python would.
    private func yieldIn(_ scope: Scope, _ span: Span) throws {
        switch scope.kind {
        case .function where scope.name == "<lambda>":
            throw ScriptError(.syntax, "'yield' inside a lambda is not supported in Duet", at: span, in: source)
        case .function: scope.isGenerator = true
        case .comprehension: throw ScriptError(.syntax, "'yield' inside comprehension", at: span, in: source)
        case .module, .classBody: throw ScriptError(.syntax, "'yield' outside function", at: span, in: source)
        }
    }

    private mutating func fstring(_ parts: [FStringPart], _ scope: Scope) throws {
        for p in parts {
            if case .value(let e, _, let spec) = p {
                try expression(e, scope)
                if let spec { try fstring(spec, scope) }
            }
        }
    }
}
