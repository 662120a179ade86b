import Foundation
import Testing
import DuetTestSupport
@testable import DuetNN
import DuetTensor

/// Files cross between Duet and Python (numpy, safetensors in `.build-venv`) unchanged: Python
/// reports each array as dtype, shape and the hex of its raw little-endian bytes, which must
/// equal Duet's bytes exactly.
@Suite struct InteropPythonTests {
    private struct Reported {
        let dtype: String
        let shape: [Int]
        let hex: String
    }

    /// Python's helper: `report(arrays, path)` writes {name: {dtype, shape, hex}} as JSON.
    private static let prelude = """
        import json, sys
        import numpy as np
        def report(arrays, path, extra=None):
            out = {k: {'dtype': str(a.dtype), 'shape': list(a.shape),
                       'hex': np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<')).tobytes().hex()}
                   for k, a in arrays.items()}
            if extra is not None:
                out['__extra__'] = extra
            with open(path, 'w') as f:
                json.dump(out, f)

        """

    private func readReport(_ path: String) throws -> (arrays: [String: Reported], extra: JSON?) {
        guard case .object(let members) = try JSON.parse(try FileIO.read(path)[...]) else {
            throw PythonEnv.Failure(description: "the report is not a JSON object")
        }
        var arrays: [String: Reported] = [:]
        var extra: JSON?
        for (name, value) in members {
            if name == "__extra__" { extra = value; continue }
            guard case .object(let fields) = value,
                  let dtype = fields.first(where: { $0.key == "dtype" })?.value.string,
                  case .array(let dims)? = fields.first(where: { $0.key == "shape" })?.value,
                  let hex = fields.first(where: { $0.key == "hex" })?.value.string else {
                throw PythonEnv.Failure(description: "bad report entry for \(name)")
            }
            arrays[name] = Reported(dtype: dtype, shape: dims.compactMap(\.count), hex: hex)
        }
        return (arrays, extra)
    }

    private func numpyName(_ dtype: DType) -> String {
        switch dtype {
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .float32: "float32"
        case .float64: "float64"
        case .int64: "int64"
        case .bool: "bool"
        }
    }

    private func expectReported(_ report: [String: Reported], matches tensors: [(String, Tensor)], _ context: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(report.count == tensors.count, "\(context)", sourceLocation: sourceLocation)
        for (name, t) in tensors {
            guard let r = report[name] else {
                Issue.record("\(context): Python did not see '\(name)'", sourceLocation: sourceLocation)
                continue
            }
            #expect(r.dtype == numpyName(t.dtype) && r.shape == t.shape, "\(context) \(name): \(r.dtype)\(r.shape)", sourceLocation: sourceLocation)
            #expect(r.hex == hexString(try t.contiguousBytes()), "\(context) \(name): bytes differ", sourceLocation: sourceLocation)
        }
    }

    @Test func pythonReadsDuetsSafetensors() throws {
        try PythonEnv.require()
        try withTemporaryDirectory { dir in
            let tensors = try IORoundTripTests.samples()
            try SafeTensors.save(tensors, metadata: ["epoch": "3", "note": "ünïcode \"quoted\""], to: dir + "/m.safetensors")
            try PythonEnv.run(Self.prelude + """
                from safetensors import safe_open
                from safetensors.numpy import load_file
                with safe_open(sys.argv[1], framework='np') as f:
                    meta = f.metadata()
                report(load_file(sys.argv[1]), sys.argv[2], meta)
                """, [dir + "/m.safetensors", dir + "/report.json"])
            let (report, extra) = try readReport(dir + "/report.json")
            try expectReported(report, matches: tensors, "safetensors")
            guard case .object(let meta)? = extra else {
                Issue.record("no metadata reported")
                return
            }
            #expect(meta.count == 2)
            #expect(meta.first { $0.key == "note" }?.value.string == "ünïcode \"quoted\"")
            #expect(meta.first { $0.key == "epoch" }?.value.string == "3")
        }
    }

