import DuetTensor

/// A builtin's one declaration of its parameters, written as PyTorch's signature text
/// (`"save(obj, f)"`, `"sum(input, dim=None, keepdim=False)"`) and parsed once. The same parse
/// binds every call (`BoundArguments`), renders `help` and feeds Tab completion, so what help
/// shows and what a call accepts cannot drift apart (docs/language.md, "Builtins").
///
/// The grammar is Python's: `name`, `name=default`, `*args`, a bare `*` before keyword-only
/// parameters, `**kwargs`, and `/` after positional-only ones. Defaults are literals (None,
/// True, False, numbers, strings, tuples and lists of them). A function PyTorch overloads by
/// position (`randint(high, size)` / `randint(low, high, size)`) declares each form; a call
/// binds to the first that fits.
struct Signature: Sendable, ExpressibleByStringInterpolation {
    let overloads: [Overload]

    init(_ texts: String...) { self.init(texts) }
    init(_ texts: [String]) { overloads = texts.map(Overload.init) }
    init(stringLiteral text: String) { self.init([text]) }
    init(stringInterpolation: DefaultStringInterpolation) { self.init([String(stringInterpolation: stringInterpolation)]) }

    var name: String { overloads.first?.name ?? "" }
    /// The help text's signature lines, one per form.
    var text: String { overloads.map(\.text).joined(separator: "\n") }
    /// Declarations that did not parse (a test holds every builtin to none).
    var malformed: [String] { overloads.compactMap(\.malformed) }
    /// The names a keyword argument can use, for completion.
    var keywordNames: [String] {
        var names: [String] = []
        for o in overloads {
            for p in o.parameters where p.acceptsKeyword && !names.contains(p.name) { names.append(p.name) }
        }
        return names
    }

    /// Binds to the first form that fits. When none does, the error comes from the form closest
    /// to the call: one that takes that many positionals and knows every keyword given, so
    /// `arange(0, 9, step=2, bad=1)` names `bad` and `range(1, 2, 3, 4)` says "from 2 to 3".
    func bind(_ args: Arguments) throws -> BoundArguments {
        var errors: [Error] = []
        for o in overloads {
            do { return try o.bind(args) } catch { errors.append(error) }
        }
        let n = args.positional.count
        let roomy = overloads.indices.filter { overloads[$0].varPositional != nil || n <= overloads[$0].positionalCount }
        let knowing = roomy.first { i in
            let o = overloads[i]
            return o.varKeyword != nil || args.names.allSatisfy { name in o.index(of: name).map { o.parameters[$0].acceptsKeyword } ?? false }
        }
        let widest = overloads.indices.max { overloads[$0].positionalCount < overloads[$1].positionalCount }
        guard let i = knowing ?? roomy.first ?? widest, errors.indices.contains(i) else {
            throw ScriptError(.type, "\(name)() has no declaration")
        }
        throw errors[i]
    }

    /// The same declaration with its first parameter dropped: a method's receiver (`Tensor.sum`
    /// shows `sum(dim=None, keepdim=False)`).
    var droppingFirst: Signature { Signature(overloads.map { $0.droppingFirst.text }) }
}

/// One parameter list of a signature.
struct Overload: Sendable {
    let name: String
    let parameters: [DeclaredParameter]
    /// How many leading parameters positional arguments fill.
    let positionalCount: Int
    let varPositional: Int?
    let varKeyword: Int?
    let malformed: String?

    init(_ text: String) {
        let parsed = SignatureParser.parse(text)
        name = parsed.name
        parameters = parsed.parameters
        malformed = parsed.error.map { "\(text): \($0)" }
        positionalCount = parameters.prefix { $0.kind == .positionalOnly || $0.kind == .positionalOrKeyword }.count
        varPositional = parameters.firstIndex { $0.kind == .varPositional }
        varKeyword = parameters.firstIndex { $0.kind == .varKeyword }
    }

