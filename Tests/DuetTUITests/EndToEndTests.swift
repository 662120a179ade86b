import DuetTestSupport
import DuetTUI
import Foundation
import Testing

/// The real `duet` binary driven through tmux: a model is built and fitted, the panes are
/// read off the screen, Ctrl-C stops a long fit, the window is resized, and the shell gets
/// its terminal back. Then `duet repl` shares the history across runs. Polls the screen with
/// generous timeouts; nothing asserts on time.
@Suite(.serialized) struct EndToEndTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("duet")

    /// A private tmux server (its own socket) with one window running a plain shell.
    final class Tmux {
        let socket = "duet-e2e-\(UUID().uuidString.prefix(8))"
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("duet-e2e-\(UUID().uuidString)")

        init?(width: Int, height: Int) {
            try? FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            guard Self.exists else { return nil }
            let rc = run(["new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
                          "env -i HOME=\(state.path) PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=\(state.path) PS1='$ ' bash --norc --noprofile"]).status
            guard rc == 0 else { return nil }
        }

        deinit { _ = run(["kill-server"]) }

        static var exists: Bool {
            ["/usr/bin/tmux", "/bin/tmux", "/usr/local/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        }

        /// Runs `tmux -L socket ARGS` through posix_spawn and waitpid, with output to a file:
        /// Foundation's Process never saw the client exit once new-session forked the server.
        @discardableResult
        func run(_ args: [String]) -> (status: Int32, out: String) {
            let output = state.appendingPathComponent("tmux-output")
            let quoted = (["tmux", "-L", socket, "-f", "/dev/null"] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let argv = ["/bin/sh", "-c", quoted.joined(separator: " ") + " > '\(output.path)' 2>/dev/null < /dev/null"]
            let env = ["PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=\(state.path)"]
            var cArgs = argv.map { strdup($0) } + [nil]
            var cEnv = env.map { strdup($0) } + [nil]
            defer { (cArgs + cEnv).forEach { free($0) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/bin/sh", nil, nil, &cArgs, &cEnv) == 0 else { return (-1, "") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let out = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            return ((status >> 8) & 0xFF, out)
        }

        func type(_ line: String) {
            run(["send-keys", "-t", "e2e", "-l", line])
            run(["send-keys", "-t", "e2e", "Enter"])
        }

        func keys(_ names: String...) { run(["send-keys", "-t", "e2e"] + names) }

        var screen: String { run(["capture-pane", "-p", "-t", "e2e"]).out }

        /// Polls the screen until `predicate` holds; returns the last screen either way.
        @discardableResult
        func wait(_ what: String, timeout: Double = 90, _ predicate: (String) -> Bool) -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = screen
                if predicate(last) { return last }
                Thread.sleep(forTimeInterval: 0.2)
            }
            Issue.record("timed out waiting for \(what); the screen was:\n\(last)")
            return last
        }
    }

    private func session(width: Int, height: Int) -> Tmux? {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("the duet executable is missing next to the test runner: \(Self.binary.path)") }
            return nil
        }
        guard let tmux = Tmux(width: width, height: height) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("tmux is missing or cannot start: the workbench end-to-end test cannot run") }
            return nil
        }
        tmux.wait("the shell prompt", timeout: 30) { $0.contains("$") }
        return tmux
    }

    private static func match(_ pattern: String, in text: String) -> [String]? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.matches(in: text, range: NSRange(text.startIndex..., in: text)).last else { return nil }
        return (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: text).map { String(text[$0]) } ?? "" }
    }

    @Test func workbenchTrainsInterruptsResizesAndRestoresTheTerminal() throws {
        guard let tmux = session(width: 150, height: 48) else { return }
        // The settings are kept in a shell variable, so the test leaves no files behind; the word
        // is printed in two parts so that the typed command line itself does not contain it.
        tmux.type("before=$(stty -g); \(Self.binary.path); echo DUET-EXIT $?; [ \"$(stty -g)\" = \"$before\" ] && printf 'TERMINAL-%s\\n' RESTORED")
        tmux.wait("the workbench prompt") { $0.contains(">>>") && $0.contains("F1 help") }
        tmux.type("import torch")
        tmux.type("torch.manual_seed(0)")
        tmux.type("X, y = datasets.spirals(count=600, classes=2, noise=0.05, seed=1)")
        tmux.type("model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 2))")
        tmux.type("opt = torch.optim.Adam(model.parameters(), lr=0.01)")
        tmux.type("h = fit(model, (X, y), loss=F.cross_entropy, opt=opt, epochs=3, batch_size=32)")
        var screen = tmux.wait("fit's third epoch") { $0.contains("Epoch 3/3: loss ") && !$0.contains("running, ^C stops") }
        // The last loss fit printed is the latest epoch_loss the curves pane shows.
        let printed = Self.match(#"Epoch 3/3: loss (\d+\.\d{4})"#, in: screen)?[1]
        #expect(printed != nil)
        if let printed { #expect(screen.contains("epoch_loss \(printed)")) }
        // The tape: the first layer's matmul with its shapes; the profile: a matmul row.
        #expect(Self.match(#"matmul\s+\[\d+,2\] \[2,64\]\*\s+\[\d+,64\]"#, in: screen) != nil, "no matmul entry in the tape pane:\n\(screen)")
        #expect(Self.match(#"matmul\s+\d+\s+\d+\.\d{3}\s+\d+\.\d"#, in: screen) != nil, "no matmul row in the profile pane:\n\(screen)")

        // Ctrl-C during a long fit returns to the prompt with the model intact.
        tmux.type("h = fit(model, (X, y), loss=F.cross_entropy, opt=opt, epochs=5000, batch_size=32)")
        tmux.wait("the long fit to run") { $0.contains("Epoch 2/5000") }
        tmux.keys("C-c")
        tmux.wait("KeyboardInterrupt") { $0.contains("KeyboardInterrupt") }
        tmux.type("model(X[:3]).shape")
        tmux.wait("the model to answer") { $0.contains("torch.Size([3, 2])") }

        // Resizing: narrow, small, tiny, and back.
        tmux.run(["resize-window", "-t", "e2e", "-x", "80", "-y", "24"])
        tmux.wait("the narrow layout") { $0.contains("narrow: F2-F4") }
        tmux.run(["resize-window", "-t", "e2e", "-x", "30", "-y", "8"])
        tmux.wait("the small layout") { $0.contains("small: panes") }
        tmux.run(["resize-window", "-t", "e2e", "-x", "12", "-y", "3"])
        tmux.wait("the too-small note") { $0.hasPrefix("terminal") }
        tmux.run(["resize-window", "-t", "e2e", "-x", "150", "-y", "48"])
        screen = tmux.wait("the full layout") { $0.contains("Profile  F4") && $0.contains(">>>") }
        tmux.type("1 + 1")
        tmux.wait("the REPL after resizing") { $0.range(of: #"(?m)^2\s+│"#, options: .regularExpression) != nil }
        // A pasted block keeps its own indentation (bracketed paste), where typing it would be auto-indented twice.
        tmux.run(["set-buffer", "def pasted(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total\n"])
        tmux.run(["paste-buffer", "-p", "-t", "e2e"])
        tmux.keys("Enter")
        tmux.type("pasted(5) * 1000")
        tmux.wait("the pasted function's result") { $0.contains("10000") }

        tmux.keys("C-d")
        screen = tmux.wait("the shell") { $0.contains("TERMINAL-RESTORED") }
        #expect(screen.contains("DUET-EXIT 0"))
    }

    /// After a `:time` of a cheap expression, a long fit still redraws (at least 5 screen changes
    /// in 3 s) and Ctrl-C brings the prompt back within 2 s, with the finished epochs bound to `h`.
    /// The only timing checks in the suite, and generous bounds.
    @Test func aFitAfterTimeStaysLiveAndStopsOnCtrlC() throws {
        guard let tmux = session(width: 150, height: 48) else { return }
        tmux.type(Self.binary.path)
        tmux.wait("the workbench prompt") { $0.contains(">>>") && $0.contains("F1 help") }
        tmux.type("X, y = datasets.spirals(count=600, classes=2, noise=0.05, seed=1)")
        tmux.type("model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 2))")
        tmux.type(":time model(X[:4])")
        tmux.wait("the :time report") { $0.contains("median of") }
        tmux.type("h = fit(model, (X, y), loss=F.cross_entropy, epochs=5000, batch_size=32)")
        tmux.wait("the fit to start") { $0.contains("Epoch 2/5000") }
        var changes = 0
        var last = tmux.screen
        let end = Date().addingTimeInterval(3)
        while Date() < end {
            Thread.sleep(forTimeInterval: 0.1)
            let now = tmux.screen
            if now != last { changes += 1 }
            last = now
        }
        #expect(changes >= 5, "the screen changed \(changes) times in 3 s of fitting")
        tmux.keys("C-c")
        tmux.wait("the prompt within 2 s of Ctrl-C", timeout: 2) { $0.contains("KeyboardInterrupt") }
        tmux.type("print(h.interrupted, len(h['loss']) >= 1)")
        tmux.wait("the partial history") { $0.contains("True True") }
        tmux.keys("C-d")
        tmux.wait("the shell") { $0.hasSuffix("$") || $0.contains("$ \n") || $0.contains("\n$") }
    }

    /// `duet -n 2`: the workbench over two ranks started through mpirun. Output the ranks share
    /// shows once, a rank's own lines and errors carry its rank, the ranks pane fills in after a
    /// DDP loop, Ctrl-C stops both ranks at the same collective so that the next all-reduce
    /// still works, `:restart` gives new ranks, and Ctrl-D leaves no rank behind.
    @Test func workbenchOverTwoRanks() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mpirun") else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("mpirun is missing: `make test` installs openmpi-bin") }
            return
        }
        guard let tmux = session(width: 160, height: 48) else { return }
        MPIJobLock.run {
            tmux.type("\(Self.binary.path) -n 2; echo DUET-EXIT $?")
            tmux.wait("the workbench over ranks") { $0.contains(">>>") && $0.contains("EAGER × 2 RANKS") && $0.contains("Ranks  F6") }
            tmux.type("import torch.distributed as dist")
            tmux.type("dist.init_process_group('mpi'); rank = dist.get_rank()")
            tmux.type("print('shared', 6 * 7); print('own', rank)")
            var screen = tmux.wait("rank 1's own line") { $0.contains("[rank 1] own 1") }
            #expect(screen.contains("shared 42") && screen.contains("own 0") && !screen.contains("[rank 1] shared"))

            tmux.type("torch.manual_seed(0)")
            tmux.type("model = torch.nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 4)))")
            tmux.type("opt = torch.optim.SGD(model.parameters(), lr=0.1); X = torch.randn(32, 64); y = torch.randint(0, 4, (32,))")
            tmux.type("for step in range(40):")
            tmux.type("    opt.zero_grad(); loss = F.cross_entropy(model(X), y); loss.backward(); opt.step(); log('loss', loss.item())")
            tmux.type("")
            tmux.type("print('trained', step)")
            // One row per rank: ms/step, the three shares, bytes per step (the model's 2 212 floats), collective calls.
            // Each rank's last sample arrives on its own, so the rows are waited for, not read once.
            func row(_ rank: Int, _ screen: String) -> Bool {
                Self.match(#"│\#(rank)\s+\d+\.\d\d\s+\d+%\s+\d+%\s+\d+%\s+8\.6 KB\s+\d+"#, in: screen) != nil
            }
            screen = tmux.wait("the loop's end and both ranks' rows") {
                $0.contains("trained 39") && $0.contains("last command") && row(0, $0) && row(1, $0)
            }
            #expect(row(0, screen) && row(1, screen), "no ranks-pane rows:\n\(screen)")

            tmux.type("for step in range(1000000):")
            tmux.type("    opt.zero_grad(); loss = F.cross_entropy(model(X), y); loss.backward(); opt.step()")
            tmux.type("")
            tmux.wait("the long loop to run") { $0.contains("running, ^C stops") }
            tmux.keys("C-c")
            tmux.wait("both ranks to stop at one collective") { $0.contains("every rank stopped at") && !$0.contains("running, ^C stops") }
            tmux.type("x = torch.ones(2) * (rank + 1); dist.all_reduce(x); print('sum', x.tolist())")
            screen = tmux.wait("an all-reduce after the stop") { $0.contains("sum [3.0, 3.0]") }
            #expect(!screen.contains("[rank 1] sum"))

            tmux.type("if rank == 1: raise ValueError('only on rank one')")
            tmux.type("")
            tmux.wait("rank 1's error, labelled") { $0.contains("[rank 1] <input>:1:15: ValueError: only on rank one") }
            tmux.type(":restart")
            tmux.wait("new ranks") { $0.contains("starting 2 new ranks") }
            tmux.type("import torch.distributed as dist; print('fresh', dist.is_initialized())")
            tmux.wait("a fresh group") { $0.contains("fresh False") }
            tmux.keys("C-d")
            screen = tmux.wait("the shell") { Self.match(#"DUET-EXIT \d"#, in: $0) != nil }
            #expect(screen.contains("DUET-EXIT 0"))
            var left = 0
            for _ in 0..<100 {
                left = Self.workers()
                if left == 0 { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            #expect(left == 0, "\(left) rank processes still run after the workbench quit")
        }
    }

    /// Processes of `duet worker` (the workbench's ranks), from /proc.
    static func workers() -> Int {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { Int($0) != nil }.filter { id in
            guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains("worker\u{0}--connect")
        }.count
    }

    @Test func replSharesHistoryAcrossRuns() throws {
        guard let tmux = session(width: 100, height: 20) else { return }
        tmux.type("\(Self.binary.path) repl")
        tmux.wait("the repl prompt") { $0.contains(">>>") }
        tmux.type("answer = 21 * 2")
        tmux.type("answer")
        tmux.wait("the value") { $0.contains("\n42") }
        tmux.type(":quit")
        tmux.wait("the shell") { $0.hasSuffix("$") || $0.contains(":quit\n$") }
        tmux.type("clear; \(Self.binary.path) repl")
        tmux.wait("the second repl") { $0.contains(">>>") && !$0.contains("42") }
        tmux.keys("Up", "Up")
        tmux.wait("the first run's input recalled") { $0.contains(">>> answer") }
        tmux.keys("C-u")
        tmux.type(":quit")
        tmux.wait("the shell again") { $0.hasSuffix("$") || $0.contains(":quit\n$") }
        #expect(HistoryFile(path: tmux.state.appendingPathComponent("duet/history").path).entries.contains("answer = 21 * 2"))
    }

    @Test func pipedReplAndPipedDefaultRunScripts() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("the duet executable is missing: \(Self.binary.path)") }
            return
        }
        for args in [["repl"], []] {
            let p = Process()
            p.executableURL = Self.binary
            p.arguments = args
            let input = Pipe(), output = Pipe(), errors = Pipe()
            p.standardInput = input
            p.standardOutput = output
            p.standardError = errors
            try p.run()
            input.fileHandleForWriting.write(Data("x = 6\nfor i in range(2):\n    x = x * 7\n\nx\n:time x + 1\nundefined_name\nprint('after', x)\n".utf8))
            try input.fileHandleForWriting.close()
            let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            #expect(out.hasPrefix("294\n"))
            #expect(out.contains("median of"))
            #expect(out.hasSuffix("after 294\n"))
            #expect(err.contains("NameError"))
            if args.isEmpty { #expect(err.contains("not a terminal; running the plain REPL")) }
        }
    }
}
