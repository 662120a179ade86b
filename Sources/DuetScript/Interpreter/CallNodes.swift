/// How an argument at a call site is passed.
enum ArgumentKind {
    case positional, keyword, star, doubleStar
}

/// Evaluates a call site's arguments. Keyword names come from the source and are shared by every
/// call, so the common case allocates only the positional array.
struct ArgumentList {
    let values: [ExprNode]
    let kinds: [ArgumentKind]
    let names: [String]
    let positionalCount: Int
    /// No `*` or `**`: positionals come first (the parser allows no positional after a keyword),
    /// then keywords in `names` order.
    let isPlain: Bool

    init(values: [ExprNode], kinds: [ArgumentKind], names: [String]) {
        self.values = values
        self.kinds = kinds
        self.names = names
        positionalCount = kinds.filter { $0 == .positional }.count
        isPlain = !kinds.contains(.star) && !kinds.contains(.doubleStar)
    }

    func evaluate(_ f: Frame) throws -> Arguments {
        if isPlain {
            var positional: [Value] = []
            positional.reserveCapacity(positionalCount)
            for i in 0..<positionalCount { positional.append(try values[i].eval(f)) }
            guard values.count > positionalCount else { return Arguments(positional) }
            var keywords: [Value] = []
            keywords.reserveCapacity(values.count - positionalCount)
            for i in positionalCount..<values.count { keywords.append(try values[i].eval(f)) }
            return Arguments(positional, names: names, keywords: keywords)
        }
        var args = Arguments([])
        var nameIndex = 0
        for (i, node) in values.enumerated() {
            let v = try node.eval(f)
            switch kinds[i] {
            case .positional:
                args.positional.append(v)
            case .keyword:
                args.names.append(names[nameIndex])
                args.keywords.append(v)
                nameIndex += 1
            case .star:
                do { args.positional += try Iteration.collect(v, f.interp) } catch { throw f.locate(error, node.span) }
            case .doubleStar:
                guard case .dict(let d) = v else {
                    throw f.locate(ScriptError(.type, "argument after ** must be a dict, not \(v.typeName)"), node.span)
                }
                for (k, value) in zip(d.keys, d.values) {
                    guard case .str(let key) = k else { throw f.locate(ScriptError(.type, "keywords must be strings"), node.span) }
                    if args.names.contains(key) { throw f.locate(ScriptError(.type, "got multiple values for keyword argument '\(key)'"), node.span) }
                    args.names.append(key)
                    args.keywords.append(value)
                }
            }
        }
        return args
    }
}

/// `f(args)`. An error raised inside the callee gets this call added to its traceback.
final class CallNode: ExprNode {
    let callee: ExprNode
    let arguments: ArgumentList
    init(_ callee: ExprNode, _ arguments: ArgumentList, _ span: Span) {
        self.callee = callee
        self.arguments = arguments
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let fn = try callee.eval(f)
        let args = try arguments.evaluate(f)
        do {
            return try f.interp.callValue(fn, args)
        } catch let e as ScriptError where e.isLocated {
            throw e.calledFrom(span, f.code.source, f.code.name)
        } catch {
            throw f.locate(error, span)
        }
    }
}

/// `x.name(args)`: methods of tensors, lists, dicts and strings run directly (resolved when
/// compiled); anything else is looked up as an attribute and called.
final class MethodCallNode: ExprNode {
    let receiver: ExprNode
    let name: String
    let methods: BuiltinMethods
    let arguments: ArgumentList
    private var cache = NamespaceCache()
    init(_ receiver: ExprNode, _ name: String, _ arguments: ArgumentList, _ span: Span) {
        self.receiver = receiver
        self.name = name
        self.arguments = arguments
        methods = BuiltinMethods(name)
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let r = try receiver.eval(f)
        let args = try arguments.evaluate(f)
        do {
            if let m = methods.method(for: r) { return try m.body(r, args, f.interp) }
            return try f.interp.callValue(try cache.get(r, name, f.interp), args)
        } catch let e as ScriptError where e.isLocated {
            throw e.calledFrom(span, f.code.source, f.code.name)
        } catch {
            throw f.locate(error, span)
        }
    }
}

/// List, dict and generator comprehensions run in their own scope, like Python 3's; the first
/// iterable is evaluated in the enclosing scope. A generator expression is evaluated eagerly
/// and returned as a one-pass iterator over its items (so `next(x for x in …)` works).
final class ComprehensionNode: ExprNode {
    struct Clause {
        let target: TargetNode
        let iterable: ExprNode
        let conditions: [ExprNode]
    }
    let code: CodeObject
    let captures: [Int]
    let firstIterable: ExprNode
    let clauses: [Clause]
    let element: ExprNode
    let value: ExprNode?
    let kind: ComprehensionDef.Kind
    init(code: CodeObject, captures: [Int], firstIterable: ExprNode, clauses: [Clause], element: ExprNode, value: ExprNode?, kind: ComprehensionDef.Kind, _ span: Span) {
        self.code = code
        self.captures = captures
        self.firstIterable = firstIterable
        self.clauses = clauses
        self.element = element
        self.value = value
        self.kind = kind
        super.init(span)
    }

    override func eval(_ f: Frame) throws -> Value {
        let first = try firstIterable.eval(f)
        var cells = (0..<code.cellCount).map { _ in Cell() }
        cells += captures.map { f.cells[$0] }
        let inner = Frame(code: code, interp: f.interp, cells: cells)
        var items: [Value] = []
        let dict = value == nil ? nil : DictObject()
        try run(0, first, inner, &items, dict)
        if let dict { return .dict(dict) }
        switch kind {
        case .generator: return .object(IteratorObject(ArrayIterator(items), name: "generator"))
        case .set: return .object(try SetObject(items))
        default: return .list(ListObject(items))
        }
    }

    private func run(_ k: Int, _ iterable: Value, _ f: Frame, _ items: inout [Value], _ dict: DictObject?) throws {
        let clause = clauses[k]
        let it: ValueIterator
        do { it = try Iteration.iterator(iterable, f.interp) } catch { throw f.locate(error, clause.iterable.span) }
        while let item = try it.next() {
            try f.interp.checkpoint()
            try clause.target.store(item, f)
            var keep = true
            for c in clause.conditions {
                let v = try c.eval(f)
                do { keep = try Operators.truthy(v) } catch { throw f.locate(error, c.span) }
                if !keep { break }
            }
            guard keep else { continue }
            if k + 1 < clauses.count {
                try run(k + 1, try clauses[k + 1].iterable.eval(f), f, &items, dict)
            } else if let dict, let value {
                let key = try element.eval(f)
                do { try dict.set(key, try value.eval(f)) } catch { throw f.locate(error, element.span) }
            } else {
                items.append(try element.eval(f))
            }
        }
    }
}
