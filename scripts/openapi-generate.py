#!/usr/bin/env python3
# Usage: scripts/openapi-generate.py [--check]
#
# Writes the OpenAPI 3.1 document of Doralake's JSON API to docs/openapi.json and the same bytes,
# as a raw string literal, to Sources/DoralakeServer/OpenAPI/OpenAPIDocument.swift (the server
# serves them at GET /api/v1/openapi.json, so the binary needs no resource files).
#
# The routes mirror RouteTable (Sources/DoralakeServer/Routing/RouteTable.swift); the test
# "OpenAPI document and route table list the same routes" fails when they differ. Request bodies
# name the canonical camelCase fields the decoders accept (the decoders are lenient: keys match
# case-insensitively, snake_case and legacy aliases work, scalars are coerced, unknown keys are
# reported as warnings, so every body schema allows additional properties). Response schemas
# follow Sources/DoralakeServer/Formatting/RecordJSON.swift and the controllers.
#
# --check: write nothing; exit 1 if either file differs from what this script generates.
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JSON_PATH = os.path.join(ROOT, "docs", "openapi.json")
SWIFT_PATH = os.path.join(ROOT, "Sources", "DoralakeServer", "OpenAPI", "OpenAPIDocument.swift")

WEBHOOK_PREFIXES = ["/api/rest/plugins/webhook", "/rest/plugins/webhook", "/api/plugins/webhook", "/plugins/webhook"]
HEALTH_PREFIXES = ["", "/rest", "/api", "/api/rest"]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema_type):
    return {"type": [schema_type, "null"]}


def obj(properties, required=(), additional=True, description=None):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if not additional:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}
TIME = {"type": "string", "format": "date-time", "description": "RFC 3339 UTC with milliseconds"}
TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time", "description": "RFC 3339 UTC with milliseconds, or null"}
STRING_LIST = {"type": "array", "items": STRING}
DATE_INPUT = {
    "description": (
        "A date (spec §9.4): RFC 3339 (offsets `Z`, `±hh:mm`, `±hhmm`, `±hh`; a space instead of `T`; "
        "seconds optional), a date `YYYY-MM-DD`, a zone-less time (read in ingest.zonelessTimeZone, with a "
        "warning), or a JSON number of epoch seconds (|v| < 100 000 000 000) or milliseconds. `\"\"` and "
        "`null` count as absent. Years 1970–9999."
    ),
    "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}, {"type": "number"}, {"type": "null"}],
}


def text(max_length=255):
    return {"type": "string", "maxLength": max_length}


def enum_input(values, strict):
    note = "unknown values are a 400" if strict else "unknown values are stored uppercased with a warning"
    return {
        "type": "string",
        "description": f"One of {', '.join(values)}; matched case-insensitively after trimming; {note}.",
        "examples": values,
    }


SCHEMAS = {}

# ---- Envelopes and errors -------------------------------------------------------------------------

SCHEMAS["FieldError"] = obj(
    {
        "field": {"type": "string", "description": "path of the field, e.g. deploymentCommits[1].startedDate"},
        "code": {
            "type": "string",
            "description": "required, invalid_type, invalid_date, invalid_enum, too_long, out_of_range, date_order, empty_list, too_many_items or conflict",
        },
        "message": STRING,
        "value": {"description": "the offending value as sent (null when absent)"},
    },
    required=["field", "code", "message", "value"],
)
SCHEMAS["ErrorEnvelope"] = obj(
    {
        "code": {"type": "integer", "const": 0},
        "success": {"const": False},
        "message": {"type": "string", "description": "one plain sentence for the person who sent the request"},
        "causes": {"type": ["array", "null"], "items": STRING, "description": "`<field>: <problem>` strings, or null"},
        "data": {
            "type": ["object", "null"],
            "properties": {"eventId": INTEGER, "errors": {"type": "array", "items": ref("FieldError")}},
            "description": "`{\"errors\":[…]}` for field errors, `{\"eventId\":n}` on ingest routes, else null",
        },
    },
    required=["code", "success", "message", "causes", "data"],
    description="The error envelope of every route (spec §9.1).",
)
SCHEMAS["Warning"] = obj({"code": STRING, "field": STRING, "message": STRING}, required=["code", "field", "message"])
WARNINGS = {"type": "array", "items": ref("Warning")}


def envelope(data_schema, description=None):
    return obj(
        {
            "code": {"type": "integer", "const": 0},
            "success": {"const": True},
            "message": {"const": "success"},
            "causes": {"type": "null"},
            "data": data_schema,
        },
        required=["code", "success", "message", "causes", "data"],
        description=description,
    )


# ---- Health --------------------------------------------------------------------------------------

SCHEMAS["Ping"] = obj({"status": {"const": "ok"}}, required=["status"])
SCHEMAS["Health"] = obj(
    {
        "status": {"enum": ["ok", "unavailable"]},
        "database": {"enum": ["ok", "unavailable"]},
        "derivation": obj(
            {
                "pending": {"type": "integer", "description": "changes committed and not yet derived"},
                "oldestPendingMs": {"type": ["integer", "null"], "description": "age of the oldest pending change"},
            },
            required=["pending", "oldestPendingMs"],
        ),
    },
    required=["status", "database"],
)
SCHEMAS["Version"] = obj({"version": STRING}, required=["version"])

# ---- Connections and keys ------------------------------------------------------------------------

