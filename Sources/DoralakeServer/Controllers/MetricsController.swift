import DoralakeCore
import DoralakeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// `GET /api/v1/projects/{name}/metrics` and `GET /api/v1/metrics` (METRICS.md §9).
struct MetricsController: Sendable {
    let store: Store
    let authenticator: Authenticator
    let configuration: ServerConfiguration
    let logger: Logger

    func handle(_ endpoint: Endpoint, request: Request, receivedAt: EpochMilliseconds) async -> Response {
        do {
            let principal = try await authenticator.authenticate(
                header: request.headers[.authorization], allowAnonymous: false)
            let query = try QueryParameters(request.uri)
            let parameters = try MetricsQuery(query: query, now: receivedAt, defaultTimeZone: configuration.metricsTimeZone)
            let inputs: MetricInputs
            let projectName: String?
            switch endpoint {
            case .projectMetrics(let name):
                guard
                    let found = try await store.metricInputs(
                        project: name, range: parameters.range.from...parameters.range.to)
                else {
                    throw APIError.notFound("project not found: \(name)", causes: ["record not found"])
                }
                switch principal {
                case .admin: break
                case .projectKey(let key) where key.projectName == name: break
                default: throw APIError.forbidden("path doesn't match api key's scope")
                }
                inputs = found
                projectName = name
            default:
                guard case .admin = principal else { throw APIError.forbidden("path doesn't match api key's scope") }
                inputs = try await store.metricInputsOfAllConnections(range: parameters.range.from...parameters.range.to)
                projectName = nil
            }
            let results = MetricDefinitions(inputs: inputs, range: parameters.range, report: parameters.report)
                .compute(parameters.metrics)
            return JSONResponse.success(
                MetricsJSON.document(
                    project: projectName, range: parameters.range, report: parameters.report, results: results,
                    includeSeries: parameters.includeSeries))
        } catch let error as MetricParameterError {
            return APIError.badRequest(
                "\(error.parameter): \(error.message)", causes: ["\(error.parameter): \(error.message)"]
            ).response(eventId: nil)
        } catch {
            return APIError.from(error, logger: logger).response(eventId: nil)
        }
    }
}

/// The validated parameters of a metrics request.
struct MetricsQuery {
    var range: MetricRange
    var report: MetricReport
    var metrics: [MetricKey]
    var includeSeries: Bool

    init(query: QueryParameters, now: EpochMilliseconds, defaultTimeZone: TimeZone) throws {
        range = try MetricRange.parse(
            from: query["from"], to: query["to"], tz: query["tz"], now: now, defaultTimeZone: defaultTimeZone)
        if let text = query["report"] {
            guard let parsed = MetricReport(rawValue: text) else {
                throw MetricParameterError(parameter: "report", message: "must be one of 2021, 2023, 2024, 2025")
            }
            report = parsed
        } else {
            report = .default
        }
        if let list = query["metrics"] {
            metrics = try list.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let key = MetricKey(rawValue: trimmed) else {
                    throw MetricParameterError(
                        parameter: "metrics",
                        message: "\"\(trimmed)\" is not one of \(MetricKey.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return key
            }
        } else {
            metrics = MetricKey.allCases
        }
        switch query["series"] ?? "month" {
        case "month": includeSeries = true
        case "none": includeSeries = false
        default: throw MetricParameterError(parameter: "series", message: "must be month or none")
        }
    }
}

/// JSON of metric results (§3.4, §9).
enum MetricsJSON {
    static func number(_ value: Double) -> JSONValue { .number(MetricDefinitions.format(value)) }

    static func document(
        project: String?, range: MetricRange, report: MetricReport, results: [MetricResult], includeSeries: Bool
    ) -> JSONValue {
        .object([
            JSONMember("project", .string(orNull: project)), JSONMember("from", RecordJSON.time(range.from)),
            JSONMember("to", RecordJSON.time(range.to)), JSONMember("timeZone", .string(range.timeZoneName)),
            JSONMember("report", .string(report.rawValue)),
            JSONMember("metrics", .object(results.map { JSONMember($0.key.rawValue, metric($0, includeSeries: includeSeries)) })),
        ])
    }

    static func metric(_ result: MetricResult, includeSeries: Bool) -> JSONValue {
        var members: [JSONMember] = [JSONMember("status", .string(result.status.rawValue))]
        if let reason = result.reason { members.append(JSONMember("reason", .string(reason))) }
        members += [
            JSONMember("value", result.value.map(number) ?? .null), JSONMember("unit", .string(result.unit)),
            JSONMember("label", .string(result.label)), JSONMember("tier", .string(orNull: result.tier?.rawValue)),
        ]
        if let note = result.tierNote { members.append(JSONMember("tierNote", .string(note))) }
        if let numerator = result.numerator, let denominator = result.denominator {
            members += [JSONMember("numerator", .int(numerator)), JSONMember("denominator", .int(denominator))]
        }
        if let n = result.n { members.append(JSONMember("n", .int(n))) }
        if let summary = result.summary {
            members += [
                JSONMember("p50", number(summary.p50)), JSONMember("p75", number(summary.p75)),
                JSONMember("p90", number(summary.p90)), JSONMember("mean", number(summary.mean)),
            ]
        }
        if result.status == .ok { members.append(JSONMember("details", result.details)) }
        if includeSeries {
            members.append(
                JSONMember(
                    "series",
                    .array(
                        result.series.map { point in
                            var entry = [
                                JSONMember("month", .string(point.month.shortLabel)),
                                JSONMember("isoMonth", .string(point.month.isoLabel)),
                                JSONMember("value", point.value.map(number) ?? .null),
                            ]
                            if let n = point.n { entry.append(JSONMember("n", .int(n))) }
                            return .object(entry)
                        })))
        }
        return .object(members)
    }
}