    @Test func pythonReadsDuetsNpyAndNpz() throws {
        try PythonEnv.require()
        try withTemporaryDirectory { dir in
            let tensors = try IORoundTripTests.samples()
            for (name, t) in tensors { try NPY.save(t, to: "\(dir)/\(name).npy") }
            try NPZ.save(tensors, to: dir + "/stored.npz")
            try NPZ.save(tensors, compressed: true, to: dir + "/deflated.npz")
            let names = tensors.map(\.0)
            try PythonEnv.run(Self.prelude + """
                d = sys.argv[1]
                names = sys.argv[2:]
                report({n: np.load(f'{d}/{n}.npy') for n in names}, f'{d}/npy.json')
                for kind in ['stored', 'deflated']:
                    with np.load(f'{d}/{kind}.npz') as z:
                        report({n: z[n] for n in z.files}, f'{d}/{kind}.json')
                """, [dir] + names)
            for kind in ["npy", "stored", "deflated"] {
                try expectReported(try readReport("\(dir)/\(kind).json").arrays, matches: tensors, kind)
            }
        }
    }

    /// Python writes every format (safetensors, np.save, np.savez, np.savez_compressed) with
    /// dtypes Duet keeps and ones it widens; it reports each array as Duet should hold it.
    @Test func duetReadsWhatPythonWrites() throws {
        try PythonEnv.require()
        try withTemporaryDirectory { dir in
            try PythonEnv.run(Self.prelude + """
                from safetensors.numpy import save_file
                d = sys.argv[1]
                rng = np.random.default_rng(0)
                a = {
                    'f32': rng.standard_normal((3, 4)).astype(np.float32),
                    'f64': np.array([0.1, -0.0, np.inf, -np.inf, 5e-324, 1.7e308]),
                    'i64': np.array([[-2**63, 2**63 - 1], [0, -1]], dtype=np.int64),
                    'bool': np.array([True, False, True]),
                    'i32': np.array([-2**31, 7, 2**31 - 1], dtype=np.int32),
                    'u8': np.arange(250, 256, dtype=np.uint8).reshape(2, 3),
                    'f16': np.array([1.5, -65504, 6e-8, np.inf], dtype=np.float16),
                    'scalar': np.array(3.25, dtype=np.float32),
                    'empty': np.zeros((0, 3), dtype=np.float32),
                }
                save_file(a, f'{d}/py.safetensors', metadata={'source': 'numpy'})
                np.savez(f'{d}/py.npz', **a)
                np.savez_compressed(f'{d}/pyc.npz', **a)
                for k, v in a.items():
                    np.save(f'{d}/{k}.npy', v)
                np.save(f'{d}/fortran.npy', np.asfortranarray(a['f32']))
                np.save(f'{d}/big.npy', a['f32'].astype('>f4'))
                widen = {'i32': np.int64, 'u8': np.int64}
                expected = {k: v.astype(widen.get(k, v.dtype)) for k, v in a.items()}
                expected['fortran'] = a['f32']
                expected['big'] = a['f32']
                report(expected, f'{d}/expected.json')
                """, [dir])
            let expected = try readReport(dir + "/expected.json").arrays
            func expectMatches(_ name: String, _ t: Tensor?, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
                guard let t, let e = expected[name] else {
                    Issue.record("\(context): '\(name)' is missing", sourceLocation: sourceLocation)
                    return
                }
                #expect(numpyName(t.dtype) == e.dtype && t.shape == e.shape, "\(context) \(name)", sourceLocation: sourceLocation)
                #expect(hexString(try t.contiguousBytes()) == e.hex, "\(context) \(name): bytes differ", sourceLocation: sourceLocation)
            }
            let arrayNames = ["f32", "f64", "i64", "bool", "i32", "u8", "f16", "scalar", "empty"]
            let safetensors = try SafeTensors.load(dir + "/py.safetensors")
            #expect(safetensors.metadata == ["source": "numpy"])
            for (context, arrays) in [("safetensors", safetensors.tensors), ("npz", try NPZ.load(dir + "/py.npz")),
                                      ("npz compressed", try NPZ.load(dir + "/pyc.npz"))] {
                #expect(arrays.count == arrayNames.count, "\(context)")
                for name in arrayNames { try expectMatches(name, arrays[name], context) }
            }
            for name in arrayNames + ["fortran", "big"] {
                try expectMatches(name, try NPY.load("\(dir)/\(name).npy"), "npy")
            }
        }
    }
}
