import CCurses
import Foundation

/// The ncurses backend: the only file that draws. It copies a grid to the screen (ncurses
/// sends only what changed), allocates colour pairs as styles appear, decodes keys, and puts
/// the terminal back on every way out — `close()`, `atexit`, and fatal signals.
public final class CursesTerminal: Terminal {
    public let colorDepth: ColorDepth
    public let unicode: Bool
    private var pairs: [PairKey: Int32] = [:]
    private var closed = false
    private var lastSize = (width: 0, height: 0)

    private struct PairKey: Hashable {
        let fg: Int32
        let bg: Int32
    }

    /// Starts curses on the controlling terminal. Fails (instead of exiting, as `initscr`
    /// would) when the terminal type is unknown.
    public init() throws {
        setlocale(LC_ALL, "")
        unicode = duet_locale_is_utf8() != 0
        duet_terminal_save()
        guard duet_newterm() != nil else { throw CommandError("cannot start the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))") }
        atexit { if isendwin() == false { endwin() } }
        duet_install_restore_handlers()
        raw()
        noecho()
        nonl()
        keypad(duet_stdscr(), true)
        set_escdelay(25)
        duet_bracketed_paste(1)
        var depth = ColorDepth.none
        if has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth.detect(colors: Int(duet_colors()))
        }
        colorDepth = depth
    }

    /// Ends curses; safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        duet_bracketed_paste(0)
        if isendwin() == false { endwin() }
        duet_remove_restore_handlers()
    }

    deinit { close() }

    public var size: (width: Int, height: Int) {
        var y: Int32 = 0, x: Int32 = 0
        duet_getmaxyx(duet_stdscr(), &y, &x)
        return (Int(x), Int(y))
    }

    public func present(_ grid: Grid, cursor: (x: Int, y: Int)?) {
        let win = duet_stdscr()
        let (w, h) = size
        // After a resize, start from a blank screen so nothing of the old layout survives.
        if w != lastSize.width || h != lastSize.height {
            werase(win)
            lastSize = (w, h)
        }
        for y in 0..<min(h, grid.height) {
            for x in 0..<min(w, grid.width) {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                // In the bottom-right corner the write succeeds but reports ERR (the cursor cannot advance).
                let scalar = cell.char.unicodeScalars.first?.value ?? 32
                _ = duet_put_cell(win, Int32(y), Int32(x), wchar_t(bitPattern: scalar), attributes(cell.style), pair(cell.style))
            }
        }
        if let cursor, cursor.x < w, cursor.y < h {
            curs_set(1)
            wmove(win, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wrefresh(win)
    }

    public func readKey(timeoutMs: Int) -> Key? {
        let win = duet_stdscr()
        wtimeout(win, Int32(timeoutMs))
        var ch: wint_t = 0
        let r = wget_wch(win, &ch)
        if r == duet_err() { return nil }
        if r == duet_key_code_yes() { return Self.special(Int32(ch)) }
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)), ch >= 32 else { return nil }
            return .char(Character(scalar))
        }
    }

    private static func special(_ code: Int32) -> Key? {
        if code == duet_key_resize() { return .resize }
        if code == duet_key_paste_start() { return .pasteStart }
        if code == duet_key_paste_end() { return .pasteEnd }
        for n in 1...12 where code == duet_key_f(Int32(n)) { return .function(n) }
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        default: return nil
        }
    }

    private func attributes(_ s: Style) -> attr_t {
        var a = duet_a_normal()
        if s.bold { a |= duet_a_bold() }
        if s.dim { a |= duet_a_dim() }
        if s.reverse { a |= duet_a_reverse() }
        if s.underline { a |= duet_a_underline() }
        return a
    }

    /// The colour pair for a style's colours, made on first use (0 is the terminal's default).
    private func pair(_ s: Style) -> Int32 {
        guard colorDepth != .none else { return 0 }
        func number(_ c: TermColor) -> Int32 {
            if case .indexed(let i) = c, Int32(i) < duet_colors() { return Int32(i) }
            return -1
        }
        let key = PairKey(fg: number(s.fg), bg: number(s.bg))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        let next = Int32(pairs.count + 1)
        guard next < min(duet_color_pairs(), 32767) else { return 0 }
        init_pair(Int16(next), Int16(key.fg), Int16(key.bg))
        pairs[key] = next
        return next
    }
}
