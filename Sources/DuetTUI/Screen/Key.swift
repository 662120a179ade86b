/// A key press as the editor and the panes see it, decoded by the backend from ncurses.
public enum Key: Equatable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, as the lowercase letter (Ctrl-A is `.ctrl("a")`).
    case ctrl(Character)
    case enter, tab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    case resize
    /// Bracketed paste: the keys between these were pasted, not typed, so the editor takes them
    /// literally (no auto-indent, Enter does not submit).
    case pasteStart, pasteEnd
}
