import Testing
@testable import DuetScript

/// The lexer's and parser's handling of indentation, literals, nesting and their errors.
@Suite struct ParserTests {
    private func parses(_ code: String) throws -> [Stmt] {
        try Parser.parse(SourceText(name: "t", text: code), code)
    }

    private func parseError(_ code: String) -> ScriptError? {
        do {
            _ = try parses(code)
            return nil
        } catch {
            return error as? ScriptError
        }
    }

    @Test func blankLinesAndCommentsDoNotAffectIndentation() throws {
        let code = "if True:\n    a = 1\n\n        # a comment at another indent\n    b = 2\n\n\nc = 3\n"
        #expect(try parses(code).count == 2)
        #expect(try output(code + "print(a, b, c)") == "1 2 3\n")
    }

    @Test func dedentToAnOuterLevelClosesSeveralBlocks() throws {
        let code = """
        total = 0
        for i in range(3):
            for j in range(3):
                if i == j:
                    total += 1
        print(total)
        """
        #expect(try output(code) == "3\n")
    }

    @Test func inconsistentDedentIsAnIndentationError() {
        let e = parseError("if True:\n        a = 1\n    b = 2\n")
        #expect(e?.kind == .indentation)
        #expect(e?.message == "unindent does not match any outer indentation level")
        #expect(e?.location?.line == 3)
    }

    @Test func unexpectedIndent() {
        let e = parseError("a = 1\n    b = 2\n")
        #expect(e?.kind == .indentation)
        #expect(e?.message == "unexpected indent")
    }

    @Test func missingBlockAfterColon() {
        let e = parseError("for i in range(3):\nprint(i)\n")
        #expect(e?.kind == .indentation)
        #expect(e?.message == "expected an indented block after 'for' on line 1")
    }

    @Test func tabsAfterSpacesAreATabError() {
        let e = parseError("if True:\n    a = 1\n\tb = 2\n")
        #expect(e?.kind == .tab)
        #expect(e?.message == "inconsistent use of tabs and spaces in indentation")
        #expect(e?.location?.line == 3)
    }

    @Test func tabsUsedConsistentlyAreFine() throws {
        #expect(try output("if True:\n\ta = 1\n\tif a:\n\t\tprint(a)\n") == "1\n")
    }

    @Test func bracketsJoinLinesAndIgnoreIndentation() throws {
        let code = "x = [1,\n        2,\n  3]\ny = (4 +\n5)\nprint(x, y)\n"
        #expect(try output(code) == "[1, 2, 3] 9\n")
    }

    @Test func backslashContinuesALine() throws {
        #expect(try output("x = 1 + \\\n    2\nprint(x)") == "3\n")
    }

    @Test func singleLineBlocksAndSemicolons() throws {
        #expect(try output("if True: a = 1; b = 2\nprint(a + b); print('x')") == "3\nx\n")
    }

    @Test func fileWithoutTrailingNewline() throws {
        #expect(try output("print(1)") == "1\n")
        #expect(try output("if True:\n    print(2)") == "2\n")
    }

    @Test func numberLiterals() throws {
        #expect(try output("print(0x1F, 0o17, 0b101, 1_000, 1e3, .5, 5., 2.5e-3)") == "31 15 5 1000 1000.0 0.5 5.0 0.0025\n")
    }

    @Test func stringLiterals() throws {
        #expect(try output(#"print('a\tb', "it's", r'\n', '''x\ny''', 'ab' 'cd', '\x41\u00e9')"#) == "a\tb it's \\n x\ny abcd Aé\n")
    }

    @Test func fStrings() throws {
        #expect(try output(#"x = 3.14159; n = 42; print(f"{x:.2f}|{n:>5}|{n:05d}|{{}}|{x!r}|{n=}|{'s'}|{n * 2}")"#)
            == "3.14|   42|00042|{}|3.14159|n=42|s|84\n")
        #expect(try output(#"w = 8; print(f"{'ab':^{w}}|{1234567:,}|{0.25:.1%}")"#) == "   ab   |1,234,567|25.0%\n")
    }

    @Test func operatorPrecedence() throws {
        #expect(try output("print(-2 ** 2, 2 ** -1, 1 + 2 * 3, (1 + 2) * 3, 7 // 2 * 2, not 1 == 2, 1 < 2 < 3, 2 ** 3 ** 2)")
            == "-4 0.5 7 9 6 True True 512\n")
    }

    @Test func unclosedBracketIsReportedWhereItOpened() {
        let e = parseError("x = (1,\n  2\n")
        #expect(e?.message == "'(' was never closed")
        #expect(e?.location?.line == 1)
        #expect(e?.location?.column == 5)
    }

    @Test func mismatchedBracket() {
        #expect(parseError("x = [1, 2)")?.message == "closing parenthesis ')' does not match opening parenthesis '[' on line 1")
    }

    @Test func nestingBeyondTheLimitIsASyntaxError() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        let e = parseError("x = " + deep)
        #expect(e?.kind == .syntax)
        #expect(e?.message.hasPrefix("too many nested levels") == true)
        let blocks = (0..<150).map { String(repeating: "    ", count: $0) + "if True:" }.joined(separator: "\n")
        #expect(parseError(blocks + "\n" + String(repeating: "    ", count: 150) + "pass")?.kind == .syntax)
    }

    @Test func longOperatorChainsAreBoundedToo() {
        let chain = "x = " + Array(repeating: "1", count: 5000).joined(separator: " + ")
        #expect(parseError(chain)?.message.hasPrefix("expression too long") == true)
    }

    @Test func reservedButUnsupportedKeywords() {
        #expect(parseError("async def f():\n    pass")?.message == "'async' is not supported in Duet: it runs code synchronously")
        #expect(parseError("try:\n    pass")?.message == "unexpected end of input (expected 'except' or 'finally' block)")
        #expect(parseError("except:\n    pass")?.message == "invalid syntax: 'except' without a matching 'try'")
        #expect(parseError("try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass")?.message == "default 'except:' must be last")
    }

    @Test func invalidAssignmentTargets() {
        #expect(parseError("f() = 1")?.message == "cannot assign to function call")
        #expect(parseError("1 = x")?.message == "cannot assign to literal")
        #expect(parseError("a + b += 1")?.message == "cannot assign to expression")
    }

    @Test func invalidCharacter() {
        let e = parseError("x = 1 $ 2")
        #expect(e?.message == "invalid character '$' (U+0024)")
        #expect(e?.location?.column == 7)
    }

    @Test func unterminatedString() {
        #expect(parseError("x = 'abc\ny = 1")?.message == "unterminated string literal")
        #expect(parseError("x = '''abc\ny = 1")?.message == "unterminated triple-quoted string literal")
    }

    @Test func hugeIntegerLiteralIsAnOverflowError() {
        #expect(parseError("x = 99999999999999999999")?.kind == .overflow)
    }

    @Test func replInputCompleteness() {
        #expect(InputStatus.of("x = 1") == .complete)
        #expect(InputStatus.of("x = (1,") == .incomplete)
        #expect(InputStatus.of("def f():") == .incomplete)
        #expect(InputStatus.of("def f():\n    return 1") == .incomplete)
        #expect(InputStatus.of("def f():\n    return 1\n") == .complete)
        #expect(InputStatus.of("x = $") == .complete)
    }
}