    var text: String {
        var parts: [String] = []
        for (i, p) in parameters.enumerated() {
            if p.kind == .keywordOnly && (i == 0 || parameters[i - 1].kind == .positionalOnly || parameters[i - 1].kind == .positionalOrKeyword) {
                parts.append("*")
            }
            parts.append(p.text)
            if p.kind == .positionalOnly && (i + 1 == parameters.count || parameters[i + 1].kind != .positionalOnly) { parts.append("/") }
        }
        return "\(name)(" + parts.joined(separator: ", ") + ")"
    }

    var droppingFirst: Overload {
        guard let first = parameters.first, first.kind == .positionalOnly || first.kind == .positionalOrKeyword else { return self }
        return Overload(name: name, parameters: Array(parameters.dropFirst()))
    }

    private init(name: String, parameters: [DeclaredParameter]) {
        self.name = name
        self.parameters = parameters
        malformed = nil
        positionalCount = parameters.prefix { $0.kind == .positionalOnly || $0.kind == .positionalOrKeyword }.count
        varPositional = parameters.firstIndex { $0.kind == .varPositional }
        varKeyword = parameters.firstIndex { $0.kind == .varKeyword }
    }

    func index(of name: String) -> Int? { parameters.firstIndex { $0.name == name } }

    /// Python's rules: positionals fill the leading parameters (extras go to `*args`), keywords
    /// match by name (unknown ones go to `**kwargs`), and every parameter without a default must
    /// be given. Nothing is copied: the bound form reads the call's own arrays.
    func bind(_ args: Arguments) throws -> BoundArguments {
        if let malformed { throw ScriptError(.runtime, "\(name)(): its declaration does not parse (\(malformed))") }
        let n = args.positional.count
        if n > positionalCount && varPositional == nil {
            let required = parameters.prefix(positionalCount).filter(\.isRequired).count
            try Arguments.checkCount(name, n, min: required, max: positionalCount)
        }
        for (k, key) in args.names.enumerated() {
            if let i = index(of: key), parameters[i].acceptsKeyword {
                if i < min(n, positionalCount) { throw ScriptError(.type, "\(name)() got multiple values for argument '\(key)'") }
                if args.names[..<k].contains(key) { throw ScriptError(.type, "\(name)() got multiple values for keyword argument '\(key)'") }
            } else if varKeyword == nil {
                throw ScriptError(.type, "\(name)() got an unexpected keyword argument '\(key)'")
            }
        }
        for (i, p) in parameters.enumerated() where p.isRequired {
            let given = i < positionalCount && i < n || (p.acceptsKeyword && args.names.contains(p.name))
            if !given { throw ScriptError(.type, "\(name)() missing required argument '\(p.name)'") }
        }
        return BoundArguments(self, args)
    }
}

/// One declared parameter.
struct DeclaredParameter: Sendable {
    enum Kind: Sendable { case positionalOnly, positionalOrKeyword, varPositional, keywordOnly, varKeyword }
    let name: String
    let kind: Kind
    /// nil: the caller must pass it (for `*args`/`**kwargs`: nothing is implied).
    let defaultValue: SignatureLiteral?

    var isRequired: Bool { defaultValue == nil && kind != .varPositional && kind != .varKeyword }
    var acceptsKeyword: Bool { kind == .positionalOrKeyword || kind == .keywordOnly }

    var text: String {
        switch kind {
        case .varPositional: "*" + name
        case .varKeyword: "**" + name
        default: defaultValue.map { "\(name)=\($0.text)" } ?? name
        }
    }
}

/// A default value as the declaration writes it.
indirect enum SignatureLiteral: Sendable, Equatable {
    case none, bool(Bool), int(Int), float(Double), str(String), dtype(DType), tuple([SignatureLiteral]), list([SignatureLiteral])

    var value: Value {
        switch self {
        case .none: .none
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .float(let d): .float(d)
        case .str(let s): .str(s)
        case .dtype(let d): .object(DTypeObject(d))
        case .tuple(let items): .tuple(items.map(\.value))
        case .list(let items): .list(ListObject(items.map(\.value)))
        }
    }

    var text: String {
        switch self {
        case .list(let items): "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .dtype(let d): "torch.\(d.rawValue)"
        case .tuple(let items) where items.count == 1: "(" + items[0].text + ",)"
        default: Repr.repr(value)
        }
    }
}

