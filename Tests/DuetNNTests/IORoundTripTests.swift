import Foundation
import Testing
@testable import DuetNN
import DuetTensor

/// Every dtype written and read back bit for bit, in every format Duet writes; writes are atomic.
@Suite struct IORoundTripTests {
    /// One tensor of each dtype, with edge values, plus a 0-dim, an empty and a strided view.
    static func samples() throws -> [(String, Tensor)] {
        let floats: [Double] = [0, -0.0, 1.5, -3.25, .infinity, -.infinity, 1e-40, 3.4e38, .pi, -1e-7, 42, 0.1]
        let ints: [Double] = [0, -1, 1, 9_007_199_254_740_992, -9_007_199_254_740_992, 123_456_789]
        return [
            ("f32", try Tensor(floats, shape: [3, 4], dtype: .float32)),
            ("f64", try Tensor(floats + [.nan], shape: [13], dtype: .float64)),
            ("i64", try Tensor(ints, shape: [2, 1, 3], dtype: .int64)),
            ("bool", try Tensor([1, 0, 0, 1, 1], shape: [5], dtype: .bool)),
            ("scalar", try Tensor([2.5], shape: [], dtype: .float32)),
            ("empty", try Tensor.zeros([0, 3], dtype: .int64)),
            ("view", try Tensor(floats, shape: [3, 4], dtype: .float32).transpose(0, 1)),
        ]
    }

    static func expectSame(_ a: Tensor?, _ b: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let a else {
            Issue.record("tensor '\(name)' is missing", sourceLocation: sourceLocation)
            return
        }
        #expect(a.shape == b.shape && a.dtype == b.dtype, "\(name)", sourceLocation: sourceLocation)
        #expect(try a.contiguousBytes() == b.contiguousBytes(), "\(name)", sourceLocation: sourceLocation)
    }

    @Test func safetensorsRoundTripsEveryDtypeAndMetadata() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/model.safetensors"
            let tensors = try Self.samples()
            try SafeTensors.save(tensors, metadata: ["format": "pt", "note": "quote \" and\nnewline ✓"], to: path)
            let loaded = try SafeTensors.load(path)
            #expect(loaded.tensors.count == tensors.count)
            for (name, t) in tensors { try Self.expectSame(loaded.tensors[name], t, name) }
            #expect(loaded.metadata == ["format": "pt", "note": "quote \" and\nnewline ✓"])
        }
    }

    @Test func safetensorsHeaderIsAlignedAndWithoutMetadataIsEmpty() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/w.safetensors"
            try SafeTensors.save(["b": try Tensor([1, 2, 3], shape: [3]), "a": try Tensor.ones([2, 2], dtype: .float64)], to: path)
            let bytes = try FileIO.read(path)
            let length = try #require(bytes.integer(UInt64.self, at: 0))
            #expect(length % 8 == 0)
            let header = String(decoding: bytes[8..<8 + Int(length)], as: UTF8.self)
            #expect(header.hasPrefix("{\"a\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},\"b\":"))
            let loaded = try SafeTensors.load(path)
            #expect(loaded.metadata.isEmpty && loaded.tensors.count == 2)
        }
    }

    @Test func npyRoundTripsEveryDtype() throws {
        try withTemporaryDirectory { dir in
            for (name, t) in try Self.samples() {
                let path = "\(dir)/\(name).npy"
                try NPY.save(t, to: path)
                try Self.expectSame(try NPY.load(path), t, name)
                // NumPy's layout: the data starts on a 64-byte boundary after a '\n'-ended header.
                let bytes = try FileIO.read(path)
                let start = 10 + Int(try #require(bytes.integer(UInt16.self, at: 8)))
                #expect(start % 64 == 0 && bytes[start - 1] == 0x0A)
            }
        }
    }

    @Test(arguments: [false, true]) func npzRoundTripsStoredAndCompressed(_ compressed: Bool) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/arrays.npz"
            let tensors = try Self.samples()
            try NPZ.save(tensors, compressed: compressed, to: path)
            let loaded = try NPZ.load(path)
            #expect(loaded.count == tensors.count)
            for (name, t) in tensors { try Self.expectSame(loaded[name], t, name) }
        }
    }

    @Test func compressionShrinksRedundantData() throws {
        try withTemporaryDirectory { dir in
            let zeros = try Tensor.zeros([256, 256])
            try NPZ.save(["z": zeros], compressed: false, to: dir + "/a.npz")
            try NPZ.save(["z": zeros], compressed: true, to: dir + "/b.npz")
            let stored = try FileIO.read(dir + "/a.npz").count, deflated = try FileIO.read(dir + "/b.npz").count
            #expect(stored > 256 * 256 * 4 && deflated < stored / 50)
            try Self.expectSame(try NPZ.load(dir + "/b.npz")["z"], zeros, "z")
        }
    }

    @Test func writesAreAtomicAndLeaveNoTemporaryFiles() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/ckpt.safetensors"
            try SafeTensors.save(["w": try Tensor.ones([4])], to: path)
            try SafeTensors.save(["w": try Tensor.zeros([8])], to: path)
            #expect(try SafeTensors.load(path).tensors["w"]?.shape == [8])
            // A failed save (a symbolic tensor has no bytes) leaves the old file as it was.
            let before = try FileIO.read(path)
            #expect(throws: TensorError.self) {
                try SafeTensors.save(["w": Tensor.symbolic(shape: [3], dtype: .float32)], to: path)
            }
            #expect(try FileIO.read(path) == before)
            try NPY.save(try Tensor.ones([2]), to: dir + "/a.npy")
            try NPZ.save(["a": try Tensor.ones([2])], to: dir + "/a.npz")
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            #expect(names == ["a.npy", "a.npz", "ckpt.safetensors"])
        }
    }

    @Test func savingIntoAMissingDirectoryIsAnError() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/no/such/dir/x.npy"
            #expect(throws: IOError(.notFound, path, "cannot create a temporary file beside it: No such file or directory")) {
                try NPY.save(try Tensor.ones([1]), to: path)
            }
        }
    }

    @Test func duplicateOrReservedNamesAreRefused() throws {
        try withTemporaryDirectory { dir in
            let t = try Tensor.ones([1])
            #expect(throws: TensorError.value("SafeTensors.save: the tensor name 'a' is given twice")) {
                try SafeTensors.save([("a", t), ("a", t)], to: dir + "/x.safetensors")
            }
            #expect(throws: TensorError.value("SafeTensors.save: '__metadata__' is reserved and cannot name a tensor")) {
                try SafeTensors.save([("__metadata__", t)], to: dir + "/x.safetensors")
            }
            #expect(throws: TensorError.value("NPZ.save: the array name 'a' is given twice")) {
                try NPZ.save([("a", t), ("a", t)], to: dir + "/x.npz")
            }
        }
    }
}
