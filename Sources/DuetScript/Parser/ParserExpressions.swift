/// Expressions, from lowest precedence (lambda, conditional) to atoms and their trailers.
extension Parser {
    /// A comma-separated list; more than one item (or a trailing comma) makes a tuple.
    mutating func expressionList(allowStarred: Bool = false) throws -> Expr {
        let first = try listItem(allowStarred: allowStarred)
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if endsExpressionList { break }
            items.append(try listItem(allowStarred: allowStarred))
        }
        return Expr(kind: .tuple(items), span: first.span.through(items[items.count - 1].span))
    }

    private var endsExpressionList: Bool {
        switch kind {
        case .newline, .eof: true
        case .op(let o): ["=", ")", "]", "}", ";", ":"].contains(o) || Parser.augmentedOperators[o] != nil
        default: false
        }
    }

    private mutating func listItem(allowStarred: Bool) throws -> Expr {
        if allowStarred && isOp("*") {
            let start = current.span
            advance()
            let inner = try bitOr()
            return Expr(kind: .starred(inner), span: start.through(inner.span))
        }
        return try expression()
    }

    /// `lambda`, or `a if c else b`, or anything tighter.
    mutating func expression() throws -> Expr {
        try nested { p in
            if p.isKeyword(.lambda) { return try p.lambda() }
            let value = try p.orTest()
            guard p.acceptKeyword(.if) else { return value }
            let condition = try p.orTest()
            guard p.acceptKeyword(.else) else { throw p.unexpected("expected 'else' in a conditional expression") }
            let otherwise = try p.expression()
            return Expr(kind: .ternary(condition: condition, then: value, otherwise: otherwise), span: value.span.through(otherwise.span))
        }
    }

    private mutating func lambda() throws -> Expr {
        let start = current.span
        advance()
        let parameters = try parameterList(closing: ":")
        try expect(":", "expected ':' in lambda")
        let body = try expression()
        let span = start.through(body.span)
        let def = FunctionDef(name: "<lambda>", parameters: parameters, body: [Stmt(kind: .returnValue(body), span: body.span)],
                              decorators: [], span: span, isLambda: true)
        return Expr(kind: .lambda(def), span: span)
    }

    private mutating func orTest() throws -> Expr {
        var left = try andTest()
        var count = 0
        while acceptKeyword(.or) {
            try chained(&count)
            let right = try andTest()
            left = Expr(kind: .or(left, right), span: left.span.through(right.span))
        }
        return left
    }

    private mutating func andTest() throws -> Expr {
        var left = try notTest()
        var count = 0
        while acceptKeyword(.and) {
            try chained(&count)
            let right = try notTest()
            left = Expr(kind: .and(left, right), span: left.span.through(right.span))
        }
        return left
    }

    private mutating func notTest() throws -> Expr {
        guard isKeyword(.not) else { return try comparison() }
        let start = current.span
        advance()
        return try nested { p in
            let operand = try p.notTest()
            return Expr(kind: .unary(.not, operand), span: start.through(operand.span))
        }
    }

    private mutating func compareOperator() -> CompareOperator? {
        switch kind {
        case .op(let o): if let c = CompareOperator(rawValue: o) { advance(); return c }
        case .keyword(.in): advance(); return .in
        case .keyword(.not) where peekKind(1) == .keyword(.in): advance(); advance(); return .notIn
        case .keyword(.is):
            advance()
            return acceptKeyword(.not) ? .isNot : .is
        default: break
        }
        return nil
    }

    private mutating func comparison() throws -> Expr {
        let first = try bitOr()
        var rest: [(CompareOperator, Expr)] = []
        var count = 0
        while let op = compareOperator() {
            try chained(&count)
            rest.append((op, try bitOr()))
        }
        guard let last = rest.last else { return first }
        return Expr(kind: .compare(first, rest), span: first.span.through(last.1.span))
    }

    /// Binding power of the binary operators between comparison and unary.
    private static let precedence: [String: (Int, BinaryOperator)] = [
        "|": (1, .bitOr), "^": (2, .bitXor), "&": (3, .bitAnd), "<<": (4, .leftShift), ">>": (4, .rightShift),
        "+": (5, .add), "-": (5, .subtract),
        "*": (6, .multiply), "/": (6, .divide), "//": (6, .floorDivide), "%": (6, .modulo), "@": (6, .matmul),
    ]

    mutating func bitOr() throws -> Expr { try binary(minimum: 1) }

    /// Precedence climbing over the left-associative binary operators.
    private mutating func binary(minimum: Int) throws -> Expr {
        var left = try unary()
        var count = 0
        while case .op(let o) = kind, let (level, op) = Self.precedence[o], level >= minimum {
            try chained(&count)
            advance()
            let right = try binary(minimum: level + 1)
            left = Expr(kind: .binary(op, left, right), span: left.span.through(right.span))
        }
        return left
    }

    private mutating func unary() throws -> Expr {
        let start = current.span
        let op: UnaryOperator
        switch kind {
        case .op("-"): op = .negate
        case .op("+"): op = .plus
        case .op("~"): op = .invert
        default: return try power()
        }
        advance()
        return try nested { p in
            let operand = try p.unary()
            if op == .negate, case .int(let v) = operand.kind, v >= 0 {
                return Expr(kind: .int(-v), span: start.through(operand.span))
            }
            if op == .negate, case .float(let v) = operand.kind {
                return Expr(kind: .float(-v), span: start.through(operand.span))
            }
            return Expr(kind: .unary(op, operand), span: start.through(operand.span))
        }
    }

    /// `a ** b` binds tighter than a unary minus on its left and is right-associative.
    private mutating func power() throws -> Expr {
        let base = try postfix()
        guard accept("**") else { return base }
        return try nested { p in
            let exponent = try p.unary()
            return Expr(kind: .binary(.power, base, exponent), span: base.span.through(exponent.span))
        }
    }

    /// An atom followed by calls, subscripts and attribute accesses.
    mutating func postfix() throws -> Expr {
        var e = try atom()
        var count = 0
        while true {
            if accept("(") {
                try chained(&count)
                let args = try nested { p in try p.arguments() }
                try expect(")", "expected ')' to close the call")
                e = Expr(kind: .call(e, args), span: e.span.through(previousSpan))
            } else if accept("[") {
                try chained(&count)
                let index = try nested { p in try p.subscriptList() }
                try expect("]", "expected ']'")
                e = Expr(kind: .subscripted(e, index), span: e.span.through(previousSpan))
            } else if accept(".") {
                try chained(&count)
                let name = try expectName("an attribute name after '.'")
                e = Expr(kind: .attribute(e, name), span: e.span.through(previousSpan))
            } else {
                return e
            }
        }
    }

    private mutating func arguments() throws -> [Argument] {
        var args: [Argument] = []
        var sawKeyword = false
        while !isOp(")") {
            if accept("**") {
                args.append(.doubleStar(try expression()))
                sawKeyword = true
            } else if accept("*") {
                args.append(.star(try expression()))
            } else if case .name(let n) = kind, peekKind(1) == .op("=") {
                let span = current.span
                advance()
                advance()
                if args.contains(where: { if case .keyword(n, _) = $0 { return true } else { return false } }) {
                    throw error("keyword argument repeated: \(n)", at: span)
                }
                args.append(.keyword(n, try expression()))
                sawKeyword = true
            } else {
                let start = current.span
                let value = try expression()
                if isKeyword(.for) {
                    let gen = try comprehension(kind: .generator, element: value, value: nil, start: start)
                    args.append(.positional(gen))
                    if !isOp(")") { throw error("a generator expression must be the only argument unless parenthesized", at: gen.span) }
                    break
                }
                if sawKeyword { throw error("positional argument follows keyword argument", at: value.span) }
                args.append(.positional(value))
            }
            guard accept(",") else { break }
        }
        return args
    }

    /// The inside of `[…]`: one index or slice, or several (a tuple).
    private mutating func subscriptList() throws -> Expr {
        let first = try subscriptItem()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if isOp("]") { break }
            items.append(try subscriptItem())
        }
        return Expr(kind: .tuple(items), span: first.span.through(previousSpan))
    }

    private mutating func subscriptItem() throws -> Expr {
        let start = current.span
        var lower: Expr?
        if !isOp(":") {
            let e = try expression()
            guard isOp(":") else { return e }
            lower = e
        }
        advance()
        let upper = isOp(":") || isOp("]") || isOp(",") ? nil : try expression()
        var step: Expr?
        if accept(":") {
            step = isOp("]") || isOp(",") ? nil : try expression()
        }
        return Expr(kind: .slice(lower, upper, step), span: start.through(previousSpan))
    }

    private mutating func atom() throws -> Expr {
        let token = current
        switch token.kind {
        case .name(let n):
            advance()
            return Expr(kind: .name(n), span: token.span)
        case .int(let v):
            advance()
            return Expr(kind: .int(v), span: token.span)
        case .float(let v):
            advance()
            return Expr(kind: .float(v), span: token.span)
        case .string, .fstring:
            return try strings()
        case .keyword(.true), .keyword(.false):
            advance()
            return Expr(kind: .bool(token.kind == .keyword(.true)), span: token.span)
        case .keyword(.none):
            advance()
            return Expr(kind: .none, span: token.span)
        case .op("..."):
            advance()
            return Expr(kind: .ellipsis, span: token.span)
        case .op("(") where peekKind(1) == .keyword(.yield):
            advance()
            let y = try yieldExpression()
            try expect(")", "expected ')'")
            return Expr(kind: y.kind, span: token.span.through(previousSpan))
        case .op("("):
            advance()
            return try nested { p in try p.parenthesized(start: token.span) }
        case .op("["):
            advance()
            return try nested { p in try p.listDisplay(start: token.span) }
        case .op("{"):
            advance()
            return try nested { p in try p.dictDisplay(start: token.span) }
        case .keyword(let k) where k != .lambda && k != .not:
            throw error("invalid syntax: '\(k.rawValue)' is a keyword and cannot be used here")
        default:
            throw unexpected("expected an expression")
        }
    }

    /// Adjacent string literals concatenate; any f-string among them makes the whole an f-string.
    private mutating func strings() throws -> Expr {
        let start = current.span
        var parts: [FStringPart] = []
        var isFormat = false
        while true {
            if case .string(let s) = kind {
                parts.append(.literal(s))
            } else if case .fstring(let f) = kind {
                isFormat = true
                parts += try fstringParts(f)
            } else {
                break
            }
            advance()
        }
        let span = start.through(previousSpan)
        if !isFormat {
            let text = parts.map { if case .literal(let s) = $0 { s } else { "" } }.joined()
            return Expr(kind: .string(text), span: span)
        }
        return Expr(kind: .fstring(parts), span: span)
    }

    private mutating func parenthesized(start: Span) throws -> Expr {
        if accept(")") { return Expr(kind: .tuple([]), span: start.through(previousSpan)) }
        let first = try listItem(allowStarred: true)
        if isKeyword(.for) {
            let gen = try comprehension(kind: .generator, element: first, value: nil, start: start)
            try expect(")", "expected ')'")
            return Expr(kind: gen.kind, span: start.through(previousSpan))
        }
        if accept(")") {
            if case .starred = first.kind { throw error("can't use starred expression here", at: first.span) }
            return Expr(kind: first.kind, span: start.through(previousSpan))
        }
        var items = [first]
        while accept(",") {
            if isOp(")") { break }
            items.append(try listItem(allowStarred: true))
        }
        try expect(")", "expected ')' or ','")
        return Expr(kind: .tuple(items), span: start.through(previousSpan))
    }

    private mutating func listDisplay(start: Span) throws -> Expr {
        if accept("]") { return Expr(kind: .list([]), span: start.through(previousSpan)) }
        let first = try listItem(allowStarred: true)
        if isKeyword(.for) {
            let comp = try comprehension(kind: .list, element: first, value: nil, start: start)
            try expect("]", "expected ']'")
            return Expr(kind: comp.kind, span: start.through(previousSpan))
        }
        var items = [first]
        while accept(",") {
            if isOp("]") { break }
            items.append(try listItem(allowStarred: true))
        }
        try expect("]", "expected ']' or ','")
        return Expr(kind: .list(items), span: start.through(previousSpan))
    }

    private mutating func dictDisplay(start: Span) throws -> Expr {
        if accept("}") { return Expr(kind: .dict([]), span: start.through(previousSpan)) }
        let key = try listItem(allowStarred: true)
        guard accept(":") else { return try setDisplay(first: key, start: start) }
        if case .starred = key.kind { throw error("can't use starred expression here", at: key.span) }
        let value = try expression()
        if isKeyword(.for) {
            let comp = try comprehension(kind: .dict, element: key, value: value, start: start)
            try expect("}", "expected '}'")
            return Expr(kind: comp.kind, span: start.through(previousSpan))
        }
        var items = [(key: key, value: value)]
        while accept(",") {
            if isOp("}") { break }
            let k = try expression()
            try expect(":", "expected ':' in a dict")
            items.append((k, try expression()))
        }
        try expect("}", "expected '}' or ','")
        return Expr(kind: .dict(items), span: start.through(previousSpan))
    }

    /// `{a, b, *c}` or `{x for x in …}` after its first item.
    private mutating func setDisplay(first: Expr, start: Span) throws -> Expr {
        if isKeyword(.for) {
            let comp = try comprehension(kind: .set, element: first, value: nil, start: start)
            try expect("}", "expected '}'")
            return Expr(kind: comp.kind, span: start.through(previousSpan))
        }
        var items = [first]
        while accept(",") {
            if isOp("}") { break }
            items.append(try listItem(allowStarred: true))
        }
        try expect("}", "expected '}' or ','")
        return Expr(kind: .set(items), span: start.through(previousSpan))
    }

    /// The `for … in … if …` clauses after a comprehension's element.
    private mutating func comprehension(kind k: ComprehensionDef.Kind, element: Expr, value: Expr?, start: Span) throws -> Expr {
        var clauses: [ComprehensionClause] = []
        while acceptKeyword(.for) {
            let target = try targetList()
            guard acceptKeyword(.in) else { throw unexpected("expected 'in'") }
            let iterable = try orTest()
            var conditions: [Expr] = []
            while acceptKeyword(.if) { conditions.append(try orTest()) }
            clauses.append(ComprehensionClause(target: target, iterable: iterable, conditions: conditions))
        }
        let def = ComprehensionDef(kind: k, element: element, value: value, clauses: clauses)
        return Expr(kind: .comprehension(def), span: start.through(previousSpan))
    }
}
