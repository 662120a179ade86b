/// Why a data or checkpoint file could not be read or written. Files are user input: every
/// problem with one is reported as this error, naming the file and what is wrong where.
public struct IOError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case notFound
        /// The operating system refused to open, read or write it.
        case system
        /// Its bytes break the format's rules (or disagree with its own header).
        case malformed
        /// Valid in the format, but not something Duet can represent (a dtype, a compression…).
        case unsupported
    }

    public let kind: Kind
    public let path: String
    public let message: String

    public init(_ kind: Kind, _ path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