/// A call's arguments matched to one overload's parameters, read by name. Absent parameters
/// read as their declared default, so a body never restates one.
struct BoundArguments {
    let overload: Overload
    let args: Arguments

    init(_ overload: Overload, _ args: Arguments) {
        self.overload = overload
        self.args = args
    }

    var function: String { overload.name }

    /// What the caller passed for `name` (even None), or nil.
    func given(_ name: String) -> Value? {
        guard let i = overload.index(of: name) else { return nil }
        return given(at: i)
    }

    private func given(at i: Int) -> Value? {
        let p = overload.parameters[i]
        if i < overload.positionalCount && i < args.positional.count { return args.positional[i] }
        guard p.acceptsKeyword else { return nil }
        for (k, n) in args.names.enumerated() where n == p.name { return args.keywords[k] }
        return nil
    }

    /// Whether `name` was passed at all, even as None (for parameters where None means
    /// something other than leaving it out).
    func isGiven(_ name: String) -> Bool { given(name) != nil }

    /// The value passed, else the declared default; nil for None and for a parameter this
    /// overload does not have.
    subscript(_ name: String) -> Value? {
        guard let i = overload.index(of: name) else { return nil }
        guard let v = given(at: i) ?? overload.parameters[i].defaultValue?.value, !v.isNone else { return nil }
        return v
    }

    /// The value passed or defaulted, None included.
    func value(_ name: String) throws -> Value {
        guard let i = overload.index(of: name) else { throw missing(name) }
        guard let v = given(at: i) ?? overload.parameters[i].defaultValue?.value else { throw missing(name) }
        return v
    }

    /// The extra positionals `*args` collected.
    var rest: ArraySlice<Value> {
        guard overload.varPositional != nil, args.positional.count > overload.positionalCount else { return [] }
        return args.positional[overload.positionalCount...]
    }

    /// The keywords `**kwargs` collected, in call order.
    var extraKeywords: [(String, Value)] {
        zip(args.names, args.keywords).filter { n, _ in overload.index(of: n).map { !overload.parameters[$0].acceptsKeyword } ?? true }
    }

    func label(_ name: String) -> String { "\(function)(): argument '\(name)'" }

    private func missing(_ name: String) -> ScriptError { ScriptError(.type, "\(function)() missing required argument '\(name)'") }

    private func required(_ name: String) throws -> Value {
        guard let v = self[name] else {
            if isGiven(name) { throw ScriptError(.type, "\(label(name)) must not be None") }
            throw missing(name)
        }
        return v
    }

    func tensor(_ name: String) throws -> Tensor { try Convert.tensor(try required(name), label(name)) }
    func optionalTensor(_ name: String) throws -> Tensor? { try self[name].map { try Convert.tensor($0, label(name)) } }
    func int(_ name: String) throws -> Int { try Convert.int(try required(name), label(name)) }
    func optionalInt(_ name: String) throws -> Int? { try self[name].map { try Convert.int($0, label(name)) } }
    func double(_ name: String) throws -> Double { try Convert.double(try required(name), label(name)) }
    func optionalDouble(_ name: String) throws -> Double? { try self[name].map { try Convert.double($0, label(name)) } }
    func bool(_ name: String) throws -> Bool { try Convert.bool(try required(name), label(name)) }
    func string(_ name: String) throws -> String { try Convert.string(try required(name), label(name)) }
    func optionalString(_ name: String) throws -> String? { try self[name].map { try Convert.string($0, label(name)) } }
    func ints(_ name: String) throws -> [Int] { try Convert.ints(try required(name), label(name)) }
    func optionalInts(_ name: String) throws -> [Int]? { try self[name].map { try Convert.ints($0, label(name)) } }
    func dtype(_ name: String) throws -> DType? { try self[name].map { try Convert.dtype($0, label(name)) } }
}
