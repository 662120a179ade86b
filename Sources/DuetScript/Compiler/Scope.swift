/// Python's scoping, decided before anything runs: a name assigned anywhere in a function is
/// local to it (unless declared `global`/`nonlocal`); a local that an inner function uses lives
/// in a cell the closure shares; everything else is a late-bound global.
final class Scope {
    /// A class body binds names in the class's namespace; functions inside it do not see them
    /// (Python's rule), so name resolution passes over class scopes.
    enum Kind { case module, function, comprehension, classBody }
    let kind: Kind
    let name: String
    let parent: Scope?
    private(set) var locals: [String] = []
    private var localSet: Set<String> = []
    var declaredGlobal: Set<String> = []
    var declaredNonlocal: Set<String> = []
    var used: Set<String> = []
    var children: [Scope] = []
    /// A function whose body contains `yield`: calling it makes a generator.
    var isGenerator = false
    private(set) var cellVars: [String] = []
    private(set) var freeVars: [String] = []
    private var slots: [String: Int] = [:]

    init(kind: Kind, name: String, parent: Scope?) {
        self.kind = kind
        self.name = name
        self.parent = parent
        parent?.children.append(self)
    }

    func bind(_ name: String) {
        if localSet.insert(name).inserted { locals.append(name) }
    }

    /// Bound here and not declared to live elsewhere.
    func isLocal(_ name: String) -> Bool {
        kind != .module && localSet.contains(name) && !declaredGlobal.contains(name) && !declaredNonlocal.contains(name)
    }

    private func addCell(_ name: String) { if !cellVars.contains(name) { cellVars.append(name) } }
    private func addFree(_ name: String) { if !freeVars.contains(name) { freeVars.append(name) } }

    /// Finds, for every name this scope and its descendants use but do not bind, the enclosing
    /// function that binds it, turning that binding into a cell and the name into a free
    /// variable of every scope in between.
    func resolve(_ source: SourceText, _ spans: [String: Span]) throws {
        if kind != .module {
            for n in used.union(declaredNonlocal).sorted() where !isLocal(n) && !declaredGlobal.contains(n) {
                var path: [Scope] = [self]
                var p = parent
                var found = false
                while let q = p, q.kind != .module {
                    if q.kind != .classBody, q.isLocal(n) {
                        q.addCell(n)
                        for s in path { s.addFree(n) }
                        found = true
                        break
                    }
                    if q.declaredGlobal.contains(n) { break }
                    path.append(q)
                    p = q.parent
                }
                if !found && declaredNonlocal.contains(n) {
                    throw ScriptError(.syntax, "no binding for nonlocal '\(n)' found",
                                      at: spans[n] ?? Span(line: 1, column: 1, endLine: 1, endColumn: 2), in: source)
                }
            }
        }
        for c in children { try c.resolve(source, spans) }
    }

    /// Slots for locals: the parameters first (in order), then the rest by first binding.
    func assignSlots() {
        for (i, n) in locals.enumerated() { slots[n] = i }
        for c in children { c.assignSlots() }
    }

    var localCount: Int { locals.count }

    enum Reference {
        case local(Int)
        case cell(Int)
        case global
    }

    /// The slot of a name a class body binds: a load before the binding reads the global of
    /// that name (Python's LOAD_NAME), never an enclosing function's variable.
    func classSlot(_ name: String) -> Int? {
        guard kind == .classBody, let s = slots[name], isLocal(name) else { return nil }
        return s
    }

    /// The cell holding `name` in this scope's frame, for a closure defined here to capture.
    func cellIndex(_ name: String) -> Int? {
        if let i = cellVars.firstIndex(of: name) { return i }
        if let i = freeVars.firstIndex(of: name) { return cellVars.count + i }
        return nil
    }

    func reference(_ name: String) -> Reference {
        if kind == .module || declaredGlobal.contains(name) { return .global }
        if kind == .classBody, let s = slots[name], isLocal(name) { return .local(s) }
        if let i = cellVars.firstIndex(of: name) { return .cell(i) }
        if let i = freeVars.firstIndex(of: name) { return .cell(cellVars.count + i) }
        if let s = slots[name], isLocal(name) { return .local(s) }
        return .global
    }
}