SCHEMAS["ApiKey"] = obj(
    {
        "id": INTEGER,
        "createdAt": TIME,
        "updatedAt": TIME,
        "creator": STRING,
        "creatorEmail": STRING,
        "updater": STRING,
        "updaterEmail": STRING,
        "name": {"type": "string", "description": "webhook-{connectionId} or project-{projectName}"},
        "apiKey": {"type": "string", "description": "the plaintext key (128 characters); only in create and rotate answers"},
        "expiredAt": TIME_OR_NULL,
        "allowedPath": {"type": "string", "description": "informational (DevLake's field)"},
        "type": {"type": "string", "description": "plugin:webhook or project"},
        "extra": STRING,
    },
    required=["id", "createdAt", "updatedAt", "creator", "creatorEmail", "updater", "updaterEmail", "name", "expiredAt", "allowedPath", "type", "extra"],
    description="A key object as DevLake shows it (spec §2.3); only its HMAC is stored.",
)
SCHEMAS["ApiKeyWithPlaintext"] = {"allOf": [ref("ApiKey"), {"required": ["apiKey"]}]}
ENDPOINT_KEYS = [
    "postIssuesEndpoint", "closeIssuesEndpoint", "postPullRequestsEndpoint", "postPipelineTaskEndpoint",
    "postPipelineDeployTaskEndpoint", "closePipelineEndpoint", "closeIssueByBodyEndpoint", "postCommitsEndpoint",
    "postBatchEndpoint",
]
SCHEMAS["Connection"] = obj(
    dict(
        {"name": STRING, "id": INTEGER, "createdAt": TIME, "updatedAt": TIME},
        **{key: STRING for key in ENDPOINT_KEYS},
        apiKey=ref("ApiKey"),
    ),
    required=["name", "id", "createdAt", "updatedAt"] + ENDPOINT_KEYS,
    description="A connection (spec §3.2). `apiKey` is absent when the connection has no key (e.g. made by the project route).",
)
SCHEMAS["ConnectionWithKey"] = {
    "allOf": [ref("Connection"), {"required": ["apiKey"], "properties": {"apiKey": ref("ApiKeyWithPlaintext")}}],
    "description": "A new connection with its key's plaintext (shown only here).",
}
SCHEMAS["BareConnection"] = obj({"name": STRING, "id": INTEGER, "createdAt": TIME, "updatedAt": TIME}, required=["name", "id", "createdAt", "updatedAt"])
SCHEMAS["ConnectionDeleted"] = envelope(
    obj(
        {
            "deleted": obj(
                {k: INTEGER for k in ["deployments", "deploymentCommits", "issues", "pullRequests", "commits"]},
                required=["deployments", "deploymentCommits", "issues", "pullRequests", "commits"],
            )
        },
        required=["deleted"],
    )
)

SCHEMAS["ConnectionCreateBody"] = obj(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "unique; no `/` or control characters; no leading or trailing whitespace"},
        "expiredAt": DATE_INPUT,
    },
    required=["name"],
)
SCHEMAS["ConnectionRenameBody"] = obj({"name": {"type": "string", "minLength": 1, "maxLength": 100}}, required=["name"])
SCHEMAS["KeyExpiryBody"] = obj({"expiredAt": DATE_INPUT}, description="Optional body: `expiredAt` null or absent means the key never expires.")

# ---- Ingest bodies (spec §5–§8.1) ----------------------------------------------------------------

ENVIRONMENTS = ["PRODUCTION", "STAGING", "TESTING", "DEVELOPMENT"]
RESULTS = ["SUCCESS", "FAILURE", "ABORT", "MANUAL"]
SCHEMAS["DeploymentCommitBody"] = obj(
    {
        "repoUrl": text(500),
        "commitSha": text(),
        "startedDate": DATE_INPUT,
        "finishedDate": DATE_INPUT,
        "createdDate": DATE_INPUT,
        "result": enum_input(RESULTS, strict=False),
        "status": enum_input(["DONE", "IN_PROGRESS", "OTHER"], strict=False),
        "name": text(),
        "repoId": text(),
        "refName": text(),
        "commitMsg": text(65535),
        "displayTitle": text(65535),
        "includedCommitShas": {"type": "array", "items": text(), "maxItems": 5000},
    },
    required=["repoUrl", "commitSha"],
)
SCHEMAS["DeploymentBody"] = obj(
    {
        "id": {"type": "string", "minLength": 1, "maxLength": 255, "description": "identity within the connection"},
        "startedDate": DATE_INPUT,
        "finishedDate": DATE_INPUT,
        "createdDate": DATE_INPUT,
        "environment": enum_input(ENVIRONMENTS, strict=True),
        "originalEnvironment": text(),
        "result": enum_input(RESULTS, strict=False),
        "name": text(),
        "displayTitle": text(65535),
        "deploymentCommits": {
            "type": "array",
            "items": ref("DeploymentCommitBody"),
            "minItems": 1,
            "maxItems": 1000,
            "description": "a single object counts as a one-element list",
        },
        "isRework": BOOLEAN,
        "kind": enum_input(["HOTFIX", "ROLLBACK", "REGULAR"], strict=True),
    },
    required=["id", "startedDate", "deploymentCommits"],
    description="A deployment (spec §5.1). Pre-1.0 bodies with top-level repoUrl/commitSha and legacy aliases are also accepted (§5.3).",
)
SCHEMAS["IssueBody"] = obj(
    dict(
        {
            "issueKey": {"type": "string", "minLength": 1, "maxLength": 255},
            "title": {"type": "string", "minLength": 1, "maxLength": 65535},
            "status": enum_input(["TODO", "IN_PROGRESS", "DONE"], strict=True),
            "originalStatus": text(),
            "createdDate": DATE_INPUT,
            "type": {"type": "string", "maxLength": 100, "description": "stored uppercase; INCIDENT makes an incident", "examples": ["REQUIREMENT", "BUG", "INCIDENT", "TASK", "SUBTASK"]},
            "resolutionDate": DATE_INPUT,
            "updatedDate": DATE_INPUT,
            "storyPoint": {"type": "number", "minimum": 0},
            "leadTimeMinutes": {"type": "integer", "minimum": 0},
            "originalEstimateMinutes": INTEGER,
            "timeSpentMinutes": INTEGER,
            "timeRemainingMinutes": INTEGER,
            "url": text(2048),
            "description": text(65535),
        },
        **{k: text() for k in ["epicKey", "priority", "severity", "component", "creatorId", "creatorName", "assigneeId", "assigneeName", "parentIssueKey", "deploymentId"]},
        deploymentConnectionId={"type": "integer", "minimum": 1},
        causedByDeployment=BOOLEAN,
    ),
    required=["issueKey", "title", "status", "createdDate"],
    description="An issue or incident (spec §6.1).",
)
SCHEMAS["IssueCloseBody"] = obj(
    {"issueKey": {"type": "string", "minLength": 1, "maxLength": 255}, "resolutionDate": DATE_INPUT, "originalStatus": text()},
    required=["issueKey"],
    description="Close by body (spec §6.3).",
)
SCHEMAS["IssueClosePathBody"] = obj(
    {"issueKey": {"type": "string", "description": "if sent, must equal the key in the path"}, "resolutionDate": DATE_INPUT, "originalStatus": text()},
    description="Optional body of the path form of close (spec §6.3); empty, null or an object.",
)
SCHEMAS["PullRequestBody"] = obj(
    dict(
        {
            "id": {"type": "string", "minLength": 1, "maxLength": 255, "description": "stored as externalId"},
            "pullRequestKey": {"type": "integer", "not": {"const": 0}, "description": "identity within the connection; not 0"},
            "displayTitle": {"type": "string", "minLength": 1, "maxLength": 65535, "description": "alias title"},
            "createdDate": DATE_INPUT,
            "mergedDate": DATE_INPUT,
            "closedDate": DATE_INPUT,
            "status": {"type": "string", "description": "OPEN, CLOSED, MERGED (case-insensitive) or empty", "examples": ["OPEN", "CLOSED", "MERGED"]},
            "repoUrl": text(500),
            "url": text(2048),
            "description": text(65535),
            "additions": {"type": "integer", "minimum": 0},
            "deletions": {"type": "integer", "minimum": 0},
            "isDraft": BOOLEAN,
        },
        **{k: text() for k in ["mergeCommitSha", "baseCommitSha", "headCommitSha", "originalStatus", "authorName", "authorId", "mergedByName", "mergedById", "parentPrId", "type", "component", "headRef", "baseRef", "headRepoId", "baseRepoId"]},
    ),
    required=["id", "pullRequestKey", "displayTitle", "createdDate"],
    description="A pull request (spec §7).",
)
SCHEMAS["CommitBody"] = obj(
    {
        "sha": {"type": "string", "minLength": 1, "maxLength": 255, "description": "alias commitSha"},
        "repoUrl": {"type": "string", "minLength": 1, "maxLength": 500},
        "authoredDate": DATE_INPUT,
        "additions": {"type": "integer", "minimum": 0},
        "deletions": {"type": "integer", "minimum": 0},
        "isMerge": BOOLEAN,
    },
    required=["sha", "repoUrl", "authoredDate"],
)
SCHEMAS["CommitsBody"] = {
    "description": "One commit object, or `{\"commits\":[…]}` with 1–10 000 commits (spec §8.1); all or nothing.",
    "anyOf": [
        obj({"commits": {"type": "array", "items": ref("CommitBody"), "minItems": 1, "maxItems": 10000}}, required=["commits"]),
        ref("CommitBody"),
    ],
}

