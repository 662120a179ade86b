import Foundation

/// Why a theme could not be used; the message says what to fix.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ message: String) { description = message }
}

/// Reads theme files: `themes/NAME.toml` found next to the repository or the binary (or a path
/// given directly), validated so a typo is an error that names the file, key and value.
///
/// ```toml
/// name = "dark"
/// [roles]           # one entry per Role: "[bold|dim|reverse|underline] FG [on BG]"
/// text = "252"
/// status = "bold 16 on 39"
/// [series]
/// colors = ["39", "208", "114"]
/// ```
public enum ThemeLoader {
    /// Directories searched for `NAME.toml`, first match wins.
    public static func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let d = environment["DUET_THEMES"], !d.isEmpty { dirs.append(d) }
        dirs.append(FileManager.default.currentDirectoryPath + "/themes")
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(exe.appendingPathComponent("../../themes").standardized.path)
        dirs.append(exe.appendingPathComponent("../share/duet/themes").standardized.path)
        return dirs
    }

    /// The names of the themes found in the search directories.
    public static func available(in dirs: [String] = searchDirectories()) -> [String] {
        Array(Set(dirs.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }
        })).sorted()
    }

    /// Loads a theme by name (searched) or by path (containing `/` or ending in `.toml`).
    public static func load(_ nameOrPath: String, dirs: [String] = searchDirectories()) throws -> Theme {
        let path: String
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            path = nameOrPath
        } else if let found = dirs.map({ $0 + "/" + nameOrPath + ".toml" }).first(where: { FileManager.default.fileExists(atPath: $0) }) {
            path = found
        } else {
            let names = available(in: dirs)
            throw ThemeError("theme '\(nameOrPath)' not found" + (names.isEmpty ? " (no themes/ directory found)" : "; available: " + names.joined(separator: ", ")))
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ThemeError("theme file '\(path)' not found or not readable") }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Theme {
        let table: [String: TOMLSubset.Value]
        do { table = try TOMLSubset.parse(text) } catch let e as TOMLSubset.ParseError { throw ThemeError("\(file): \(e)") }
        for key in table.keys where !(key == "name" || key == "series.colors" || (key.hasPrefix("roles.") && Role(rawValue: String(key.dropFirst(6))) != nil)) {
            throw ThemeError("\(file): unknown key '\(key)' (roles are: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let missing = Role.allCases.filter { table["roles." + $0.rawValue] == nil }.map { "roles." + $0.rawValue }
            + (table["series.colors"] == nil ? ["series.colors"] : [])
        guard missing.isEmpty else { throw ThemeError("\(file): missing key\(missing.count == 1 ? "" : "s") " + missing.joined(separator: ", ")) }
        var styles: [Role: Style] = [:]
        for role in Role.allCases {
            guard case .string(let spec)? = table["roles." + role.rawValue] else { throw ThemeError("\(file): roles.\(role.rawValue) must be a string") }
            styles[role] = try style(spec, key: "roles." + role.rawValue, file: file)
        }
        guard case .array(let names)? = table["series.colors"], !names.isEmpty else { throw ThemeError("\(file): series.colors must be a non-empty array of colours") }
        let series = try names.map { try color($0, key: "series.colors", file: file) }
        var name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if case .string(let n)? = table["name"] { name = n }
        return Theme(name: name, styles: styles, series: series)
    }

    /// `"[bold|dim|reverse|underline]... FG [on BG]"`.
    static func style(_ spec: String, key: String, file: String) throws -> Style {
        var s = Style()
        var words = spec.split(separator: " ").map(String.init)
        while let w = words.first, ["bold", "dim", "reverse", "underline"].contains(w) {
            switch w {
            case "bold": s.bold = true
            case "dim": s.dim = true
            case "reverse": s.reverse = true
            default: s.underline = true
            }
            words.removeFirst()
        }
        guard let fg = words.first else { throw ThemeError("\(file): \(key) = \"\(spec)\" names no colour") }
        s.fg = try color(fg, key: key, file: file)
        if words.count == 3, words[1] == "on" {
            s.bg = try color(words[2], key: key, file: file)
        } else if words.count != 1 {
            throw ThemeError("\(file): \(key) = \"\(spec)\" should be \"[bold] FG [on BG]\"")
        }
        return s
    }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// `default`, a basic name (`red`, `bright-red`), an xterm index `0`–`255`, or `#rrggbb`.
    static func color(_ text: String, key: String, file: String) throws -> TermColor {
        if text == "default" { return .default }
        if let i = names.firstIndex(of: text) { return .indexed(UInt8(i)) }
        if text.hasPrefix("bright-"), let i = names.firstIndex(of: String(text.dropFirst(7))) { return .indexed(UInt8(i + 8)) }
        if let i = Int(text), (0...255).contains(i) { return .indexed(UInt8(i)) }
        if text.hasPrefix("#"), text.count == 7, let v = Int(text.dropFirst(), radix: 16) {
            return .indexed(Palette.nearest256(v >> 16, (v >> 8) & 255, v & 255))
        }
        throw ThemeError("\(file): \(key): unknown colour '\(text)' (use default, a name such as red or bright-red, 0-255, or #rrggbb)")
    }
}
