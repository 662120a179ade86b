/// Recursive-descent parser for Duet's Python subset. Nesting is bounded (`maxNesting`), so a
/// hostile or generated script gets a syntax error instead of exhausting the stack.
struct Parser {
    /// Deepest nesting of brackets, unary operators and blocks the parser accepts; long operator
    /// chains count one level per operator, because they nest in the tree just the same.
    static let maxNesting = 100

    var tokens: [Token]
    var position = 0
    let source: SourceText
    var nesting = 0

    init(tokens: [Token], source: SourceText) {
        self.tokens = tokens
        self.source = source
    }

    /// Parses a whole file or REPL input.
    static func parse(_ source: SourceText, _ text: String) throws -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(source, text), source: source)
        return try parser.file()
    }

    var current: Token { tokens[min(position, tokens.count - 1)] }
    var kind: TokenKind { current.kind }
    func peekKind(_ k: Int) -> TokenKind { tokens[min(position + k, tokens.count - 1)].kind }
    /// The span of the token before the current one (where a construct ended).
    var previousSpan: Span { tokens[max(0, min(position - 1, tokens.count - 1))].span }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    func isOp(_ o: String) -> Bool { kind == .op(o) }
    func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }

    mutating func accept(_ o: String) -> Bool {
        guard isOp(o) else { return false }
        advance()
        return true
    }

    mutating func acceptKeyword(_ k: Keyword) -> Bool {
        guard isKeyword(k) else { return false }
        advance()
        return true
    }

    func error(_ message: String, at span: Span? = nil, kind errorKind: ErrorKind = .syntax) -> ScriptError {
        ScriptError(errorKind, message, at: span ?? current.span, in: source)
    }

    /// "invalid syntax", or a more helpful message for common slips at the current token.
    func unexpected(_ context: String? = nil) -> ScriptError {
        switch kind {
        case .indent: return error("unexpected indent", kind: .indentation)
        case .eof: return error("unexpected end of input" + (context.map { " (\($0))" } ?? ""))
        case .newline: return error("unexpected end of line" + (context.map { " (\($0))" } ?? ""))
        default: return error("invalid syntax" + (context.map { ": \($0), got \(kind.display)" } ?? ""))
        }
    }

    mutating func expect(_ o: String, _ context: String? = nil) throws {
        guard accept(o) else { throw unexpected(context ?? "expected '\(o)'") }
    }

    mutating func expectName(_ what: String) throws -> String {
        guard case .name(let n) = kind else { throw unexpected("expected \(what)") }
        advance()
        return n
    }

    /// Runs `body` one nesting level deeper, refusing past the limit.
    mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting {
            throw error("too many nested levels (the limit is \(Self.maxNesting))")
        }
        return try body(&self)
    }

    /// Counts one more level of an operator chain (see `maxNesting`).
    func chained(_ count: inout Int) throws {
        count += 1
        if nesting + count > Self.maxNesting * 2 {
            throw error("expression too long: more than \(Self.maxNesting * 2) chained operators")
        }
    }

    // MARK: Statements

    mutating func file() throws -> [Stmt] {
        try fileWithLines().flatMap(\.statements)
    }

    /// A top-level line's statements (`a = 1; b = 2` are one) and the lines they span, from
    /// their first token to their last: what notebooks attach expected output to.
    struct TopLevel {
        let statements: [Stmt]
        let firstLine: Int
        let lastLine: Int
    }

    static func parseTopLevel(_ source: SourceText, _ text: String) throws -> [TopLevel] {
        var parser = Parser(tokens: try Lexer.tokenize(source, text), source: source)
        return try parser.fileWithLines()
    }

    private mutating func fileWithLines() throws -> [TopLevel] {
        var body: [TopLevel] = []
        while kind != .eof {
            if kind == .newline {
                advance()
                continue
            }
            let first = Int(current.span.line)
            let statements = try statement()
            var k = position - 1
            while k > 0, [.newline, .indent, .dedent, .eof].contains(tokens[k].kind) { k -= 1 }
            body.append(TopLevel(statements: statements, firstLine: first, lastLine: max(first, Int(tokens[max(k, 0)].span.endLine))))
        }
        return body
    }

    /// One compound statement, or one line of `;`-separated simple statements.
    mutating func statement() throws -> [Stmt] {
        switch kind {
        case .keyword(.if): return [try ifStatement()]
        case .keyword(.while): return [try whileStatement()]
        case .keyword(.for): return [try forStatement()]
        case .keyword(.def): return [try defStatement(decorators: [])]
        case .keyword(.class): return [try classStatement(decorators: [])]
        case .keyword(.try): return [try tryStatement()]
        case .keyword(.with): return [try withStatement()]
        case .op("@"): return [try decorated()]
        case .keyword(let k) where [.async, .await].contains(k):
            throw error("'\(k.rawValue)' is not supported in Duet: it runs code synchronously")
        case .keyword(let k) where [.except, .finally].contains(k):
            throw error("invalid syntax: '\(k.rawValue)' without a matching 'try'")
        case .keyword(.elif), .keyword(.else):
            throw error("invalid syntax: '\(kind == .keyword(.elif) ? "elif" : "else")' without a matching 'if'")
        case .indent:
            throw error("unexpected indent", kind: .indentation)
        case .dedent:
            throw error("unindent does not match any outer indentation level", kind: .indentation)
        default:
            var line = try simpleStatement()
            while accept(";") {
                if kind == .newline || kind == .eof { break }
                line += try simpleStatement()
            }
            guard kind == .newline || kind == .eof else { throw unexpected() }
            advance()
            return line
        }
    }

    /// The statements after a `:` — an indented block, or simple statements on the same line.
    mutating func block(after keyword: String, line: Int32) throws -> [Stmt] {
        try expect(":", "expected ':'")
        return try nested { p in
            if p.kind != .newline {
                var body = try p.simpleStatement()
                while p.accept(";") {
                    if p.kind == .newline { break }
                    body += try p.simpleStatement()
                }
                guard p.kind == .newline || p.kind == .eof else { throw p.unexpected() }
                p.advance()
                return body
            }
            p.advance()
            guard p.kind == .indent else {
                throw p.error("expected an indented block after '\(keyword)' on line \(line)", kind: .indentation)
            }
            p.advance()
            var body: [Stmt] = []
            while p.kind != .dedent && p.kind != .eof {
                if p.kind == .newline {
                    p.advance()
                    continue
                }
                body += try p.statement()
            }
            p.advance()
            return body
        }
    }

    mutating func ifStatement() throws -> Stmt {
        let start = current.span
        advance()
        var branches: [(condition: Expr, body: [Stmt])] = []
        branches.append((try expression(), try block(after: "if", line: start.line)))
        var otherwise: [Stmt]?
        while true {
            let line = current.span.line
            if acceptKeyword(.elif) {
                branches.append((try expression(), try block(after: "elif", line: line)))
            } else if acceptKeyword(.else) {
                otherwise = try block(after: "else", line: line)
                break
            } else {
                break
            }
        }
        return Stmt(kind: .ifElse(branches, otherwise: otherwise), span: start.through(branches[0].condition.span))
    }

    mutating func whileStatement() throws -> Stmt {
        let start = current.span
        advance()
        let condition = try expression()
        let body = try block(after: "while", line: start.line)
        let orElse = try loopElse()
        return Stmt(kind: .whileLoop(condition, body, orElse: orElse), span: start.through(condition.span))
    }

    mutating func forStatement() throws -> Stmt {
        let start = current.span
        advance()
        let target = try targetList()
        guard acceptKeyword(.in) else { throw unexpected("expected 'in'") }
        let iterable = try expressionList()
        let body = try block(after: "for", line: start.line)
        let orElse = try loopElse()
        return Stmt(kind: .forLoop(target: target, iterable: iterable, body: body, orElse: orElse), span: start.through(iterable.span))
    }

    /// The `else:` block of a loop, which runs when the loop ends without `break`.
    private mutating func loopElse() throws -> [Stmt]? {
        let line = current.span.line
        guard acceptKeyword(.else) else { return nil }
        return try block(after: "else", line: line)
    }

    /// `try:` with `except` clauses, `else:` and `finally:`, as in Python.
    mutating func tryStatement() throws -> Stmt {
        let start = current.span
        advance()
        let body = try block(after: "try", line: start.line)
        var handlers: [ExceptHandler] = []
        while isKeyword(.except) {
            let clause = current.span
            advance()
            if let last = handlers.last, last.type == nil {
                throw error("default 'except:' must be last", at: last.span)
            }
            var type: Expr?
            var name: String?
            if !isOp(":") {
                type = try expression()
                if isOp(",") {
                    var items = [type!]
                    while accept(",") { items.append(try expression()) }
                    type = Expr(kind: .tuple(items), span: items[0].span.through(previousSpan))
                }
                if acceptKeyword(.as) { name = try expectName("a name after 'as'") }
            }
            let header = clause.through(previousSpan)
            handlers.append(ExceptHandler(type: type, name: name, body: try block(after: "except", line: clause.line), span: header))
        }
        var orElse: [Stmt]?
        if isKeyword(.else) {
            let line = current.span.line
            guard !handlers.isEmpty else { throw error("invalid syntax: 'else' in a 'try' needs an 'except' clause") }
            advance()
            orElse = try block(after: "else", line: line)
        }
        var final: [Stmt]?
        if isKeyword(.finally) {
            let line = current.span.line
            advance()
            final = try block(after: "finally", line: line)
        }
        guard !handlers.isEmpty || final != nil else { throw unexpected("expected 'except' or 'finally' block") }
        return Stmt(kind: .tryStatement(body: body, handlers: handlers, orElse: orElse, finally: final), span: start)
    }

    /// `class Name(Base, …):` and its body.
    mutating func classStatement(decorators: [Expr]) throws -> Stmt {
        let start = current.span
        advance()
        let name = try expectName("a class name")
        var bases: [Expr] = []
        if accept("(") {
            while !isOp(")") {
                if case .name(let n) = kind, peekKind(1) == .op("=") {
                    // `metaclass=…` and other class keywords: accepted for pasted code, not used.
                    _ = n
                    advance()
                    advance()
                    _ = try expression()
                } else {
                    bases.append(try expression())
                }
                guard accept(",") else { break }
            }
            try expect(")", "expected ')' after the base classes")
        }
        let header = start.through(previousSpan)
        let body = try block(after: "class", line: start.line)
        return Stmt(kind: .classDef(ClassDef(name: name, bases: bases, body: body, decorators: decorators, span: header)), span: header)
    }

    mutating func decorated() throws -> Stmt {
        var decorators: [Expr] = []
        while accept("@") {
            decorators.append(try expression())
            guard kind == .newline else { throw unexpected("expected a new line after a decorator") }
            advance()
        }
        if isKeyword(.class) { return try classStatement(decorators: decorators) }
        guard isKeyword(.def) else { throw unexpected("expected 'def' or 'class' after decorators") }
        return try defStatement(decorators: decorators)
    }

    mutating func defStatement(decorators: [Expr]) throws -> Stmt {
        let start = current.span
        advance()
        let name = try expectName("a function name")
        try expect("(", "expected '(' after the function name")
        let parameters = try parameterList(closing: ")")
        try expect(")", "expected ')'")
        if accept("->") { _ = try expression() }
        let header = start.through(previousSpan)
        let body = try block(after: "def", line: start.line)
        let def = FunctionDef(name: name, parameters: parameters, body: body, decorators: decorators, span: header, isLambda: false)
        return Stmt(kind: .def(def), span: header)
    }

    /// Parameters up to (not including) `closing`: `a, b=1, *args, c, **kwargs`.
    mutating func parameterList(closing: String) throws -> Parameters {
        var ps = Parameters()
        var seen = Set<String>()
        var sawDefault = false
        func check(_ p: inout Parser, _ name: String, _ span: Span) throws {
            guard seen.insert(name).inserted else { throw p.error("duplicate argument '\(name)' in function definition", at: span) }
        }
        while !isOp(closing) {
            let span = current.span
            if accept("**") {
                let name = try expectName("a parameter name")
                try check(&self, name, span)
                ps.kwargs = name
                _ = accept(",")
                guard isOp(closing) else { throw unexpected("'**\(name)' must be the last parameter") }
                break
            }
            if accept("*") {
                guard ps.varargs == nil else { throw error("only one '*' parameter is allowed", at: span) }
                let name = try expectName("a parameter name after '*'")
                try check(&self, name, span)
                ps.varargs = name
            } else {
                let name = try expectName("a parameter name")
                try check(&self, name, span)
                // Annotations (`x: int`) are allowed and ignored in a def; in a lambda ':' ends the list.
                if closing != ":" && accept(":") { _ = try expression() }
                var defaultValue: Expr?
                if accept("=") {
                    defaultValue = try expression()
                    sawDefault = true
                } else if sawDefault && ps.varargs == nil {
                    throw error("parameter without a default follows parameter with a default", at: span)
                }
                let p = Parameter(name: name, defaultValue: defaultValue, span: span)
                if ps.varargs == nil { ps.positional.append(p) } else { ps.keywordOnly.append(p) }
            }
            guard accept(",") else { break }
        }
        return ps
    }

    mutating func withStatement() throws -> Stmt {
        let start = current.span
        advance()
        var items: [(context: Expr, target: Expr?)] = []
        repeat {
            let context = try expression()
            var target: Expr?
            if acceptKeyword(.as) { target = try checkedTarget(try postfix()) }
            items.append((context, target))
        } while accept(",")
        let header = start.through(previousSpan)
        return Stmt(kind: .with(items, try block(after: "with", line: start.line)), span: header)
    }

    /// One simple statement; `import a, b` gives one statement per module.
    mutating func simpleStatement() throws -> [Stmt] {
        if isKeyword(.import) { return try importStatements() }
        return [try singleSimpleStatement()]
    }

    /// `import a.b as c, d`: each module bound as its own statement.
    private mutating func importStatements() throws -> [Stmt] {
        let start = current.span
        advance()
        var out: [Stmt] = []
        repeat {
            let path = try dottedName()
            let alias = acceptKeyword(.as) ? try expectName("a name after 'as'") : nil
            out.append(Stmt(kind: .importModule(path: path, alias: alias), span: start.through(previousSpan)))
        } while accept(",")
        return out
    }

    private mutating func singleSimpleStatement() throws -> Stmt {
        let start = current.span
        switch kind {
        case .keyword(.pass):
            advance()
            return Stmt(kind: .pass, span: start)
        case .keyword(.break):
            advance()
            return Stmt(kind: .breakLoop, span: start)
        case .keyword(.continue):
            advance()
            return Stmt(kind: .continueLoop, span: start)
        case .keyword(.return):
            advance()
            let value = kind == .newline || isOp(";") || kind == .eof ? nil : try expressionList()
            return Stmt(kind: .returnValue(value), span: start.through(value?.span ?? start))
        case .keyword(.global), .keyword(.nonlocal):
            let isGlobal = isKeyword(.global)
            advance()
            var names = [try expectName("a name")]
            while accept(",") { names.append(try expectName("a name")) }
            return Stmt(kind: isGlobal ? .global(names) : .nonlocal(names), span: start.through(previousSpan))
        case .keyword(.raise):
            advance()
            if kind == .newline || isOp(";") || kind == .eof { return Stmt(kind: .raise(nil, cause: nil), span: start) }
            let exc = try expression()
            let cause = acceptKeyword(.from) ? try expression() : nil
            return Stmt(kind: .raise(exc, cause: cause), span: start.through(previousSpan))
        case .keyword(.from):
            advance()
            let path = try dottedName()
            guard acceptKeyword(.import) else { throw unexpected("expected 'import'") }
            let parenthesized = accept("(")
            var names: [(name: String, alias: String?)] = []
            if accept("*") { throw error("'from \(path.joined(separator: ".")) import *' is not supported; import names explicitly") }
            repeat {
                if parenthesized && isOp(")") { break }
                let name = try expectName("a name to import")
                names.append((name, acceptKeyword(.as) ? try expectName("a name after 'as'") : nil))
            } while accept(",")
            if parenthesized { try expect(")") }
            return Stmt(kind: .importFrom(path: path, names: names), span: start.through(previousSpan))
        case .keyword(.assert):
            advance()
            let condition = try expression()
            let message = accept(",") ? try expression() : nil
            return Stmt(kind: .assert(condition, message), span: start.through(previousSpan))
        case .keyword(.del):
            advance()
            var targets: [Expr] = []
            repeat { targets.append(try checkedTarget(try postfix(), deleting: true)) } while accept(",") && kind != .newline
            return Stmt(kind: .delete(targets), span: start.through(previousSpan))
        case .op("?"):
            advance()
            let subject = try expression()
            return Stmt(kind: .help(subject), span: start.through(subject.span))
        default:
            return try expressionStatement()
        }
    }

    mutating func dottedName() throws -> [String] {
        var path = [try expectName("a module name")]
        while accept(".") { path.append(try expectName("a module name")) }
        return path
    }

    static let augmentedOperators: [String: BinaryOperator] = [
        "+=": .add, "-=": .subtract, "*=": .multiply, "/=": .divide, "//=": .floorDivide, "%=": .modulo,
        "**=": .power, "@=": .matmul, "&=": .bitAnd, "|=": .bitOr, "^=": .bitXor, "<<=": .leftShift, ">>=": .rightShift,
    ]

    mutating func expressionStatement() throws -> Stmt {
        if isKeyword(.yield) {
            let y = try yieldExpression()
            return Stmt(kind: .expression(y), span: y.span)
        }
        let first = try expressionList(allowStarred: true)
        if case .op(let o) = kind, let op = Self.augmentedOperators[o] {
            let target = try checkedTarget(first, augmented: true)
            advance()
            let value = try expressionList()
            return Stmt(kind: .augmentedAssign(target, op, value), span: first.span.through(value.span))
        }
        if accept(":") {
            let target = try checkedTarget(first)
            if case .tuple = target.kind { throw error("only single target (not tuple) can be annotated", at: target.span) }
            _ = try expression()
            let value = accept("=") ? try assignedValue() : nil
            return Stmt(kind: .annotated(target: target, value: value), span: first.span.through(previousSpan))
        }
        guard isOp("=") else {
            if case .starred = first.kind { throw error("can't use starred expression here", at: first.span) }
            return Stmt(kind: .expression(first), span: first.span)
        }
        var targets = [first]
        var value = first
        while accept("=") {
            value = try assignedValue()
            targets.append(value)
        }
        targets.removeLast()
        let checked = try targets.map { try checkedTarget($0) }
        return Stmt(kind: .assign(checked, value), span: first.span.through(value.span))
    }

    /// The right side of `=`: a value list, or a `yield` (whose value is what `send` passes in).
    private mutating func assignedValue() throws -> Expr {
        isKeyword(.yield) ? try yieldExpression() : try expressionList(allowStarred: true)
    }

    /// `yield`, `yield value`, `yield a, b` and `yield from iterable`.
    mutating func yieldExpression() throws -> Expr {
        let start = current.span
        advance()
        if acceptKeyword(.from) {
            let source = try expression()
            return Expr(kind: .yieldFrom(source), span: start.through(source.span))
        }
        if kind == .newline || kind == .eof || isOp(")") || isOp(";") { return Expr(kind: .yield(nil), span: start) }
        let value = try expressionList(allowStarred: true)
        return Expr(kind: .yield(value), span: start.through(value.span))
    }

    /// Accepts an expression as an assignment target, or names what cannot be assigned to.
    func checkedTarget(_ e: Expr, augmented: Bool = false, deleting: Bool = false) throws -> Expr {
        let verb = deleting ? "delete" : "assign to"
        switch e.kind {
        case .name, .attribute, .subscripted:
            return e
        case .tuple(let items), .list(let items):
            if augmented { throw error("'tuple' is an illegal expression for augmented assignment", at: e.span) }
            for item in items { _ = try checkedTarget(item, deleting: deleting) }
            return e
        case .starred(let inner):
            if augmented || deleting { throw error("can't use starred expression here", at: e.span) }
            _ = try checkedTarget(inner)
            return e
        case .call: throw error("cannot \(verb) function call", at: e.span)
        case .int, .float, .string, .fstring, .bool, .none, .ellipsis: throw error("cannot \(verb) literal", at: e.span)
        default: throw error("cannot \(verb) expression", at: e.span)
        }
    }

    /// The target of `for … in`: a name or a comma-separated tuple of targets.
    mutating func targetList() throws -> Expr {
        let first = try targetItem()
        guard isOp(",") else {
            if case .starred = first.kind { throw error("starred assignment target must be in a list or tuple", at: first.span) }
            return first
        }
        var items = [first]
        while accept(",") {
            if isKeyword(.in) || isOp("=") { break }
            items.append(try targetItem())
        }
        return Expr(kind: .tuple(items), span: first.span.through(previousSpan))
    }

    /// One name of a `for` target list, possibly `*rest`.
    private mutating func targetItem() throws -> Expr {
        let start = current.span
        if accept("*") {
            let inner = try checkedTarget(try bitOr())
            return Expr(kind: .starred(inner), span: start.through(inner.span))
        }
        return try checkedTarget(try bitOr())
    }
}
