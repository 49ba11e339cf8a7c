import ArgumentParser
import DoralakeCore
import DoralakeServer
import DoralakeStore

/// `doralake project …`: manage projects directly on the database.
struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Create and list projects, attach and detach connections.",
        subcommands: [Create.self, List.self, Attach.self, Detach.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a project with its connections.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Project name (1–88 characters, no '/').") var name: String
        @Option(name: .customLong("connection"), help: "Connection id to attach (repeatable).") var connections: [Int64] = []

        func run() async throws {
            if let problem = NameRules.problem(with: name, limit: NameRules.projectNameLimit) {
                throw ValidationError("name: \(problem)")
            }
            let environment = Environment()
            let (store, _, _) = try await options.openStore(environment, logger: try options.logger(environment))
            let (name, connections) = (self.name, self.connections)
            let project = try await store.withRunningWriter {
                try await store.createProject(name: name, connectionIds: connections)
            }
            print(ProjectOutput.line(project))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List projects and their connections.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let environment = Environment()
            let (store, _, _) = try await options.openStore(environment, logger: try options.logger(environment))
            let projects = try await store.withRunningWriter { try await store.projects() }
            if projects.isEmpty { print("no projects") }
            for project in projects { print(ProjectOutput.line(project)) }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach connections to a project (idempotent).")
        @OptionGroup var target: MembershipChange

        func run() async throws { try await target.apply(attach: true) }
    }

    struct Detach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Detach connections from a project.")
        @OptionGroup var target: MembershipChange

        func run() async throws { try await target.apply(attach: false) }
    }

    /// The arguments of `attach` and `detach`, and the change itself.
    struct MembershipChange: ParsableArguments {
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Project name.") var name: String
        @Option(name: .customLong("connection"), help: "Connection id (repeatable).") var connections: [Int64]

        func apply(attach: Bool) async throws {
            let environment = Environment()
            let (store, _, _) = try await options.openStore(environment, logger: try options.logger(environment))
            let (name, connections) = (self.name, self.connections)
            let project = try await store.withRunningWriter {
                var project: ProjectRecord? = nil
                for id in connections {
                    project =
                        attach
                        ? try await store.attach(connectionId: id, toProject: name)
                        : try await store.detach(connectionId: id, fromProject: name)
                }
                return project
            }
            if let project { print(ProjectOutput.line(project)) }
        }
    }
}

/// One readable line per project.
enum ProjectOutput {
    static func line(_ project: ProjectRecord) -> String {
        let connections = project.connectionIds.map(String.init).joined(separator: ",")
        return "\(project.name)\tconnections: \(connections.isEmpty ? "-" : connections)\tkey: \(project.apiKey == nil ? "no" : "yes")"
    }
}
