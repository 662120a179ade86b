import Testing
@testable import DuetScript

/// The rest of the Python PyTorch tutorials use: sets, annotations, import lists, loop `else`,
/// starred assignment, lambda defaults.
@Suite struct PythonSyntaxTests {
    @Test func setLiteralsOperationsAndComprehensions() throws {
        let code = """
        a = {3, 1, 2, 3}
        b = set([2, 5])
        a.add(4); a.discard(9)
        print(a, len(a), 2 in a, a | b, a & b, a - b, a ^ b, {x % 3 for x in range(7)}, set())
        print(a <= {1, 2, 3, 4, 8}, {1} < a, a.issuperset(b), sorted(a.union([9])), a == {4, 3, 2, 1})
        a |= {7}
        print(7 in a, {(1, 2): "tuple keys", frozenset([1]) == {1}: 0}[(1, 2)])
        """
        #expect(try output(code) == """
        {1, 2, 3, 4} 4 True {1, 2, 3, 4, 5} {2} {1, 3, 4} {1, 3, 4, 5} {0, 1, 2} set()
        True True False [1, 2, 3, 4, 9] True
        True tuple keys

        """)
        #expect(failure("{[1]}")?.message == "unhashable type: 'list'")
        #expect(failure("{{1}: 2}")?.message == "unhashable type: 'set'")
    }

    @Test func annotationsImportListsAndLoopElse() throws {
        let code = """
        import math, time
        from torch import nn, optim
        hidden: int = 64
        rate: float
        def f(x: int, y: "str" = "a") -> str:
            z: list = [x]
            return y * z[0]
        for i in range(3):
            pass
        else:
            print("for finished", i)
        while False:
            pass
        else:
            print("while finished")
        for i in range(3):
            if i == 1:
                break
        else:
            print("not printed")
        print(hidden, f(2), math.floor(2.5), callable(nn.Linear), callable(optim.SGD))
        """
        #expect(try output(code) == "for finished 2\nwhile finished\n64 aa 2 True True\n")
    }

    @Test func starredAssignmentAndLambdaDefaults() throws {
        let code = """
        first, *rest = [1, 2, 3]
        *init, last = "abc"
        a, *mid, z = range(5)
        (p, q), *others = [(1, 2), 3]
        for head, *tail in [(1, 2, 3), (4,)]:
            print(head, tail)
        scale = lambda x, k=10: x * k
        print(first, rest, init, last, a, mid, z, p, q, others, scale(2), scale(2, k=3))
        """
        #expect(try output(code) == "1 [2, 3]\n4 []\n1 [2, 3] ['a', 'b'] c 0 [1, 2, 3] 4 1 2 [3] 20 6\n")
        #expect(failure("a, *b = [] ")?.message == "not enough values to unpack (expected at least 1, got 0)")
        #expect(failure("*a, *b = [1, 2]")?.message == "multiple starred expressions in assignment")
    }
}
