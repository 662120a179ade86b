import Testing
@testable import DuetScript

/// `yield` generators: lazy, resumable inside loops, branches, `try` and `with`, with `send`,
/// `yield from` and early exit.
@Suite struct GeneratorTests {
    @Test func generatorsAreLazyAndResumeWhereTheyStopped() throws {
        let code = """
        trace = []
        def numbers(n):
            for i in range(n):
                if i % 2 == 0:
                    trace.append(f"even {i}")
                    yield i
                else:
                    j = 0
                    while j < 2:
                        yield i * 10 + j
                        j += 1
            yield from ["a", "b"]
            trace.append("done")
        g = numbers(4)
        print(next(g), trace)
        print(list(g), trace)
        print(list(numbers(0)))
        """
        #expect(try output(code) == """
        0 ['even 0']
        [10, 11, 2, 30, 31, 'a', 'b'] ['even 0', 'even 2', 'done']
        ['a', 'b']

        """)
    }

    @Test func infiniteGeneratorsSendAndClose() throws {
        let code = """
        def running_mean():
            total, count, mean = 0.0, 0, None
            while True:
                x = yield mean
                total += x
                count += 1
                mean = total / count
        m = running_mean()
        next(m)
        print(m.send(2), m.send(4), m.send(9))
        def naturals():
            n = 0
            while True:
                yield n
                n += 1
        print([x for _, x in zip(range(5), naturals())])
        g = naturals()
        next(g)
        g.close()
        print(list(g))
        """
        #expect(try output(code) == "2.0 3.0 5.0\n[0, 1, 2, 3, 4]\n[]\n")
    }

    @Test func yieldInsideTryAndWithKeepsTheirMeaning() throws {
        let code = """
        import torch
        def guarded():
            try:
                yield 1
                raise ValueError("inside")
            except ValueError as e:
                yield str(e)
            finally:
                yield "finally"
        print(list(guarded()))
        def no_grad_batches(x):
            with torch.no_grad():
                for i in range(2):
                    yield (x * 2).requires_grad, torch.is_grad_enabled()
        x = torch.ones(2, requires_grad=True)
        print(list(no_grad_batches(x)), torch.is_grad_enabled())
        """
        #expect(try output(code) == "[1, 'inside', 'finally']\n[(False, False), (False, False)] True\n")
    }

    @Test func errorsInsideAGeneratorAreLocatedAndEndIt() throws {
        let e = failure("def g():\n    yield 1\n    yield 1 / 0\nfor x in g():\n    pass")
        #expect(e?.kind == .zeroDivision)
        #expect(e?.location?.line == 3)
        #expect(failure("x = 1\nyield x")?.message == "'yield' outside function")
        #expect(failure("def f():\n    return [(yield 1)]")?.kind == .syntax)
    }
}
