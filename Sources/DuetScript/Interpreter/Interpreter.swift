import Foundation
import DuetTensor
import DuetNN
import DuetGraph

/// Compiled code bound to its interpreter; each `run` executes it against the current globals.
public final class Program {
    let code: CodeObject
    let interp: Interpreter
    init(code: CodeObject, interp: Interpreter) {
        self.code = code
        self.interp = interp
    }
    public func run() throws { try interp.execute(code) }
}

/// Runs Duet code. One interpreter keeps its globals across `run` calls, so a REPL or a notebook
/// builds up state line by line. All state belongs to the thread that calls `run`.
public final class Interpreter {
    let globals = Globals()
    /// Builtins by name; consulted when code is compiled, never while it runs.
    private(set) var builtins: [String: Value] = [:]
    private var modules: [String: Value] = [:]
    /// Where `print` and echoed values go.
    public var output: (String) -> Void
    /// The `log(name, value)` series, for the curves pane and CSV export.
    public let logs = LogStore()
    /// The graph of the latest compiled call, for the workbench's graph pane.
    public internal(set) var lastGraph: Graph?
    /// Set while ops should carry the script line that made them (`withSourceLines`).
    private(set) var tracksLines = false
    /// The statement running, while `tracksLines` is set.
    var currentLine: SourceLocation?
    /// The latest `compare` result, for the profile pane's eager-vs-graph view.
    public internal(set) var lastComparison: Comparison?
    /// `def` calls deeper than this raise RecursionError (as does running low on stack).
    public var maxCallDepth = 1000
    /// When set, a run raises StepLimitError after this many statements and loop iterations:
    /// what lets a fuzz test bound every program.
    public var stepLimit: Int?
    /// The largest tensor any op or creation function may make: the engine's limit on this thread
    /// (`EngineContext.maxElements`), which this reads and writes. A fuzz test lowers it.
    public var maxTensorElements: Int {
        get { EngineContext.current.maxElements }
        set { EngineContext.current.maxElements = newValue }
    }
    /// The random generator this interpreter's code draws from and `torch.manual_seed` seeds: its
    /// own, as a Python process has its own, so that a seeded script gives the same numbers while
    /// other threads (the test suites running beside a notebook) draw random values too.
    public let generator = Generator(seed: 0)
    /// Terminal features for `fit`'s progress line.
    public var isInteractiveTerminal = false

    /// Another thread (the workbench's key handler) stops the running code through this.
    public let interruption = InterruptHandle()
    /// Called on the running thread about every 100 ms while code runs, just before the interrupt
    /// check: the workbench redraws its panes and reads keys (Ctrl-C) in it.
    public var onTick: (() -> Void)?
    /// The nanosecond clock polls and ticks are timed by; tests inject one to check the panes'
    /// refresh and Ctrl-C without reading wall-clock time.
    public var clock: () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    private lazy var ticks = TickClock(now: clock())
    /// What an interrupted builtin had done so far (`fit`'s history of the finished epochs), for
    /// the assignment whose call it was: set as the KeyboardInterrupt leaves the builtin.
    private var interruptedResult: Value?
    private var callDepth = 0
    /// Checkpoints left before the next poll of the interrupt flag and the step budget.
    private var countdown = 0
    /// Steps left in the budget beyond the current countdown window.
    private var budget = Int.max
    private var stack = StackGuard()
    /// The built-in classes scripts derive from (object, nn.Module, the exceptions…).
    let classes: BuiltinClasses
    /// Exception objects raised during the current run, by identity: a `ScriptError` names its
    /// exception by this key, so the error itself stays a plain value that can cross threads.
    private var raised: [ObjectIdentifier: InstanceObject] = [:]
    /// The errors the running `except` blocks handle, innermost last (what a bare `raise` re-raises).
    private var handled: [ScriptError] = []

    public init(output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.output = output
        classes = BuiltinClasses()
        classes.adopt(self)
        Builtins.install(into: self)
    }

    func define(_ name: String, _ value: Value) { builtins[name] = value }
    func defineModule(_ name: String, _ value: Value) { modules[name] = value }
    func module(_ name: String) -> Value? { modules[name] }
    /// The modules `import` finds, for the message when it finds none.
    var moduleNames: [String] { modules.keys.sorted() }

    func write(_ text: String) { output(text) }

    /// Runs `body` with every op it traces carrying the statement that made it (`file:line`,
    /// GraphNode.location): what lets ONNX export name the line of each op it cannot write.
    func withSourceLines<R>(_ body: () throws -> R) rethrows -> R {
        let context = EngineContext.current
        let (wasTracking, locator) = (tracksLines, context.sourceLocator)
        tracksLines = true
        context.sourceLocator = { [unowned self] in self.currentLine.map { "\($0.file):\($0.line)" } }
        defer {
            tracksLines = wasTracking
            context.sourceLocator = locator
        }
        return try body()
    }


