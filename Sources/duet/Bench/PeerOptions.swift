import ArgumentParser
import Foundation

/// `duet bench --vs torch|jax`: which peer framework to run the workloads in, and with which Python.
struct PeerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also run the workloads in a peer framework (\(PeerFramework.all.map(\.name).joined(separator: ", "))), interleaved with Duet's, and print both with their ratio.", valueName: "framework"))
    var vs: String?

    @Option(help: ArgumentHelp("The Python that runs the peer (default: $DUET_PEER_PYTHON, else .build-venv/bin/python, else python3).", valueName: "path"))
    var python: String?

    @Option(help: "Interleaved rounds of Duet and peer runs per workload; medians are reported.")
    var rounds: Int = 5

    var framework: PeerFramework? { vs.flatMap(PeerFramework.named) }

    mutating func validate() throws {
        if let vs, PeerFramework.named(vs) == nil {
            throw ValidationError("unknown --vs '\(vs)'; expected one of \(PeerFramework.all.map(\.name).joined(separator: ", "))")
        }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
        if vs == nil && python != nil { throw ValidationError("--python needs --vs") }
    }

    /// The interpreter to use: `--python`, else $DUET_PEER_PYTHON, else the repository's
    /// `.build-venv/bin/python` when it exists, else `python3` from PATH.
    func interpreter(root: URL?) -> String {
        if let python { return python }
        if let env = ProcessInfo.processInfo.environment["DUET_PEER_PYTHON"], !env.isEmpty { return env }
        if let venv = root?.appendingPathComponent(".build-venv/bin/python").path, FileManager.default.isExecutableFile(atPath: venv) {
            return venv
        }
        return "python3"
    }
}

/// A framework `--vs` knows: its script in bench/peers and how to install it.
struct PeerFramework {
    let name: String
    let displayName: String
    let script: String
    let pipPackages: String

    static let all = [
        PeerFramework(name: "torch", displayName: "PyTorch", script: "torch_bench.py", pipPackages: "torch numpy"),
        PeerFramework(name: "jax", displayName: "JAX", script: "jax_bench.py", pipPackages: "jax"),
    ]

    static func named(_ name: String) -> PeerFramework? {
        all.first { $0.name == name || $0.displayName.lowercased() == name.lowercased() }
    }

    /// What to do when the framework cannot be run: a virtual environment outside the repository.
    var installHint: String {
        """
        To compare with \(displayName), install it into a virtual environment (outside the repository), e.g.
            python3 -m venv ../peers-venv && ../peers-venv/bin/pip install \(pipPackages)
        then pass --python ../peers-venv/bin/python (or set DUET_PEER_PYTHON). Carrying on with Duet alone.
        """
    }

    /// The repository folder holding bench/peers/<script>: the working directory, or one above
    /// the running executable (`.build/<triple>/release/duet` sits inside the repository).
    func locateRoot() -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        let exe = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("bench/peers/\(script)").path) }
    }
}
