import ArgumentParser
import DoralakeCore
import DoralakeServer
import DoralakeStore

/// `doralake webhook …`: manage connections directly on the database.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Create, list, delete webhook connections and rotate their keys.",
        subcommands: [Create.self, List.self, Delete.self, RotateKey.self])

    /// Selects a connection by id or name.
    struct Target: ParsableArguments {
        @Option(help: "Connection id.") var id: Int64?
        @Option(help: "Connection name.") var name: String?

        func resolve(_ store: Store) async throws -> ConnectionRecord {
            let found: ConnectionRecord?
            if let id {
                found = try await store.connection(id: id)
            } else if let name {
                found = try await store.connection(named: name)
            } else {
                throw ValidationError("give --id or --name")
            }
            guard let found else { throw ValidationError("connection not found: \(id.map(String.init) ?? name ?? "")") }
            return found
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a connection; prints its JSON with the key (shown only once).")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Connection name (1–100 characters, no '/').") var name: String

        func run() async throws {
            let environment = Environment()
            let logger = try options.logger(environment)
            if let problem = NameRules.problem(with: name, limit: NameRules.connectionNameLimit) {
                throw ValidationError("name: \(problem)")
            }
            let (store, hasher, _) = try await options.openStore(environment, logger: logger)
            let name = self.name
            let output = try await store.withRunningWriter {
                let plaintext = APIKeyGenerator.generate()
                let connection = try await store.createConnection(
                    name: name, keyHash: hasher.hash(plaintext), expiredAt: nil)
                return ConnectionOutput.json(connection, plaintextKey: plaintext)
            }
            print(output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connections as JSON.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let environment = Environment()
            let logger = try options.logger(environment)
            let (store, _, _) = try await options.openStore(environment, logger: logger)
            let output = try await store.withRunningWriter {
                let connections = try await store.connections()
                return ConnectionOutput.list(connections)
            }
            print(output)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a connection with its key and all data posted through it.")
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var target: Target

        func run() async throws {
            let environment = Environment()
            let logger = try options.logger(environment)
            let (store, _, _) = try await options.openStore(environment, logger: logger)
            let target = self.target
            let output = try await store.withRunningWriter {
                let connection = try await target.resolve(store)
                let counts = try await store.deleteConnection(id: connection.id)
                return
                    "deleted connection \(connection.id) (\(connection.name)): \(counts.deployments) deployments, \(counts.deploymentCommits) deployment commits, \(counts.issues) issues, \(counts.pullRequests) pull requests, \(counts.commits) commits"
            }
            print(output)
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key", abstract: "Replace a connection's key; prints the new key JSON (shown only once).")
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var target: Target

        func run() async throws {
            let environment = Environment()
            let logger = try options.logger(environment)
            let (store, hasher, _) = try await options.openStore(environment, logger: logger)
            let target = self.target
            let output = try await store.withRunningWriter {
                let connection = try await target.resolve(store)
                let plaintext = APIKeyGenerator.generate()
                let key = try await store.rotateConnectionKey(
                    connectionId: connection.id, keyHash: hasher.hash(plaintext), expiredAt: nil)
                return ConnectionOutput.key(key, plaintext: plaintext)
            }
            print(output)
        }
    }
}
