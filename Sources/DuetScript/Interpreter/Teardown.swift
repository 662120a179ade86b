/// Releases nested containers without recursion. Left to Swift, dropping a list nested 100 000
/// deep (`x = [x]` in a loop) frees each level from inside the deinit of the one above until the
/// stack overflows. Here a container's deinit (lists, dicts, sets, instances, frames) hands its
/// items to explicit stacks, and every container found there that nothing else references gives
/// up its items the same way before it dies, so each deinit finds nothing left to release.
/// Tuples are values with no deinit to hook: one nested in a container is walked here, and a
/// variable that a tuple is replaced in hands the old one to the walk (`store`), so a chain made
/// of tuples alone (`t = (t,)` 100 000 times, then `t = None`) is released without recursion too.
enum Teardown {
    /// Takes `values` (leaving it empty), so that nothing but the walk holds its items.
    static func release(_ values: inout [Value]) {
        var lists: [ListObject] = []
        var dicts: [DictObject] = []
        var objects: [ScriptObject] = []
        while true {
            if !values.isEmpty {
                var v = values.removeLast()
                if var t = takeTuple(&v) {
                    if holdsUniquely(&t) { values += t }
                    continue
                }
                switch v {
                case .list(let l): lists.append(l)
                case .dict(let d): dicts.append(d)
                case .object(let o): objects.append(o)
                default: break
                }
            } else if var l = lists.popLast() {
                if isKnownUniquelyReferenced(&l) { l.surrenderItems(into: &values) }
            } else if var d = dicts.popLast() {
                if isKnownUniquelyReferenced(&d) { d.surrenderItems(into: &values) }
            } else if var o = objects.popLast() {
                if isKnownUniquelyReferenced(&o) { o.surrenderItems(into: &values) }
            } else {
                return
            }
        }
    }

    /// A tuple's items, moved out of `v` (left `.none`), so that `v` no longer shares them.
    private static func takeTuple(_ v: inout Value) -> [Value]? {
        guard case .tuple(let t) = v else { return nil }
        v = .none
        return t
    }

    /// Whether the walk holds a tuple's only reference, so its items are its to release. A shared
    /// tuple (the old `t` inside the new one, in `t = (t,)`) stays whole: walking it would make
    /// each store cost the whole chain. Arrays expose no reference count, so this asks for a
    /// mutable buffer, which a shared array gets only by copying, and compares addresses.
    private static func holdsUniquely(_ t: inout [Value]) -> Bool {
        let before = t.withUnsafeBufferPointer { $0.baseAddress }
        let after = t.withUnsafeMutableBufferPointer { UnsafePointer($0.baseAddress) }
        return before == after
    }

    /// Writes a variable's slot. The value it replaces, when a tuple, is released by the walk:
    /// swapped out first, so that the walk holds its only reference.
    @inline(__always)
    static func store(_ v: Value, in slot: UnsafeMutablePointer<Value?>) {
        guard case .tuple? = slot.pointee else {
            slot.pointee = v
            return
        }
        var replaced: Value? = v
        swap(&replaced, &slot.pointee)
        var held: [Value] = []
        if let old = replaced.take() { held.append(old) }
        release(&held)
    }

    /// Containers nested deeper than this print as `...` and compare by identity: past it, a
    /// structure is almost surely a runaway one, and the walks would exhaust the stack.
    static let maxDepth = 500
}
