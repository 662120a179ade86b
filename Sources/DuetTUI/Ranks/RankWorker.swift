import DuetScript
import DuetTensor
import Foundation
import Synchronization

/// One rank of `duet -n N` (`duet worker`, started by `mpirun` for the workbench): runs each
/// request from the workbench in its own interpreter and streams back its output, its panes'
/// snapshots and where its time went. A reader thread takes requests off the channel, so a
/// Ctrl-C reaches a running command.
public final class RankWorker {
    private let channel: LineChannel
    private let rank: Int
    private let interp = Interpreter()
    private let probe = EngineProbe()
    private let commands: CommandRunner
    private let inbox = RequestQueue()
    private var pendingOutput = ""
    /// Points of each logged series already sent to the workbench.
    private var curvePointsSent: [String: Int] = [:]
    private let interrupts: RankInterrupts

    public init(connectingTo path: String, rank: Int) throws {
        channel = try LineChannel.connect(to: path)
        self.rank = rank
        commands = CommandRunner(interpreter: interp)
        interrupts = RankInterrupts(interp.interruption)
        interp.output = { [unowned self] in pendingOutput += $0 }
        // Progress lines redraw in place in the workbench's scrollback; fit prints them on rank 0 only.
        interp.isInteractiveTerminal = true
    }

    /// Serves requests until the workbench says quit or goes away.
    public func run() {
        channel.send(RankUpdate(hello: rank))
        let channel = channel, inbox = inbox, interrupts = interrupts
        Thread.detachNewThread {
            channel.readLines(as: RankEnvelope.self) { envelope in
                guard let envelope else { return }
                if case .interrupt = envelope.request { interrupts.press() } else { inbox.put(envelope) }
            }
            inbox.put(RankEnvelope(id: -1, request: .quit))
        }
        while true {
            let envelope = inbox.take()
            if case .quit = envelope.request { break }
            interrupts.commandStarts()
            var result = serve(envelope.request)
            result.id = envelope.id
            channel.send(RankUpdate(output: takeOutput(), finished: result))
        }
        channel.close()
    }

    private func serve(_ request: RankRequest) -> RankResult {
        var result = RankResult()
        switch request {
        case .complete(let line): result.completion = interp.completions(for: line)
        case .clear: interp.logs.clear()
        case .graph(let name):
            do { result.graph = try commands.graph(name) } catch { result.error = "\(error)" }
        case .run(let code): result = measured { try interp.run(code, file: "<input>", echo: true) }
        case .cell(let cell): result = measured { _ = commands.run(cell) }
        case .time(let expression):
            var report = ""
            result = measured { report = try commands.time(expression) }
            result.text = report
        case .interrupt, .quit: break
        }
        return result
    }

    /// Runs a command with the probe on, sending an update each tick.
    private func measured(_ body: () throws -> Void) -> RankResult {
        var result = RankResult()
        probe.begin()
        let graphBefore = interp.lastGraph.map(ObjectIdentifier.init)
        let comparisonBefore = interp.lastComparison?.identity
        var total = RankActivity()
        interp.onTick = { [unowned self] in
            let sample = trimmed(probe.tick(interp.logs))
            total.add(sample.activity)
            channel.send(RankUpdate(output: takeOutput(), sample: sample))
        }
        do { try body() } catch { result.error = "\(error)" }
        interp.onTick = nil
        let last = trimmed(probe.end(interp.logs))
        total.add(last.activity)
        channel.send(RankUpdate(output: takeOutput(), sample: last))
        result.activity = total
        if rank == 0 {
            if let graph = interp.lastGraph, ObjectIdentifier(graph) != graphBefore { result.graph = GraphView(graph) }
            if let c = interp.lastComparison, c.identity != comparisonBefore { result.comparison = ProfileComparison(c) }
        }
        return result
    }

    /// The panes show rank 0's engine; the other ranks send only their activity. Curves go as
    /// their new points: a long fit logs many thousands, which every tick would send again.
    private func trimmed(_ sample: EngineProbe.Sample) -> EngineProbe.Sample {
        guard rank == 0 else {
            var activity = EngineProbe.Sample()
            activity.activity = sample.activity
            activity.msPerStep = sample.msPerStep
            return activity
        }
        var sent = sample
        if let full = sample.curves {
            // A series that shrank or went (`:clear`) starts every series over.
            let reset = full.contains { (curvePointsSent[$0.name] ?? 0) > $0.steps.count }
                || curvePointsSent.keys.contains { name in !full.contains { $0.name == name } }
            if reset { curvePointsSent = [:] }
            sent.curves = nil
            sent.newCurvePoints = CurveTail(reset: reset, series: full.map { s in
                let from = curvePointsSent[s.name] ?? 0
                return CurveSeries(name: s.name, steps: Array(s.steps[from...]), values: Array(s.values[from...]))
            })
            for s in full { curvePointsSent[s.name] = s.steps.count }
        }
        return sent
    }

    private func takeOutput() -> String? {
        guard !pendingOutput.isEmpty else { return nil }
        defer { pendingOutput = "" }
        return pendingOutput
    }
}

/// Ctrl-C on a rank, pressed on the reader thread. Alone, a rank stops at its next statement.
/// In a group of several, the first press stops every rank at the next collective any of them
/// calls (stopping at a statement, one rank could leave another waiting for it inside a
/// collective); if none comes within a second (code that does not communicate), at the next
/// statement. A second press also ends waits at collectives, which stops the group.
private final class RankInterrupts: Sendable {
    private let interruption: InterruptHandle
    private let presses = Atomic<Int>(0)
    /// Which command runs, so that a late fallback does not interrupt the next one.
    private let command = Atomic<Int>(0)

    init(_ interruption: InterruptHandle) { self.interruption = interruption }

    func commandStarts() {
        ProcessGroup.clearInterrupts()
        presses.store(0, ordering: .relaxed)
        command.add(1, ordering: .relaxed)
    }

    func press() {
        let press = presses.add(1, ordering: .relaxed).newValue
        guard press == 1, let group = ProcessGroup.current, group.worldSize > 1 else {
            interruption.request()
            if press > 1 { ProcessGroup.interruptWaiting() }
            return
        }
        ProcessGroup.requestStop()
        let running = command.load(ordering: .relaxed)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            if command.load(ordering: .relaxed) == running { interruption.request() }
        }
    }
}

/// Requests waiting for the worker's main thread.
private final class RequestQueue: Sendable {
    private let items = Mutex<[RankEnvelope]>([])
    private let ready = DispatchSemaphore(value: 0)

    func put(_ request: RankEnvelope) {
        items.withLock { $0.append(request) }
        ready.signal()
    }

    func take() -> RankEnvelope {
        ready.wait()
        return items.withLock { $0.removeFirst() }
    }
}
