/// How a statement finished: normally, or by leaving its loop or function early.
enum Flow {
    /// `yielded`: a generator's body stopped at a `yield` and recorded how to resume (`Generators.swift`).
    case normal, breakLoop, continueLoop, returned, yielded
}

/// A variable shared between a function and the closures defined inside it.
final class Cell {
    var value: Value?
    init(_ value: Value? = nil) { self.value = value }
}

/// The module's variables, by slot. Names get slots when code mentioning them is compiled, so a
/// function refers to a global by index and still sees later (re)definitions — Python's
/// late-bound globals without a dictionary lookup per access.
///
/// The values live in a manually managed buffer: a global access is the interpreter's most
/// frequent operation, and an array would add a bounds check and a uniqueness check to every
/// store. Slots only come from `slot(_:)`, so every index the nodes hold is in range; the buffer
/// only grows while code is being compiled, never while it runs.
final class Globals {
    private(set) var values: UnsafeMutablePointer<Value?>
    private var capacity = 64
    private(set) var names: [String] = []
    private var slots: [String: Int] = [:]

    init() {
        values = .allocate(capacity: capacity)
    }

    deinit {
        values.deinitialize(count: names.count)
        values.deallocate()
    }

    func slot(_ name: String) -> Int {
        if let s = slots[name] { return s }
        let s = names.count
        if s == capacity {
            let grown = UnsafeMutablePointer<Value?>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: values, count: s)
            values.deallocate()
            values = grown
            capacity *= 2
        }
        (values + s).initialize(to: nil)
        slots[name] = s
        names.append(name)
        return s
    }

    func lookup(_ name: String) -> Value? { slots[name].flatMap { values[$0] } }
}

/// Compiled code of a function, lambda, comprehension or top-level chunk, with its slot layout.
final class CodeObject {
    let name: String
    let source: SourceText
    var body: [StmtNode] = []
    /// Local slots; parameters come first, in declaration order.
    let localCount: Int
    let parameterNames: [String]
    let positionalCount: Int
    let varargsSlot: Int?
    let keywordOnlyCount: Int
    let kwargsSlot: Int?
    /// Cells this code creates (its variables that inner functions capture), then the number of
    /// cells it receives from its closure.
    let cellCount: Int
    let freeCount: Int
    /// Parameters that live in cells: (parameter slot, cell index).
    let parameterCells: [(slot: Int, cell: Int)]
    /// The body contains `yield`: a call returns a generator that runs it step by step.
    var isGenerator = false

    init(name: String, source: SourceText, localCount: Int, parameterNames: [String], positionalCount: Int,
         varargsSlot: Int?, keywordOnlyCount: Int, kwargsSlot: Int?, cellCount: Int, freeCount: Int,
         parameterCells: [(slot: Int, cell: Int)]) {
        self.name = name
        self.source = source
        self.localCount = localCount
        self.parameterNames = parameterNames
        self.positionalCount = positionalCount
        self.varargsSlot = varargsSlot
        self.keywordOnlyCount = keywordOnlyCount
        self.kwargsSlot = kwargsSlot
        self.cellCount = cellCount
        self.freeCount = freeCount
        self.parameterCells = parameterCells
    }

    /// Positional parameters only: calls can copy arguments straight into slots.
    var isSimple: Bool { varargsSlot == nil && kwargsSlot == nil && keywordOnlyCount == 0 }
}

/// One activation of a code object. Its local slots are a buffer of exactly the code's
/// `localCount`, indexed only by slots the compiler assigned (like `Globals`, for speed).
final class Frame {
    let locals: UnsafeMutablePointer<Value?>
    var cells: [Cell]
    let code: CodeObject
    let interp: Interpreter
    let globals: Globals
    var returnValue: Value = .none
    /// The function this frame runs (nil for module code): zero-argument `super()` reads the
    /// class its method was defined in from it.
    var function: Function?
    /// Set while the frame runs a generator's body: where it stopped and what it yielded.
    var generator: GeneratorState?

    init(code: CodeObject, interp: Interpreter, cells: [Cell]) {
        self.code = code
        self.interp = interp
        globals = interp.globals
        locals = .allocate(capacity: max(code.localCount, 1))
        locals.initialize(repeating: nil, count: code.localCount)
        self.cells = cells
    }

    deinit {
        var held: [Value] = []
        for i in 0..<code.localCount { if let v = (locals + i).move() { held.append(v) } }
        locals.deallocate()
        Teardown.release(&held)
    }

    /// Converts any error to a script error located at `span` unless it already has a location.
    func locate(_ error: any Error, _ span: Span) -> ScriptError {
        ScriptError.wrap(error).located(span, code.source, code.name)
    }
}

/// A `def` or `lambda` value: code plus the defaults and captured cells of this definition.
final class Function: ScriptObject {
    let code: CodeObject
    let defaults: [Value]
    let keywordDefaults: [Value?]
    let closure: [Cell]
    let docString: String?
    /// The class whose body defined this function, set when the class is made (for `super()`).
    weak var definingClass: ClassObject?

    init(code: CodeObject, defaults: [Value], keywordDefaults: [Value?], closure: [Cell], docString: String?) {
        self.code = code
        self.defaults = defaults
        self.keywordDefaults = keywordDefaults
        self.closure = closure
        self.docString = docString
    }

    override var typeName: String { "function" }
    override var repr: String { "<function \(code.name)>" }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value { try interp.call(self, args) }
    override var help: String? {
        let sig = "\(code.name)(" + code.parameterNames.joined(separator: ", ") + ")"
        return docString.map { sig + "\n    " + $0 } ?? sig
    }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "__name__": .str(code.name)
        case "__doc__": docString.map(Value.str) ?? Value.none
        default: nil
        }
    }
}
