import Foundation
@testable import DuetTUI

/// Paths and fixtures shared by the workbench tests.
enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let themes = repository.appendingPathComponent("themes").path

    static func theme(_ name: String = "dark") throws -> Theme { try ThemeLoader.load(name, dirs: [themes]) }

    static func context(unicode: Bool = true, depth: ColorDepth = .full256) throws -> RenderContext {
        RenderContext(theme: try theme().adapted(to: depth), unicode: unicode)
    }

    static func temporaryDirectory() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duet-tui-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// A terminal that replays keys and keeps the last frame; `onRead` can inject keys at a
/// given read (e.g. Ctrl-C while a command runs).
final class ScriptedTerminal: Terminal {
    var size: (width: Int, height: Int)
    var keys: [Key]
    var frames = 0
    var lastGrid = Grid(width: 0, height: 0)
    var onRead: ((ScriptedTerminal, Int) -> Key?)?
    private var reads = 0

    init(width: Int = 120, height: Int = 40, keys: [Key] = []) {
        size = (width, height)
        self.keys = keys
    }

    func present(_ grid: Grid, cursor: (x: Int, y: Int)?) {
        frames += 1
        lastGrid = grid
    }

    func readKey(timeoutMs: Int) -> Key? {
        reads += 1
        if let k = onRead?(self, reads) { return k }
        return keys.isEmpty ? (timeoutMs == 0 ? nil : .ctrl("d")) : keys.removeFirst()
    }
}

extension Array where Element == Key {
    static func typing(_ text: String) -> [Key] { text.map { $0 == "\n" ? Key.enter : Key.char($0) } }
}
