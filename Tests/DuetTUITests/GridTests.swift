import Testing
@testable import DuetTUI

@Suite struct GridTests {
    @Test func putClipsToTheGridAndTheClip() {
        var g = Grid(width: 6, height: 2)
        g.put("hello world", x: 1, y: 0, style: .plain)
        g.put("abc", x: 4, y: 1, style: .plain, clip: Rect(x: 0, y: 1, width: 5, height: 1))
        #expect(g.row(0) == " hello")
        #expect(g.row(1) == "    a ")
    }
}
