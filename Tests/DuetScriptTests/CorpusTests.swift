import Foundation
import Testing
@testable import DuetScript

/// The PyTorch-checked corpus: every `Tests/Corpus/NNN_name.py` is a short script written as
/// PyTorch users write them, and `NNN_name.out` is what real PyTorch printed for it (made by
/// `Tests/Corpus/generate.py`, committed so that CI needs no PyTorch). Each script must print the
/// same in Duet: numbers within 1e-4 absolute + 1e-3 relative, all other text exactly.
///
/// Scripts Duet cannot run yet are listed in `Tests/Corpus/pending.txt` with what Duet lacks;
/// they run as known issues, and one that starts matching fails the test until it is taken off
/// the list, so the list stays true.
@Suite struct CorpusTests {
    static let folder = packageRoot.appendingPathComponent("Tests/Corpus")

    /// The scripts' file names, `NNN_name.py`, in order.
    static let scripts: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { isScriptName($0) }.sorted()
    }()

    static func isScriptName(_ name: String) -> Bool {
        let chars = Array(name)
        guard name.hasSuffix(".py"), chars.count > 7, chars[0...2].allSatisfy(\.isASCII), chars[0...2].allSatisfy(\.isNumber), chars[3] == "_" else { return false }
        return true
    }

    /// `pending.txt`: `NNN_name.py: what Duet lacks`, one a line; `#` starts a comment line.
    static let pendingLines: [(name: String, reason: String)] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("pending.txt"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { return nil }
            guard let colon = line.firstIndex(of: ":") else { return (line, "") }
            return (String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }()

    static let pending: [String: String] = Dictionary(pendingLines.map { ($0.name, $0.reason) }, uniquingKeysWith: { a, _ in a })

    @Test func theCorpusIsThereAndThePendingListNamesItsScripts() {
        #expect(Self.scripts.count >= 120, "expected at least 120 scripts in \(Self.folder.path), found \(Self.scripts.count)")
        var seen = Set<String>()
        for (name, reason) in Self.pendingLines {
            #expect(Self.scripts.contains(name), "pending.txt names \(name), which is not a script in Tests/Corpus")
            #expect(!reason.isEmpty, "pending.txt: \(name) needs a note saying what Duet lacks")
            #expect(seen.insert(name).inserted, "pending.txt lists \(name) twice")
        }
        let passing = Self.scripts.count - Self.pending.count
        #expect(passing >= 40, "only \(passing) corpus scripts are expected to pass")
    }

    /// Issue #16's API list (`Tests/Corpus/api_names.txt`): each name occurs in some script, as a
    /// whole word (dotted names as written), so the corpus checks all of it against PyTorch.
    @Test func everyAPINameOccursInAScript() throws {
        let list = try String(contentsOf: Self.folder.appendingPathComponent("api_names.txt"), encoding: .utf8)
        let names = list.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { $0.split(separator: " ") }.map(String.init)
        #expect(names.count > 150)
        let texts = try Self.scripts.map { try String(contentsOf: Self.folder.appendingPathComponent($0), encoding: .utf8) }
        func isWordCharacter(_ c: Character?) -> Bool { c.map { $0 == "_" || $0.isLetter || $0.isNumber } ?? false }
        func occurs(_ name: String, in text: String) -> Bool {
            var rest = text[...]
            while let r = rest.range(of: name) {
                let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
                let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
                if !isWordCharacter(before) && !isWordCharacter(after) { return true }
                rest = text[r.upperBound...]
            }
            return false
        }
        let missing = names.filter { name in !texts.contains { occurs(name, in: $0) } }
        #expect(missing.isEmpty, "no corpus script uses: \(missing.joined(separator: " "))")
    }

    /// The .out file is there, was made from this very script, and Duet prints what PyTorch printed.
    @Test(arguments: scripts)
    func scriptMatchesPyTorch(_ name: String) throws {
        let script = Self.folder.appendingPathComponent(name)
        let outURL = script.deletingPathExtension().appendingPathExtension("out")
        let source = try Data(contentsOf: script)
        guard let recorded = try? String(contentsOf: outURL, encoding: .utf8) else {
            Issue.record("\(outURL.lastPathComponent) is missing: run `python Tests/Corpus/generate.py \(name)` with PyTorch installed")
            return
        }
        let (header, expected) = Self.splitHeader(recorded)
        let digest = SHA256.hex(source)
        guard let header, let recordedDigest = Self.recordedDigest(header) else {
            Issue.record("\(outURL.lastPathComponent) has no `# torch <version> sha256 <hex>` header: re-run Tests/Corpus/generate.py")
            return
        }
        guard recordedDigest == digest else {
            Issue.record("\(outURL.lastPathComponent) is stale (made from a script with sha256 \(recordedDigest), the script now has \(digest)): re-run `python Tests/Corpus/generate.py \(name)` with PyTorch installed")
            return
        }
        let code = String(decoding: source, as: UTF8.self)
        let problem = Self.problem(running: code, name: name, expected: expected)
        switch (problem, Self.pending[name]) {
        case (nil, nil): break
        case let (problem?, nil): Issue.record(Comment(rawValue: problem))
        case let (problem?, reason?): withKnownIssue("pending (\(reason))") { Issue.record(Comment(rawValue: problem)) }
        case (nil, _?): Issue.record("\(name) now prints what PyTorch prints: take it off Tests/Corpus/pending.txt")
        }
    }

    /// Runs the script in a fresh interpreter; nil when it prints what PyTorch printed, else what went wrong.
    static func problem(running code: String, name: String, expected: String) -> String? {
        let got: String
        do {
            got = try output(code, file: name)
        } catch {
            return "\(name) raised in Duet: \(error)"
        }
        return CorpusComparison.difference(got: got, expected: expected).map { "\(name) differs from PyTorch: \($0)" }
    }

    static func splitHeader(_ text: String) -> (header: String?, body: String) {
        guard text.hasPrefix("# torch "), let newline = text.firstIndex(of: "\n") else { return (nil, text) }
        return (String(text[..<newline]), String(text[text.index(after: newline)...]))
    }

    static func recordedDigest(_ header: String) -> String? {
        let words = header.split(separator: " ")
        guard words.count == 5, words[0] == "#", words[1] == "torch", words[3] == "sha256", words[4].count == 64 else { return nil }
        return String(words[4])
    }

    /// Every script is Python that CPython parses (so the corpus never relies on Duet-only syntax).
    /// Needs `python3` (not PyTorch); without it the test says so and does nothing.
    @Test func everyScriptParsesAsPython() throws {
        let paths = Self.scripts.map { Self.folder.appendingPathComponent($0).path }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import ast, sys\nbad = 0\nfor p in sys.argv[1:]:\n    try:\n        ast.parse(open(p, encoding='utf-8').read(), p)\n    except SyntaxError as e:\n        bad += 1\n        print(p, e)\nsys.exit(1 if bad else 0)\n"] + paths
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch {
            Self.python3Missing("could not start /usr/bin/env python3: \(error)")
            return
        }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus == 127 {
            Self.python3Missing(text)
            return
        }
        #expect(p.terminationStatus == 0, "scripts that CPython cannot parse:\n\(text)")
    }

    static func python3Missing(_ detail: String) {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("python3 is missing, so the corpus scripts were not checked with ast.parse: \(detail)")
        } else {
            print("CorpusTests: skipped everyScriptParsesAsPython, python3 is missing (\(detail.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
    }

    // The comparison itself.

    @Test func comparisonToleratesRoundingButNotText() {
        #expect(CorpusComparison.difference(got: "loss 0.10000000149011612\n", expected: "loss 0.1\n") == nil)
        #expect(CorpusComparison.difference(got: "out [1.00001, -2.5e-07]\n", expected: "out [1.0, -2.50001e-07]\n") == nil)
        #expect(CorpusComparison.difference(got: "big 1000.4\n", expected: "big 1000.0\n") == nil)
        #expect(CorpusComparison.difference(got: "big 1002.0\n", expected: "big 1000.0\n") != nil)
        #expect(CorpusComparison.difference(got: "loss 0.11\n", expected: "loss 0.1\n") != nil)
        #expect(CorpusComparison.difference(got: "n 3.0\n", expected: "n 3\n") != nil)
        #expect(CorpusComparison.difference(got: "n 4\n", expected: "n 3\n") != nil)
        #expect(CorpusComparison.difference(got: "lost 1\n", expected: "loss 1\n") != nil)
        #expect(CorpusComparison.difference(got: "key 'b'\n", expected: "key b\n") != nil)
        #expect(CorpusComparison.difference(got: "fc1 layer2 x\n", expected: "fc1 layer2 x\n") == nil)
        #expect(CorpusComparison.difference(got: "a 1\n", expected: "a 1\nb 2\n") != nil)
        #expect(CorpusComparison.difference(got: "x [1.0,2.0]\n", expected: "x [1.0, 2.0]\n") != nil)
        #expect(CorpusComparison.difference(got: "v -0.0 inf nan\n", expected: "v 0.0 inf nan\n") == nil)
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

/// Compares a script's output with PyTorch's: numbers (also inside lists and tuples) within
/// 1e-4 absolute + 1e-3 relative, all other text exactly. An integer must be printed as an
/// integer and a float as a float (`3` and `3.0` differ, as they do in Python).
enum CorpusComparison {
    enum Token: Equatable {
        case text(String)
        case integer(String)
        case float(Double)
    }

    /// nil when the outputs agree; otherwise the first line that differs, both ways.
    static func difference(got: String, expected: String) -> String? {
        let g = got.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        for i in 0..<max(g.count, e.count) {
            let gl = i < g.count ? g[i] : nil, el = i < e.count ? e[i] : nil
            guard let gl, let el else {
                return "line \(i + 1): Duet printed \(gl.map { "\"\($0)\"" } ?? "nothing"), PyTorch \(el.map { "\"\($0)\"" } ?? "nothing")"
            }
            if !linesMatch(gl, el) { return "line \(i + 1): Duet printed \"\(gl)\", PyTorch \"\(el)\"" }
        }
        return nil
    }

    static func linesMatch(_ got: String, _ expected: String) -> Bool {
        let a = tokens(got), b = tokens(expected)
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case let (.float(u), .float(v)):
                if !(abs(u - v) <= 1e-4 + 1e-3 * abs(v)) { return false }
            default:
                if x != y { return false }
            }
        }
        return true
    }

    /// Splits a line into numbers and the text between them. A number starts at a digit, or at a
    /// `-` or `.` followed by one, that does not continue a name (`fc1`, `layer0_bias`).
    static func tokens(_ line: String) -> [Token] {
        let c = Array(line.unicodeScalars)
        var out: [Token] = []
        var text = ""
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < c.count && ("0"..."9").contains(c[k]) }
        func continuesName(_ k: Int) -> Bool {
            guard k > 0 else { return false }
            let p = c[k - 1]
            return p == "_" || p.properties.isAlphabetic || ("0"..."9").contains(p)
        }
        while i < c.count {
            var j = i
            if c[j] == "-" { j += 1 }
            let startsNumber = !continuesName(i) && (isDigit(j) || (j < c.count && c[j] == "." && isDigit(j + 1)))
            guard startsNumber else {
                text.unicodeScalars.append(c[i])
                i += 1
                continue
            }
            var isFloat = false
            while isDigit(j) { j += 1 }
            if j < c.count, c[j] == ".", isDigit(j + 1) || j > i {
                isFloat = true
                j += 1
                while isDigit(j) { j += 1 }
            }
            if j < c.count, c[j] == "e" || c[j] == "E" {
                var k = j + 1
                if k < c.count, c[k] == "+" || c[k] == "-" { k += 1 }
                if isDigit(k) {
                    isFloat = true
                    j = k
                    while isDigit(j) { j += 1 }
                }
            }
            if !text.isEmpty { out.append(.text(text)); text = "" }
            let literal = String(String.UnicodeScalarView(c[i..<j]))
            out.append(isFloat ? .float(Double(literal) ?? .nan) : .integer(literal))
            i = j
        }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }
}

/// SHA-256 (FIPS 180-4), enough to check that a .out file was made from its script.
enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hex(_ data: Data) -> String {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var bytes = [UInt8](data)
        let bitLength = UInt64(bytes.count) * 8
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(s))) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: bytes.count, by: 64) {
            for t in 0..<16 {
                let b = chunk + 4 * t
                w[t] = UInt32(bytes[b]) << 24 | UInt32(bytes[b + 1]) << 16 | UInt32(bytes[b + 2]) << 8 | UInt32(bytes[b + 3])
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        return h.map { v in
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 8 - s.count) + s
        }.joined()
    }
}
