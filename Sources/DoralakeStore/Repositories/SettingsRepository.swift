import SQLKit

/// Small named values kept in the database (e.g. the admin token's hash).
struct SettingsRepository {
    let db: any SQLDatabase

    func value(_ name: String) async throws -> String? {
        try await db.raw("SELECT value FROM settings WHERE name = \(bind: name)").first()?.decode(
            column: "value", as: String.self)
    }

    func set(_ name: String, _ value: String) async throws {
        try await db.raw(
            "INSERT INTO settings (name, value) VALUES (\(bind: name), \(bind: value)) ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        ).run()
    }

    func delete(_ name: String) async throws {
        try await db.raw("DELETE FROM settings WHERE name = \(bind: name)").run()
    }
}
