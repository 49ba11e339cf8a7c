import SQLKit

@testable import DoralakeStore

/// A database that forwards to another through SQLKit alone: it is neither a
/// `TupleReadingDatabase` nor a `PreparedStatementRunning`, so the store's reads take their
/// portable path on it. Tests compare that path with the driver's direct one.
struct SQLKitOnlyDatabase: ForwardingDatabase {
    let base: any SQLDatabase
}
