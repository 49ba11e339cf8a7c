/// The definitions of all twelve metrics (METRICS.md §6–§7), one function each, computed from a
/// project's ``MetricInputs`` for one range. Pure: no clock, no database.
public struct MetricDefinitions: Sendable {
    public let inputs: MetricInputs
    public let range: MetricRange
    public let report: MetricReport

    public init(inputs: MetricInputs, range: MetricRange, report: MetricReport) {
        self.inputs = inputs
        self.range = range
        self.report = report
    }

    /// Computes the selected metrics in the order of ``MetricKey``.
    public func compute(_ keys: [MetricKey] = MetricKey.allCases) -> [MetricResult] {
        keys.map { key in
            switch key {
            case .deploymentFrequency: deploymentFrequency()
            case .leadTimeForChanges: leadTimeForChanges()
            case .changeFailureRate: changeFailureRate()
            case .failedDeploymentRecoveryTime: failedDeploymentRecoveryTime()
            case .timeToRestoreService: timeToRestoreService()
            case .deploymentReworkRate: deploymentReworkRate()
            case .requirementDeliveryRate: requirementDeliveryRate()
            case .requirementGranularity: requirementGranularity()
            case .bugAge: age(.bugAge)
            case .incidentAge: age(.incidentAge)
            case .bugCountPer1kLoc: countPer1kLoc(.bugCountPer1kLoc)
            case .incidentCountPer1kLoc: countPer1kLoc(.incidentCountPer1kLoc)
            }
        }
    }

    // MARK: Shared pieces

    private var calendar: LocalCalendar { range.calendar }
    private var months: [LocalMonth] { range.months }

    private var deploymentsInRange: [MetricInputs.Deployment] {
        inputs.deployments.filter { range.contains($0.finish) }
    }

    /// A monthly series: `value(items of the month)` for every month of the range.
    private func series<T>(_ items: [T], at instant: (T) -> EpochMilliseconds, value: ([T]) -> (Double?, Int?))
        -> [MetricResult.Point]
    {
        var byMonth: [LocalMonth: [T]] = [:]
        for item in items { byMonth[calendar.month(of: instant(item)), default: []].append(item) }
        return months.map { month in
            let (v, n) = value(byMonth[month] ?? [])
            return MetricResult.Point(month: month, value: v, n: n)
        }
    }

    private func medianSeries<T>(_ items: [T], at instant: (T) -> EpochMilliseconds, sample: (T) -> Double)
        -> [MetricResult.Point]
    {
        series(items, at: instant) { group in (Statistics.lowerMedian(group.map(sample)), group.count) }
    }

    private static func summaryJSON(_ values: [Double]) -> JSONValue {
        guard let summary = SampleSummary.of(values) else { return .null }
        return .object([JSONMember("p50", .number(format(summary.p50))), JSONMember("mean", .number(format(summary.mean)))])
    }

    /// Compact decimal text of a number for details (up to four decimals).
    public static func format(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return DecimalText(String(rounded))?.plainText ?? String(rounded)
    }

    private func insufficient(_ key: MetricKey, unit: String, label: String, reason: String) -> MetricResult {
        MetricResult(key: key, status: .insufficientData, reason: reason, value: nil, unit: unit, label: label)
    }

    // MARK: §6.1 Deployment frequency

    func deploymentFrequency() -> MetricResult {
        guard inputs.everDeployed ?? !inputs.deployments.isEmpty else {
            return insufficient(
                .deploymentFrequency, unit: "deployment days", label: NotAvailableLabel.deploymentFrequency,
                reason: "no_deployments")
        }
        let inRange = deploymentsInRange
        let figures = DeploymentFrequencyCalendar(finishes: inRange.map(\.finish), range: range)
        let classification = figures.classification(report: report)
        let figure = figures.figure(report: report)
        return MetricResult(
            key: .deploymentFrequency, status: .ok, value: Double(figure.value), unit: "deployment days per \(figure.period.text)",
            tier: classification.tier, label: classification.label, tierNote: classification.tierNote, n: inRange.count,
            summary: figures.weekSummary,
            details: .object([
                JSONMember("weekly", .int(figures.weekly)), JSONMember("monthly", .int(figures.monthly)),
                JSONMember("sixMonthly", .int(figures.sixMonthly)),
                JSONMember("deploymentDays", .int(figures.deploymentDays)),
                JSONMember("deployments", .int(figures.deployments)),
            ]),
            series: series(inRange, at: \.finish) { group in (Double(group.count), group.count) })
    }

    // MARK: §6.2 Lead time for changes

