import Foundation
import DuetNN
import DuetTensor
import NIOCore
import NIOHTTP1
import NIOPosix

/// What `duet serve` is told.
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8501
    public var name: String?
    public var version = 1
    public var maxBodyBytes = 16 << 20
    public var batchWindowMs = 2.0
    public var maxBatch = 64
    public init() {}
}

/// TF Serving's REST API over one ONNX model, on SwiftNIO's HTTP/1.1 server
/// (docs/language.md "Serving"): predict, model status, metadata, and Prometheus metrics.
public final class ModelServer: @unchecked Sendable {
    public let model: OnnxModule
    public let name: String
    let options: ServeOptions
    let metrics: ServeMetrics
    let batcher: Batcher
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var channel: Channel?
    private let lock = NSLock()
    private var inFlight = 0

    public init(modelPath: String, options: ServeOptions) throws {
        model = try OnnxModule(path: modelPath)
        name = options.name ?? model.name
        self.options = options
        metrics = ServeMetrics(model: name)
        batcher = Batcher(model: model, window: options.batchWindowMs / 1000, maxRows: options.maxBatch, metrics: metrics)
    }

    /// Binds and returns the port (the one asked for, or the system's pick for port 0).
    public func start() throws -> Int {
        let server = self
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(RequestHandler(server: server))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        let bound = try bootstrap.bind(host: options.host, port: options.port).wait()
        channel = bound
        return bound.localAddress?.port ?? options.port
    }

    /// Stops accepting, waits for the requests in flight (up to `timeout` seconds), and shuts down.
    public func drain(timeout: TimeInterval = 30) {
        try? channel?.close().wait()
        let deadline = Date().addingTimeInterval(timeout)
        while lock.withLock({ inFlight }) > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        try? group.syncShutdownGracefully()
    }

    func began() { lock.withLock { inFlight += 1 } }
    func ended() { lock.withLock { inFlight -= 1 } }

    /// The model path a URL names, nil for another model; `/versions/N` must be ours.
    func route(_ uri: String) -> Route? {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        if path == "/metrics" { return .metrics }
        let prefix = "/v1/models/"
        guard path.hasPrefix(prefix) else { return nil }
        var rest = Substring(path.dropFirst(prefix.count))
        var verb = ""
        if let colon = rest.lastIndex(of: ":") {
            verb = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == name else { return .unknownModel(parts.first ?? "") }
        parts.removeFirst()
        if parts.count >= 2, parts[0] == "versions" {
            guard Int(parts[1]) == options.version else { return .unknownVersion(parts[1]) }
            parts.removeFirst(2)
        }
        switch (parts, verb) {
        case ([], ""): return .status
        case (["metadata"], ""): return .metadata
        case ([], "predict"): return .predict
        default: return nil
        }
    }

    enum Route: Equatable {
        case status, metadata, predict, metrics
        case unknownModel(String), unknownVersion(String)
    }

    var statusBody: String {
        "{\"model_version_status\": [{\"version\": \"\(options.version)\", \"state\": \"AVAILABLE\", \"status\": {\"error_code\": \"OK\", \"error_message\": \"\"}}]}"
    }

    /// TensorFlow's DataType enum names.
    static func tensorFlowType(_ d: DType) -> String {
        switch d {
        case .float32: "DT_FLOAT"
        case .float64: "DT_DOUBLE"
        case .float16: "DT_HALF"
        case .bfloat16: "DT_BFLOAT16"
        case .int64: "DT_INT64"
        case .bool: "DT_BOOL"
        }
    }

    /// TF Serving's metadata shape: the signature's inputs and outputs with dtype and dims (-1 symbolic).
    var metadataBody: String {
        func ports(_ list: [OnnxPort]) -> String {
            list.map { p in
                let dims = (p.dims ?? []).map { "{\"size\": \"\($0.map(String.init) ?? "-1")\"}" }.joined(separator: ", ")
                return "\"\(p.name)\": {\"dtype\": \"\(Self.tensorFlowType(p.dtype))\", \"tensor_shape\": {\"dim\": [\(dims)]}, \"name\": \"\(p.name)\"}"
            }.joined(separator: ", ")
        }
        return "{\"model_spec\": {\"name\": \"\(name)\", \"version\": \"\(options.version)\"}, \"metadata\": {\"signature_def\": {\"signature_def\": {\"serving_default\": {\"inputs\": {\(ports(model.inputs))}, \"outputs\": {\(ports(model.outputs))}, \"method_name\": \"tensorflow/serving/predict\"}}}}}"
    }
}

/// One connection's requests: the body is gathered up to the limit (past it, 413 and close),
/// then routed; predictions complete on the model thread and are written back on the loop.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ModelServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(server: ModelServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
            let declared = h.headers.first(name: "content-length").flatMap(Int.init) ?? 0
            tooLarge = declared > server.options.maxBodyBytes
        case .body(var buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > server.options.maxBodyBytes {
                tooLarge = true
                body = []
            } else {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
        case .end:
            guard let head else { return }
            self.head = nil
            handle(context, head)
        }
    }

