import Foundation

/// `duet bench --vs torch|jax`: each round runs every selected workload in Duet and in the peer,
/// alternating which goes first, so drift in the machine's load hits both alike (BENCHMARKS.md:
/// only ratios measured in one interleaved run mean anything). Prints each side's median and the
/// median of the per-round speed-ups. Without the peer, it says how to install it and times Duet alone.
struct PeerComparison {
    let framework: PeerFramework
    let rounds: Int
    let json: Bool

    /// One output line: a Duet workload in one mode, and the peer's figures for the same workload and mode.
    struct Line: Encodable {
        let workload: String
        let mode: String
        let value: Double?
        let unit: String
        let peer: String?
        /// The peer's mode when it differs: PyTorch runs eager only, so Duet's graph mode is paired
        /// with PyTorch eager (what "graph ≤ 0.8 × PyTorch eager" asks).
        let peerMode: String?
        let peerValue: Double?
        let speedup: Double?

        enum CodingKeys: String, CodingKey {
            case workload, mode, value, unit, peer
            case peerMode = "peer_mode"
            case peerValue = "peer_value"
            case speedup
        }
    }

    func run(_ selected: [Workload], options: PeerOptions) throws {
        let root = framework.locateRoot()
        let python = options.interpreter(root: root)
        let peer = startPeer(root: root, python: python)
        defer { peer?.close() }
        if let peer {
            status("\(framework.displayName) \(peer.ready.version) (\(python)) and Duet alternate, \(rounds) round\(rounds == 1 ? "" : "s") per workload; medians")
        }
        let names = selected.map(\.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        // Figures by workload and mode, then by round, so the two sides pair up round by round.
        var duet: [String: [Int: Double]] = [:]
        var other: [String: [Int: Double]] = [:]
        var peerOnly: [(name: String, mode: String, unit: String)] = []
        var reported = Set<String>()
        for round in 0..<rounds {
            if !json { FileHandle.standardError.write(Data("round \(round + 1)/\(rounds)\n".utf8)) }
            for name in names {
                // Alternate who goes first, so a trend in the machine's load favours neither.
                let duetFirst = round % 2 == 0
                var reply = duetFirst ? nil : peer.flatMap { ask($0, name, &reported) }
                for w in selected where w.name == name {
                    duet[key(w.name, w.mode), default: [:]][round] = try w.measure()
                }
                if duetFirst { reply = peer.flatMap { ask($0, name, &reported) } }
                if let reply, let mode = reply.mode, let value = reply.value {
                    other[key(name, mode), default: [:]][round] = value
                    if !selected.contains(where: { $0.name == name && $0.mode == mode }) && !peerOnly.contains(where: { $0.name == name && $0.mode == mode }) {
                        peerOnly.append((name, mode, reply.unit ?? ""))
                    }
                }
            }
        }
        let peerName = peer == nil ? nil : framework.name
        var lines = selected.map { w -> Line in
            if let same = other[key(w.name, w.mode)] { return line(w.name, w.mode, w.unit, duet[key(w.name, w.mode)] ?? [:], same, peerName) }
            // Graph mode against a peer that only runs eager (PyTorch) is paired with its eager figures.
            guard w.mode == "graph", other.keys.filter({ $0.hasPrefix(w.name + "\u{0}") }) == [key(w.name, "eager")],
                  let figures = other[key(w.name, "eager")] else {
                return line(w.name, w.mode, w.unit, duet[key(w.name, w.mode)] ?? [:], [:], peerName)
            }
            return line(w.name, w.mode, w.unit, duet[key(w.name, w.mode)] ?? [:], figures, peerName, peerMode: "eager")
        }
        // Figures the peer has in a mode Duet did not run (JAX's jit against a graph mode not selected).
        lines += peerOnly.map { line($0.name, $0.mode, $0.unit, [:], other[key($0.name, $0.mode)] ?? [:], peerName) }
        try report(lines, peerVersion: peer?.ready.version)
    }

    private func key(_ name: String, _ mode: String) -> String { "\(name)\u{0}\(mode)" }

    /// Starts the peer's script, or explains why it cannot and how to install the framework.
    private func startPeer(root: URL?, python: String) -> PeerProcess? {
        guard let root else {
            status("note: bench/peers/\(framework.script) was not found (run duet from the repository); timing Duet alone.")
            return nil
        }
        do {
            return try PeerProcess(python: python, script: root.appendingPathComponent("bench/peers/\(framework.script)").path)
        } catch let error as PeerProcess.Unavailable {
            status("note: \(framework.displayName) is not available to \(python): \(error.reason)\n" + framework.installHint)
        } catch {
            status("note: \(framework.displayName) could not be started with \(python): \(error)\n" + framework.installHint)
        }
        return nil
    }

    private func ask(_ peer: PeerProcess, _ name: String, _ reported: inout Set<String>) -> PeerProcess.Reply? {
        guard peer.ready.workloads.contains(name) else { return nil }
        guard let reply = peer.measure(name) else {
            if reported.insert("stopped").inserted { status("note: \(framework.displayName) stopped answering; carrying on with Duet alone") }
            return nil
        }
        if let error = reply.error, reported.insert(name).inserted {
            status("note: \(framework.displayName) could not run \(name): \(error)")
        }
        return reply
    }

    /// Medians of each side, and the median of the rounds' speed-ups (rounds where both ran).
    private func line(_ name: String, _ mode: String, _ unit: String, _ duet: [Int: Double], _ peer: [Int: Double], _ peerName: String?,
                      peerMode: String? = nil) -> Line {
        let speedups = duet.compactMap { round, d in peer[round].flatMap { Self.speedup(duet: d, peer: $0, unit: unit) } }
        return Line(workload: name, mode: mode, value: Self.median(Array(duet.values)), unit: unit,
                    peer: peer.isEmpty ? nil : peerName, peerMode: peerMode, peerValue: Self.median(Array(peer.values)),
                    speedup: Self.median(speedups))
    }

    /// How many times faster Duet is: rates (…/s) divide Duet by the peer, times and sizes the peer by Duet.
    static func speedup(duet: Double, peer: Double, unit: String) -> Double? {
        guard duet > 0, peer > 0 else { return nil }
        return unit.hasSuffix("/s") ? duet / peer : peer / duet
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    private func report(_ lines: [Line], peerVersion: String?) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for line in lines {
                print(String(decoding: try encoder.encode(line), as: UTF8.self))
            }
            return
        }
        let peerColumn = peerVersion == nil ? "\(framework.displayName) (absent)" : framework.displayName
        let header = ["workload", "mode", "duet", peerColumn, "unit", "speed-up"]
        let body = lines.map { l in
            [l.workload, l.mode + (l.peerMode.map { " (vs \($0))" } ?? ""), l.value.map { String(format: "%.3f", $0) } ?? "-", l.peerValue.map { String(format: "%.3f", $0) } ?? "-", l.unit,
             l.speedup.map { String(format: "%.2f×", $0) } ?? "-"]
        }
        for line in TextTable.render(header, body, leftAligned: [0, 1, 4]) { print(line) }
        if peerVersion != nil {
            print("speed-up: how many times faster Duet is, the median of the rounds' ratios (below 1: \(framework.displayName) is faster)")
        }
        fflush(nil)
    }

    /// Status lines go to stdout, or to stderr with --json so stdout stays one JSON object per line.
    private func status(_ text: String) {
        if json {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            print(text)
            fflush(nil)
        }
    }
}
