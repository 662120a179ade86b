import CZlib

/// zlib's deflate, inflate and CRC-32 over whole buffers, for zip archives and gzip files.
enum Zlib {
    /// zlib counts bytes in 32-bit fields: larger buffers go through in pieces of this size.
    private static let piece = Int(UInt32.max)
    /// No deflate stream expands more than about 1032:1, so a stated size above this is a lie
    /// and is refused before anything that large is allocated.
    static func maxInflatedSize(_ compressed: Int) -> Int { compressed * 1032 + 1024 }

    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        var start = 0
        while start < bytes.count, let base = bytes.baseAddress {
            let n = min(piece, bytes.count - start)
            crc = CZlib.crc32(crc, (base + start).assumingMemoryBound(to: Bytef.self), uInt(n))
            start += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Raw deflate (no zlib or gzip wrapper), as zip archives store it.
    static func deflateRaw(_ input: UnsafeRawBufferPointer, path: String) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IOError(.system, path, "cannot start zlib's deflate")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var consumed = 0, produced = 0, status = Z_OK
        while status == Z_OK {
            let inCount = min(piece, input.count - consumed), outCount = min(piece, output.count - produced)
            status = output.withUnsafeMutableBytes { out in
                stream.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: ($0 + consumed).assumingMemoryBound(to: Bytef.self)) }
                stream.avail_in = uInt(inCount)
                stream.next_out = out.baseAddress.map { ($0 + produced).assumingMemoryBound(to: Bytef.self) }
                stream.avail_out = uInt(outCount)
                let flush = consumed + inCount == input.count ? Z_FINISH : Z_NO_FLUSH
                return deflate(&stream, flush)
            }
            consumed += inCount - Int(stream.avail_in)
            produced += outCount - Int(stream.avail_out)
            if status == Z_BUF_ERROR && produced < output.count { status = Z_OK }
        }
        guard status == Z_STREAM_END else { throw IOError(.system, path, "zlib's deflate failed (status \(status))") }
        output.removeSubrange(produced...)
        return output
    }

    /// Raw deflate data that must inflate to exactly `size` bytes (a zip member).
    static func inflateRaw(_ input: UnsafeRawBufferPointer, size: Int, path: String, member: String) throws -> [UInt8] {
        guard size <= maxInflatedSize(input.count) else {
            throw IOError(.malformed, path, "\(member): \(input.count) compressed bytes cannot inflate to the \(size) bytes the archive states")
        }
        let out = try inflate(input, windowBits: -15, initial: size, limit: size, path: path, what: member)
        guard out.count == size else {
            throw IOError(.malformed, path, "\(member): inflates to \(out.count) bytes, but the archive states \(size)")
        }
        return out
    }

    /// A gzip file's contents (all members, if several were concatenated).
    static func gunzip(_ input: UnsafeRawBufferPointer, path: String) throws -> [UInt8] {
        let limit = maxInflatedSize(input.count)
        return try inflate(input, windowBits: 16 + 15, initial: min(limit, max(4 * input.count, 1 << 16)), limit: limit,
                           path: path, what: "gzip data")
    }

    /// Inflates into a buffer that starts at `initial` bytes and doubles up to `limit`; more
    /// output than `limit` is an error. One spare byte tells "exactly full" from "more to come".
    private static func inflate(_ input: UnsafeRawBufferPointer, windowBits: Int32, initial: Int, limit: Int,
                                path: String, what: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IOError(.system, path, "cannot start zlib's inflate")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: initial + 1)
        var consumed = 0, produced = 0
        while true {
            if produced == output.count {
                guard output.count <= limit else {
                    throw IOError(.malformed, path, "\(what): inflates to more than the \(limit) bytes expected")
                }
                output += [UInt8](repeating: 0, count: min(output.count, limit + 1 - output.count))
            }
            let inCount = min(piece, input.count - consumed), outCount = min(piece, output.count - produced)
            let status = output.withUnsafeMutableBytes { out in
                stream.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: ($0 + consumed).assumingMemoryBound(to: Bytef.self)) }
                stream.avail_in = uInt(inCount)
                stream.next_out = out.baseAddress.map { ($0 + produced).assumingMemoryBound(to: Bytef.self) }
                stream.avail_out = uInt(outCount)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let progressed = stream.avail_in < inCount || stream.avail_out < outCount
            consumed += inCount - Int(stream.avail_in)
            produced += outCount - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                // Concatenated gzip members form one file; raw deflate ends at its first stream.
                guard windowBits > 0, consumed < input.count else {
                    output.removeSubrange(produced...)
                    return output
                }
                inflateReset(&stream)
            case Z_OK:
                continue
            case Z_BUF_ERROR where progressed || produced == output.count:
                continue
            case Z_BUF_ERROR:
                throw IOError(.malformed, path, "\(what): the compressed data ends early (truncated)")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw IOError(.malformed, path, "\(what): corrupt compressed data (\(reason))")
            }
        }
    }
}