    private func handle(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        let started = DispatchTime.now().uptimeNanoseconds
        let keepAlive = head.isKeepAlive && !tooLarge
        server.began()
        let respond: (Int, String, String) -> Void = { [server] status, contentType, text in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            server.metrics.request(status: status, seconds: seconds)
            Self.write(context, status: status, contentType: contentType, body: text, keepAlive: keepAlive)
            server.ended()
        }
        let fail: (ServeError) -> Void = { e in respond(e.status, "application/json", "{\"error\": \(JSONText.quoted(e.message))}") }
        if tooLarge {
            return fail(ServeError(413, "the body is larger than \(server.options.maxBodyBytes) bytes (--max-body-bytes)"))
        }
        guard let route = server.route(head.uri) else { return fail(ServeError(404, "no such endpoint: \(head.method) \(head.uri)")) }
        switch (route, head.method) {
        case (.unknownModel(let n), _): fail(ServeError(404, "Servable not found for request: Latest(\(n)); this server serves \(server.name)"))
        case (.unknownVersion(let v), _): fail(ServeError(404, "Servable not found for request: Specific(\(server.name), \(v))"))
        case (.metrics, .GET): respond(200, "text/plain; version=0.0.4", server.metrics.text)
        case (.status, .GET): respond(200, "application/json", server.statusBody)
        case (.metadata, .GET): respond(200, "application/json", server.metadataBody)
        case (.predict, .POST): predict(context, respond: respond, fail: fail)
        default: fail(ServeError(405, "\(head.method) is not allowed on \(head.uri)"))
        }
    }

    private func predict(_ context: ChannelHandlerContext, respond: @escaping (Int, String, String) -> Void, fail: @escaping (ServeError) -> Void) {
        let request: PredictCodec.Request
        do { request = try PredictCodec.decode(body, ports: server.model.inputs) } catch {
            return fail(error as? ServeError ?? ServeError.bad("\(error)"))
        }
        body = []
        let names = server.model.outputs.map(\.name)
        let loop = context.eventLoop
        server.batcher.submit(Batcher.Job(inputs: request.inputs, rows: request.rows) { result in
            let answer: Result<String, ServeError> = result.flatMap { outputs in
                do { return .success(try PredictCodec.encode(outputs, names: names, form: request.form)) } catch {
                    return .failure(ServeError(500, "\(error)"))
                }
            }.mapError { $0 as? ServeError ?? ServeError(400, "\($0)") }
            loop.execute {
                switch answer {
                case .success(let text): respond(200, "application/json", text)
                case .failure(let e): fail(e)
                }
            }
        })
    }

    private static func write(_ context: ChannelHandlerContext, status: Int, contentType: String, body: String, keepAlive: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive { done.whenComplete { _ in context.close(promise: nil) } }
    }
}
