import ArgumentParser

@main
struct LabSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labsearch",
        abstract: "The search and indexing engine of the Lab Event CRM.",
        subcommands: [
            Serve.self, TenantCommand.self, KeyCommand.self,
            DemoDataCommand.self, LoadCommand.self, SearchCommand.self, ReindexCommand.self, CompactCommand.self, CheckCommand.self, StatsCommand.self,
            ImportTemplateCommand.self, ImportCommand.self, ExportCommand.self, ExportProbeCommand.self, ListCommand.self, UserCommand.self,
            BackupCommand.self, RestoreCommand.self,
        ]
    )
}
