import Testing
@testable import DuetScript

/// `try`/`except`/`else`/`finally`, `raise`, the exception classes, and engine errors caught by
/// the class PyTorch raises for them.
@Suite struct ExceptionTests {
    @Test func handlersElseAndFinallyRunInPythonsOrder() throws {
        let code = """
        def f(x):
            out = []
            try:
                out.append("try")
                if x:
                    raise ValueError("bad", x)
            except (KeyError, ValueError) as e:
                out.append("except " + type(e).__name__ + " " + str(e.args))
            else:
                out.append("else")
            finally:
                out.append("finally")
            return out
        print(f(0))
        print(f(1))
        def g():
            try:
                return "try"
            finally:
                print("cleanup")
        print(g())
        """
        #expect(try output(code) == """
        ['try', 'else', 'finally']
        ['try', "except ValueError ('bad', 1)", 'finally']
        cleanup
        try

        """)
    }

    @Test func userExceptionClassesAndReraise() throws {
        let code = """
        class AppError(Exception):
            pass
        class ShapeTrouble(AppError):
            def __init__(self, shape):
                super().__init__(f"bad shape {shape}")
                self.shape = shape
        try:
            try:
                raise ShapeTrouble((2, 3))
            except AppError as e:
                print("inner", e, e.shape, isinstance(e, Exception))
                raise
        except ShapeTrouble as e:
            print("outer", repr(e))
        try:
            raise KeyError("k") from ValueError("cause")
        except LookupError as e:
            print(type(e).__name__, repr(e), type(e.__cause__).__name__)
        """
        #expect(try output(code) == "inner bad shape (2, 3) (2, 3) True\nouter ShapeTrouble('bad shape (2, 3)')\nKeyError KeyError('k') ValueError\n")
        let e = failure("class Oops(RuntimeError): pass\nraise Oops('x')")
        #expect(e?.kind == .runtime)
        #expect(e?.headline == "test.duet:2:1: Oops: x")
        #expect(failure("raise 3")?.message == "exceptions must derive from BaseException, not int")
        #expect(failure("raise")?.message == "No active exception to reraise")
    }

    @Test func engineErrorsAreCaughtAsPyTorchRaisesThem() throws {
        let code = """
        import torch
        caught = []
        for thunk in [lambda: torch.ones(2, 3) @ torch.ones(2, 3), lambda: [1][5], lambda: {}["k"], lambda: int("x"),
                      lambda: None + 1, lambda: 1 / 0, lambda: torch.ones(3)[7], lambda: undefined_name]:
            try:
                thunk()
            except RuntimeError:
                caught.append("RuntimeError")
            except IndexError:
                caught.append("IndexError")
            except KeyError:
                caught.append("KeyError")
            except ValueError:
                caught.append("ValueError")
            except TypeError:
                caught.append("TypeError")
            except ArithmeticError:
                caught.append("ArithmeticError")
            except Exception as e:
                caught.append(type(e).__name__)
        print(caught)
        """
        #expect(try output(code) == "['RuntimeError', 'IndexError', 'KeyError', 'ValueError', 'TypeError', 'ArithmeticError', 'IndexError', 'NameError']\n")
    }

    @Test func theStepBudgetCannotBeCaught() throws {
        let interp = Interpreter(output: { _ in })
        interp.stepLimit = 10_000
        #expect(throws: ScriptError.self) {
            try interp.run("while True:\n    try:\n        while True:\n            pass\n    except:\n        pass")
        }
        #expect(failure("try:\n    pass\nexcept 3:\n    pass\n1/0")?.kind == .zeroDivision)
        #expect(failure("try:\n    1/0\nexcept 3:\n    pass")?.message == "catching classes that do not inherit from BaseException is not allowed")
    }
}