    func leadTimeForChanges() -> MetricResult {
        let attributed = inputs.attributions.filter { range.contains($0.deployedDate) }
        let sample = attributed.map { Double($0.cycleTime) }
        guard let summary = SampleSummary.of(sample) else {
            return insufficient(
                .leadTimeForChanges, unit: "minutes", label: NotAvailableLabel.leadTimeForChanges,
                reason: "no_attributed_pull_requests")
        }
        let classification = Benchmarks.classifyLeadTime(minutes: summary.p50, report: report)
        var byRule: [String: Int] = [:]
        for attribution in attributed { byRule[attribution.rule, default: 0] += 1 }
        return MetricResult(
            key: .leadTimeForChanges, status: .ok, value: summary.p50, unit: "minutes", tier: classification.tier,
            label: classification.label, tierNote: classification.tierNote, n: summary.n, summary: summary,
            details: .object([
                JSONMember(
                    "byRule",
                    .object(["merge_sha", "included_sha", "time"].map { JSONMember($0, .int(byRule[$0] ?? 0)) })),
                JSONMember("createdToMerged", Self.summaryJSON(attributed.compactMap { $0.createdToMerged.map(Double.init) })),
                JSONMember("deployTime", Self.summaryJSON(attributed.compactMap { $0.deployTime.map(Double.init) })),
            ]),
            series: medianSeries(attributed, at: \.deployedDate) { Double($0.cycleTime) })
    }

    // MARK: §6.3 Change failure rate

    func changeFailureRate() -> MetricResult {
        let inRange = deploymentsInRange
        if let label = NotAvailableLabel.changeFailureRate(
            hasDeploymentsInRange: !inRange.isEmpty, hasIncidents: inputs.hasIncidents)
        {
            return insufficient(
                .changeFailureRate, unit: "ratio", label: label,
                reason: inRange.isEmpty ? "no_deployments_in_range" : "no_incidents")
        }
        let linkCounts = Dictionary(grouping: inputs.incidents.compactMap(\.linkedDeployment), by: { $0 }).mapValues(\.count)
        let failed = inRange.filter { linkCounts[$0.identity] != nil }
        let linkedIncidents = inRange.reduce(0) { $0 + (linkCounts[$1.identity] ?? 0) }
        let classification = Benchmarks.classifyChangeFailureRate(failed: failed.count, total: inRange.count, report: report)
        return MetricResult(
            key: .changeFailureRate, status: .ok, value: Double(failed.count) / Double(inRange.count), unit: "ratio",
            tier: classification.tier, label: classification.label, tierNote: classification.tierNote,
            numerator: failed.count, denominator: inRange.count,
            details: .object([
                JSONMember("incidentsPerDeployment", .number(Self.format(Double(linkedIncidents) / Double(inRange.count))))
            ]),
            series: series(inRange, at: \.finish) { group in
                group.isEmpty
                    ? (nil, 0) : (Double(group.filter { linkCounts[$0.identity] != nil }.count) / Double(group.count), group.count)
            })
    }

    // MARK: §6.4 Failed deployment recovery time

    func failedDeploymentRecoveryTime() -> MetricResult {
        let finishes = Dictionary(deploymentsInRange.map { ($0.identity, $0.finish) }, uniquingKeysWith: { a, _ in a })
        var samples: [(finish: EpochMilliseconds, minutes: Double)] = []
        var excludedNegative = 0
        for incident in inputs.incidents {
            guard let deployment = incident.linkedDeployment, let finish = finishes[deployment],
                let resolution = incident.resolutionDate, range.contains(resolution)
            else { continue }
            let minutes = (resolution - finish) / 60_000  // truncated toward zero
            if resolution < finish {
                excludedNegative += 1
                continue
            }
            samples.append((finish, Double(minutes)))
        }
        guard let summary = SampleSummary.of(samples.map(\.minutes)) else {
            return insufficient(
                .failedDeploymentRecoveryTime, unit: "minutes", label: NotAvailableLabel.failedDeploymentRecoveryTime,
                reason: "no_recovered_failures")
        }
        let classification = Benchmarks.classifyRecoveryTime(minutes: summary.p50, report: report)
        return MetricResult(
            key: .failedDeploymentRecoveryTime, status: .ok, value: summary.p50, unit: "minutes",
            tier: classification.tier, label: classification.label, tierNote: classification.tierNote, n: summary.n,
            summary: summary, details: .object([JSONMember("excludedNegative", .int(excludedNegative))]),
            series: medianSeries(samples, at: \.finish) { $0.minutes })
    }

    // MARK: §6.5 Time to restore service