SCHEMAS["BatchItem"] = obj(
    {
        "type": {"type": "string", "description": "deployment, issue, issue_close, pull_request or commit (case-insensitive)",
                 "examples": ["deployment", "issue", "issue_close", "pull_request", "commit"]},
        "payload": {"type": "object", "description": "the body of the route of that type (issue_close: the body form of spec §6.3)"},
    },
    required=["type", "payload"],
)
SCHEMAS["BatchBody"] = {
    "description": "A JSON array of items, or NDJSON (one item per line; chosen when the first non-blank byte is not `[`), "
    "at most ingest.maxBatchItems (1000) items and ingest.maxBatchBodyBytes (10 MiB) (spec §8.2).",
    "type": "array",
    "items": ref("BatchItem"),
    "maxItems": 1000,
}

# ---- Ingest answers ------------------------------------------------------------------------------

WRITE_OUTCOME = {"enum": ["created", "updated", "unchanged"]}
SCHEMAS["IncidentLink"] = obj(
    {"project": STRING, "deploymentId": nullable("string"), "connectionId": INTEGER, "reason": {"type": "string", "examples": ["time", "explicit", "explicit_unresolved", "no_prior_deployment", "not_caused_by_deployment"]}},
    required=["project", "deploymentId", "reason"],
)
DEPLOYMENT_WRITTEN = {
    "connectionId": INTEGER,
    "deploymentId": STRING,
    "outcome": WRITE_OUTCOME,
    "commitIds": STRING_LIST,
    "removedCommitIds": STRING_LIST,
    "eventId": INTEGER,
    "warnings": WARNINGS,
}
SCHEMAS["DeploymentWritten"] = envelope(obj(DEPLOYMENT_WRITTEN, required=list(DEPLOYMENT_WRITTEN)))
SCHEMAS["ProjectDeploymentWritten"] = envelope(
    obj(dict(DEPLOYMENT_WRITTEN, connectionCreated=BOOLEAN), required=list(DEPLOYMENT_WRITTEN) + ["connectionCreated"])
)
ISSUE_WRITTEN = {
    "connectionId": INTEGER, "issueId": STRING, "issueKey": STRING, "isIncident": BOOLEAN, "outcome": WRITE_OUTCOME,
    "links": {"type": "array", "items": ref("IncidentLink")}, "eventId": INTEGER, "warnings": WARNINGS,
}
SCHEMAS["IssueWritten"] = envelope(obj(ISSUE_WRITTEN, required=list(ISSUE_WRITTEN)))
ISSUE_CLOSED = {
    "issueId": STRING, "status": STRING, "resolutionDate": TIME_OR_NULL, "leadTimeMinutes": nullable("integer"),
    "outcome": {"enum": ["closed", "updated", "unchanged"]}, "eventId": INTEGER, "warnings": WARNINGS,
}
SCHEMAS["IssueClosed"] = envelope(obj(ISSUE_CLOSED, required=list(ISSUE_CLOSED)))
PR_WRITTEN = {"connectionId": INTEGER, "pullRequestId": STRING, "repoUrl": nullable("string"), "outcome": WRITE_OUTCOME, "eventId": INTEGER, "warnings": WARNINGS}
SCHEMAS["PullRequestWritten"] = envelope(obj(PR_WRITTEN, required=list(PR_WRITTEN)))
COMMITS_WRITTEN = {"connectionId": INTEGER, "created": INTEGER, "updated": INTEGER, "unchanged": INTEGER, "commitIds": STRING_LIST, "eventId": INTEGER, "warnings": WARNINGS}
SCHEMAS["CommitsWritten"] = envelope(obj(COMMITS_WRITTEN, required=list(COMMITS_WRITTEN)))
SCHEMAS["BatchItemResult"] = obj(
    {
        "index": INTEGER, "line": {"type": "integer", "description": "NDJSON only: the item's 1-based line"},
        "type": nullable("string"), "status": INTEGER, "success": BOOLEAN,
        "data": {"type": "object", "description": "what the item's own route answers, without eventId (and, for issues, links)"},
        "message": STRING, "causes": {"type": ["array", "null"], "items": STRING},
    },
    required=["index", "type", "status", "success"],
)
BATCH_WRITTEN = {"total": INTEGER, "accepted": INTEGER, "rejected": INTEGER, "eventId": INTEGER,
                 "results": {"type": "array", "items": ref("BatchItemResult")}}
