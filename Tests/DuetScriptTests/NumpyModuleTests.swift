import Foundation
import Testing
@testable import DuetScript

/// `import numpy as np`: tensors through `.npy` and `.npz` files and back, NpzFile's mapping and
/// context protocols, and errors that name the file for every bad input.
@Suite struct NumpyModuleTests {
    /// A fresh directory for one test's files (tests run in parallel), removed afterwards.
    private func inDirectory(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duet-np-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    /// One tensor of every dtype NumPy shares with Duet, with edge values, a 0-dim and an empty one.
    private static let samples = """
        import numpy as np
        import torch
        samples = {
            "f16": torch.tensor([1.5, -65504.0, 0.0009765625], dtype=torch.float16),
            "f32": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 7,
            "f64": torch.tensor([0.1, -0.0, 1e300, float("inf")], dtype=torch.float64),
            "i64": torch.tensor([[-2**52, 7], [0, 2**52]]),
            "b": torch.tensor([True, False, True]),
            "scalar": torch.tensor(3.25),
            "empty": torch.zeros(0, 3),
        }

        """

    @Test func everyDtypeRoundTripsThroughNpy() throws {
        try inDirectory { d in
            let printed = try output(Self.samples + """
                for name, t in samples.items():
                    np.save(f"\(d)/{name}", t)
                    back = np.load(f"\(d)/{name}.npy")
                    print(name, back.dtype == t.dtype, back.shape == t.shape, torch.equal(back, t))
                """)
            #expect(printed == ["f16", "f32", "f64", "i64", "b", "scalar", "empty"].map { "\($0) True True True\n" }.joined())
        }
    }

    @Test func everyDtypeRoundTripsThroughNpz() throws {
        try inDirectory { d in
            let printed = try output(Self.samples + """
                for save in [np.savez, np.savez_compressed]:
                    save(f"\(d)/all", **samples)
                    with np.load(f"\(d)/all.npz") as f:
                        print(all(f[k].dtype == t.dtype and torch.equal(f[k], t) for k, t in samples.items()), len(f))
                """)
            #expect(printed == "True 7\nTrue 7\n")
        }
    }

    @Test func npzFileIsAMappingAndAContext() throws {
        try inDirectory { d in
            let printed = try output("""
                import numpy as np
                import torch
                p = "\(d)/m.npz"
                np.savez(p, torch.ones(2), [1, 2, 3], w=torch.zeros(1, 2))
                with np.load(p) as f:
                    print(f.files, len(f), "w" in f, "x" in f, "arr_1.npy" in f, list(f))
                    print(f.keys(), [n for n, a in f.items()], len(f.values()))
                    print(f["arr_1"], f.f.w, f.get("x", 7))
                    print(f)
                f = np.load(p)
                f.close()
                print(type(f).__name__, f["w"].shape)
                try:
                    f["nothing"]
                except KeyError as e:
                    print(repr(e))
                np.savez(p, *[torch.tensor(i) for i in range(12)])
                print([int(a) for a in np.load(p).values()] == list(range(12)))
                np.savez(p)
                print(len(np.load(p)))
                """)
            #expect(printed == """
                ['arr_0', 'arr_1', 'w'] 3 True False True ['arr_0', 'arr_1', 'w']
                ['arr_0', 'arr_1', 'w'] ['arr_0', 'arr_1', 'w'] 3
                tensor([1, 2, 3]) tensor([[0., 0.]]) 7
                NpzFile '\(d)/m.npz' with keys: arr_0, arr_1, w
                NpzFile torch.Size([1, 2])
                KeyError('nothing is not a file in the archive')
                True
                0

                """)
        }
    }

    @Test func extensionsAreAddedOnlyWhenMissing() throws {
        try inDirectory { d in
            let printed = try output("""
                import numpy as np
                import os
                np.save("\(d)/a", [1.0])
                np.save("\(d)/b.npy", [1.0])
                np.savez("\(d)/c", x=[1])
                np.savez_compressed("\(d)/e.npz", x=[1])
                print([os.path.exists("\(d)/" + n) for n in ["a.npy", "b.npy", "b.npy.npy", "c.npz", "e.npz", "e.npz.npz"]])
                """)
            #expect(printed == "[True, True, False, True, True, False]\n")
        }
    }

    @Test func loadTellsTheKindByMagicBytesNotTheName() throws {
        try inDirectory { d in
            _ = try output("import numpy as np\nnp.savez('\(d)/z.npz', a=[1, 2])\nnp.save('\(d)/y.npy', [3.5])")
            try FileManager.default.moveItem(atPath: d + "/z.npz", toPath: d + "/z.npy")
            try FileManager.default.moveItem(atPath: d + "/y.npy", toPath: d + "/y.npz")
            #expect(try output("import numpy as np\nprint(np.load('\(d)/z.npy')['a'], np.load('\(d)/y.npz'))") == "tensor([1, 2]) tensor([3.5000])\n")
        }
    }

    @Test func savezCompressedDeflates() throws {
        try inDirectory { d in
            let printed = try output("""
                import numpy as np
                import os
                import torch
                z = torch.zeros(1000, 100)
                np.savez("\(d)/stored", z=z)
                np.savez_compressed("\(d)/deflated", z=z)
                stored, deflated = os.path.getsize("\(d)/stored.npz"), os.path.getsize("\(d)/deflated.npz")
                print(stored > 400000, deflated < stored // 100, torch.equal(np.load("\(d)/deflated.npz")["z"], z))
                """)
            #expect(printed == "True True True\n")
        }
    }

    @Test func badFilesAreErrorsNamingTheFile() throws {
        try inDirectory { d in
            _ = try output("import numpy as np\nnp.save('\(d)/t.npy', [1.0, 2.0, 3.0])\nnp.savez('\(d)/t.npz', a=[1.0, 2.0])")
            for name in ["t.npy", "t.npz"] {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(d)/\(name)"))
                try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: "\(d)/short-\(name)"))
            }
            try Data("x,y\n1,2\n".utf8).write(to: URL(fileURLWithPath: d + "/data.npy"))
            try Data().write(to: URL(fileURLWithPath: d + "/empty.npy"))
            let missing = failure("import numpy as np\nnp.load('\(d)/missing.npy')")
            #expect(missing?.kind == .fileNotFound)
            #expect(missing?.message == "\(d)/missing.npy: cannot open: No such file or directory")
            let expected: [(String, String)] = [
                ("short-t.npy", "the header says shape [3] of '<f4' (12 bytes), but the file holds 7 bytes of data"),
                ("short-t.npz", "not a zip archive (no end of central directory record)"),
                ("data.npy", "neither a .npy file nor a .npz archive (it starts with neither \\x93NUMPY nor PK\\x03\\x04)"),
                ("empty.npy", "the file is empty, not a .npy file or a .npz archive"),
            ]
            for (name, reason) in expected {
                let e = failure("import numpy as np\nnp.load('\(d)/\(name)')")
                #expect(e?.kind == .os, "\(name)")
                #expect(e?.message.hasPrefix("\(d)/\(name): ") == true && e?.message.contains(reason) == true, "\(name): \(e?.message ?? "")")
            }
            #expect(try output("import numpy as np\ntry:\n    np.load('\(d)/missing.npz')\nexcept OSError as e:\n    print('OSError')") == "OSError\n")
            #expect(failure("import numpy as np\nimport torch\nnp.save('\(d)/h', torch.ones(2, dtype=torch.bfloat16))")?.message.contains("NumPy has no bfloat16") == true)
            #expect(failure("import numpy as np\nnp.savez('\(d)/k', [1], arr_0=[2])")?.message == "savez(): cannot use un-named variables and keyword arr_0")
            #expect(failure("import numpy as np\nnp.load('\(d)/t.npy', mmap_mode='r+')")?.kind == .value)
        }
    }

    @Test func numpyAndFromNumpyShareTheTensor() throws {
        let printed = try output("""
            import numpy as np
            import torch
            a = torch.zeros(3)
            t = torch.from_numpy(a)
            t[0] = 5
            w = torch.ones(2, requires_grad=True)
            n = w.detach().numpy()
            n[1] = 4
            print(a, w.data, w.numpy(force=True).requires_grad, torch.ones(2).numpy())
            """)
        #expect(printed == "tensor([5., 0., 0.]) tensor([1., 4.]) False tensor([1., 1.])\n")
        let e = failure("import torch\ntorch.ones(2, requires_grad=True).numpy()")
        #expect(e?.kind == .runtime)
        #expect(e?.message == "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        #expect(failure("import torch\ntorch.from_numpy([1, 2])")?.message == "expected np.ndarray (got list)")
    }

    @Test func arraysDtypesAndAllclose() throws {
        let printed = try output("""
            import numpy as np
            import torch
            t = torch.tensor([1.0, 2.0])
            a = np.asarray(t)
            a[0] = 9
            b = np.array(t)
            b[1] = 7
            print(t, np.asarray([1, 2], dtype=np.float32), np.array(3, dtype=np.float64).dtype, np.asarray([True]).dtype == np.bool_)
            print(np.float32 == torch.float32, np.int64, np.allclose(t, t + 1e-9), np.allclose([1.0], [1.1]), np.allclose(t, t + 1, atol=1.0))
            """)
        #expect(printed == """
            tensor([9., 2.]) tensor([1., 2.]) torch.float64 True
            True torch.int64 True False True

            """)
    }

    @Test func numpyIsImportableAsPythonCodeImportsIt() throws {
        #expect(try output("from numpy import savez_compressed, load\nimport numpy\nprint(numpy.save, load)")
            == "<built-in function save> <built-in function load>\n")
    }
}