    func timeToRestoreService() -> MetricResult {
        let resolved = inputs.incidents.compactMap { incident -> (EpochMilliseconds, Double)? in
            guard let resolution = incident.resolutionDate, range.contains(resolution),
                let lead = incident.leadTimeMinutes
            else { return nil }
            return (resolution, Double(lead))
        }
        guard let summary = SampleSummary.of(resolved.map(\.1)) else {
            return insufficient(
                .timeToRestoreService, unit: "minutes", label: NotAvailableLabel.timeToRestoreService,
                reason: "no_resolved_incidents")
        }
        let classification = Benchmarks.classifyTimeToRestoreService(minutes: summary.p50, report: report)
        return MetricResult(
            key: .timeToRestoreService, status: .ok, value: summary.p50, unit: "minutes", tier: classification.tier,
            label: classification.label, tierNote: classification.tierNote, n: summary.n, summary: summary,
            series: medianSeries(resolved, at: \.0) { $0.1 })
    }

    // MARK: §6.6 Deployment rework rate

    func deploymentReworkRate() -> MetricResult {
        let inRange = deploymentsInRange
        guard !inRange.isEmpty else {
            return insufficient(
                .deploymentReworkRate, unit: "ratio", label: NotAvailableLabel.deploymentReworkRate,
                reason: "no_deployments_in_range")
        }
        guard inputs.hasIncidents || inputs.hasReworkFlags else {
            return insufficient(
                .deploymentReworkRate, unit: "ratio",
                label: "N/A. Please check if you have collected incidents or rework flags.", reason: "no_rework_signals")
        }
        let reworked = inRange.filter { inputs.rework[$0.identity] != nil }
        var byReason: [String: Int] = [:]
        for deployment in reworked { byReason[inputs.rework[deployment.identity]!, default: 0] += 1 }
        let classification = Benchmarks.classifyReworkRate(reworked: reworked.count, total: inRange.count)
        return MetricResult(
            key: .deploymentReworkRate, status: .ok, value: Double(reworked.count) / Double(inRange.count), unit: "ratio",
            tier: nil, label: classification.label, tierNote: classification.tierNote, numerator: reworked.count,
            denominator: inRange.count,
            details: .object([
                JSONMember(
                    "byReason", .object(["flagged", "after_incident"].map { JSONMember($0, .int(byReason[$0] ?? 0)) }))
            ]),
            series: series(inRange, at: \.finish) { group in
                group.isEmpty
                    ? (nil, 0)
                    : (Double(group.filter { inputs.rework[$0.identity] != nil }.count) / Double(group.count), group.count)
            })
    }

    // MARK: §7.1 Requirement delivery rate

    private var requirementsInRange: [MetricInputs.WorkItem] {
        inputs.workItems.filter { $0.type == "REQUIREMENT" && range.contains($0.createdDate) }
    }

    func requirementDeliveryRate() -> MetricResult {
        let requirements = requirementsInRange
        guard !requirements.isEmpty else {
            return insufficient(
                .requirementDeliveryRate, unit: "ratio", label: "N/A. Please check if you have collected requirements.",
                reason: "no_requirements")
        }
        let done = requirements.filter { $0.status == "DONE" }.count
        return MetricResult(
            key: .requirementDeliveryRate, status: .ok, value: Double(done) / Double(requirements.count), unit: "ratio",
            label: LabelNumber.percent(numerator: done, denominator: requirements.count), numerator: done,
            denominator: requirements.count,
            series: series(requirements, at: \.createdDate) { group in
                group.isEmpty ? (nil, 0) : (Double(group.filter { $0.status == "DONE" }.count) / Double(group.count), group.count)
            })
    }

    // MARK: §7.2 Requirement granularity

    func requirementGranularity() -> MetricResult {
        let estimated = requirementsInRange.filter { ($0.storyPoint ?? 0) != 0 }
        guard let summary = SampleSummary.of(estimated.compactMap(\.storyPoint)) else {
            return insufficient(
                .requirementGranularity, unit: "story points",
                label: "N/A. Please check if you have collected requirements with story points.",
                reason: "no_estimated_requirements")
        }
        return MetricResult(
            key: .requirementGranularity, status: .ok, value: summary.mean, unit: "story points",
            label: Self.twoDecimals(summary.mean), n: summary.n, summary: summary,
            series: series(estimated, at: \.createdDate) { group in (Statistics.mean(group.compactMap(\.storyPoint)), group.count) })
    }

    // MARK: §7.3, §7.4 Bug and incident age

