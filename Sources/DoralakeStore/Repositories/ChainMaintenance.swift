import DoralakeCore
import SQLKit

/// Keeps `prev_success_deployment_commit_id` (METRICS.md §4.2) correct around the rows a batch
/// writes, without reading whole chains: only the written rows and the rows right after written or
/// vacated positions can change, and their predecessors are found with indexed neighbour lookups —
/// all lookups of a batch in one ``KeyedLookup``, all updates in one statement per connection.
struct ChainMaintenance {
    let db: any SQLDatabase

    /// A deployment-commit row's place in its chain.
    struct Position: Sendable {
        var id: String
        var connectionId: Int64
        var repoUrl: String
        var environment: String
        var result: String
        var startedDate: Int64
        var finishedDate: Int64

        var key: String { "\(connectionId)\u{0}\(repoUrl)\u{0}\(environment)" }

        /// Chain order: finished, started, row id in byte order.
        static func precedes(_ a: Position, _ b: Position) -> Bool {
            if a.finishedDate != b.finishedDate { return a.finishedDate < b.finishedDate }
            if a.startedDate != b.startedDate { return a.startedDate < b.startedDate }
            return ByteOrder.precedes(a.id, b.id)
        }
    }

    /// The chain values after a batch.
    struct Plan {
        /// `prev` of each written row, by row id.
        var written: [String: String] = [:]
        /// Existing rows whose stored `prev` must change: (connection, row id, new prev).
        var updates: [(connectionId: Int64, id: String, previous: String)] = []
    }

    /// One neighbour lookup: the nearest existing eligible row before or after a position,
    /// ignoring rows the batch vacates.
    private struct Lookup {
        var position: Position
        var after: Bool
        var excluded: Set<String>
    }

    /// Plans the chain values for rows about to be written.
    ///
    /// For every written or vacated position, the nearest existing eligible rows before and after
    /// it are read; merging them with the written rows in chain order gives every written row its
    /// predecessor and every changed successor its new one.
    /// - Parameters:
    ///   - written: the rows the batch writes, at their new positions.
    ///   - vacated: the rows the batch replaces or deletes, at their old positions.
    func plan(written: [Position], vacated: [Position]) async throws -> Plan {
        var plan = Plan()
        for row in written where row.result != "SUCCESS" { plan.written[row.id] = "" }
        let writtenByKey = Dictionary(grouping: written.filter { $0.result == "SUCCESS" }, by: \.key)
        let vacatedByKey = Dictionary(grouping: vacated, by: \.key)
        let keys = Set(writtenByKey.keys).union(vacatedByKey.keys)
        // Fast path, the common case of deployments posted as they finish: in a key with only
        // written rows and no existing row after the earliest of them, every written row's
        // predecessor is the previous written row or the one existing row before them all.
        var appendOnly = Set<String>()
        var probes: [Lookup] = []
        for key in keys where vacatedByKey[key] == nil {
            let earliest = writtenByKey[key]!.min(by: Position.precedes)!
            probes.append(Lookup(position: earliest, after: true, excluded: []))
            probes.append(Lookup(position: earliest, after: false, excluded: []))
        }
        let probeAnswers = try await neighbours(probes)
        var lookups: [Lookup] = []
        var answers: [Int: Position] = [:]
        for (index, probe) in probes.enumerated() where !probe.after && probeAnswers[index - 1] == nil {
            appendOnly.insert(probe.position.key)
            if let before = probeAnswers[index] {
                answers[lookups.count] = before
                lookups.append(probe)
            }
        }
        var slowLookups: [Lookup] = []
        for key in keys where !appendOnly.contains(key) {
            let excluded = Set((vacatedByKey[key] ?? []).map(\.id))
            for position in (writtenByKey[key] ?? []) + (vacatedByKey[key] ?? []) {
                slowLookups.append(Lookup(position: position, after: false, excluded: excluded))
                slowLookups.append(Lookup(position: position, after: true, excluded: excluded))
            }
        }
        for (index, answer) in try await neighbours(slowLookups) { answers[lookups.count + index] = answer }
        lookups += slowLookups
        var existingByKey: [String: [String: Position]] = [:]
        var successorsByKey: [String: Set<String>] = [:]
        for (index, lookup) in lookups.enumerated() {
            guard let neighbour = answers[index] else { continue }
            existingByKey[lookup.position.key, default: [:]][neighbour.id] = neighbour
            if lookup.after { successorsByKey[lookup.position.key, default: []].insert(neighbour.id) }
        }
        for key in keys {
            let writtenHere = writtenByKey[key] ?? []
            let merged = (Array((existingByKey[key] ?? [:]).values) + writtenHere).sorted(by: Position.precedes)
            let writtenIds = Set(writtenHere.map(\.id))
            let successors = successorsByKey[key] ?? []
            // The first merged row has no eligible row before it: every existing row before it
            // would be the predecessor of some written or vacated position, hence in `merged`.
            for index in merged.indices {
                let row = merged[index]
                let previous = index == 0 ? "" : merged[index - 1].id
                if writtenIds.contains(row.id) {
                    plan.written[row.id] = previous
                } else if successors.contains(row.id) {
                    plan.updates.append((row.connectionId, row.id, previous))
                }
            }
        }
        return plan
    }