SCHEMAS["BatchWritten"] = envelope(obj(BATCH_WRITTEN, required=list(BATCH_WRITTEN)))

# ---- Stored data (spec §10) ----------------------------------------------------------------------

SCHEMAS["StoredDeploymentCommit"] = obj(
    dict(
        {k: STRING for k in ["id", "repoUrl", "commitSha", "name", "displayTitle", "result", "originalResult", "status", "originalStatus", "repoId", "refName", "commitMsg", "prevSuccessDeploymentCommitId"]},
        createdDate=TIME, startedDate=TIME, finishedDate=TIME, durationSec=NUMBER, includedCommitShas=STRING_LIST,
    ),
    required=["id", "repoUrl", "commitSha", "result", "status", "startedDate", "finishedDate", "durationSec"],
)
SCHEMAS["DeploymentProject"] = obj(
    {
        "project": STRING,
        "incidents": STRING_LIST,
        "pullRequests": STRING_LIST,
        "rework": obj({"isRework": BOOLEAN, "reason": nullable("string"), "incidentId": nullable("string")}, required=["isRework", "reason"]),
    },
    required=["project", "incidents", "pullRequests", "rework"],
)
SCHEMAS["StoredDeployment"] = obj(
    dict(
        {"connectionId": INTEGER},
        **{k: STRING for k in ["id", "name", "displayTitle", "result", "originalResult", "status", "originalStatus", "environment", "originalEnvironment"]},
        kind=nullable("string"), isRework=nullable("boolean"), createdDate=TIME, startedDate=TIME, finishedDate=TIME,
        durationSec=NUMBER, commits={"type": "array", "items": ref("StoredDeploymentCommit")},
        projects={"type": "array", "items": ref("DeploymentProject")}, receivedAt=TIME, updatedAt=TIME, lastEventId=nullable("integer"),
    ),
    required=["connectionId", "id", "result", "environment", "startedDate", "finishedDate", "durationSec", "commits", "projects"],
)
SCHEMAS["StoredIssue"] = obj(
    dict(
        {"connectionId": INTEGER},
        **{k: STRING for k in ["issueKey", "id", "title", "type", "originalType", "status", "originalStatus", "url", "description", "epicKey", "priority", "severity", "component", "creatorId", "creatorName", "assigneeId", "assigneeName", "parentIssueKey"]},
        isIncident=BOOLEAN, createdDate=TIME, resolutionDate=TIME_OR_NULL, updatedDate=TIME_OR_NULL,
        leadTimeMinutes=nullable("integer"), storyPoint=nullable("number"), originalEstimateMinutes=INTEGER,
        timeSpentMinutes=INTEGER, timeRemainingMinutes=INTEGER, deploymentId=nullable("string"),
        deploymentConnectionId=nullable("integer"), causedByDeployment=nullable("boolean"),
        links={"type": "array", "items": ref("IncidentLink")}, receivedAt=TIME, updatedAt=TIME, lastEventId=nullable("integer"),
    ),
    required=["connectionId", "issueKey", "id", "status", "isIncident", "createdDate", "links"],
)
SCHEMAS["PullRequestProject"] = obj(
    {
        "project": STRING, "rule": nullable("string"), "deploymentCommitId": nullable("string"),
        "deploymentConnectionId": nullable("integer"), "deploymentId": nullable("string"), "deployedDate": TIME_OR_NULL,
        "createdToMergedMinutes": nullable("integer"), "deployTimeMinutes": nullable("integer"), "cycleTimeMinutes": INTEGER,
    },
    required=["project"],
)
SCHEMAS["StoredPullRequest"] = obj(
    dict(
        {"connectionId": INTEGER, "pullRequestKey": INTEGER},
        **{k: STRING for k in ["id", "externalId", "displayTitle", "status", "originalStatus", "url", "mergeCommitSha", "baseCommitSha", "headCommitSha", "description", "authorName", "authorId", "mergedByName", "mergedById", "parentPrId", "type", "component", "headRef", "baseRef", "headRepoId", "baseRepoId"]},
        repoUrl=nullable("string"), createdDate=TIME, mergedDate=TIME_OR_NULL, closedDate=TIME_OR_NULL,
        additions=INTEGER, deletions=INTEGER, isDraft=BOOLEAN, projects={"type": "array", "items": ref("PullRequestProject")},
        receivedAt=TIME, updatedAt=TIME, lastEventId=nullable("integer"),
    ),
    required=["connectionId", "pullRequestKey", "id", "createdDate", "projects"],
)
SCHEMAS["StoredCommit"] = obj(
    {
        "connectionId": INTEGER, "id": STRING, "repoUrl": STRING, "sha": STRING, "authoredDate": TIME,
        "additions": INTEGER, "deletions": INTEGER, "isMerge": BOOLEAN, "receivedAt": TIME, "updatedAt": TIME,
        "lastEventId": nullable("integer"),
    },
    required=["connectionId", "id", "repoUrl", "sha", "authoredDate", "additions", "deletions", "isMerge"],
)
for name in ["StoredDeployment", "StoredIssue", "StoredPullRequest", "StoredCommit"]:
    SCHEMAS[name + "Envelope"] = envelope(ref(name))
    SCHEMAS[name + "Page"] = envelope(
        obj(
            {"items": {"type": "array", "items": ref(name)}, "nextCursor": {"type": ["string", "null"], "description": "pass as cursor for the next page; null on the last"}},
            required=["items", "nextCursor"],
        )
    )

# ---- Projects and metrics ------------------------------------------------------------------------