    private static func twoDecimals(_ value: Double) -> String {
        let scaled = (abs(value) * 100).rounded(.toNearestOrAwayFromZero)
        // Values no Int64 holds (stored before inputs were bounded) are shown as they are.
        guard scaled.isFinite, scaled < 9e18 else { return format(value) }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        let whole = Int64(scaled) / 100
        let fraction = Int64(scaled) % 100
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    func age(_ key: MetricKey) -> MetricResult {
        let resolved: [(EpochMilliseconds, Double)]
        if key == .bugAge {
            resolved = inputs.workItems.compactMap { item in
                guard item.type == "BUG", item.status == "DONE", let resolution = item.resolutionDate,
                    range.contains(resolution), let lead = item.leadTimeMinutes
                else { return nil }
                return (resolution, Double(lead))
            }
        } else {
            resolved = inputs.incidents.compactMap { incident in
                guard incident.status == "DONE", let resolution = incident.resolutionDate, range.contains(resolution),
                    let lead = incident.leadTimeMinutes
                else { return nil }
                return (resolution, Double(lead))
            }
        }
        let days = resolved.map { $0.1 / 1440 }
        guard let summary = SampleSummary.of(days) else {
            let what = key == .bugAge ? "bugs" : "incidents"
            return insufficient(
                key, unit: "days", label: "N/A. Please check if you have collected resolved \(what).",
                reason: key == .bugAge ? "no_resolved_bugs" : "no_resolved_incidents")
        }
        return MetricResult(
            key: key, status: .ok, value: summary.mean, unit: "days", label: "\(Self.twoDecimals(summary.mean)) days",
            n: summary.n, summary: summary,
            details: .object([JSONMember("meanMinutes", .number(Self.format(summary.mean * 1440)))]),
            series: series(resolved, at: \.0) { group in (Statistics.mean(group.map { $0.1 / 1440 }), group.count) })
    }

    // MARK: §7.5 Bug and incident count per 1k lines of code

    func countPer1kLoc(_ key: MetricKey) -> MetricResult {
        let commitsInRange = inputs.commitLines.filter { range.contains($0.at) }
        let fromCommits = !commitsInRange.isEmpty
        let lines = fromCommits ? commitsInRange : inputs.pullRequestLines.filter { range.contains($0.at) }
        let created: [EpochMilliseconds]
        let everReceived: Bool
        if key == .bugCountPer1kLoc {
            let bugs = inputs.workItems.filter { $0.type == "BUG" }
            everReceived = inputs.everReceivedBug ?? !bugs.isEmpty
            created = bugs.map(\.createdDate).filter { range.contains($0) }
        } else {
            everReceived = inputs.hasIncidents
            created = inputs.incidents.map(\.createdDate).filter { range.contains($0) }
        }
        // Saturating: line counts stored before inputs were bounded must not overflow the sum.
        let loc = lines.reduce(Int64(0)) { sum, entry in
            let (total, overflow) = sum.addingReportingOverflow(entry.lines)
            return overflow ? Int64.max : total
        }
        let unit = "per 1k lines"
        guard loc > 0 else {
            return insufficient(key, unit: unit, label: "N/A. Please check if you have collected commits.", reason: "no_lines_of_code")
        }
        guard everReceived else {
            let what = key == .bugCountPer1kLoc ? "bugs" : "incidents"
            return insufficient(
                key, unit: unit, label: "N/A. Please check if you have collected \(what).", reason: "no_\(what)")
        }
        var locByMonth: [LocalMonth: Int64] = [:]
        for entry in lines {
            let month = calendar.month(of: entry.at)
            let (total, overflow) = (locByMonth[month] ?? 0).addingReportingOverflow(entry.lines)
            locByMonth[month] = overflow ? Int64.max : total
        }
        var countByMonth: [LocalMonth: Int] = [:]
        for instant in created { countByMonth[calendar.month(of: instant), default: 0] += 1 }
        let value = Double(created.count) / Double(loc) * 1000
        return MetricResult(
            key: key, status: .ok, value: value, unit: unit, label: Self.twoDecimals(value), numerator: created.count,
            denominator: Int(loc),
            details: .object([
                JSONMember("locSource", .string(fromCommits ? "commits" : "pull_requests")),
                JSONMember("linesOfCode", .int(loc)),
            ]),
            series: months.map { month in
                let monthLoc = locByMonth[month] ?? 0
                let count = countByMonth[month] ?? 0
                return MetricResult.Point(
                    month: month, value: monthLoc > 0 ? Double(count) / Double(monthLoc) * 1000 : nil, n: count)
            })
    }
}
