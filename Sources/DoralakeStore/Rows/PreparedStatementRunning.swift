import PostgresNIO
import SQLKit

/// A database that runs PostgresNIO prepared statements: parsed and planned once per connection
/// rather than on every execution. Used for the few fixed statements every request runs (an
/// unnamed statement costs PostgreSQL about 0.3 ms to parse and plan, more than it takes to run).
protocol PreparedStatementRunning: SQLDatabase {
    /// The rows of `statement`, or nil when this database cannot run prepared statements.
    func runPrepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row]?
}

extension SQLDatabase {
    /// The rows of `statement` when this database runs prepared statements (PostgreSQL); nil
    /// otherwise, and the caller reads through SQLKit instead.
    func prepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row]? {
        guard let runner = self as? any PreparedStatementRunning else { return nil }
        return try await runner.runPrepared(statement)
    }
}
