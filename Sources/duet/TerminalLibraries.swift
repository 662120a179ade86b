import CCurses
import CEdit

/// Versions of the libraries the TUI and REPL use; reading them proves both link.
enum TerminalLibraries {
    /// e.g. "ncurses 6.4.20221231".
    static var ncursesVersion: String {
        curses_version().map { String(cString: $0) } ?? "unknown version"
    }

    /// e.g. "libedit 2.11 (readline 4.2 compatible: EditLine wrapper)".
    static var libeditVersion: String {
        let readline = duet_rl_readline_version()
        let wrapper = duet_rl_library_version().map { String(cString: $0) } ?? "unknown"
        return "libedit \(duet_libedit_major()).\(duet_libedit_minor()) "
            + "(readline \(readline >> 8).\(readline & 0xff) compatible: \(wrapper))"
    }
}
