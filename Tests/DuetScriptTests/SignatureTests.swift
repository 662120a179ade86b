import Testing
import DuetTensor
@testable import DuetScript

/// Builtins are declared once (`Signature`): the declaration binds calls with Python's rules
/// and is the help text, so the two cannot disagree. These tests hold the binder to Python and
/// every builtin to a declaration that parses and is what `help` shows.
@Suite struct SignatureTests {
    private func bind(_ s: Signature, _ positional: [Value], _ keywords: [(String, Value)] = []) throws -> BoundArguments {
        try s.bind(Arguments(positional, names: keywords.map(\.0), keywords: keywords.map(\.1)))
    }

    private func typeError(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let e as ScriptError {
            return e.kind == .type ? e.message : "\(e.kind): \(e.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func rendersWhatItParsed() {
        for text in ["f()", "f(a, b=1, *args, c, d=None, **kwargs)", "f(x, /, y=2.5, *, flag=False)", "f(size, fill=(1, 2), mode='mean', end='\\n')",
                     "f(p=[1, 2], q=(3,), r=-1, s=1e-05, t=inf)"] {
            let s = Signature(text)
            #expect(s.malformed.isEmpty, "\(text)")
            #expect(s.text == text)
        }
        for bad in ["f", "f(a, a)", "f(a=numpy)", "f(*args=1)", "f(x, *, /)"] {
            #expect(!Signature(bad).malformed.isEmpty, "\(bad) should not parse")
        }
    }

    @Test func bindsPositionalsKeywordsAndDefaults() throws {
        let s: Signature = "f(a, b=2, *, c=None)"
        let b = try bind(s, [.int(1)], [("c", .str("x"))])
        #expect(try b.int("a") == 1)
        #expect(try b.int("b") == 2)
        #expect(try b.string("c") == "x")
        #expect(b.isGiven("c") && !b.isGiven("b"))
        #expect(try bind(s, [.int(1), .int(5)]).int("b") == 5)
        #expect(try bind(s, [], [("b", .int(7)), ("a", .int(0))]).int("b") == 7)
        #expect(try bind(s, [.int(1)], [("b", .none)])["b"] == nil)
    }

    @Test func refusesWhatPythonRefuses() {
        let s: Signature = "f(a, b=2, *, c=None)"
        #expect(typeError { _ = try bind(s, []) } == "f() missing required argument 'a'")
        #expect(typeError { _ = try bind(s, [.int(1), .int(2), .int(3)]) } == "f() takes from 1 to 2 positional arguments but 3 were given")
        #expect(typeError { _ = try bind(s, [.int(1)], [("d", .int(0))]) } == "f() got an unexpected keyword argument 'd'")
        #expect(typeError { _ = try bind(s, [.int(1)], [("a", .int(0))]) } == "f() got multiple values for argument 'a'")
        let positionalOnly: Signature = "len(obj, /)"
        #expect(typeError { _ = try bind(positionalOnly, [], [("obj", .int(0))]) } == "len() got an unexpected keyword argument 'obj'")
        #expect(typeError { _ = try bind("f(a)", [.none]).int("a") } == "f(): argument 'a' must not be None")
    }

    @Test func collectsVarargsAndKeywords() throws {
        let b = try bind("f(x, /, *args, k=1, **kwargs)", [.int(0), .int(1), .int(2)], [("k", .int(3)), ("z", .int(4))])
        #expect(b.rest.count == 2)
        #expect(b.extraKeywords.map(\.0) == ["z"])
        #expect(try b.int("k") == 3)
    }

    @Test func overloadsBindTheFirstFormThatFits() throws {
        let s = Signature("randint(high, size)", "randint(low, high, size)")
        #expect(try bind(s, [.int(5), .tuple([.int(2)])]).optionalInt("low") == nil)
        let three = try bind(s, [.int(1), .int(5), .tuple([.int(2)])])
        #expect(try three.optionalInt("low") == 1 && three.int("high") == 5)
        #expect(s.text == "randint(high, size)\nrandint(low, high, size)")
    }

    /// Every builtin function, class and method a script can reach, with the name it is under.
    private func everyDeclared(_ interp: Interpreter) -> [(String, String, Signature)] {
        var found: [(String, String, Signature)] = []
        var seen: Set<ObjectIdentifier> = []
        func visit(_ path: String, _ v: Value) {
            guard case .object(let o) = v, seen.insert(ObjectIdentifier(o)).inserted else { return }
            switch o {
            case let f as BuiltinFunction: found.append((path, o.help ?? "", f.signature))
            case let t as TypeObject: if let s = t.signature { found.append((path, o.help ?? "", s)) }
            case let ns as Namespace: for name in ns.attributeNames { if let m = ns.members[name] { visit("\(ns.name).\(name)", m) } }
            default: break
            }
        }
        for (name, v) in interp.builtins { visit(name, v) }
        for (name, m) in TensorMethods.table { found.append(("Tensor.\(name)", BoundMethod(.none, m).help ?? "", m.signature)) }
        for (kind, table) in [("list", ContainerMethods.list), ("dict", ContainerMethods.dict), ("tuple", ContainerMethods.tuple), ("str", StringMethods.table)] {
            for (name, m) in table { found.append(("\(kind).\(name)", BoundMethod(.none, m).help ?? "", m.signature)) }
        }
        return found
    }

    @Test func everyBuiltinsHelpIsTheDeclarationThatBindsIt() {
        let interp = Interpreter()
        let all = everyDeclared(interp)
        #expect(all.count > 300)
        for (path, help, signature) in all {
            #expect(signature.malformed.isEmpty, "\(path): \(signature.malformed)")
            #expect(help.hasPrefix(signature.text + "\n"), "\(path): help starts \(help.prefix(80))")
            let name = path.split(separator: ".").last.map(String.init) ?? path
            #expect(signature.overloads.allSatisfy { $0.name == name }, "\(path) is declared as \(signature.name)")
            // Each keyword the help shows binds (it does not come back as "unexpected").
            for keyword in signature.keywordNames {
                let args = Arguments([], names: [keyword], keywords: [.none])
                let message = typeError { _ = try signature.bind(args) }
                #expect(!message.contains("unexpected keyword argument '\(keyword)'"), "\(path): \(keyword)")
            }
        }
    }

    @Test func registryOpsShowTheirRegistryDeclaration() throws {
        for op in Ops.all {
            let signature = Signature(op.signature)
            #expect(signature.malformed.isEmpty, "\(op.name): \(signature.malformed)")
            let names = signature.overloads.first?.parameters.map(\.name) ?? []
            #expect(names == op.inputs.map(\.name) + op.attrs.map(\.name), "\(op.name)")
        }
    }
}

/// A NameError or AttributeError names the closest known name, in the report only (as Python's
/// traceback does; `str(e)` stays the plain message).
@Suite struct SuggestionTests {
    @Test func suggestsTheClosestName() {
        #expect(Suggestion.closest(to: "modle", among: ["model", "x"]) == "model")
        #expect(Suggestion.closest(to: "Linaer", among: ["Linear", "Bilinear"]) == "Linear")
        #expect(Suggestion.closest(to: "c", among: ["C", "x"]) == "C")
        #expect(Suggestion.closest(to: "optimizer", among: ["x", "y", "loss"]) == nil)
    }

    @Test func theReportSuggestsAndStrDoesNot() throws {
        let report = try output("""
            model = 1
            try:
                modle
            except NameError as e:
                print(e)
            import torch
            try:
                torch.zeross(2)
            except AttributeError as e:
                print(e)
            """)
        #expect(report == "name 'modle' is not defined\nmodule 'torch' has no attribute 'zeross'\n")
        do {
            _ = try output("model = 1\nprint(modle)")
            Issue.record("no NameError")
        } catch let e as ScriptError {
            #expect(e.description.contains("NameError: name 'modle' is not defined. Did you mean: 'model'?"))
        }
        do {
            _ = try output("x = ones(2)\nx.sumn()")
            Issue.record("no AttributeError")
        } catch let e as ScriptError {
            #expect(e.headline.hasSuffix("AttributeError: 'Tensor' object has no attribute 'sumn'. Did you mean: 'sum'?"))
        }
    }
}