SCHEMAS["Project"] = obj(
    {"name": STRING, "connectionIds": {"type": "array", "items": INTEGER}, "createdAt": TIME, "apiKey": {"anyOf": [ref("ApiKey"), {"type": "null"}]}},
    required=["name", "connectionIds", "createdAt", "apiKey"],
)
SCHEMAS["ProjectEnvelope"] = envelope(ref("Project"))
SCHEMAS["ProjectList"] = envelope({"type": "array", "items": ref("Project")})
SCHEMAS["ProjectDeleted"] = envelope(obj({"deleted": obj({"projects": INTEGER}, required=["projects"])}, required=["deleted"]))
SCHEMAS["ProjectKeyEnvelope"] = envelope(ref("ApiKeyWithPlaintext"))
SCHEMAS["ProjectCreateBody"] = obj(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 88, "description": "same character rules as connection names"},
        "connectionIds": {"type": "array", "items": {"type": "integer", "minimum": 1}},
    },
    required=["name"],
)
SCHEMAS["MetricResult"] = obj(
    {
        "status": {"type": "string", "examples": ["ok", "insufficient_data"]},
        "reason": STRING,
        "value": nullable("number"),
        "unit": STRING,
        "label": STRING,
        "tier": nullable("string"),
        "tierNote": STRING,
        "numerator": INTEGER,
        "denominator": INTEGER,
        "n": {"type": "integer", "description": "sample size"},
        "p50": NUMBER, "p75": NUMBER, "p90": NUMBER, "mean": NUMBER,
        "details": {"description": "metric-specific details (status ok only)"},
        "series": {
            "type": "array",
            "items": obj({"month": STRING, "isoMonth": STRING, "value": nullable("number"), "n": INTEGER}, required=["month", "isoMonth", "value"]),
            "description": "absent with series=none",
        },
    },
    required=["status", "value", "unit", "label", "tier"],
    description="One metric (METRICS.md §3.4, §9).",
)
METRIC_KEYS = [
    "deploymentFrequency", "leadTimeForChanges", "changeFailureRate", "failedDeploymentRecoveryTime", "timeToRestoreService",
    "deploymentReworkRate", "requirementDeliveryRate", "requirementGranularity", "bugAge", "incidentAge", "bugCountPer1kLoc",
    "incidentCountPer1kLoc",
]
SCHEMAS["MetricsEnvelope"] = envelope(
    obj(
        {
            "project": {"type": ["string", "null"], "description": "null for the all-connections scope"},
            "from": TIME, "to": TIME, "timeZone": STRING, "report": {"enum": ["2021", "2023", "2024", "2025"]},
            "metrics": {"type": "object", "propertyNames": {"enum": METRIC_KEYS}, "additionalProperties": ref("MetricResult")},
        },
        required=["project", "from", "to", "timeZone", "report", "metrics"],
    )
)
SCHEMAS["OpenAPIDocument"] = obj({"openapi": {"type": "string"}, "paths": {"type": "object"}}, required=["openapi", "paths"])

# ---- Responses, parameters, security -------------------------------------------------------------

ERROR_RESPONSES = {
    "BadRequest": "Bad path parameter, query parameter, JSON or field (message and causes say which).",
    "Unauthorized": "`token is missing` or `token is not present or malformed`.",
    "Forbidden": "`api key is invalid`, `api key has expired` or `path doesn't match api key's scope`.",
    "NotFound": "Unknown connection, project, key, issue or record; or no such route (`route not found`).",
    "Conflict": "The project name is taken.",
    "ContentTooLarge": "The body is larger than ingest.maxBodyBytes (default 1 MiB).",
    "ServiceUnavailable": "Storage unavailable, or derived data still being updated; retry later (`Retry-After: 1`).",
}
RESPONSES = {
    name: {"description": description, "content": {"application/json": {"schema": ref("ErrorEnvelope")}}}
    for name, description in ERROR_RESPONSES.items()
}
RESPONSES["RemovedRoute"] = {
    "description": "DevLake's removed route: `route removed in DevLake v0.17; post to .../deployments`.",
    "content": {"application/json": {"schema": ref("ErrorEnvelope")}},
}
RESPONSES["ServiceUnavailable"]["headers"] = {"Retry-After": {"schema": {"type": "string"}, "required": False}}
STATUS_NAMES = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "409": "Conflict", "413": "ContentTooLarge", "503": "ServiceUnavailable"}

PARAMETERS = {
    "connectionId": {
        "name": "connectionId", "in": "path", "required": True,
        "description": "Connection id: 1–20 decimal digits, value ≥ 1 (leading zeros allowed), else 400 `invalid connectionId`.",
        "schema": {"type": "integer", "minimum": 1}, "example": 1,
    },
    "connectionName": {
        "name": "connectionName", "in": "path", "required": True,
        "description": "Connection name, 1–100 characters, percent-encoded (`%2F` stays inside the name); else 400 `invalid connectionName`.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 100}, "example": "shop-ci",
    },
    "issueKey": {"name": "issueKey", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "example": "DLK-1234"},
    "pipelineName": {"name": "pipelineName", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "example": "p"},
    "projectName": {"name": "projectName", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "example": "shop"},
    "apiKeyId": {"name": "apiKeyId", "in": "path", "required": True, "schema": {"type": "integer"}, "example": 1},
    "deploymentId": {"name": "deploymentId", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "example": "required-id"},
    "pullRequestKey": {"name": "pullRequestKey", "in": "path", "required": True, "schema": {"type": "integer"}, "example": 42},
    "sha": {"name": "sha", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "example": "c1"},
    "eventId": {"name": "eventId", "in": "path", "required": True, "description": "Event id: 1–20 decimal digits, else 400 `invalid eventId`.",
                "schema": {"type": "integer", "minimum": 1}, "example": 1},
}


def query(name, schema, description=None, required=False, example=None):
    parameter = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        parameter["description"] = description
    if example is not None:
        parameter["example"] = example
    return parameter


