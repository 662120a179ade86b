import CEdit
import Foundation

/// The input history, kept in a file through libedit's `history(3)` API so that the workbench
/// and `duet repl` share it: `$XDG_STATE_HOME/duet/history` (default `~/.local/state`). Each
/// input is saved as it is entered, so a crash loses nothing. Multi-line blocks are one entry.
public final class HistoryFile: EditHistory {
    public static let size: Int32 = 1000
    public let path: String
    public private(set) var entries: [String] = []
    private let handle: OpaquePointer?

    public init(path: String = HistoryFile.defaultPath()) {
        self.path = path
        handle = duet_history_open(Self.size)
        guard let handle else { return }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: path) { _ = duet_history_load(handle, path) }
        var p = duet_history_oldest(handle)
        while let s = p {
            entries.append(String(cString: s))
            p = duet_history_newer(handle)
        }
    }

    deinit {
        if let handle { duet_history_close(handle) }
    }

    public func add(_ entry: String) {
        guard entries.last != entry else { return }
        entries.append(entry)
        if entries.count > Int(Self.size) { entries.removeFirst(entries.count - Int(Self.size)) }
        guard let handle else { return }
        _ = duet_history_enter(handle, entry)
        _ = duet_history_save(handle, path)
    }

    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/duet/history"
    }
}
