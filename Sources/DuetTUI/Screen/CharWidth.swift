import CCurses

/// Terminal columns a character takes: 2 for wide (CJK, most emoji), 0 for combining marks, 1
/// otherwise. Uses the C library's `wcwidth` (declared through the curses module's wide-character headers; valid once the locale is set) and treats unknowns as 1.
enum CharWidth {
    static func of(_ c: Character) -> Int {
        guard let scalar = c.unicodeScalars.first else { return 0 }
        if scalar.value < 0x7F { return scalar.value >= 0x20 ? 1 : 0 }
        let w = Int(duet_wcwidth(wchar_t(bitPattern: scalar.value)))
        return w < 0 ? 1 : min(w, 2)
    }

    static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }
}