DATE_QUERY = {"type": "string", "description": "RFC 3339 or YYYY-MM-DD (a date-only …To means the end of that day)"}
LIST_QUERY = [
    query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
    query("cursor", {"type": "string"}, "opaque; the nextCursor of the previous page"),
    query("connectionId", {"type": "integer"}),
    query("project", {"type": "string"}),
]
LIST_FILTERS = {
    "deployments": [query("environment", STRING), query("result", STRING), query("repoUrl", STRING), query("finishedFrom", DATE_QUERY), query("finishedTo", DATE_QUERY)],
    "issues": [query("type", STRING), query("status", STRING), query("createdFrom", DATE_QUERY), query("createdTo", DATE_QUERY)],
    "pull_requests": [query("status", STRING), query("repoUrl", STRING), query("mergedFrom", DATE_QUERY), query("mergedTo", DATE_QUERY)],
    "commits": [query("repoUrl", STRING), query("authoredFrom", DATE_QUERY), query("authoredTo", DATE_QUERY)],
}
METRICS_QUERY = [
    query("from", {"type": "string"}, "first day or instant (default: `to` minus 6 months)", example="2019-12-01"),
    query("to", {"type": "string"}, "last day or instant, inclusive (default: now)", example="2020-01-31"),
    query("tz", {"type": "string"}, "IANA zone of days and months (default metrics.timeZone)"),
    query("report", {"enum": ["2021", "2023", "2024", "2025"]}, "benchmark report (default 2023)"),
    query("metrics", {"type": "string"}, "comma-separated metric names (default all): " + ", ".join(METRIC_KEYS)),
    query("series", {"enum": ["month", "none"]}, "monthly series or none (default month)"),
]

SECURITY_SCHEMES = {
    "adminToken": {"type": "http", "scheme": "bearer", "description": "The admin token (auth.adminToken, or the generated `admin-token` file). Authorises everything."},
    "connectionKey": {"type": "http", "scheme": "bearer", "description": "A connection key (128 characters): its connection's ingest routes and reads."},
    "projectKey": {"type": "http", "scheme": "bearer", "description": "A project key: its project's deployments route, reads and metrics."},
}
ADMIN = [{"adminToken": []}]
INGEST_AUTH = [{"adminToken": []}, {"connectionKey": []}]
PROJECT_DEPLOY_AUTH = [{"adminToken": []}, {"projectKey": []}, {"connectionKey": []}]
READ_AUTH = [{"adminToken": []}, {"connectionKey": []}, {"projectKey": []}]
METRICS_AUTH = [{"adminToken": []}, {"projectKey": []}]
NONE = []

# ---- Operations ----------------------------------------------------------------------------------

PATHS = {}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def operation(method, path, summary, tag, success, errors, security, body=None, body_required=True, parameters=(), description=None):
    """Adds one operation. `success` is (status, description, schema or None); `errors` status strings."""
    names = re.findall(r"\{(\w+)\}", path)
    status, success_description, schema = success
    responses = {status: {"description": success_description}}
    if schema is not None:
        responses[status]["content"] = json_content(schema)
    # A path parameter holding a control character is a 400 on every route (TextRules).
    if names and "400" not in errors:
        errors = ["400", *errors]
    for code in errors:
        responses[code] = {"$ref": f"#/components/responses/{STATUS_NAMES[code]}"}
    op = {
        "operationId": method + "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", path) if part),
        "summary": summary,
        "tags": [tag],
        "security": security,
    }
    if description:
        op["description"] = description
    params = [{"$ref": f"#/components/parameters/{name}"} for name in names] + list(parameters)
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": body_required, "content": json_content(body)}
    op["responses"] = responses
    PATHS.setdefault(path, {})[method] = op


AUTH_ERRORS = ["401", "403"]

# Health: never authenticated.
for prefix in HEALTH_PREFIXES:
    for name, schema, summary, methods in [
        ("ping", ref("Ping"), "Liveness: the process serves HTTP", ["get", "head"]),
        ("health", ref("Health"), "Readiness: the database answers within 2 s", ["get", "head"]),
        ("readyz", ref("Health"), "Readiness (same as health)", ["get", "head"]),
        ("version", ref("Version"), "The server's version", ["get"]),
    ]:
        for method in methods:
            errors = ["503"] if name != "ping" and name != "version" else []
            if method == "head":
                operation(method, f"{prefix}/{name}", summary + " (headers only)", "health", ("200", "OK", None), [], NONE)
                if errors:
                    PATHS[f"{prefix}/{name}"]["head"]["responses"]["503"] = {"description": "Database unavailable"}
            elif name in ("health", "readyz"):
                operation(method, f"{prefix}/{name}", summary, "health", ("200", "Ready", schema), [], NONE)
                PATHS[f"{prefix}/{name}"]["get"]["responses"]["503"] = {"description": "Database unavailable", "content": json_content(schema)}
            else:
                operation(method, f"{prefix}/{name}", summary, "health", ("200", "OK", schema), [], NONE)

# Key replacement (DevLake's "revoke and regenerate").
for path in ["/api-keys/{apiKeyId}", "/api/api-keys/{apiKeyId}"]:
    operation(
        "put", path, "Replace a key with a new one (connection or project key)", "connections",
        ("200", "The key with its new plaintext", ref("ApiKeyWithPlaintext")), ["400", "401", "403", "404", "413", "503"], ADMIN,
        body=ref("KeyExpiryBody"), body_required=False,
    )

INGEST = [
    ("deployments", "Create or replace a deployment", ref("DeploymentBody"), True, ref("DeploymentWritten")),
    ("issues", "Create or replace an issue or incident", ref("IssueBody"), True, ref("IssueWritten")),
    ("issue/{issueKey}/close", "Close an issue (key in the path)", ref("IssueClosePathBody"), False, ref("IssueClosed")),
    ("issue/close", "Close an issue (issueKey in the body)", ref("IssueCloseBody"), True, ref("IssueClosed")),
    ("pull_requests", "Create or replace a pull request", ref("PullRequestBody"), True, ref("PullRequestWritten")),
    ("commits", "Create or replace commits with line counts", ref("CommitsBody"), True, ref("CommitsWritten")),
    ("batch", "Apply a batch of items in order, each on its own", ref("BatchBody"), True, ref("BatchWritten")),
]
REMOVED = ["cicd_tasks", "cicd_pipeline/{pipelineName}/finish"]
INGEST_ERRORS = ["400", "401", "403", "404", "413", "503"]

