import ArgumentParser

/// The `duet` command line: one subcommand per file; add new ones to `subcommands`. With no
/// subcommand, `duet` opens the workbench.
@main
struct Duet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duet",
        abstract: "Duet: a deep-learning workbench for the terminal — eager and graph, side by side",
        subcommands: [TUICommand.self, DoctorCommand.self, DemoCommand.self, BenchCommand.self, RunCommand.self, ReplCommand.self, FuzzCommand.self,
                      PredictCommand.self, ServeCommand.self, WorkerCommand.self],
        defaultSubcommand: TUICommand.self)
}
