import Testing
@testable import DuetScript

/// The exact report for bad programs: file, line, column, the source line and a caret run
/// under the failing span, and a traceback when the error passed through `def`s.
@Suite struct ErrorMessageTests {
    private func report(_ code: String) -> String { failure(code, file: "bad.duet")?.description ?? "" }

    @Test func syntaxError() {
        #expect(report("x = 1 +\ny = 2\n") == """
        bad.duet:1:8: SyntaxError: unexpected end of line (expected an expression)
            x = 1 +
                   ^
        """)
        #expect(report("x = (1 +\ny = 2\n") == """
        bad.duet:1:5: SyntaxError: '(' was never closed
            x = (1 +
                ^
        """)
    }

    @Test func undefinedName() {
        #expect(report("a = 1\nb = a + c\n") == """
        bad.duet:2:9: NameError: name 'c' is not defined
            b = a + c
                    ^
        """)
    }

    @Test func shapeErrorUnderlinesTheOperation() {
        #expect(report("x = zeros(3, 4)\nw = zeros(5, 6)\ny = x @ w") == """
        bad.duet:3:5: ShapeError: matmul: shapes [3,4] and [5,6] cannot be multiplied (4 ≠ 5)
            y = x @ w
                ^^^^^
        """)
    }

    @Test func errorInsideNestedBlockKeepsItsColumn() {
        #expect(report("for i in range(2):\n    if i == 1:\n        print(1 / 0)") == """
        bad.duet:3:15: ZeroDivisionError: division by zero
            print(1 / 0)
                  ^^^^^
        """)
    }

    @Test func tracebackThroughDefs() {
        let code = """
        def inner(t):
            return t.reshape(5)
        def outer(t):
            return inner(t) * 2
        outer(zeros(2, 3))
        """
        #expect(report(code) == """
        Traceback (most recent call last):
          bad.duet:5:1, in <module>
            outer(zeros(2, 3))
          bad.duet:4:12, in outer
            return inner(t) * 2
          bad.duet:2:12, in inner
            return t.reshape(5)
                   ^^^^^^^^^^^^
        ShapeError: reshape: shape [5] is invalid for input of size 6
        """)
    }

    @Test func attributeAndTypeErrors() {
        #expect(report("x = 1\nx.foo") == """
        bad.duet:2:1: AttributeError: 'int' object has no attribute 'foo'
            x.foo
            ^^^^^
        """)
        #expect(report("len(5)") == """
        bad.duet:1:1: TypeError: object of type 'int' has no len()
            len(5)
            ^^^^^^
        """)
    }

    @Test func wrongKeywordForARegistryOp() {
        #expect(report("x = ones(2)\nx.sum(axis=0)") == """
        bad.duet:2:1: TypeError: sum() got an unexpected keyword argument 'axis'
            x.sum(axis=0)
            ^^^^^^^^^^^^^
        """)
    }

    @Test func indexErrorOnATensor() {
        #expect(report("x = zeros(3)\nx[5]") == """
        bad.duet:2:1: IndexError: index 5 is out of bounds for dimension 0 with size 3
            x[5]
            ^^^^
        """)
    }

    @Test func tabError() {
        #expect(report("if True:\n    a = 1\n\tb = 2") == """
        bad.duet:3:1: TabError: inconsistent use of tabs and spaces in indentation
            b = 2
            ^
        """)
    }

    @Test func keyErrorAndUnboundLocal() {
        #expect(report("d = {}\nd['k']") == """
        bad.duet:2:1: KeyError: 'k'
            d['k']
            ^^^^^^
        """)
    }

    @Test func backwardOnANonScalar() {
        #expect(report("x = ones(2, requires_grad=True)\n(x * 2).backward()") == """
        bad.duet:2:1: RuntimeError: backward: grad can be implicitly created only for scalar outputs (this tensor has shape [2]); pass a gradient
            (x * 2).backward()
            ^^^^^^^^^^^^^^^^^^
        """)
    }
}
