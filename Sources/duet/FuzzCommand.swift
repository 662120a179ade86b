import ArgumentParser
import Foundation
import DuetScript

/// `duet fuzz`: runs seeded mutants of the given programs, each in a fresh interpreter with a
/// step and time budget, and fails (exit 1, printing the mutant) on anything but a result or a
/// located Duet error. `make test` runs it in batches; a batch that dies by a signal is replayed
/// with `--only` one index at a time, so the crash names its input (docs/language.md, "Limits").
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Run seeded mutants of Duet programs and report any that crash or fail without a located error.")

    @Argument(help: "Programs to mutate: .duet notebooks (split into cells), .py scripts, or folders of them.")
    var sources: [String]

    @Option(help: "The stream's seed.")
    var seed: UInt64 = 1

    @Option(help: "The first mutant's index.")
    var start = 0

    @Option(help: "How many mutants to run.")
    var count = 200

    @Option(help: "Run only this mutant (replaying a failure).")
    var only: Int?

    @Option(help: "Steps each mutant may run.")
    var steps = 20_000

    @Option(help: "Seconds each mutant may run.")
    var seconds = 2.0

    @Flag(help: "Print each mutant's index and outcome.")
    var verbose = false

    func run() throws {
        let programs = try FuzzSources.load(sources)
        guard !programs.isEmpty else { throw ValidationError("no programs found in \(sources.joined(separator: " "))") }
        // Mutants may write files (save, save_logs): keep them out of the caller's folder.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("duet-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        FileManager.default.changeCurrentDirectoryPath(scratch.path)
        let mutator = Mutator(programs: programs)
        var tally: [String: Int] = [:]
        let indices = only.map { [$0] } ?? Array(start..<(start + max(count, 0)))
        for i in indices {
            let program = mutator.mutant(seed: seed, index: i)
            let outcome = FuzzRun.run(program, steps: steps, seconds: seconds)
            if verbose { Console.write("\(i) \(outcome)\n") }
            switch outcome {
            case .completed: tally["completed", default: 0] += 1
            case .scriptError: tally["errors", default: 0] += 1
            case .limit: tally["limits", default: 0] += 1
            case .failure(let why):
                Console.error("duet fuzz: seed \(seed) mutant \(i): \(why)\n--- program ---\n\(program)\n---\n")
                throw ExitCode(1)
            }
        }
        Console.write("fuzz seed \(seed): \(indices.count) mutants, \(tally["completed", default: 0]) completed, \(tally["errors", default: 0]) located errors, \(tally["limits", default: 0]) stopped by a limit, 0 failures\n")
    }
}

/// The programs a fuzz run starts from: notebook cells (without their `#>` expectations) and
/// whole scripts.
enum FuzzSources {
    static func load(_ paths: [String]) throws -> [String] {
        var programs: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isFolder) else { throw ValidationError("no such file or folder: \(path)") }
            let files = isFolder.boolValue
                ? (try fm.contentsOfDirectory(atPath: path)).sorted().map { (path as NSString).appendingPathComponent($0) }
                : [path]
            for file in files where file.hasSuffix(".duet") || file.hasSuffix(".py") {
                guard let text = fm.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                if file.hasSuffix(".duet") {
                    programs += text.components(separatedBy: "\n# %%").map { cell in
                        cell.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#>") }.joined(separator: "\n")
                    }
                } else {
                    programs.append(text)
                }
            }
        }
        return programs
    }
}
