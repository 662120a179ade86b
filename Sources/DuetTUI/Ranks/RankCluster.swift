import DuetTensor
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The ranks of `duet -n N` as the workbench sees them (issue #18): it starts
/// `mpirun -np N duet worker --connect SOCKET`, accepts one channel per rank, sends requests
/// and collects the ranks' updates. The workbench stays in this process, because ncurses
/// cannot run under mpirun (rank 0's terminal there is a forwarded pipe).
public final class RankCluster {
    public let size: Int
    private let startupSeconds: Double
    private var process = Process()
    private var channels: [LineChannel] = []
    private var events = EventInbox()
    private var launcherOutput = TextBuffer()
    private var directory = ""
    /// Whether `process` was started (an unstarted Process has no exit status to ask for).
    private var launched = false
    /// Events taken off the inbox by a synchronous request that belong to no request.
    private var held: [Event] = []
    private var nextID = 0

    enum Event: Sendable {
        case update(rank: Int, RankUpdate)
        case closed(rank: Int)
    }

    /// Starts the ranks and waits (at most `startupSeconds`) until each has connected.
    public init(ranks: Int, startupSeconds: Double = 60) throws {
        size = ranks
        self.startupSeconds = startupSeconds
        try start()
    }

    /// Stops the ranks if they run and starts new ones: their state is gone.
    func restart() throws {
        stop()
        try start()
    }

    private func start() throws {
        var template = Array("/tmp/duet-ranks-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw ChannelError("cannot create a directory for the ranks' socket: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        let path = directory + "/workbench.sock"
        let listener = try Self.listen(at: path)
        defer { Glibc.close(listener) }
        let job: MPIJob
        do { job = try MPIJob(ranks: size, arguments: ["worker", "--connect", path]) } catch let e as TensorError {
            throw ChannelError(e.description)
        }
        process = job.process()
        launched = false
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        launched = true
        let events = EventInbox(), launcherOutput = TextBuffer()
        self.events = events
        self.launcherOutput = launcherOutput
        held = []
        let reading = pipe.fileHandleForReading
        Thread.detachNewThread {
            while case let data = reading.availableData, !data.isEmpty { launcherOutput.append(String(decoding: data, as: UTF8.self)) }
        }
        var byRank: [Int: LineChannel] = [:]
        let deadline = Date().addingTimeInterval(startupSeconds)
        while byRank.count < size {
            guard process.isRunning else {
                throw ChannelError("the ranks ended before they connected (mpirun exit status \(process.terminationStatus)): \(launcherOutput.take())")
            }
            guard Date() < deadline else {
                process.terminate()
                throw ChannelError("the ranks did not connect within \(Int(startupSeconds)) s: \(launcherOutput.take())")
            }
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            let channel = LineChannel(fd: fd)
            guard let rank = channel.readHello(), (0..<size).contains(rank), byRank[rank] == nil else {
                channel.close()
                continue
            }
            byRank[rank] = channel
        }
        channels = (0..<size).compactMap { byRank[$0] }
        for (rank, channel) in channels.enumerated() {
            Thread.detachNewThread {
                channel.readLines(as: RankUpdate.self) { update in
                    if let update { events.put(.update(rank: rank, update)) }
                }
                events.put(.closed(rank: rank))
            }
        }
    }

    /// Sends `request` to every rank (or to rank 0 alone); returns its number, which the
    /// ranks' results carry.
    @discardableResult
    func send(_ request: RankRequest, onlyRankZero: Bool = false) -> Int {
        nextID += 1
        let envelope = RankEnvelope(id: nextID, request: request)
        for channel in onlyRankZero ? Array(channels.prefix(1)) : channels { channel.send(envelope) }
        return nextID
    }

    /// The events that arrived since the last call.
    func takeEvents() -> [Event] {
        defer { held = [] }
        return held + events.takeAll()
    }

    /// Sends `request` to rank 0 and waits (at most `seconds`) for its result; for requests
    /// answered at once (a completion, a graph) while no command runs.
    func ask(_ request: RankRequest, seconds: Double = 2) -> RankResult? {
        let id = send(request, onlyRankZero: true)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, isRunning {
            var found: RankResult?
            for event in events.takeAll() {
                if found == nil, case .update(0, let update) = event, let result = update.finished, result.id == id {
                    found = result
                } else {
                    held.append(event)
                }
            }
            if let found { return found }
            usleep(2000)
        }
        return nil
    }

    public var isRunning: Bool { process.isRunning }
    /// mpirun's exit status once it has ended.
    public var exitStatus: Int32? { launched && !process.isRunning ? process.terminationStatus : nil }

    /// What the REPL says when the ranks have ended.
    var endedNote: String {
        "the ranks ended (mpirun exit status \(exitStatus.map(String.init) ?? "unknown")); the next input starts them again"
    }

    /// What mpirun and the ranks printed outside the channels (MPI's own messages, a crash).
    func takeLauncherOutput() -> String { launcherOutput.take() }

    /// Asks the ranks to quit and waits (at most 5 s) for mpirun to end, then ends it.
    public func stop() {
        send(.quit)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        for channel in channels { channel.close() }
        channels = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChannelError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var address = try LineChannel.socketAddress(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw ChannelError("cannot listen at \(path): \(reason)")
        }
        return fd
    }
}

/// Events from the ranks' reader threads, for the workbench's thread.
private final class EventInbox: Sendable {
    private let items = Mutex<[RankCluster.Event]>([])
    func put(_ event: RankCluster.Event) { items.withLock { $0.append(event) } }
    func takeAll() -> [RankCluster.Event] {
        items.withLock { items in
            defer { items = [] }
            return items
        }
    }
}

/// Text collected by a reader thread.
private final class TextBuffer: Sendable {
    private let text = Mutex("")
    func append(_ s: String) { text.withLock { $0 += s } }
    func take() -> String {
        text.withLock { text in
            defer { text = "" }
            return text
        }
    }
}