for prefix in WEBHOOK_PREFIXES:
    operation("get", f"{prefix}/connections", "List connections", "connections", ("200", "Every connection, ordered by id", {"type": "array", "items": ref("Connection")}), AUTH_ERRORS + ["503"], ADMIN)
    operation(
        "post", f"{prefix}/connections", "Create a connection and its key", "connections",
        ("200", "The connection with its key's plaintext (shown once)", ref("ConnectionWithKey")), ["400", "401", "403", "413", "503"], ADMIN,
        body=ref("ConnectionCreateBody"),
    )
    operation("post", f"{prefix}/projects/{{projectName}}/deployments", "Create or replace a deployment of a project (its `<name>_deployments` connection)", "ingest",
              ("200", "What was written", ref("ProjectDeploymentWritten")), INGEST_ERRORS, PROJECT_DEPLOY_AUTH, body=ref("DeploymentBody"))
    forms = [
        (f"{prefix}/connections/{{connectionId}}", "by id"),
        (f"{prefix}/connections/by-name/{{connectionName}}", "by name"),
    ]
    for base, form in forms:
        operation("get", base, f"Read a connection ({form})", "connections", ("200", "The connection", ref("Connection")), ["400", "401", "403", "404", "503"], ADMIN)
        operation("patch", base, f"Rename a connection ({form})", "connections", ("200", "The renamed connection", ref("BareConnection")), ["400", "401", "403", "404", "413", "503"], ADMIN, body=ref("ConnectionRenameBody"))
        operation("delete", base, f"Delete a connection and its data ({form})", "connections", ("200", "Deleted row counts", ref("ConnectionDeleted")), ["400", "401", "403", "404", "503"], ADMIN)
        operation("post", f"{base}/api-key/rotate", f"Create or replace the connection's key ({form})", "connections",
                  ("200", "The key with its new plaintext", ref("ApiKeyWithPlaintext")), ["400", "401", "403", "404", "413", "503"], ADMIN,
                  body=ref("KeyExpiryBody"), body_required=False)
    forms.append((f"{prefix}/{{connectionId}}", "legacy form"))
    for base, form in forms:
        for tail, summary, body, body_required, answer in INGEST:
            operation("post", f"{base}/{tail}", f"{summary} ({form})", "ingest", ("200", "What was written", answer), INGEST_ERRORS, INGEST_AUTH, body=body, body_required=body_required)
        for tail in REMOVED:
            operation("post", f"{base}/{tail}", f"Removed in DevLake v0.17 ({form})", "ingest", ("404", "Removed route", None), ["400"], NONE)
            PATHS[f"{base}/{tail}"]["post"]["responses"]["404"] = {"$ref": "#/components/responses/RemovedRoute"}

# /api/v1
V1 = "/api/v1"
KINDS = [
    ("deployments", "StoredDeployment", "deploymentId", "a deployment with its commits, per-project incidents, pull requests and rework"),
    ("issues", "StoredIssue", "issueKey", "an issue with its per-project incident links"),
    ("pull_requests", "StoredPullRequest", "pullRequestKey", "a pull request with its per-project attribution"),
    ("commits", "StoredCommit", "sha", "a commit (repoUrl query parameter required)"),
]
for kind, schema, key, what in KINDS:
    operation("get", f"{V1}/{kind}", f"List stored {kind.replace('_', ' ')}", "stored data", ("200", "One page", ref(schema + "Page")),
              ["400", "401", "403", "503"], READ_AUTH, parameters=LIST_QUERY + LIST_FILTERS[kind])
    extra = [query("repoUrl", {"type": "string", "minLength": 1}, "the commit's repository", required=True, example="https://github.com/acme/shop")] if kind == "commits" else []
    operation("get", f"{V1}/connections/{{connectionId}}/{kind}/{{{key}}}", f"Read {what}", "stored data", ("200", "The record", ref(schema + "Envelope")),
              ["400", "401", "403", "404", "503"], READ_AUTH, parameters=extra)
    operation("delete", f"{V1}/connections/{{connectionId}}/{kind}/{{{key}}}", f"Delete {what.split(' with ')[0].split(' (')[0]}; derived data follows", "stored data",
              ("200", "Deleted row counts", ref("StoredDataDeleted")), ["400", "401", "403", "404", "503"], ADMIN, parameters=extra)
operation("get", f"{V1}/projects", "List projects", "projects", ("200", "Every project", ref("ProjectList")), AUTH_ERRORS + ["503"], ADMIN)
operation("post", f"{V1}/projects", "Create a project", "projects", ("201", "The new project", ref("ProjectEnvelope")), ["400", "401", "403", "409", "413", "503"], ADMIN, body=ref("ProjectCreateBody"))
operation("get", f"{V1}/projects/{{projectName}}", "Read a project", "projects", ("200", "The project", ref("ProjectEnvelope")), ["401", "403", "404", "503"], ADMIN)
operation("delete", f"{V1}/projects/{{projectName}}", "Delete a project and its key (connections and data stay)", "projects", ("200", "Deleted", ref("ProjectDeleted")), ["401", "403", "404", "503"], ADMIN)
for method, summary in [("put", "Attach a connection to a project (idempotent)"), ("delete", "Detach a connection from a project")]:
    operation(method, f"{V1}/projects/{{projectName}}/connections/{{connectionId}}", summary, "projects", ("200", "The project", ref("ProjectEnvelope")), ["400", "401", "403", "404", "503"], ADMIN)
operation("post", f"{V1}/projects/{{projectName}}/api-key/rotate", "Create or replace the project's key", "projects", ("200", "The key with its new plaintext", ref("ProjectKeyEnvelope")),
          ["400", "401", "403", "404", "413", "503"], ADMIN, body=ref("KeyExpiryBody"), body_required=False)
operation("get", f"{V1}/projects/{{projectName}}/metrics", "The project's metrics", "metrics", ("200", "Metrics", ref("MetricsEnvelope")), ["400", "401", "403", "404", "503"], METRICS_AUTH, parameters=METRICS_QUERY)
operation("get", f"{V1}/metrics", "Metrics over all connections", "metrics", ("200", "Metrics", ref("MetricsEnvelope")), ["400", "401", "403", "503"], ADMIN, parameters=METRICS_QUERY)
SCHEMAS["StoredDataDeleted"] = envelope(obj(
    {"deleted": {"type": "object", "additionalProperties": INTEGER,
                 "description": "row counts, e.g. deployments and deploymentCommits; issues, incidents and links; pullRequests and attributions; commits"}},
    required=["deleted"]))
