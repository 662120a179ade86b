import Foundation
import Testing
import DuetTestSupport
@testable import DuetNN
import DuetTensor

/// The readers' formats in their variants: CSV dialects and errors, IDX plain and gzip'd,
/// `.npy` versions, byte orders, widened dtypes and Fortran order.
@Suite struct IOReaderTests {
    private func csv(_ text: String, label: CSVColumn = -1, header: Bool? = nil, delimiter: Character = ",") throws -> (X: Tensor, y: Tensor) {
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/data.csv", text)
            return try CSV.load(dir + "/data.csv", label: label, header: header, delimiter: delimiter)
        }
    }

    private func expectCSVError(_ text: String, label: CSVColumn = -1, header: Bool? = nil, _ message: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/data.csv"
            try writeFile(path, text)
            #expect(throws: IOError(.malformed, path, message), sourceLocation: sourceLocation) {
                try CSV.load(path, label: label, header: header)
            }
        }
    }

    @Test func csvWithAndWithoutHeader() throws {
        let plain = try csv("1,2,0\n3,4,1\n")
        #expect(plain.X.shape == [2, 2] && plain.X.dtype == .float32 && plain.y.dtype == .int64)
        #expect(try plain.X.toDoubles() == [1, 2, 3, 4] && plain.y.toDoubles() == [0, 1])
        let named = try csv("a,label,b\n1.5,2,-3e2\n4,0,5\n", label: "label")
        #expect(try named.X.toDoubles() == [1.5, -300, 4, 5] && named.y.toDoubles() == [2, 0])
        let first = try csv("7,1,2\n8,3,4\n", label: 0)
        #expect(try first.y.toDoubles() == [7, 8] && first.X.toDoubles() == [1, 2, 3, 4])
    }

    @Test func csvDialects() throws {
        // BOM, CRLF, blank lines, padding, quotes, another delimiter.
        let text = "\u{FEFF}\"x\" ; \"y\" ;\"the \"\"label\"\"\"\r\n\r\n 1 ; \"2\" ; 3 \r\n\n4;5;6\r\n"
        let (X, y) = try csv(text, label: "the \"label\"", delimiter: ";")
        #expect(try X.toDoubles() == [1, 2, 4, 5] && y.toDoubles() == [3, 6])
        let empty = try csv("")
        #expect(empty.X.shape == [0, 0] && empty.y.shape == [0])
        let headerOnly = try csv("a,b\n")
        #expect(headerOnly.X.shape == [0, 1] && headerOnly.y.shape == [0])
    }

    @Test func csvErrorsNameLineAndColumn() throws {
        try expectCSVError("1,2,3\n4,5\n", "line 2 has 2 columns, but line 1 has 3")
        try expectCSVError("a,b,c\n1,2,3\n\n4,5,6,7\n", "line 4 has 4 columns, but line 1 has 3")
        try expectCSVError("a,b,c\n1,x,3\n", "line 2, column 2 (\"b\"): expected a number, found \"x\"")
        try expectCSVError("1,2,3\n1,,3\n", "line 2, column 2: empty cell, found \"\"")
        try expectCSVError("1,2,0.5\n", "line 1, column 3: the label must be an integer, found \"0.5\"")
        try expectCSVError("a,b\n1,2\n", header: false, "line 1, column 1: expected a number, found \"a\"")
        try expectCSVError("1,2\n", label: "y", "label column 'y' asked for by name, but the file has no header line")
        try expectCSVError("a,b\n1,2\n", label: "y", "no column is named 'y' (columns: a, b)")
        try expectCSVError("1,2\n", label: 2, "label column 2 is out of range: the file has 2 columns")
        try expectCSVError("\"1,2\n", "line 1, column 1: the quoted cell is not closed")
        try expectCSVError("\"1\"x,2\n", "line 1, column 1: text follows the closing quote")
    }

    @Test func theDigitsExportLoads() throws {
        let path = try PythonEnv.digitsCSV()
        let (X, y) = try CSV.load(path, label: "label")
        #expect(X.shape == [1797, 64] && y.shape == [1797])
        let pixels = try X.toDoubles(), labels = try y.toDoubles()
        #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 16 && $0 == $0.rounded() })
        #expect(Set(labels) == Set((0..<10).map(Double.init)))
        // The default (last column) is the same column.
        #expect(try CSV.load(path).y.toDoubles() == labels)
    }

    /// An IDX file: magic, type, dims big-endian, then `payload`.
    private func idx(type: UInt8, shape: [UInt32], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for d in shape { bytes += [UInt8(d >> 24), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return bytes + payload
    }

    /// A gzip file made by hand around zlib's raw deflate: header, data, CRC-32 and size.
    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        out += try bytes.withUnsafeBytes { try Zlib.deflateRaw($0, path: "test") }
        out.append(littleEndian: bytes.withUnsafeBytes { Zlib.crc32($0) })
        out.append(littleEndian: UInt32(bytes.count))
        return out
    }

    @Test func idxPlainAndGzipped() throws {
        try withTemporaryDirectory { dir in
            let images = idx(type: 0x08, shape: [2, 2, 3], payload: Array(0..<12).map { UInt8($0 * 20) })
            try writeFile(dir + "/images-idx3-ubyte", images)
            try writeFile(dir + "/images-idx3-ubyte.gz", try gzip(images))
            for name in ["images-idx3-ubyte", "images-idx3-ubyte.gz"] {
                let t = try IDX.load(dir + "/" + name)
                #expect(t.shape == [2, 2, 3] && t.dtype == .int64)
                #expect(try t.toDoubles() == (0..<12).map { Double($0 * 20) })
            }
            let scaled = try IDX.load(dir + "/images-idx3-ubyte.gz", dtype: .float32)
            #expect(try scaled.dtype == .float32 && scaled.toDoubles()[11] == 220)
            // Big-endian int32 and float32.
            try writeFile(dir + "/i", idx(type: 0x0C, shape: [2], payload: [0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 1, 0]))
            #expect(try IDX.load(dir + "/i").toDoubles() == [-2, 256])
            try writeFile(dir + "/f", idx(type: 0x0D, shape: [1], payload: [0x3F, 0xC0, 0, 0]))
            #expect(try IDX.load(dir + "/f").toDoubles() == [1.5])
        }
    }

    @Test func idxWhoseSizeDisagreesWithItsHeader() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/bad-idx"
            func expectError(_ bytes: [UInt8], _ message: String, kind: IOError.Kind = .malformed,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
                try writeFile(path, bytes)
                #expect(throws: IOError(kind, path, message), sourceLocation: sourceLocation) { try IDX.load(path) }
            }
            try expectError(idx(type: 0x08, shape: [2, 3, 4], payload: [UInt8](repeating: 1, count: 23)),
                            "the header says shape [2,3,4] of ubyte (24 bytes), but the file holds 23 bytes of data")
            try expectError(idx(type: 0x0E, shape: [60000, 10], payload: [UInt8](repeating: 1, count: 80)),
                            "the header says shape [60000,10] of double (4800000 bytes), but the file holds 80 bytes of data")
            try expectError(idx(type: 0x08, shape: [2, 2], payload: [UInt8](repeating: 1, count: 5)),
                            "the header says shape [2,2] of ubyte (4 bytes), but the file holds 5 bytes of data")
            try expectError([0, 0, 8, 3, 0, 0], "the header announces 3 dimensions but the file ends after 6 bytes")
            try expectError([1, 2, 3, 4], "not an IDX file (it does not start with two zero bytes)")
            try expectError([0, 0, 0x42, 1, 0, 0, 0, 0], "unknown IDX element type 0x42", kind: .unsupported)
            let gz = try gzip(idx(type: 0x08, shape: [4], payload: [1, 2, 3, 4]))
            try expectError(Array(gz.dropLast(12)), "gzip data: the compressed data ends early (truncated)")
        }
    }

    /// A `.npy` file with any version, type string, order and payload, as other writers make them.
    private func npy(version: UInt8 = 1, descr: String, fortran: Bool = false, shape: String, payload: [UInt8]) -> [UInt8] {
        let header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }\n"
        var bytes = NPY.magic + [version, 0]
        if version == 1 { bytes.append(littleEndian: UInt16(header.utf8.count)) } else { bytes.append(littleEndian: UInt32(header.utf8.count)) }
        return bytes + Array(header.utf8) + payload
    }

    @Test func npyVersionsByteOrdersWidenedTypesAndFortranOrder() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/a.npy"
            func load(_ bytes: [UInt8]) throws -> Tensor {
                try writeFile(path, bytes)
                return try NPY.load(path)
            }
            let v2 = try load(npy(version: 2, descr: "<i8", shape: "(2,)", payload: [5, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
            #expect(try v2.toDoubles() == [5, -1] && v2.dtype == .int64)
            let v3 = try load(npy(version: 3, descr: "|u1", shape: "(3,)", payload: [0, 128, 255]))
            #expect(try v3.toDoubles() == [0, 128, 255] && v3.dtype == .int64)
            let big = try load(npy(descr: ">i4", shape: "(2,)", payload: [0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0xFD]))
            #expect(try big.toDoubles() == [256, -3])
            let half = try load(npy(descr: "<f2", shape: "(4,)", payload: [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C]))
            #expect(half.dtype == .float16)
            #expect(try half.toDoubles() == [1, -2, 0x1p-24, .infinity])
            let bools = try load(npy(descr: "|b1", shape: "(3,)", payload: [0, 1, 7]))
            #expect(try bools.toDoubles() == [0, 1, 1] && bools.dtype == .bool)
            let scalar = try load(npy(descr: "<f8", shape: "()", payload: Array(withUnsafeBytes(of: 2.5) { Array($0) })))
            #expect(try scalar.shape == [] && scalar.item() == 2.5)
            // Column-major 2×3: memory holds columns [1,4], [2,5], [3,6].
            let fortran = try load(npy(descr: "<i8", fortran: true, shape: "(2, 3)",
                                       payload: [1, 4, 2, 5, 3, 6].flatMap { v in withUnsafeBytes(of: Int64(v)) { Array($0) } }))
            #expect(try fortran.shape == [2, 3] && fortran.toDoubles() == [1, 2, 3, 4, 5, 6])
        }
    }
}
