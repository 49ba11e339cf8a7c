import DoralakeCore
import DoralakeStore
import Hummingbird

/// `/`, `/projects…`: the overview, project list and creation, attaching webhooks, the dashboard
/// and its drill-down lists. Metrics are computed exactly as the metrics API computes them.
extension WebUIController {
    /// The dashboard's parameters: the metrics API's (`from`, `to`, `tz`, `report`).
    func metricsQuery(_ call: Call) throws -> MetricsQuery {
        try MetricsQuery(query: call.query, now: store.clock.now(), defaultTimeZone: configuration.metricsTimeZone)
    }

    /// The metrics of one project over a range, as `GET /api/v1/projects/{name}/metrics` computes them.
    func metrics(of project: String, _ query: MetricsQuery) async throws -> [MetricResult]? {
        guard let inputs = try await store.metricInputs(project: project, range: query.range.from...query.range.to) else {
            return nil
        }
        return MetricDefinitions(inputs: inputs, range: query.range, report: query.report).compute(query.metrics)
    }

    func overview(_ call: Call) async throws -> Response {
        let query = try metricsQuery(call)
        var rows: [OverviewPage.Row] = []
        for project in try await store.projects() where call.principal.canSee(project: project.name) {
            let results = try await metrics(of: project.name, query) ?? []
            rows.append(OverviewPage.Row(project: project, results: results))
        }
        var context = call.context
        context.section = .overview
        return page(OverviewPage.render(rows: rows, query: query, context: context))
    }

    func projects(_ call: Call) async throws -> Response {
        if case .project(let own) = call.principal { return WebResponse.redirect(to: WebRoute.projectPath(own)) }
        return try await projectList(call, error: nil, name: "", status: .ok)
    }

    private func projectList(_ call: Call, error: String?, name: String, status: HTTPResponse.Status) async throws
        -> Response
    {
        var context = call.context
        context.section = .projects
        return page(
            ProjectsPage.render(
                projects: try await store.projects(), connections: try await store.connections(), formError: error,
                nameValue: name, context: context), status)
    }

    func createProject(_ call: Call) async throws -> Response {
        try requireAdmin(call)
        let name = call.form["name"] ?? ""
        do {
            let valid = try ConnectionController.validName(.string(name), limit: NameRules.projectNameLimit)
            let ids = try call.form.all("connectionId").map { text -> Int64 in
                guard let id = Int64(text), id >= 1 else {
                    throw APIError.badRequest("connectionId: \"\(text)\" is not a webhook id")
                }
                return id
            }
            _ = try await store.createProject(name: valid, connectionIds: ids)
            logger.info("project created", metadata: ["project": "\(valid)"])
            return WebResponse.redirect(to: WebRoute.projectPath(valid))
        } catch let error as APIError where error.status == .badRequest {
            return try await projectList(call, error: error.message, name: name, status: .badRequest)
        } catch StoreError.conflict(let message) {
            return try await projectList(call, error: message, name: name, status: .conflict)
        } catch StoreError.notFound(let message) {
            return try await projectList(call, error: message, name: name, status: .notFound)
        }
    }

    func attachWebhook(_ name: String, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        guard let text = call.form["connectionId"], !text.isEmpty else {
            throw APIError.badRequest("connectionId: choose a webhook to attach")
        }
        guard let id = Int64(text), id >= 1 else { throw APIError.badRequest("connectionId: \"\(text)\" is not a webhook id") }
        guard try await store.connection(id: id) != nil else {
            throw APIError.notFound("connection not found: \(id)", causes: ["record not found"])
        }
        _ = try await store.attach(connectionId: id, toProject: name)
        return WebResponse.redirect(to: WebRoute.projectPath(name) + "#webhooks")
    }

    func detachWebhook(_ name: String, connectionId: Int64, _ call: Call) async throws -> Response {
        try requireAdmin(call)
        _ = try await store.detach(connectionId: connectionId, fromProject: name)
        return WebResponse.redirect(to: WebRoute.projectPath(name) + "#webhooks")
    }

    func dashboard(_ name: String, _ call: Call) async throws -> Response {
        try requireAccess(to: name, call)
        let query = try metricsQuery(call)
        guard let project = try await store.project(named: name), let results = try await metrics(of: name, query) else {
            throw ProjectController.notFound(name)
        }
        let all = call.principal.isAdmin ? try await store.connections() : []
        var context = call.context
        context.section = .projects
        return page(
            DashboardPage.render(
                project: project, results: results, query: query, carried: RangeForm.queryString(call.query),
                connections: all, context: context))
    }

    // MARK: Drill-down lists

    /// The scope of stored-data reads for this session (as the stored-data API scopes keys).
    private func scope(_ call: Call, project: String) -> ReadScope {
        call.principal.isAdmin ? .all : .project(project)
    }

    private func existingProject(_ name: String, _ call: Call) async throws {
        try requireAccess(to: name, call)
        guard try await store.project(named: name) != nil else { throw ProjectController.notFound(name) }
    }

    func deployments(_ name: String, _ call: Call) async throws -> Response {
        try await existingProject(name, call)
        let query = try metricsQuery(call)
        var filter = DeploymentFilter()
        filter.project = name
        filter.finishedFrom = query.range.from
        filter.finishedTo = query.range.to
        let page = try await store.deployments(
            filter, scope: scope(call, project: name), limit: DrillDownPage.pageSize, cursor: call.query["cursor"])
        // Only this project's derived data, for the whole page at once.
        let derived = try await store.deploymentProjects(
            of: page.items.map { DeploymentIdentity($0.deployment) }, only: name)
        let rows = page.items.map {
            DrillDownPage.DeploymentRow(stored: $0, derived: derived[DeploymentIdentity($0.deployment)]?.first)
        }
        return self.page(
            DrillDownPage.deployments(
                project: name, rows: rows, next: page.nextCursor, query: query, call: call))
    }

    func incidents(_ name: String, _ call: Call) async throws -> Response {
        try await existingProject(name, call)
        let query = try metricsQuery(call)
        var filter = IssueFilter()
        filter.project = name
        filter.type = "INCIDENT"
        filter.createdFrom = query.range.from
        filter.createdTo = query.range.to
        let page = try await store.issues(
            filter, scope: scope(call, project: name), limit: DrillDownPage.pageSize, cursor: call.query["cursor"])
        let links = try await store.links(of: page.items.map { IssueIdentity($0.issue) })
        let rows = page.items.map { item in
            DrillDownPage.IncidentRow(stored: item, link: links[IssueIdentity(item.issue)]?.first { $0.project == name })
        }
        return self.page(
            DrillDownPage.incidents(project: name, rows: rows, next: page.nextCursor, query: query, call: call))
    }

    func pullRequests(_ name: String, _ call: Call) async throws -> Response {
        try await existingProject(name, call)
        let query = try metricsQuery(call)
        var filter = PullRequestFilter()
        filter.project = name
        filter.mergedFrom = query.range.from
        filter.mergedTo = query.range.to
        let page = try await store.pullRequests(
            filter, scope: scope(call, project: name), limit: DrillDownPage.pageSize, cursor: call.query["cursor"])
        let projects = try await store.pullRequestProjects(of: page.items.map { PullRequestIdentity($0.pullRequest) })
        let rows = page.items.map { item in
            DrillDownPage.PullRequestRow(
                stored: item, attribution: projects[PullRequestIdentity(item.pullRequest)]?.first { $0.project == name })
        }
        return self.page(
            DrillDownPage.pullRequests(project: name, rows: rows, next: page.nextCursor, query: query, call: call))
    }
}
