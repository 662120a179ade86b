/// A request the server refuses: the HTTP status and the message of its `{"error": ...}` body.
/// Every bad request is one of these; none stops the server.
public struct ServeError: Error, CustomStringConvertible {
    public let status: Int
    public let message: String
    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { message }

    static func bad(_ message: String) -> ServeError { ServeError(400, message) }
}
