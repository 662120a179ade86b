import Foundation
import Testing
@testable import DuetNN
import DuetTensor

/// Broken and lying files give an `IOError` that says what is wrong and where — never a crash.
@Suite struct IOMalformedTests {
    /// A safetensors file from header text and data, with the header length as stated or a lie.
    private func safetensors(_ header: String, data: [UInt8], statedLength: UInt64? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.append(littleEndian: statedLength ?? UInt64(header.utf8.count))
        return bytes + Array(header.utf8) + data
    }

    /// Asserts that loading `bytes` as a safetensors file fails with exactly `message`.
    private func expectSafetensorsError(_ bytes: [UInt8], _ message: String, kind: IOError.Kind = .malformed,
                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/bad.safetensors"
            try writeFile(path, bytes)
            #expect(throws: IOError(kind, path, message), sourceLocation: sourceLocation) { try SafeTensors.load(path) }
        }
    }

    private func f32(_ name: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
        "\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
    }

    @Test func safetensorsTooShortOrLyingAboutItsHeaderLength() throws {
        try expectSafetensorsError([1, 2, 3], "the file is 3 bytes, too short for a safetensors header")
        try expectSafetensorsError(safetensors("{}", data: [], statedLength: 1000),
                                   "the header length 1000 goes past the end of the file (2 bytes follow it)")
        try expectSafetensorsError(safetensors("{}", data: [], statedLength: .max),
                                   "the header length 18446744073709551615 goes past the end of the file (2 bytes follow it)")
    }

    @Test func safetensorsWithInvalidJSON() throws {
        try expectSafetensorsError(safetensors("{\"a\": ", data: []), "the header is not valid JSON: unexpected end of text at byte 6")
        try expectSafetensorsError(safetensors("[1, 2]", data: []), "the header is not a JSON object")
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        try expectSafetensorsError(safetensors("{\"a\":" + deep + "}", data: []),
                                   "the header is not valid JSON: nested more than 64 levels deep at byte 68")
    }

    @Test func safetensorsWithBadEntries() throws {
        try expectSafetensorsError(safetensors("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", data: [0]),
                                   "tensor 'a': unknown or unsupported dtype 'F8_E4M3' (F32, F64, I64, BOOL, F16, BF16, I8–I32, U8–U32 are supported)",
                                   kind: .unsupported)
        try expectSafetensorsError(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]),
                                   "tensor 'a': 'shape' is missing or not a list of non-negative integers")
        try expectSafetensorsError(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", data: [0, 0, 0, 0]),
                                   "tensor 'a': 'data_offsets' is missing or not two non-negative integers [begin, end] with begin ≤ end")
        try expectSafetensorsError(safetensors("{" + f32("a", [3], 0, 8) + "}", data: [UInt8](repeating: 0, count: 8)),
                                   "tensor 'a': shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8")
        try expectSafetensorsError(safetensors("{" + f32("a", [1], 0, 4) + "," + f32("a", [1], 0, 4) + "}", data: [0, 0, 0, 0]),
                                   "'a' appears twice in the header")
        try expectSafetensorsError(safetensors("{\"__metadata__\":{\"k\":1}}", data: []), "__metadata__ 'k' is not a string")
    }

    @Test func safetensorsRangesPastTheEndOverlappingOrWithHoles() throws {
        let zeros = { (n: Int) in [UInt8](repeating: 0, count: n) }
        try expectSafetensorsError(safetensors("{" + f32("a", [2], 0, 8) + "}", data: zeros(4)),
                                   "tensor 'a': data_offsets [0, 8] go past the end of the data (4 bytes)")
        try expectSafetensorsError(safetensors("{" + f32("a", [2], 0, 8) + "," + f32("b", [2], 4, 12) + "}", data: zeros(12)),
                                   "tensors 'a' (bytes 0..<8) and 'b' (bytes 4..<12) overlap")
        try expectSafetensorsError(safetensors("{" + f32("a", [2], 0, 8) + "," + f32("b", [2], 12, 20) + "}", data: zeros(20)),
                                   "bytes 8..<12 between tensors 'a' and 'b' belong to no tensor")
        try expectSafetensorsError(safetensors("{" + f32("a", [2], 4, 12) + "}", data: zeros(12)),
                                   "bytes 0..<4 before tensor 'a' belong to no tensor")
        try expectSafetensorsError(safetensors("{" + f32("a", [2], 0, 8) + "}", data: zeros(12)),
                                   "bytes 8..<12 after tensor 'a' belong to no tensor")
    }

    @Test func truncatedSafetensorsNameTheTensorCut() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/cut.safetensors"
            try SafeTensors.save([("a", try Tensor.ones([4])), ("b", try Tensor.ones([4]))], to: path)
            let bytes = try FileIO.read(path)
            try writeFile(path, Array(bytes.dropLast(2)))
            #expect(throws: IOError(.malformed, path, "tensor 'b': data_offsets [16, 32] go past the end of the data (30 bytes)")) {
                try SafeTensors.load(path)
            }
        }
    }

    @Test func npyWithWrongMagicVersionHeaderOrSize() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/bad.npy"
            func expectError(_ bytes: [UInt8], _ message: String, kind: IOError.Kind = .malformed,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
                try writeFile(path, bytes)
                #expect(throws: IOError(kind, path, message), sourceLocation: sourceLocation) { try NPY.load(path) }
            }
            let good = try NPY.encode(try Tensor([1, 2, 3], shape: [3]))
            try expectError(Array("PK\u{3}\u{4}not numpy at all".utf8), "not a .npy file (it does not start with \\x93NUMPY)")
            try expectError(Array(good[0..<6]) + [4, 0] + good[8...], ".npy format version 4.0 is not supported (only 1.0 to 3.0)", kind: .unsupported)
            try expectError(Array(good[0..<40]), "the header runs past the end of the file (40 bytes)")
            try expectError(good.dropLast(1), "the header says shape [3] of '<f4' (12 bytes), but the file holds 11 bytes of data")
            func npy(_ header: String, data: [UInt8] = []) -> [UInt8] {
                var bytes = NPY.magic + [1, 0]
                bytes.append(littleEndian: UInt16(header.utf8.count))
                return bytes + Array(header.utf8) + data
            }
            try expectError(npy("{'descr': '<f4', 'fortran_order': False}"),
                            "invalid header {'descr': '<f4', 'fortran_order': False}: 'shape' is missing or not a tuple of non-negative integers")
            try expectError(npy("{'descr': '<U3', 'fortran_order': False, 'shape': (1,)}"), "dtype '<U3' is not supported (float16/32/64, int8 to int64, uint8 to uint32 and bool are)", kind: .unsupported)
            try expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999)}"),
                            "shape [99999999999,99999999999] is too large")
            try expectError(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}"),
                            "invalid header {'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}: shape entries must be integers")
        }
    }

    @Test func npzThatIsNotAZipOrIsCorrupt() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/bad.npz"
            try writeFile(path, "just text")
            #expect(throws: IOError(.malformed, path, "not a zip archive (no end of central directory record)")) { try NPZ.load(path) }
            try NPZ.save(["x": try Tensor.ones([64])], compressed: true, to: path)
            var bytes = try FileIO.read(path)
            // Flip a byte of the compressed data (it starts after the 30-byte header and "x.npy").
            bytes[40] ^= 0xFF
            try writeFile(path, bytes)
            #expect(throws: IOError.self) { try NPZ.load(path) }
        }
    }

    @Test func missingFilesAndDirectoriesAreErrors() throws {
        try withTemporaryDirectory { dir in
            let missing = dir + "/nope.safetensors"
            #expect(throws: IOError(.notFound, missing, "cannot open: No such file or directory")) { try SafeTensors.load(missing) }
            #expect(throws: IOError(.notFound, missing, "cannot open: No such file or directory")) { try NPY.load(missing) }
            #expect(throws: IOError(.notFound, missing, "cannot open: No such file or directory")) { try NPZ.load(missing) }
            #expect(throws: IOError(.notFound, missing, "cannot open: No such file or directory")) { try IDX.load(missing) }
            #expect(throws: IOError(.notFound, missing, "cannot open: No such file or directory")) { try CSV.load(missing) }
            #expect(throws: IOError(.system, dir, "is a directory, not a file")) { try NPY.load(dir) }
        }
    }

    /// A gzip'd IDX file of 2×3 bytes, the gzip wrapper written by hand around raw deflate.
    private func gzippedIDX() throws -> [UInt8] {
        let idx: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
        out += try idx.withUnsafeBytes { try Zlib.deflateRaw($0, path: "test") }
        out.append(littleEndian: idx.withUnsafeBytes { Zlib.crc32($0) })
        out.append(littleEndian: UInt32(idx.count))
        #expect(try IDX.decode(out, path: "a.idx.gz").toDoubles() == [1, 2, 3, 4, 5, 6])
        return out
    }

    /// Every prefix and a few hundred random byte flips of valid files: each decode returns or
    /// throws an `IOError`, and never crashes. (In memory: this disk makes each file write slow.)
    @Test func truncatedAndMutatedFilesNeverCrash() throws {
        let tensors = [("w", try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])), ("b", try Tensor([1, 0], shape: [2], dtype: .bool))]
        let formats: [(String, [UInt8], ([UInt8]) throws -> Void)] = try withTemporaryDirectory { dir in
            try SafeTensors.save(tensors, to: dir + "/a.safetensors")
            try NPZ.save(tensors, to: dir + "/a.npz")
            try NPZ.save(tensors, compressed: true, to: dir + "/b.npz")
            return [
                ("safetensors", try FileIO.read(dir + "/a.safetensors"), { _ = try SafeTensors.decode($0, path: "a.safetensors") }),
                ("npy", try NPY.encode(tensors[0].1), { _ = try NPY.decode($0, path: "a.npy") }),
                ("npz", try FileIO.read(dir + "/a.npz"), { _ = try NPZ.decode($0, path: "a.npz") }),
                ("npz compressed", try FileIO.read(dir + "/b.npz"), { _ = try NPZ.decode($0, path: "b.npz") }),
                ("idx.gz", try gzippedIDX(), { _ = try IDX.decode($0, path: "a.idx.gz") }),
            ]
        }
        var random = SeededRandom(seed: 11)
        for (name, original, decode) in formats {
            var variants = (0..<original.count).map { Array(original[0..<$0]) }
            for _ in 0..<300 {
                var bytes = original
                for _ in 0...random.below(3) { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
                variants.append(bytes)
            }
            for bytes in variants {
                do { try decode(bytes) } catch is IOError {} catch {
                    Issue.record("\(name): expected an IOError, got \(error)")
                }
            }
        }
    }
}