    /// Parses, compiles and runs a file or chunk. With `echo`, top-level expression statements
    /// print their value (the REPL's and notebooks' behaviour). Errors are `ScriptError`s.
    public func run(_ text: String, file: String = "<stdin>", echo: Bool = false) throws {
        let source = SourceText(name: file, text: text)
        let code = try compile(text, source: source, echo: echo)
        try execute(code)
    }

    /// Compiles code once for running many times (benchmarks, repeated workbench commands).
    public func prepare(_ text: String, file: String = "<stdin>") throws -> Program {
        Program(code: try compile(text, source: SourceText(name: file, text: text), echo: false), interp: self)
    }

    /// Runs statements already parsed from `source` (a notebook's units).
    func run(_ statements: [Stmt], source: SourceText, echo: Bool) throws {
        try execute(try Compiler.compile(statements, source: source, interp: self, echo: echo))
    }

    func compile(_ text: String, source: SourceText, echo: Bool) throws -> CodeObject {
        let body = try Parser.parse(source, text)
        return try Compiler.compile(body, source: source, interp: self, echo: echo)
    }

    func execute(_ code: CodeObject) throws {
        budget = stepLimit ?? Int.max
        countdown = 0
        ticks.restart(now: clock())
        interruptedResult = nil
        callDepth = 0
        stack = StackGuard()
        Interrupt.clear()
        interruption.clear()
        raised = [:]
        handled = []
        let frame = Frame(code: code, interp: self, cells: [])
        _ = try withGenerator(generator) { try Block.run(code.body, frame) }
    }

    /// The value of a global (for tests and the workbench).
    public func global(_ name: String) -> Value? { globals.lookup(name) }

    /// Python's NameError, suggesting the closest defined name (or local of `frame`).
    func undefinedName(_ name: String, in frame: Frame) -> ScriptError {
        Suggestion.error(.name, "name '\(name)' is not defined", for: name,
                         among: frame.code.parameterNames, globals.names.filter { globals.lookup($0) != nil }, Array(builtins.keys))
    }

    /// Names visible at the top level: globals and builtins, for completion.
    public var visibleNames: [String] {
        Array(Set(globals.names.filter { globals.lookup($0) != nil } + builtins.keys)).sorted()
    }

    // MARK: Calls

    func callValue(_ callee: Value, _ args: Arguments) throws -> Value {
        switch callee {
        case .object(let o): return try o.call(args, self)
        default: throw ScriptError(.type, "'\(callee.typeName)' object is not callable")
        }
    }

    /// Calls a `def`: binds arguments to slots, creates cells, runs the body (or, for a generator
    /// function, returns the generator that will).
    func call(_ fn: Function, _ args: Arguments) throws -> Value {
        let code = fn.code
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > maxCallDepth || !stack.hasRoom {
            throw ScriptError(.recursion, "maximum recursion depth exceeded")
        }
        var cells: [Cell] = []
        if code.cellCount + code.freeCount > 0 {
            cells.reserveCapacity(code.cellCount + code.freeCount)
            for _ in 0..<code.cellCount { cells.append(Cell()) }
            cells += fn.closure
        }
        let frame = Frame(code: code, interp: self, cells: cells)
        frame.function = fn
        try bind(fn, args, frame)
        for (slot, cell) in code.parameterCells { frame.cells[cell].value = frame.locals[slot] }
        if code.isGenerator {
            frame.generator = GeneratorState()
            return .object(IteratorObject(GeneratorIterator(frame), name: "generator"))
        }
        _ = try Block.run(code.body, frame)
        return frame.returnValue
    }

    /// Runs `body` one call level deeper (a class body, a generator step), with the same
    /// recursion and stack checks as a function call.
    func inCall<T>(_ body: () throws -> T) throws -> T {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > maxCallDepth || !stack.hasRoom {
            throw ScriptError(.recursion, "maximum recursion depth exceeded")
        }
        return try body()
    }

    // MARK: Exceptions

    func remember(_ e: InstanceObject) -> ObjectIdentifier {
        let id = ObjectIdentifier(e)
        raised[id] = e
        return id
    }

    func raisedException(_ id: ObjectIdentifier) -> InstanceObject? { raised[id] }

    /// Runs an `except` block with its error as the one a bare `raise` re-raises.
    func handling<T>(_ error: ScriptError, _ body: () throws -> T) rethrows -> T {
        handled.append(error)
        interruptedResult = nil
        defer { handled.removeLast() }
        return try body()
    }

