/// The syntax tree the parser builds and the compiler turns into executable nodes. Function
/// bodies, lambdas and comprehensions are classes so that scope analysis can key on them.
struct Expr {
    var kind: ExprKind
    var span: Span
}

indirect enum ExprKind {
    case name(String)
    case int(Int)
    case float(Double)
    case string(String)
    case fstring([FStringPart])
    case bool(Bool)
    case none
    case ellipsis
    case list([Expr])
    case tuple([Expr])
    case set([Expr])
    case dict([(key: Expr, value: Expr)])
    /// `*x` in a call's arguments or a list/tuple display.
    case starred(Expr)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case compare(Expr, [(CompareOperator, Expr)])
    /// `then if condition else otherwise`
    case ternary(condition: Expr, then: Expr, otherwise: Expr)
    case lambda(FunctionDef)
    case call(Expr, [Argument])
    case attribute(Expr, String)
    case subscripted(Expr, Expr)
    /// `lower:upper:step` inside a subscript.
    case slice(Expr?, Expr?, Expr?)
    case comprehension(ComprehensionDef)
    /// `yield value` (value nil for a bare `yield`); only a statement or an assignment's value.
    case yield(Expr?)
    /// `yield from iterable`, as a statement.
    case yieldFrom(Expr)
}

enum FStringPart {
    case literal(String)
    /// `{value!conversion:spec}`; the spec may itself contain replacement fields.
    case value(Expr, conversion: Unicode.Scalar?, spec: [FStringPart]?)
}

enum UnaryOperator: String {
    case negate = "-", plus = "+", invert = "~", not = "not"
}

enum BinaryOperator: String, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
    case power = "**", matmul = "@", leftShift = "<<", rightShift = ">>", bitAnd = "&", bitOr = "|", bitXor = "^"
}

enum CompareOperator: String {
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"
}

enum Argument {
    case positional(Expr)
    case keyword(String, Expr)
    case star(Expr)
    case doubleStar(Expr)
}

struct Parameter {
    let name: String
    let defaultValue: Expr?
    let span: Span
}

/// A parameter list: positional-or-keyword parameters, then `*args`, keyword-only ones, `**kwargs`.
struct Parameters {
    var positional: [Parameter] = []
    var varargs: String?
    var keywordOnly: [Parameter] = []
    var kwargs: String?

    var allNames: [String] {
        positional.map(\.name) + (varargs.map { [$0] } ?? []) + keywordOnly.map(\.name) + (kwargs.map { [$0] } ?? [])
    }
}

/// A `def` or a `lambda` (whose body is one `return`).
final class FunctionDef {
    let name: String
    let parameters: Parameters
    let body: [Stmt]
    let decorators: [Expr]
    let span: Span
    let isLambda: Bool

    init(name: String, parameters: Parameters, body: [Stmt], decorators: [Expr], span: Span, isLambda: Bool) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.decorators = decorators
        self.span = span
        self.isLambda = isLambda
    }
}

/// `for target in iterable if condition …` clauses of a comprehension.
struct ComprehensionClause {
    let target: Expr
    let iterable: Expr
    let conditions: [Expr]
}

/// A list, dict or generator comprehension: Python gives each its own scope.
final class ComprehensionDef {
    enum Kind { case list, dict, set, generator }
    let kind: Kind
    let element: Expr
    /// The value expression of a dict comprehension (element is the key).
    let value: Expr?
    let clauses: [ComprehensionClause]

    init(kind: Kind, element: Expr, value: Expr?, clauses: [ComprehensionClause]) {
        self.kind = kind
        self.element = element
        self.value = value
        self.clauses = clauses
    }
}

/// A `class` statement: its body runs once, in its own namespace, when the statement runs.
final class ClassDef {
    let name: String
    let bases: [Expr]
    let body: [Stmt]
    let decorators: [Expr]
    let span: Span

    init(name: String, bases: [Expr], body: [Stmt], decorators: [Expr], span: Span) {
        self.name = name
        self.bases = bases
        self.body = body
        self.decorators = decorators
        self.span = span
    }
}

/// One `except [Type [as name]]:` clause.
struct ExceptHandler {
    let type: Expr?
    let name: String?
    let body: [Stmt]
    let span: Span
}

struct Stmt {
    var kind: StmtKind
    var span: Span
}

indirect enum StmtKind {
    case expression(Expr)
    /// `a = b = value`: every target gets the value.
    case assign([Expr], Expr)
    case augmentedAssign(Expr, BinaryOperator, Expr)
    case ifElse([(condition: Expr, body: [Stmt])], otherwise: [Stmt]?)
    /// Loops run `orElse` when they end without `break`.
    case whileLoop(Expr, [Stmt], orElse: [Stmt]?)
    case forLoop(target: Expr, iterable: Expr, body: [Stmt], orElse: [Stmt]?)
    case breakLoop
    case continueLoop
    case pass
    case returnValue(Expr?)
    case def(FunctionDef)
    case classDef(ClassDef)
    case tryStatement(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt]?, finally: [Stmt]?)
    /// `raise`, `raise exc`, `raise exc from cause`.
    case raise(Expr?, cause: Expr?)
    /// `name: annotation = value`: the annotation is parsed and ignored, as at run time in Python.
    case annotated(target: Expr, value: Expr?)
    case with([(context: Expr, target: Expr?)], [Stmt])
    case importModule(path: [String], alias: String?)
    case importFrom(path: [String], names: [(name: String, alias: String?)])
    case global([String])
    case nonlocal([String])
    case assert(Expr, Expr?)
    case delete([Expr])
    /// `?x`: show the help of x.
    case help(Expr)
}
