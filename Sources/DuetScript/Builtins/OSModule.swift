import Foundation

/// `import os`: the few `os.path` functions a notebook needs to check the files it writes
/// (a saved checkpoint, an exported Chrome trace) with Python's names.
enum OSModule {
    static func install(into interp: Interpreter) {
        let path = Namespace("os.path")
        path.function("exists(path)", "True when the path names an existing file or directory.") { b, _ in
            .bool(FileManager.default.fileExists(atPath: try b.string("path")))
        }
        path.function("getsize(filename)", "The size of a file in bytes.") { b, _ in
            let name = try b.string("filename")
            guard let size = (try? FileManager.default.attributesOfItem(atPath: name))?[.size] as? NSNumber else {
                throw ScriptError(.os, "getsize: cannot read '\(name)': no such file or not accessible")
            }
            return .int(size.intValue)
        }
        let os = Namespace("os")
        os.add("path", .object(path))
        interp.defineModule("os", .object(os))
        interp.defineModule("os.path", .object(path))
    }
}