    /// Answers lookups with `LIMIT`ed index range scans: one ``KeyedLookup`` per direction.
    private func neighbours(_ lookups: [Lookup]) async throws -> [Int: Position] {
        guard !lookups.isEmpty else { return [:] }
        var rows: [(Int, any SQLRow)] = []
        for after in [true, false] {
            // The lookups of this direction, by their index in `lookups`.
            let indices = lookups.indices.filter { lookups[$0].after == after }
            guard !indices.isEmpty else { continue }
            let positions = indices.map { lookups[$0].position }
            var keys = KeyedLookup.Keys()
            keys.add("connection_id", positions.map(\.connectionId))
            keys.add("repo_url", positions.map(\.repoUrl))
            keys.add("environment", positions.map(\.environment))
            keys.add("finished", positions.map(\.finishedDate))
            keys.add("started", positions.map(\.startedDate))
            keys.add("id", positions.map(\.id))
            // Fetch enough rows to skip the vacated ones in Swift.
            keys.add("fetch", indices.map { Int64(lookups[$0].excluded.count + 1) })
            let direction = after ? "ASC" : "DESC"
            for (position, row) in try await KeyedLookup(db: db).rows(for: keys, { key in
                """
                SELECT id, started_date, finished_date FROM cicd_deployment_commits
                WHERE connection_id = \(key["connection_id"]) AND repo_url = \(key["repo_url"])
                    AND environment = \(key["environment"]) AND result = 'SUCCESS'
                    AND (finished_date, started_date, id) \(unsafeRaw: after ? ">" : "<")
                        (\(key["finished"]), \(key["started"]), \(key["id"]))
                ORDER BY finished_date \(unsafeRaw: direction), started_date \(unsafeRaw: direction), id \(unsafeRaw: direction)
                LIMIT \(key["fetch"])
                """
            }) {
                rows.append((indices[position], row))
            }
        }
        var candidates: [Int: [Position]] = [:]
        for (index, row) in rows {
            let p = lookups[index].position
            candidates[index, default: []].append(
                Position(
                    id: try row.decode(column: "id", as: String.self), connectionId: p.connectionId,
                    repoUrl: p.repoUrl, environment: p.environment, result: "SUCCESS",
                    startedDate: try row.decode(column: "started_date", as: Int64.self),
                    finishedDate: try row.decode(column: "finished_date", as: Int64.self)))
        }
        var answers: [Int: Position] = [:]
        for (index, found) in candidates {
            let lookup = lookups[index]
            // Nearest first, whatever order the statement returned them in.
            let ordered = found.sorted { a, b in lookup.after ? Position.precedes(a, b) : Position.precedes(b, a) }
            answers[index] = ordered.first(where: { !lookup.excluded.contains($0.id) })
        }
        return answers
    }

    /// Applies the updates of existing rows: one statement per connection and chunk.
    func apply(_ plan: Plan) async throws {
        for (connectionId, updates) in Dictionary(grouping: plan.updates, by: \.connectionId) {
            for chunk in updates.chunked(200) {
                var cases: SQLQueryString = "CASE id"
                for update in chunk { cases += " WHEN \(bind: update.id) THEN \(bind: update.previous)" }
                cases += " END"
                let ids: [any Encodable & Sendable] = chunk.map(\.id)
                try await db.raw(
                    "UPDATE cicd_deployment_commits SET prev_success_deployment_commit_id = " + cases
                        + " WHERE connection_id = \(bind: connectionId) AND id IN (\(binds: ids))"
                ).run()
            }
        }
    }
}
