import AsyncHTTPClient
import DoralakeCore
import DoralakeServer
import DoralakeStore
import Foundation
import NIOCore
import NIOHTTP1

/// Where `doralake import` sends its batches: straight into a database, or to a running server's
/// batch route. Either answers the batch route's `data`.
protocol BatchTarget: Sendable {
    /// Applies one batch body; returns the answer's `data`.
    /// - Throws: ``ImportFailure`` when the batch was refused as a whole or could not be sent.
    func send(_ body: [UInt8], format: BatchItemReader.Format) async throws -> JSONValue
}

/// A failure that ends an import (after the batches already applied).
struct ImportFailure: Error, CustomStringConvertible {
    var description: String
}

/// Batches applied to an open store (`--database`).
struct DatabaseBatchTarget: BatchTarget {
    let importer: DirectBatchImporter
    let connectionId: Int64

    func send(_ body: [UInt8], format: BatchItemReader.Format) async throws -> JSONValue {
        do {
            return try await importer.apply(body: body, connectionId: connectionId, receivedAt: WallClock.system.now())
        } catch let refused as DirectBatchImporter.Refused {
            throw ImportFailure(description: "a batch was refused: \(refused.description)")
        }
    }
}

/// Batches posted to `{url}/api/rest/plugins/webhook/connections/{id}/batch` (`--url`, `--token`).
/// A 503 (busy, database briefly unavailable) is retried after its `Retry-After`, up to 5 times.
struct ServerBatchTarget: BatchTarget {
    let client: HTTPClient
    let url: String
    let token: String
    let connectionId: Int64

    func send(_ body: [UInt8], format: BatchItemReader.Format) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url + "/api/rest/plugins/webhook/connections/\(connectionId)/batch")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: format == .ndjson ? "application/x-ndjson" : "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        for attempt in 1...6 {
            let response: HTTPClientResponse
            let text: String
            do {
                response = try await client.execute(request, timeout: .seconds(300))
                text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            } catch {
                throw ImportFailure(description: "cannot reach \(url): \(error)")
            }
            let json = (try? JSONParser.parse(text).value) ?? .null
            if response.status == .ok, let data = json["data"] { return data }
            let message: String = if case .string(let message)? = json["message"] { message } else { text.prefix(300).description }
            if response.status == .serviceUnavailable && attempt < 6 {
                let wait = Int(response.headers.first(name: "Retry-After") ?? "") ?? attempt
                try await Task.sleep(for: .seconds(min(max(wait, 1), 30)))
                continue
            }
            throw ImportFailure(description: "the server refused a batch (\(response.status.code)): \(message)")
        }
        throw ImportFailure(description: "the server stayed unavailable")
    }
}

/// A server's base URL as given on the command line.
enum ServerAddress {
    /// `url` without trailing slashes, so that API paths can be appended.
    static func base(_ url: String) -> String {
        String(url.reversed().drop { $0 == "/" }.reversed())
    }
}