    var currentlyHandled: ScriptError? { handled.last }

    private func bind(_ fn: Function, _ args: Arguments, _ frame: Frame) throws {
        let code = fn.code
        let np = code.positionalCount
        let given = args.positional.count
        if args.names.isEmpty && code.isSimple && given == np {
            for i in 0..<np { frame.locals[i] = args.positional[i] }
            return
        }
        let name = code.name
        if given > np && code.varargsSlot == nil {
            throw ScriptError(.type, "\(name)() takes \(np) positional argument\(np == 1 ? "" : "s") but \(given) \(given == 1 ? "was" : "were") given")
        }
        for i in 0..<min(given, np) { frame.locals[i] = args.positional[i] }
        if let vs = code.varargsSlot { frame.locals[vs] = .tuple(given > np ? Array(args.positional[np...]) : []) }
        let keywordBase = np + (code.varargsSlot == nil ? 0 : 1)
        let extra = code.kwargsSlot.map { _ in DictObject() }
        for (k, key) in args.names.enumerated() {
            if let i = code.parameterNames.firstIndex(of: key) {
                let slot = i < np ? i : keywordBase + (i - np)
                guard frame.locals[slot] == nil else { throw ScriptError(.type, "\(name)() got multiple values for argument '\(key)'") }
                frame.locals[slot] = args.keywords[k]
            } else if let extra {
                try extra.set(.str(key), args.keywords[k])
            } else {
                throw ScriptError(.type, "\(name)() got an unexpected keyword argument '\(key)'")
            }
        }
        if let ks = code.kwargsSlot, let extra { frame.locals[ks] = .dict(extra) }
        var missing: [String] = []
        let firstDefault = np - fn.defaults.count
        for i in 0..<np where frame.locals[i] == nil {
            if i >= firstDefault { frame.locals[i] = fn.defaults[i - firstDefault] } else { missing.append(code.parameterNames[i]) }
        }
        if !missing.isEmpty {
            throw ScriptError(.type, "\(name)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): " + Self.listing(missing))
        }
        for j in 0..<code.keywordOnlyCount where frame.locals[keywordBase + j] == nil {
            guard j < fn.keywordDefaults.count, let d = fn.keywordDefaults[j] else {
                throw ScriptError(.type, "\(name)() missing 1 required keyword-only argument: '\(code.parameterNames[np + j])'")
            }
            frame.locals[keywordBase + j] = d
        }
    }

    /// `'a', 'b' and 'c'`, as Python lists missing arguments.
    private static func listing(_ names: [String]) -> String {
        let quoted = names.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " and " + (quoted.last ?? "")
    }

    // MARK: Interruption and limits

    /// Called before every statement and loop iteration: a countdown, so that Ctrl-C and the
    /// step budget are polled every few hundred steps rather than paid for at each.
    @inline(__always)
    func checkpoint() throws {
        countdown &-= 1
        if countdown < 0 { try poll() }
    }

    /// A checkpoint for a builtin's costly step (a `fit` batch): it also ticks when due and checks
    /// for Ctrl-C at once, so neither waits for a window of such steps, whatever ran before.
    func stepCheckpoint() throws {
        try checkpoint()
        if let onTick, ticks.tickIsDue(now: clock()) { onTick() }
        try checkInterrupt()
    }

    /// The KeyboardInterrupt a builtin raises when it was interrupted after doing part of its work:
    /// an assignment of its call binds `partial` before the interrupt goes on (`history = fit(…)`).
    func interrupted(keeping partial: Value, message: String = "interrupted") -> ScriptError {
        interruptedResult = partial
        return ScriptError(.keyboardInterrupt, message)
    }

    /// The partial result of the interrupted call `error` came from, once.
    func takeInterruptedResult(_ error: Error) -> Value? {
        guard (error as? ScriptError)?.kind == .keyboardInterrupt else { return nil }
        defer { interruptedResult = nil }
        return interruptedResult
    }

    private static let pollInterval = 256

    private func poll() throws {
        if let onTick, ticks.isDue(now: clock()) { onTick() }
        try checkInterrupt()
        guard budget > 0 else { throw ScriptError(.stepLimit, "the program ran more than \(stepLimit ?? 0) steps") }
        let window = min(onTick == nil ? Self.pollInterval : ticks.window, budget)
        budget -= window
        countdown = window - 1
    }

    private func checkInterrupt() throws {
        guard Interrupt.isRequested || interruption.isRequested else { return }
        Interrupt.clear()
        interruption.clear()
        interruptedResult = nil
        throw ScriptError(.keyboardInterrupt, "interrupted")
    }
}
