/// Where the editor gets earlier inputs from (the libedit history file in the workbench; an
/// array in tests), newest last.
public protocol EditHistory: AnyObject {
    var entries: [String] { get }
    func add(_ entry: String)
}

/// History kept in memory only.
public final class MemoryHistory: EditHistory {
    public private(set) var entries: [String]
    public init(_ entries: [String] = []) { self.entries = entries }
    public func add(_ entry: String) {
        if entries.last != entry { entries.append(entry) }
    }
}
