import Testing
@testable import DuetScript

/// Located errors print their place as file:line:column, the form editors and terminals link.
@Suite struct SourceLocationTests {
    @Test func printsFileLineAndColumn() {
        #expect(SourceLocation(file: "nb.duet", line: 12, column: 5).description == "nb.duet:12:5")
        #expect(SourceLocation(file: "<repl>", line: 1, column: 1) != SourceLocation(file: "<repl>", line: 1, column: 2))
    }
}
