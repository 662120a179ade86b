import Foundation

/// `import os`: the few `os.path` functions a notebook needs to check the files it writes
/// (a saved checkpoint, an exported Chrome trace) with Python's names.
enum OSModule {
    static func install(into interp: Interpreter) {
        let path = Namespace("os.path")
        path.add("exists", .object(BuiltinFunction("exists", "exists(path)", "True when the path names an existing file or directory.") { a, _ in
            .bool(FileManager.default.fileExists(atPath: try BoundArguments(a, "exists", ["path"], required: 1).string(0, "")))
        }))
        path.add("getsize", .object(BuiltinFunction("getsize", "getsize(path)", "The size of a file in bytes.") { a, _ in
            let name = try BoundArguments(a, "getsize", ["path"], required: 1).string(0, "")
            guard let size = (try? FileManager.default.attributesOfItem(atPath: name))?[.size] as? NSNumber else {
                throw ScriptError(.os, "getsize: cannot read '\(name)': no such file or not accessible")
            }
            return .int(size.intValue)
        }))
        let os = Namespace("os")
        os.add("path", .object(path))
        interp.defineModule("os", .object(os))
        interp.defineModule("os.path", .object(path))
    }
}