EVENT = {
    "id": INTEGER, "receivedAt": STRING, "method": STRING, "path": STRING, "route": STRING, "connectionId": nullable("integer"),
    "projectName": nullable("string"), "principal": STRING, "status": INTEGER, "message": STRING, "contentType": STRING,
    "bodySize": INTEGER, "bodySha256": STRING, "bodyTruncated": BOOLEAN, "durationMs": INTEGER, "replayOf": nullable("integer"),
    "itemStatuses": {"type": "array", "items": INTEGER, "description": "batch requests only: each item's status"},
}
SCHEMAS["Event"] = obj(EVENT, required=[k for k in EVENT if k != "itemStatuses"], description="An entry of the raw event log (spec §11), without its body.")
SCHEMAS["EventWithBody"] = obj(dict(EVENT, body=nullable("string")), required=[k for k in EVENT if k != "itemStatuses"] + ["body"])
SCHEMAS["EventPage"] = envelope(obj({"items": {"type": "array", "items": ref("Event")}, "nextCursor": nullable("string")}, required=["items", "nextCursor"]))
SCHEMAS["EventEnvelope"] = envelope(ref("EventWithBody"))
SCHEMAS["ReplayAnswer"] = envelope({"type": "object", "description": "what the event's ingest route answers"})
EVENT_QUERY = [
    query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
    query("cursor", {"type": "string"}, "opaque; the nextCursor of the previous page"),
    query("connectionId", {"type": "integer"}),
    query("route", STRING, "e.g. deployments, issue_close_path, batch"),
    query("status", STRING, "an HTTP status code, `accepted` (2xx) or `rejected` (any other)"),
    query("from", DATE_QUERY), query("to", DATE_QUERY),
]
operation("get", f"{V1}/events", "List the raw event log, newest first (bodies omitted)", "events", ("200", "One page", ref("EventPage")),
          ["400", "401", "403", "503"], ADMIN, parameters=EVENT_QUERY)
operation("get", f"{V1}/events/{{eventId}}", "Read one event with its body", "events", ("200", "The event", ref("EventEnvelope")),
          ["400", "401", "403", "404", "503"], ADMIN)
operation("post", f"{V1}/events/{{eventId}}/replay", "Re-run a stored ingest request with current rules (a new event with replayOf)", "events",
          ("200", "What the event's ingest route answers", ref("ReplayAnswer")), ["400", "401", "403", "404", "409", "413", "503"], ADMIN)
operation("get", f"{V1}/openapi.json", "This document", "meta", ("200", "The OpenAPI document", ref("OpenAPIDocument")), [], NONE)
operation("head", f"{V1}/openapi.json", "This document (headers only)", "meta", ("200", "OK", None), [], NONE)

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Doralake API",
        "version": "1",
        "description": (
            "Doralake's JSON API: Apache DevLake's Incoming Webhook routes (under four prefixes, with three "
            "connection forms), health, and /api/v1 (stored data, projects, metrics). The normative contract is "
            "WEBHOOK-API.md; docs/api.md summarises it. Every error answers the envelope "
            "`{\"code\":0,\"success\":false,\"message\":…,\"causes\":[…]|null,\"data\":…|null}`. Unknown paths answer "
            "404 `route not found`; a known path with a method it does not serve answers 405 `method not allowed` "
            "with an `Allow` header. One trailing `/` is tolerated. Request bodies are read as JSON whatever the "
            "Content-Type (multipart/form-data is a 400); keys match case-insensitively, snake_case and legacy "
            "aliases are accepted, scalars are coerced (spec §9.3–§9.6), and unknown keys come back as warnings. "
            "Checks run in this order: path syntax (400), authentication (401/403), target lookup (404), scope "
            "(403), body size (413), JSON and fields (400), write (503 when storage fails)."
        ),
    },
    "servers": [{"url": "/"}],
    "tags": [
        {"name": "ingest", "description": "Webhook events (spec §5–§8)"},
        {"name": "connections", "description": "Connections and keys (spec §3), admin token"},
        {"name": "stored data", "description": "Reads of stored data (spec §10)"},
        {"name": "projects", "description": "Projects (spec §4), admin token"},
        {"name": "metrics", "description": "DORA and issue metrics (METRICS.md §9)"},
        {"name": "health", "description": "Liveness, readiness, version; no credentials"},
        {"name": "meta", "description": "This document"},
    ],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "parameters": PARAMETERS,
        "securitySchemes": SECURITY_SCHEMES,
    },
}


def swift_source(document_text):
    if '"""#' in document_text:
        raise SystemExit("the document contains the raw string delimiter")
    return (
        "// Generated by scripts/openapi-generate.py from the same data as docs/openapi.json; do not edit.\n"
        "// Run `python3 scripts/openapi-generate.py` after changing the routes or their schemas.\n"
        "\n"
        "/// The OpenAPI 3.1 document of the JSON API, served at `GET /api/v1/openapi.json`; byte for byte\n"
        "/// the file `docs/openapi.json`.\n"
        "enum OpenAPIDocument {\n"
        "    /// The document's JSON text.\n"
        "    static let text = #\"\"\"\n"
        + document_text
        + "\n\"\"\"#\n"
        "}\n"
    )


def main():
    check = "--check" in sys.argv[1:]
    document_text = json.dumps(DOCUMENT, indent=2, ensure_ascii=False) + "\n"
    outputs = {JSON_PATH: document_text, SWIFT_PATH: swift_source(document_text)}
    stale = []
    for path, content in outputs.items():
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != content:
            stale.append(os.path.relpath(path, ROOT))
            if not check:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(content)
    operations = sum(len(item) for item in PATHS.values())
    if check:
        if stale:
            print("out of date (run python3 scripts/openapi-generate.py): " + ", ".join(stale))
            sys.exit(1)
        print(f"openapi documents up to date: {len(PATHS)} paths, {operations} operations")
    else:
        print(f"wrote {', '.join(stale) or 'nothing (up to date)'}: {len(PATHS)} paths, {operations} operations")


if __name__ == "__main__":
    main()
