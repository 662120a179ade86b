/// What the workbench needs from a terminal; the ncurses backend implements it, tests use a
/// scripted one.
public protocol Terminal: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// Shows `grid`, placing the cursor (hidden when nil).
    func present(_ grid: Grid, cursor: (x: Int, y: Int)?)
    /// The next key: waits up to `timeoutMs` (0: only what is already typed, -1: forever).
    func readKey(timeoutMs: Int) -> Key?
}
